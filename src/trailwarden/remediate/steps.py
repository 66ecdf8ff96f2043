"""One constructor per :class:`Action`: the step's target, before/after and permissions.

The keys of ``before``/``after`` are those of the remediation contract (documented in
:mod:`.plan`). IAM is global; its steps carry the trail's home region so that renderers can
keep a trail's resources together (CloudFormation stacks are regional). Ids are given by
:func:`.plan.make_plan` once the whole plan is known.
"""

from __future__ import annotations

import json
from typing import Any

from trailwarden.arns import LogGroupRef
from trailwarden.inventory import Role, Trail
from trailwarden.remediate.model import PERMISSIONS, Action, Step
from trailwarden.remediate.policies import (
    POLICY_NAME,
    TAGS,
    role_arn,
    role_description,
    trust_policy,
)

__all__ = [
    "ORDER",
    "create_log_group",
    "create_role",
    "deletes_older",
    "put_retention",
    "put_role_policy",
    "start_logging",
    "update_trail",
    "update_trust",
]

# The contract's order within a trail: what a step needs exists before it runs.
ORDER = {action: i for i, action in enumerate(Action)}


def _step(
    action: Action,
    target: str,
    trail: Trail,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    fixes: tuple[str, ...],
    reason: str,
) -> Step:
    return Step(
        id="",
        action=action,
        target=target,
        region=trail.home_region,
        account_id=trail.account_id,
        before=before,
        after=after,
        permissions=PERMISSIONS[action],
        fixes=tuple(sorted(set(fixes))),
        trail_arn=trail.arn,
        reason=reason,
    )


def create_log_group(
    trail: Trail, group: LogGroupRef, kms_key_id: str | None, fixes: tuple[str, ...], reason: str
) -> Step:
    after = {"log_group_name": group.name, "kms_key_id": kms_key_id, "tags": dict(TAGS)}
    return _step(Action.CREATE_LOG_GROUP, group.key, trail, None, after, fixes, reason)


def put_retention(
    trail: Trail,
    group: LogGroupRef,
    before_days: int | None,
    days: int,
    fixes: tuple[str, ...],
    reason: str,
) -> Step:
    before = {"retention_in_days": before_days}
    after = {"log_group_name": group.name, "retention_in_days": days}
    return _step(Action.PUT_RETENTION_POLICY, group.key, trail, before, after, fixes, reason)


def create_role(trail: Trail, name: str, fixes: tuple[str, ...], reason: str) -> Step:
    after = {
        "role_name": name,
        "path": "/",
        "assume_role_policy": trust_policy(trail),
        "description": role_description(trail),
        "tags": dict(TAGS),
    }
    return _step(Action.CREATE_ROLE, role_arn(trail, name), trail, None, after, fixes, reason)


def put_role_policy(
    trail: Trail,
    arn: str,
    name: str,
    prior: dict[str, Any] | None,
    document: dict[str, Any],
    fixes: tuple[str, ...],
    reason: str,
) -> Step:
    before = {"policy_name": POLICY_NAME, "policy_document": _json(prior)}
    after = {"role_name": name, "policy_name": POLICY_NAME, "policy_document": document}
    return _step(Action.PUT_ROLE_POLICY, arn, trail, before, after, fixes, reason)


def update_trust(
    trail: Trail, role: Role, trust: dict[str, Any], fixes: tuple[str, ...], reason: str
) -> Step:
    before = {"role_name": role.name, "assume_role_policy": _json(role.trust_policy)}
    after = {"role_name": role.name, "assume_role_policy": _json(trust)}
    return _step(Action.UPDATE_ASSUME_ROLE_POLICY, role.arn, trail, before, after, fixes, reason)


def update_trail(
    trail: Trail, group: LogGroupRef, role: str, fixes: tuple[str, ...], reason: str
) -> Step:
    config = trail.config
    before = {
        "cloud_watch_logs_log_group_arn": config.log_group_arn if config else None,
        "cloud_watch_logs_role_arn": config.role_arn if config else None,
    }
    # CloudTrail stores the log group ARN with the ":*" suffix (all streams of the group).
    after = {"cloud_watch_logs_log_group_arn": f"{group.key}:*", "cloud_watch_logs_role_arn": role}
    return _step(Action.UPDATE_TRAIL, trail.arn, trail, before, after, fixes, reason)


def start_logging(trail: Trail, fixes: tuple[str, ...], reason: str) -> Step:
    before, after = {"is_logging": False}, {"is_logging": True}
    return _step(Action.START_LOGGING, trail.arn, trail, before, after, fixes, reason)


def _json(document: Any) -> Any:
    """A copy made of JSON types only (lists, not tuples): the plan owns its documents, and
    the journal's JSON copy of the plan compares equal to it."""
    return json.loads(json.dumps(document))


def deletes_older(now: int | None, days: int) -> str:
    """For a reason: what setting a retention does to a log group that keeps events forever."""
    if now is not None:
        return ""
    return f"; CloudWatch Logs will then delete events older than {days} days"
