"""The ARNs code builds, one way everywhere, so that a reference and its target agree.

Code rarely says which account it deploys to: :data:`ACCOUNT` stands in for it, the same in
every ARN, so that the policies are evaluated consistently (a policy on
``arn:aws:logs:eu-west-1:${data.aws_caller_identity.current.account_id}:log-group:x:*`` allows
the trail's streams). The checks know it is a stand-in (:class:`~trailwarden.inventory.Unknown`).
ARN formats: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

from trailwarden.inventory import Unknown

__all__ = [
    "ACCOUNT",
    "alarm_arn",
    "log_group_arn",
    "managed_policy_arn",
    "partition_of",
    "role_arn",
    "topic_arn",
    "trail_arn",
    "unknown_account",
]

ACCOUNT = "ACCOUNT"

# Region prefixes of the partitions other than "aws".
_PARTITIONS = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
)


def unknown_account() -> Unknown:
    return Unknown(ACCOUNT, "the code does not say which account it deploys to")


def partition_of(region: str) -> str:
    return next((p for prefix, p in _PARTITIONS if region.startswith(prefix)), "aws")


def log_group_arn(region: str, account: str, name: str) -> str:
    """Without the ``:*`` suffix, as Terraform's ``arn`` attribute (CloudFormation adds it)."""
    return f"arn:{partition_of(region)}:logs:{region}:{account}:log-group:{name}"


def role_arn(region: str, account: str, name: str, path: str = "/") -> str:
    return f"arn:{partition_of(region)}:iam::{account}:role{path or '/'}{name}"


def managed_policy_arn(region: str, account: str, name: str, path: str = "/") -> str:
    return f"arn:{partition_of(region)}:iam::{account}:policy{path or '/'}{name}"


def topic_arn(region: str, account: str, name: str) -> str:
    return f"arn:{partition_of(region)}:sns:{region}:{account}:{name}"


def trail_arn(region: str, account: str, name: str) -> str:
    return f"arn:{partition_of(region)}:cloudtrail:{region}:{account}:trail/{name}"


def alarm_arn(region: str, account: str, name: str) -> str:
    return f"arn:{partition_of(region)}:cloudwatch:{region}:{account}:alarm:{name}"
