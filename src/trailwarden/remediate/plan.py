"""Planning: findings + inventory → :class:`~trailwarden.remediate.model.Plan` (pure).

``before`` / ``after`` of each step, by action (keys are snake_case, values JSON)::

    CREATE_LOG_GROUP           None → {log_group_name, kms_key_id, tags}
    PUT_RETENTION_POLICY       {retention_in_days} → {log_group_name, retention_in_days}
    CREATE_ROLE                None → {role_name, path, assume_role_policy, description, tags}
    PUT_ROLE_POLICY            {policy_name, policy_document|None} → {role_name, policy_name,
                               policy_document}
    UPDATE_ASSUME_ROLE_POLICY  {role_name, assume_role_policy} → same keys
    UPDATE_TRAIL               {cloud_watch_logs_log_group_arn, cloud_watch_logs_role_arn} →
                               same keys (log group ARN with CloudTrail's ``:*`` suffix)
    START_LOGGING              {is_logging: false} → {is_logging: true}
    PUT_METRIC_FILTER          None|{filter_pattern, metric_transformations} →
                               {log_group_name, filter_name, filter_pattern,
                               metric_transformations: [{metric_name, metric_namespace,
                               metric_value, default_value}]}
    CREATE_TOPIC               None → {name, tags}
    SUBSCRIBE                  None → {protocol: "email", endpoint}
    PUT_METRIC_ALARM           None|{the alarm's settings} → {alarm_name, alarm_description,
                               metric_name, namespace, statistic, period, evaluation_periods,
                               threshold, comparison_operator, treat_missing_data,
                               actions_enabled, alarm_actions, tags}
    ENABLE_ALARM_ACTIONS       {actions_enabled: false} → {actions_enabled: true}

Targets are ARNs: the log group key (no ``:*``), the role, the trail; a metric filter's is
``<log group key>:metric-filter:<name>``, a topic's and an alarm's their ARNs. What is
planned for each check is in :mod:`.integration` (TW001–TW003), :mod:`.planner`
(TW004–TW007) and :mod:`.monitoring_plan` (TW101–TW115).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trailwarden.arns import LogGroupRef, parse_arn
from trailwarden.errors import UsageError
from trailwarden.findings import Finding
from trailwarden.inventory import Inventory, Trail
from trailwarden.remediate.model import Plan
from trailwarden.remediate.planner import Planner
from trailwarden.remediate.policies import (
    RETENTION_DAYS,
    default_log_group_name,
    log_group_name_problem,
    role_name,
)

__all__ = ["FixOptions", "Wanted", "desired_names", "make_plan", "wanted_resources"]


@dataclass(frozen=True)
class FixOptions:
    """What ``trailwarden fix`` may change; invalid values raise :class:`UsageError`."""

    log_group_name: str | None = None  # for the one trail that needs a log group
    retention_days: int = 365
    kms_key_id: str | None = None  # a KMS key ARN, for log groups trailwarden creates
    trails: frozenset[str] | None = None  # names or ARNs; None: every trail
    checks: frozenset[str] | None = None  # check ids; None: every check
    alarm_topic_arn: str | None = None  # SNS topic for the TW101–TW115 alarms, to reuse
    alarm_email: str | None = None  # address to subscribe to that topic

    def __post_init__(self) -> None:
        _check_alarm_options(self.alarm_topic_arn, self.alarm_email)
        if self.retention_days not in RETENTION_DAYS:
            raise UsageError(
                f"--retention-days must be one of the values CloudWatch Logs accepts "
                f"({', '.join(map(str, RETENTION_DAYS))}), not {self.retention_days}."
            )
        if self.log_group_name is not None and (
            problem := log_group_name_problem(self.log_group_name)
        ):
            raise UsageError(f"--log-group-name: {problem}.")
        key = parse_arn(self.kms_key_id) if self.kms_key_id is not None else None
        if self.kms_key_id is not None and (
            key is None or key.service != "kms" or not key.resource.startswith("key/")
        ):
            # CreateLogGroup takes the key's ARN, not its id or an alias.
            # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
            raise UsageError(
                f"--kms-key-id must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), "
                f"not {self.kms_key_id!r}."
            )
        if self.checks is not None:
            from trailwarden.checks import get_check

            object.__setattr__(self, "checks", frozenset(get_check(c).id for c in self.checks))


def _check_alarm_options(topic: str | None, email: str | None) -> None:
    arn = parse_arn(topic) if topic is not None else None
    if topic is not None and (
        arn is None
        or arn.service != "sns"
        or not (arn.region and arn.account_id.isdigit() and len(arn.account_id) == 12)
        or not _TOPIC_NAME.fullmatch(arn.resource)
    ):
        # https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (topic names)
        raise UsageError(
            f"--alarm-topic-arn must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), "
            f"not {topic!r}."
        )
    if email is not None and not _EMAIL.fullmatch(email):
        raise UsageError(
            f"--alarm-email must be an email address (name@example.com), not {email!r}."
        )


_TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}(\.fifo)?")
_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;.]+(\.[^@\s,;.]+)+")


@dataclass(frozen=True)
class Wanted:
    """Resources the plan would create or reuse that the inventory does not describe yet:
    look them up (a record with ``exists=False`` when absent) and plan again."""

    log_groups: tuple[LogGroupRef, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()  # (role ARN, role name)
    topics: tuple[str, ...] = ()  # SNS topic ARNs the monitoring fix would create or reuse

    @property
    def is_empty(self) -> bool:
        return not (self.log_groups or self.roles or self.topics)


def desired_names(trail: Trail, options: FixOptions) -> tuple[str, str]:
    """(log group name, role name) trailwarden would create for ``trail``; the role gets
    ``-2`` instead when that name is taken by a role it must not change."""
    return options.log_group_name or default_log_group_name(trail), role_name(trail)


def wanted_resources(
    inventory: Inventory, findings: Sequence[Finding], options: FixOptions
) -> Wanted:
    """What to look up before :func:`make_plan`; one round of lookups is enough."""
    planner = _planner(inventory, findings, options)
    planner.run()
    return Wanted(
        tuple(planner.missing_groups.values()),
        tuple(planner.missing_roles.items()),
        tuple(planner.missing_topics),
    )


def make_plan(inventory: Inventory, findings: Sequence[Finding], options: FixOptions) -> Plan:
    """The plan that makes the failing findings pass; the same inputs give the same plan.

    A resource the plan needs but the inventory does not describe is taken not to exist
    (see :func:`wanted_resources`).
    """
    return _planner(inventory, findings, options).run()


def _planner(inventory: Inventory, findings: Sequence[Finding], options: FixOptions) -> Planner:
    if options.trails is not None:
        known = {t.name for t in inventory.trails} | {t.arn for t in inventory.trails}
        if unknown := sorted(options.trails - known):
            names = ", ".join(sorted({t.name for t in inventory.trails})) or "none"
            raise UsageError(
                f"No trail {', '.join(unknown)} in account {inventory.account_id} "
                f"(its trails: {names})."
            )
    return Planner(inventory, findings, options)
