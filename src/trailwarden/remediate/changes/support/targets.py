"""Step targets, parsed: a log group key, a role ARN, a metric filter, an alarm ARN.

Targets, per the remediation contract: a log group's key (its ARN without ``:*``), a
role's ARN, a trail's ARN; a metric filter is ``<log group key>:metric-filter:<name>``, a
topic (and a subscription to it) the topic ARN, an alarm the alarm ARN. A target that
does not parse means the plan or journal was edited: :class:`UsageError`.
"""

from __future__ import annotations

from trailwarden.arns import LogGroupRef, parse_log_group_arn, parse_role_arn
from trailwarden.errors import UsageError

__all__ = ["alarm_name", "filter_ref", "log_group_ref", "role_name"]


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


def filter_ref(target: str) -> tuple[LogGroupRef, str]:
    """(log group, filter name) of ``<log group key>:metric-filter:<name>``."""
    key, sep, name = target.partition(":metric-filter:")
    group = parse_log_group_arn(key)
    if group is None or not sep or not name:
        raise UsageError(f"{target!r} is not a metric filter target; the plan is malformed.")
    return group, name


def alarm_name(target: str) -> str:
    """The name in an alarm ARN ``arn:P:cloudwatch:R:A:alarm:NAME`` (names may hold ':')."""
    if ":cloudwatch:" not in target or ":alarm:" not in target:
        raise UsageError(f"{target!r} is not a CloudWatch alarm ARN; the plan is malformed.")
    return target.split(":alarm:", 1)[1]
