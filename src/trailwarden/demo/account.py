"""The demo's accounts' own trails: realistic, and broken in the ways real accounts are.

``LEGACY`` (a member of the demo organization, :mod:`trailwarden.demo.organization`) has
six trails over four regions; every trail check passes on one trail and fails on another.
Its multi-region trail's log group also has CIS monitoring where some classes pass and
others fail (:mod:`trailwarden.demo.monitoring`). ``SANDBOX`` has one healthy
single-region trail of its own (the organization trail is what covers it). The trails are
created over HTTP with boto3 against the simulated endpoint, like a user would, except
the facts moto cannot produce (CloudWatch Logs delivery times and errors), which are set
in-process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from trailwarden.demo.monitoring import MONITORED, MONITORING, SetPending, seed_monitoring

__all__ = ["LEGACY", "MANAGEMENT", "SANDBOX", "TRAILS", "DemoTrail", "create_trail", "seed_trails"]

MANAGEMENT = "123456789012"  # the organization's management account
LEGACY = "234567890123"  # a member with broken trails of its own
SANDBOX = "210987654321"  # a member with a healthy single-region trail of its own

# (account, service, region) -> boto3 client against the simulated endpoint.
ClientFor = Callable[[str, str, str], Any]
# (trail ARN, latest delivery time or None, latest delivery error or None)
SetDelivery = Callable[[str, datetime | None, str | None], None]


@dataclass(frozen=True)
class DemoTrail:
    account: str
    name: str
    region: str
    multi_region: bool = False
    organization: bool = False
    log_group: str | None = None  # created in the trail's region unless missing
    log_group_exists: bool = True
    retention_days: int | None = None
    role: str | None = None
    logging: bool = True
    delivered_ago: timedelta | None = None  # None: never delivered
    delivery_error: str | None = None


TRAILS = (
    # Healthy multi-region trail: passes TW001–TW007 and would make TW010 pass for LEGACY
    # on its own.
    DemoTrail(
        LEGACY,
        "management-events",
        "us-east-1",
        multi_region=True,
        log_group="aws-cloudtrail-logs/management-events",
        retention_days=365,
        role="CloudTrail_CloudWatchLogs_Role",
        delivered_ago=timedelta(minutes=4),
    ),
    # Never integrated: TW001 fails on both ARNs.
    DemoTrail(LEGACY, "security-audit", "eu-west-1"),
    # Half-integrated (log group but no role) and stopped: TW001 and TW006 fail.
    DemoTrail(
        LEGACY,
        "data-events",
        "us-west-2",
        log_group="aws-cloudtrail-logs/data-events",
        retention_days=90,
        logging=False,
    ),
    # Its log group was deleted: TW002, TW004 and TW005 fail.
    DemoTrail(
        LEGACY,
        "app-activity",
        "eu-west-1",
        log_group="aws-cloudtrail-logs/app-activity",
        log_group_exists=False,
        role="CloudTrail_CloudWatchLogs_Role",
        delivered_ago=timedelta(days=3, hours=5),
        delivery_error="ResourceNotFoundException: The specified log group does not exist.",
    ),
    # A role copied from an EC2 template (wrong principal) and 30-day retention.
    DemoTrail(
        LEGACY,
        "legacy-apac",
        "ap-southeast-2",
        log_group="CloudTrail/DefaultLogGroup",
        retention_days=30,
        role="legacy-trail-role",
        delivery_error="CloudTrail cannot assume role legacy-trail-role.",
    ),
    # A guardrail policy denies PutLogEvents; no retention policy on the log group.
    DemoTrail(
        LEGACY,
        "network-audit",
        "us-west-2",
        log_group="aws-cloudtrail-logs/network-audit",
        role="network-audit-cwl-role",
        delivered_ago=timedelta(days=2, hours=1),
        delivery_error="AccessDeniedException: not authorized to perform logs:PutLogEvents",
    ),
    # SANDBOX: healthy but single-region: the organization trail is what covers it.
    DemoTrail(
        SANDBOX,
        "sandbox-trail",
        "us-east-1",
        log_group="aws-cloudtrail-logs/sandbox",
        retention_days=400,
        role="CloudTrail_CloudWatchLogs_Role",
        delivered_ago=timedelta(minutes=12),
    ),
)


def _trust(account: str, service: str = "cloudtrail.amazonaws.com") -> dict[str, Any]:
    # Confused-deputy protection as AWS recommends:
    # https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account},
                    "ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{account}:trail/*"},
                },
            }
        ],
    }


def _writer(
    account: str,
    effect: str = "Allow",
    actions: tuple[str, ...] = ("logs:CreateLogStream", "logs:PutLogEvents"),
) -> dict[str, Any]:
    resource = f"arn:aws:logs:*:{account}:log-group:*:log-stream:{account}_CloudTrail_*"
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": effect, "Action": list(actions), "Resource": resource}],
    }


# role name -> (trust policy, {inline policy name: document})
def _roles(account: str) -> dict[str, tuple[dict[str, Any], dict[str, dict[str, Any]]]]:
    roles = {
        "CloudTrail_CloudWatchLogs_Role": (
            _trust(account),
            {"cloudtrail-to-cwl": _writer(account)},
        ),
    }
    if account == LEGACY:
        roles["legacy-trail-role"] = (
            _trust(account, "ec2.amazonaws.com"),
            {"cloudtrail-to-cwl": _writer(account)},
        )
        # A guardrail statement added to the role's policy denies log writes.
        guarded = _writer(account)
        guarded["Statement"].append(
            {
                **_writer(account, "Deny", ("logs:PutLogEvents",))["Statement"][0],
                "Sid": "GuardrailDenyLogWrites",
            }
        )
        roles["network-audit-cwl-role"] = (_trust(account), {"cloudtrail-to-cwl": guarded})
    return roles


def seed_trails(
    client: ClientFor, set_delivery: SetDelivery, set_pending: SetPending, now: datetime
) -> None:
    """Create the members' own trails (and LEGACY's monitoring) over the simulated endpoint."""
    for account in (LEGACY, SANDBOX):
        iam = client(account, "iam", "us-east-1")
        for role, (trust, inline) in _roles(account).items():
            iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
            for policy_name, document in inline.items():
                iam.put_role_policy(
                    RoleName=role, PolicyName=policy_name, PolicyDocument=json.dumps(document)
                )
    for trail in TRAILS:
        create_trail(client, set_delivery, trail, now)
    seed_monitoring(client, set_pending, LEGACY, MONITORING, MONITORED)


def create_trail(
    client: ClientFor, set_delivery: SetDelivery, trail: DemoTrail, now: datetime
) -> None:
    """Create ``trail`` with its bucket and log group, start it, set its delivery result."""
    account, region = trail.account, trail.region
    bucket = f"cloudtrail-{account}-{trail.name}"
    s3 = client(account, "s3", region)
    location = (
        {}
        if region == "us-east-1"
        else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    s3.create_bucket(Bucket=bucket, **location)
    extra: dict[str, Any] = {}
    if trail.log_group is not None:
        if trail.log_group_exists:
            logs = client(account, "logs", region)
            logs.create_log_group(logGroupName=trail.log_group)
            if trail.retention_days is not None:
                logs.put_retention_policy(
                    logGroupName=trail.log_group, retentionInDays=trail.retention_days
                )
        extra["CloudWatchLogsLogGroupArn"] = (
            f"arn:aws:logs:{region}:{account}:log-group:{trail.log_group}:*"
        )
    if trail.role is not None:
        extra["CloudWatchLogsRoleArn"] = f"arn:aws:iam::{account}:role/{trail.role}"
    cloudtrail = client(account, "cloudtrail", region)
    created = cloudtrail.create_trail(
        Name=trail.name,
        S3BucketName=bucket,
        IsMultiRegionTrail=trail.multi_region,
        IsOrganizationTrail=trail.organization,
        **extra,
    )
    if trail.logging:
        cloudtrail.start_logging(Name=trail.name)
    delivered = now - trail.delivered_ago if trail.delivered_ago is not None else None
    set_delivery(created["TrailARN"], delivered, trail.delivery_error)
