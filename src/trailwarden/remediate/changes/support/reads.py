"""Reads that several changes share: a log group, a role (each by its step's target).

They reuse the collector's functions, so a change reads AWS exactly as the scan does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailwarden.collect.calls import AwsCallException, api_error, error_code
from trailwarden.collect.iam import RoleDraft, read_role
from trailwarden.collect.logs import describe_log_group
from trailwarden.inventory import ApiError, LogGroup
from trailwarden.remediate.changes.support.targets import log_group_ref, role_name

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["ROLE_READS", "absent_or_error", "read_log_group", "read_role_target"]

# The calls of read_role_target (the collector's read_role).
ROLE_READS = (
    "iam:GetRole",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
)


def absent_or_error(exc: AwsCallException, action: str, region: str) -> ApiError | None:
    """None when ``exc`` says the target does not exist (SNS: NotFound; CloudWatch Logs:
    ResourceNotFoundException), else the error of ``action``."""
    if error_code(exc) in ("NotFound", "ResourceNotFoundException"):
        return None
    return api_error(exc, action, region)


def read_log_group(factory: ClientFactory, target: str) -> LogGroup:
    return describe_log_group(factory, log_group_ref(target))


def read_role_target(
    factory: ClientFactory, target: str, region: str
) -> RoleDraft | ApiError | None:
    """The role ``target`` names (None: it does not exist)."""
    name, account = role_name(target)
    # IAM is global; the step's region only picks the partition's endpoint.
    draft = read_role(factory, region, target, name, account)
    if draft.error is not None:
        return draft.error
    if not draft.exists:
        return None
    return draft
