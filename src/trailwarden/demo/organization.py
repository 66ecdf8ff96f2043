"""The demo organization: a Control Tower-like landing zone, created over HTTP.

- ``MANAGEMENT`` (123456789012) owns the organization trail
  ``aws-controltower-BaselineCloudTrail`` (multi-region, healthy), delivering to
  ``aws-controltower/CloudTrailLogs``, with the CIS metric filters and alarms on that log
  group and a confirmed e-mail subscription — two of them wrong in the ways regex-based
  scanners miss (:func:`trailwarden.demo.monitoring.organization_monitoring`).
- Members under OUs: two with no trail of their own that pass through the organization
  trail; ``LEGACY`` with six broken trails of its own (:mod:`trailwarden.demo.account`);
  ``SANDBOX`` with a single-region trail of its own; one whose audit role cannot be
  assumed (AccessDenied: an ERROR in the report); one closed (SUSPENDED: skipped).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from trailwarden.demo.account import LEGACY, MANAGEMENT, SANDBOX, DemoTrail, create_trail
from trailwarden.demo.monitoring import organization_monitoring, seed_monitoring

if TYPE_CHECKING:
    from trailwarden.demo.simulated_aws import SimulatedAws

__all__ = [
    "ACCOUNTS",
    "ORG_GROUP",
    "ORG_TRAIL",
    "UNASSUMABLE",
    "DemoAccount",
    "seed_organization",
    "seed_organization_trail",
]

ORG_TRAIL = "aws-controltower-BaselineCloudTrail"
ORG_GROUP = "aws-controltower/CloudTrailLogs"
ORG_ROLE = "aws-controltower-CloudWatchLogsRole"
MEMBER_ROLE = "OrganizationAccountAccessRole"  # what CreateAccount puts in each member
UNASSUMABLE = "567890123456"


@dataclass(frozen=True)
class DemoAccount:
    account_id: str
    name: str
    ou: str  # OU path below Root
    closed: bool = False
    assumable: bool = True


ACCOUNTS = (
    DemoAccount(LEGACY, "legacy-apps", "Workloads"),
    DemoAccount("345678901234", "payments-prod", "Workloads/Prod"),
    DemoAccount("456789012345", "data-platform", "Workloads/Prod"),
    DemoAccount(SANDBOX, "sandbox", "Sandbox"),
    DemoAccount(UNASSUMABLE, "security-tooling", "Security", assumable=False),
    DemoAccount("678901234567", "old-marketing", "Suspended", closed=True),
)


def seed_organization(aws: SimulatedAws, now: datetime) -> str:
    """Create the organization, its OUs and accounts, and the organization trail with its
    monitoring; returns the organization's id."""
    from trailwarden.demo.moto_organizations import account_ids, name_account

    org = aws.client(MANAGEMENT, "organizations")
    org_id: str = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    name_account(MANAGEMENT, MANAGEMENT, "management")
    root = org.list_roots()["Roots"][0]["Id"]
    units: dict[str, str] = {}
    for path in sorted({a.ou for a in ACCOUNTS}):
        parent = root
        for depth, name in enumerate(path.split("/"), start=1):
            prefix = "/".join(path.split("/")[:depth])
            if prefix not in units:
                made = org.create_organizational_unit(ParentId=parent, Name=name)
                units[prefix] = made["OrganizationalUnit"]["Id"]
            parent = units[prefix]
    with account_ids(a.account_id for a in ACCOUNTS):
        for a in ACCOUNTS:
            org.create_account(AccountName=a.name, Email=f"aws+{a.name}@example.com")
    for a in ACCOUNTS:
        org.move_account(
            AccountId=a.account_id, SourceParentId=root, DestinationParentId=units[a.ou]
        )
        if a.closed:
            org.close_account(AccountId=a.account_id)
        if not a.assumable:
            # Its audit role was never deployed (or trusts someone else): AssumeRole fails.
            aws.deny("sts:AssumeRole", resource=f"arn:aws:iam::{a.account_id}:role/{MEMBER_ROLE}")
    # AWS shows the management account's organization trails to every member.
    aws.register_organization(MANAGEMENT, [a.account_id for a in ACCOUNTS])
    seed_organization_trail(aws, org_id, now)
    return org_id


def seed_organization_trail(aws: SimulatedAws, org_id: str, now: datetime) -> None:
    """The management account's organization trail, its role and its CIS monitoring."""
    iam = aws.client(MANAGEMENT, "iam")
    iam.create_role(RoleName=ORG_ROLE, AssumeRolePolicyDocument=json.dumps(_trust()))
    iam.put_role_policy(
        RoleName=ORG_ROLE,
        PolicyName="cloudtrail-to-cwl",
        PolicyDocument=json.dumps(_org_writer(org_id)),
    )
    trail = DemoTrail(
        MANAGEMENT,
        ORG_TRAIL,
        "us-east-1",
        multi_region=True,
        organization=True,
        log_group=ORG_GROUP,
        retention_days=365,
        role=ORG_ROLE,
        delivered_ago=timedelta(minutes=2),
    )
    create_trail(aws.client, aws.set_delivery, trail, now)
    seed_monitoring(
        aws.client,
        aws.set_pending_confirmation,
        MANAGEMENT,
        organization_monitoring(),
        (ORG_GROUP, "us-east-1"),
    )


def _trust() -> dict[str, Any]:
    # Confused-deputy protection for an organization trail: the management account's trails.
    # https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": MANAGEMENT}},
            }
        ],
    }


def _org_writer(org_id: str) -> dict[str, Any]:
    """The role policy AWS documents for an organization trail: the management account's
    own streams and the member accounts' ``o-ORGID_*`` streams.
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
    """
    streams = f"arn:aws:logs:us-east-1:{MANAGEMENT}:log-group:{ORG_GROUP}:log-stream:"
    resources = [f"{streams}{MANAGEMENT}_CloudTrail_us-east-1*", f"{streams}{org_id}_*"]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": resources,
            }
        ],
    }
