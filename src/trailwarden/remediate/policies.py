"""The names and IAM documents trailwarden gives the resources it creates (pure).

Role documents follow AWS's delivery-role guide, narrowed to one trail:
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from trailwarden.arns import LogGroupRef, parse_arn
from trailwarden.inventory import PolicyDocument, Role, Trail

__all__ = [
    "APPLY_TAG",
    "POLICY_NAME",
    "RETENTION_DAYS",
    "TAGS",
    "TRUST_SID",
    "default_log_group_name",
    "grants_exactly",
    "is_delivery_policy",
    "log_group_name_problem",
    "merged_trust",
    "ours",
    "partition_of",
    "role_arn",
    "role_description",
    "role_name",
    "role_policy",
    "tagged",
    "trust_policy",
]

POLICY_NAME = "trailwarden-cloudtrail-to-cwl"
TRUST_SID = "TrailwardenCloudTrailAssumeRole"
# On everything trailwarden creates, as planned: what made it.
TAGS = {"created-by": "trailwarden"}
# Added by the apply, with its journal's id: rollback deletes only what carries this tag
# with its own journal's id, so that it tells what its apply created from a namesake that
# someone else — or another apply racing it — made.
APPLY_TAG = "trailwarden-journal-id"
# PutRetentionPolicy accepts only these values.
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
RETENTION_DAYS: tuple[int, ...] = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545)
RETENTION_DAYS += (731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
_LOG_GROUP_NAME = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}")
_ROLE_NAME_MAX = 64  # IAM quota; role names are [\w+=,.@-] and trail names fit in that set


def tagged(after: dict[str, Any], journal_id: str) -> dict[str, str]:
    """A step's tags, with trailwarden's own and the id of the apply's journal."""
    return {**after.get("tags", {}), **TAGS, APPLY_TAG: journal_id}


def ours(tags: dict[str, str], journal_id: str) -> bool:
    """Whether a resource's tags say that the apply of journal ``journal_id`` created it."""
    return all(tags.get(k) == v for k, v in {**TAGS, APPLY_TAG: journal_id}.items())


def partition_of(trail: Trail) -> str:
    arn = parse_arn(trail.arn)
    return arn.partition if arn else "aws"


def default_log_group_name(trail: Trail) -> str:
    return f"aws-cloudtrail-logs/{trail.name}"


def log_group_name_problem(name: str) -> str | None:
    """Why CloudWatch Logs would reject ``name``, or None."""
    if _LOG_GROUP_NAME.fullmatch(name):
        return None
    return f"{name!r} is not a valid log group name: use 1 to 512 letters, digits and . - _ / #"


def role_name(trail: Trail, n: int = 1) -> str:
    """``trailwarden-cwl-<trail>``, then ``-2`` …; too long: cut, + 8 hex of the trail ARN."""
    stem, tail = f"trailwarden-cwl-{trail.name}", "" if n == 1 else f"-{n}"
    if len(stem) + len(tail) > _ROLE_NAME_MAX:
        digest = hashlib.sha256(trail.arn.encode()).hexdigest()[:8]
        stem = f"{stem[: _ROLE_NAME_MAX - 9 - len(tail)]}-{digest}"
    return stem + tail


def role_arn(trail: Trail, name: str, path: str = "/") -> str:
    """The ARN of role ``name`` (under ``path``) in the trail's account."""
    return f"arn:{partition_of(trail)}:iam::{trail.account_id}:role{path}{name}"


def role_description(trail: Trail) -> str:
    return f"Lets CloudTrail deliver trail {trail.arn} to CloudWatch Logs (created by trailwarden)"


def trust_statement(trail_arn: str, account_id: str) -> dict[str, Any]:
    """Let CloudTrail assume the role, only when acting for trail ``trail_arn``."""
    # aws:SourceArn + aws:SourceAccount: the confused-deputy protection AWS recommends.
    # https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
    return {
        "Sid": TRUST_SID,
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {
            "StringEquals": {"aws:SourceArn": trail_arn, "aws:SourceAccount": account_id}
        },
    }


def trust_policy(trail_arn: str, account_id: str) -> dict[str, Any]:
    """The trust policy of a role trailwarden creates for trail ``trail_arn``."""
    return {"Version": "2012-10-17", "Statement": [trust_statement(trail_arn, account_id)]}


def merged_trust(
    existing: dict[str, Any] | None, trail_arn: str, account_id: str
) -> dict[str, Any]:
    """``existing`` with trailwarden's statement added (or replaced, by Sid): whatever else
    the role trusts keeps working, and only CloudTrail for this trail is added."""
    raw = (existing or {}).get("Statement", [])
    statements = [raw] if isinstance(raw, dict) else list(raw) if isinstance(raw, list) else []
    kept = [s for s in statements if not (isinstance(s, dict) and s.get("Sid") == TRUST_SID)]
    return {
        "Version": (existing or {}).get("Version", "2012-10-17"),
        "Statement": [*kept, trust_statement(trail_arn, account_id)],
    }


def role_policy(trail: Trail, group: LogGroupRef, organization_id: str | None) -> dict[str, Any]:
    """Allow exactly the two calls CloudTrail makes, on the streams it names for this trail:
    ``ACCOUNT_CloudTrail_HOMEREGION*`` and, for an organization trail, ``o-ORGID_*``.
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-log-group-log-stream-naming-for-cloudtrail.html
    """
    resources = [group.stream_arn(f"{trail.account_id}_CloudTrail_{trail.home_region}*")]
    if trail.config is not None and trail.config.is_organization_trail and organization_id:
        resources.append(group.stream_arn(f"{organization_id}_*"))
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": sid,
                "Effect": "Allow",
                "Action": [action],
                "Resource": list(resources),
            }
            for sid, action in (
                ("AWSCloudTrailCreateLogStream", "logs:CreateLogStream"),
                ("AWSCloudTrailPutLogEvents", "logs:PutLogEvents"),
            )
        ],
    }


def is_delivery_policy(document: Any, partition: str, region: str, account_id: str) -> bool:
    """Whether ``document`` has the shape of :func:`role_policy`: allows only
    logs:CreateLogStream and logs:PutLogEvents, only on log streams of the account's log
    groups in ``region``."""
    streams = f"arn:{partition}:logs:{region}:{account_id}:log-group:"
    if not isinstance(document, dict) or set(document) != {"Version", "Statement"}:
        return False
    statements = document["Statement"]
    if not isinstance(statements, list) or len(statements) != 2:
        return False
    wanted = [
        ("AWSCloudTrailCreateLogStream", "logs:CreateLogStream"),
        ("AWSCloudTrailPutLogEvents", "logs:PutLogEvents"),
    ]
    for statement, (sid, action) in zip(statements, wanted, strict=True):
        if not isinstance(statement, dict) or set(statement) != {
            "Sid",
            "Effect",
            "Action",
            "Resource",
        }:
            return False
        resources = statement["Resource"]
        if (statement["Sid"], statement["Effect"], statement["Action"]) != (sid, "Allow", [action]):
            return False
        if not isinstance(resources, list) or not 1 <= len(resources) <= 2:
            return False
        for resource in resources:
            name = resource.removeprefix(streams) if isinstance(resource, str) else ""
            if not name or name == resource or ":log-stream:" not in name:
                return False
    return True


def grants_exactly(role: Role, trust: dict[str, Any], policy: dict[str, Any]) -> bool:
    """True when ``role`` is exactly what trailwarden would create: that trust policy, one
    inline policy with that document, nothing attached, no boundary."""
    return (
        role.exists is True
        and role.error is None
        and role.trust_policy == trust
        and role.permissions_boundary is None
        and role.policies == (PolicyDocument(POLICY_NAME, "inline", policy),)
    )
