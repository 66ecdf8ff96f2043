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
    "POLICY_NAME",
    "RETENTION_DAYS",
    "TAGS",
    "TRUST_SID",
    "default_log_group_name",
    "grants_exactly",
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
# On everything trailwarden creates: rollback deletes only what carries it, so that it can
# tell what an apply created from a namesake someone else made.
TAGS = {"created-by": "trailwarden"}
# PutRetentionPolicy accepts only these values.
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
RETENTION_DAYS: tuple[int, ...] = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545)
RETENTION_DAYS += (731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
_LOG_GROUP_NAME = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}")
_ROLE_NAME_MAX = 64  # IAM quota; role names are [\w+=,.@-] and trail names fit in that set


def tagged(after: dict[str, Any]) -> dict[str, str]:
    """A step's tags, with trailwarden's own."""
    return {**after.get("tags", {}), **TAGS}


def ours(tags: dict[str, str]) -> bool:
    """Whether a resource's tags say trailwarden created it."""
    return all(tags.get(k) == v for k, v in TAGS.items())


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


def role_arn(trail: Trail, name: str) -> str:
    return f"arn:{partition_of(trail)}:iam::{trail.account_id}:role/{name}"


def role_description(trail: Trail) -> str:
    return f"Lets CloudTrail deliver trail {trail.arn} to CloudWatch Logs (created by trailwarden)"


def trust_statement(trail: Trail) -> dict[str, Any]:
    # aws:SourceArn + aws:SourceAccount: the confused-deputy protection AWS recommends.
    # https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
    return {
        "Sid": TRUST_SID,
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {
            "StringEquals": {"aws:SourceArn": trail.arn, "aws:SourceAccount": trail.account_id}
        },
    }


def trust_policy(trail: Trail) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [trust_statement(trail)]}


def merged_trust(existing: dict[str, Any] | None, trail: Trail) -> dict[str, Any]:
    """``existing`` with trailwarden's statement added (or replaced, by Sid): whatever else
    the role trusts keeps working, and only CloudTrail for this trail is added."""
    raw = (existing or {}).get("Statement", [])
    statements = [raw] if isinstance(raw, dict) else list(raw) if isinstance(raw, list) else []
    kept = [s for s in statements if not (isinstance(s, dict) and s.get("Sid") == TRUST_SID)]
    return {
        "Version": (existing or {}).get("Version", "2012-10-17"),
        "Statement": [*kept, trust_statement(trail)],
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
