"""The current state of a step's target, read from AWS in the shape of ``Step.before``.

Apply compares it with what the plan saw before each call (and refuses to call when they
differ); rollback compares it with the step's ``after`` before undoing, so that it never
overwrites a change someone else made since. Reads reuse the collector's functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, assert_never

from trailwarden.arns import LogGroupRef, parse_log_group_arn, parse_role_arn
from trailwarden.collect.cloudtrail import describe_trails, get_trail_status
from trailwarden.collect.iam import read_role
from trailwarden.collect.logs import describe_log_group
from trailwarden.errors import UsageError
from trailwarden.inventory import ApiError, JsonDict, LogGroup
from trailwarden.remediate.model import Action
from trailwarden.remediate.monitoring_state import monitoring_after_state, read_monitoring
from trailwarden.remediate.monitoring_targets import MONITORING_ACTIONS, covers

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = [
    "State",
    "after_state",
    "describe_change",
    "log_group_ref",
    "matches",
    "read_log_group",
    "read_state",
    "role_name",
]

# None: the resource (or, for a role policy, the role) does not exist.
State = JsonDict | None

_TRAIL_KEYS = ("cloud_watch_logs_log_group_arn", "cloud_watch_logs_role_arn")


def log_group_ref(target: str) -> LogGroupRef:
    ref = parse_log_group_arn(target)
    if ref is None:
        raise UsageError(f"{target!r} is not a log group ARN; the plan is malformed.")
    return ref


def role_name(target: str) -> tuple[str, str]:
    """(role name, account) of a role ARN target."""
    parsed = parse_role_arn(target)
    if parsed is None:
        raise UsageError(f"{target!r} is not an IAM role ARN; the plan is malformed.")
    return parsed[2], parsed[1]


def read_log_group(factory: ClientFactory, target: str) -> LogGroup:
    return describe_log_group(factory, log_group_ref(target))


def read_state(
    factory: ClientFactory, action: Action, target: str, region: str, after: JsonDict
) -> State | ApiError:
    """What ``target`` looks like now, keyed like the contract's ``before`` of ``action``."""
    match action:
        case Action.CREATE_LOG_GROUP | Action.PUT_RETENTION_POLICY:
            group = read_log_group(factory, target)
            if group.error is not None:
                return group.error
            if not group.exists:
                return None
            if action is Action.CREATE_LOG_GROUP:
                return {"log_group_name": group.name}
            return {"retention_in_days": group.retention_in_days}
        case Action.CREATE_ROLE | Action.PUT_ROLE_POLICY | Action.UPDATE_ASSUME_ROLE_POLICY:
            name, account = role_name(target)
            # IAM is global; the step's region only picks the partition's endpoint.
            draft = read_role(factory, region, target, name, account)
            if draft.error is not None:
                return draft.error
            if not draft.exists:
                return None
            if action is Action.CREATE_ROLE:
                return {"role_name": name}
            if action is Action.UPDATE_ASSUME_ROLE_POLICY:
                return {"role_name": name, "assume_role_policy": draft.trust_policy}
            policy = after["policy_name"]
            document = next((p.document for p in draft.inline if p.name == policy), None)
            return {"policy_name": policy, "policy_document": document}
        case Action.UPDATE_TRAIL:
            # In the trail's home region: elsewhere DescribeTrails shows a shadow copy at best.
            config = describe_trails(factory, region, [target])[target]
            if isinstance(config, ApiError):
                return None if config.code == "TrailNotFoundException" else config
            return {_TRAIL_KEYS[0]: config.log_group_arn, _TRAIL_KEYS[1]: config.role_arn}
        case Action.START_LOGGING:
            status = get_trail_status(factory, target, region)
            if isinstance(status, ApiError):
                return None if status.code == "TrailNotFoundException" else status
            return {"is_logging": status.is_logging}
        case (
            Action.PUT_METRIC_FILTER
            | Action.CREATE_TOPIC
            | Action.SUBSCRIBE
            | Action.PUT_METRIC_ALARM
            | Action.ENABLE_ALARM_ACTIONS
        ):
            return read_monitoring(factory, action, target, region, after)
        case _:
            assert_never(action)


def after_state(action: Action, after: JsonDict) -> State:
    """The state :func:`read_state` reads once the step's call has taken effect."""
    match action:
        case Action.CREATE_LOG_GROUP:
            return {"log_group_name": after["log_group_name"]}
        case Action.PUT_RETENTION_POLICY:
            return {"retention_in_days": after["retention_in_days"]}
        case Action.CREATE_ROLE:
            return {"role_name": after["role_name"]}
        case Action.PUT_ROLE_POLICY:
            return {
                "policy_name": after["policy_name"],
                "policy_document": after["policy_document"],
            }
        case Action.UPDATE_ASSUME_ROLE_POLICY:
            return {
                "role_name": after["role_name"],
                "assume_role_policy": after["assume_role_policy"],
            }
        case Action.UPDATE_TRAIL:
            return {key: after.get(key) for key in _TRAIL_KEYS}
        case Action.START_LOGGING:
            return {"is_logging": True}
        case (
            Action.PUT_METRIC_FILTER
            | Action.CREATE_TOPIC
            | Action.SUBSCRIBE
            | Action.PUT_METRIC_ALARM
            | Action.ENABLE_ALARM_ACTIONS
        ):
            return monitoring_after_state(action, after)
        case _:
            assert_never(action)


def matches(action: Action, expected: State, found: State) -> bool:
    """Whether ``found`` is the ``expected`` state. A monitoring target is read whole (to
    be put back whole), so there only the settings ``expected`` names are compared."""
    if action in MONITORING_ACTIONS and expected is not None and found is not None:
        return covers(expected, found)
    return expected == found


def describe_change(action: Action, target: str, expected: State, found: State) -> str:
    """One sentence: how ``found`` differs from the ``expected`` state of ``target``."""
    what = _what(action, target)
    if found is None:
        return f"{what} no longer exists (the plan saw it)."
    if expected is None:
        return f"{what} already exists (the plan expected to create it)."
    if action in MONITORING_ACTIONS:
        keys = [k for k in sorted(expected) if not covers(expected[k], found.get(k))]
    else:
        keys = [k for k in sorted(set(expected) | set(found)) if expected.get(k) != found.get(k)]
    changes = [_change(key, expected.get(key), found.get(key)) for key in keys]
    return f"{what} changed since the plan: {'; '.join(changes)}."


def _what(action: Action, target: str) -> str:
    monitoring = {
        Action.PUT_METRIC_FILTER: "Metric filter",
        Action.PUT_METRIC_ALARM: "Alarm",
        Action.ENABLE_ALARM_ACTIONS: "Alarm",
        Action.CREATE_TOPIC: "SNS topic",
        Action.SUBSCRIBE: "The subscription to SNS topic",
    }
    if action in monitoring:
        return f"{monitoring[action]} {target}"
    if action in (Action.CREATE_LOG_GROUP, Action.PUT_RETENTION_POLICY):
        return f"Log group {target}"
    if action in (Action.UPDATE_TRAIL, Action.START_LOGGING):
        return f"Trail {target}"
    return f"Role {target}"


def _change(key: str, expected: Any, found: Any) -> str:
    if isinstance(expected, dict) and isinstance(found, dict):  # policy documents
        return f"{key} is not the document the plan saw"
    if isinstance(expected, list) or isinstance(found, list):
        return f"{key} is not what the plan saw"
    return f"{key} is now {_show(found)} (the plan saw {_show(expected)})"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a policy document"
    return "unset" if value is None else repr(value)
