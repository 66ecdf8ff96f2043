"""Monitoring step targets (TW101–TW115): their names, and how their states compare.

Targets, per the contract: a metric filter is ``<log group key>:metric-filter:<name>``, a
topic (and a subscription to it) the topic ARN, an alarm the alarm ARN.
"""

from __future__ import annotations

from typing import Any

from trailwarden.arns import LogGroupRef, parse_log_group_arn
from trailwarden.errors import UsageError
from trailwarden.remediate.model import Action

__all__ = [
    "ALARM_FIELDS",
    "ALARM_LISTS",
    "MONITORING_ACTIONS",
    "alarm_name",
    "covers",
    "filter_ref",
]

MONITORING_ACTIONS = frozenset(
    {
        Action.PUT_METRIC_FILTER,
        Action.CREATE_TOPIC,
        Action.SUBSCRIBE,
        Action.PUT_METRIC_ALARM,
        Action.ENABLE_ALARM_ACTIONS,
    }
)

# State key → DescribeAlarms / PutMetricAlarm field: every setting PutMetricAlarm takes
# (tags aside: PutMetricAlarm ignores them when it updates an alarm).
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
ALARM_FIELDS = {
    "alarm_name": "AlarmName",
    "alarm_description": "AlarmDescription",
    "actions_enabled": "ActionsEnabled",
    "ok_actions": "OKActions",
    "alarm_actions": "AlarmActions",
    "insufficient_data_actions": "InsufficientDataActions",
    "metric_name": "MetricName",
    "namespace": "Namespace",
    "statistic": "Statistic",
    "extended_statistic": "ExtendedStatistic",
    "dimensions": "Dimensions",
    "period": "Period",
    "unit": "Unit",
    "evaluation_periods": "EvaluationPeriods",
    "datapoints_to_alarm": "DatapointsToAlarm",
    "threshold": "Threshold",
    "comparison_operator": "ComparisonOperator",
    "treat_missing_data": "TreatMissingData",
    "evaluate_low_sample_count_percentile": "EvaluateLowSampleCountPercentile",
    "metrics": "Metrics",
    "threshold_metric_id": "ThresholdMetricId",
}
ALARM_LISTS = ("ok_actions", "alarm_actions", "insufficient_data_actions", "dimensions", "metrics")


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


def covers(expected: Any, found: Any) -> bool:
    """Whether ``found`` has every value ``expected`` names (dicts: the keys of
    ``expected``, recursively; lists: element by element; else equality)."""
    if isinstance(expected, dict):
        return isinstance(found, dict) and all(covers(v, found.get(k)) for k, v in expected.items())
    if isinstance(expected, list | tuple):
        return (
            isinstance(found, list | tuple)
            and len(found) == len(expected)
            and all(covers(e, f) for e, f in zip(expected, found, strict=True))
        )
    return bool(expected == found)
