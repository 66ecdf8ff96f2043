"""The steps of the monitoring fix (TW101–TW115): names, targets, before/after, permissions.

The keys of ``before``/``after`` are those of the monitoring fix contract (see :mod:`.plan`).
Every step is in the log group's region: an alarm must be in the region of the metric its
filter publishes, and CloudWatch alarms notify SNS topics of their own region.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from trailwarden.checks.monitoring import filter_verdict
from trailwarden.inventory import Alarm, MetricFilter, MetricTransformation
from trailwarden.monitoring import EventClass, corpus
from trailwarden.remediate.model import PERMISSIONS, Action, Step
from trailwarden.remediate.policies import TAGS

__all__ = [
    "MONITORING_ORDER",
    "TOPIC_NAME",
    "alarm_arn",
    "alarm_name",
    "alarm_state",
    "catches_all",
    "filter_name",
    "filter_state",
    "meant_for",
    "serving",
    "topic_arn",
]

TOPIC_NAME = "trailwarden-cis-alarms"
# The contract's order: the topic before the alarms that notify it, filters before alarms.
MONITORING_ORDER = {
    a: i
    for i, a in enumerate(
        (
            Action.CREATE_TOPIC,
            Action.SUBSCRIBE,
            Action.PUT_METRIC_FILTER,
            Action.PUT_METRIC_ALARM,
            Action.ENABLE_ALARM_ACTIONS,
        )
    )
}


def filter_name(cls: EventClass) -> str:
    return f"trailwarden-cis-{cls.id.lower()}"


def alarm_name(cls: EventClass) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", cls.title.lower()).strip("-")
    return f"trailwarden-cis-{cls.id.lower()}-{slug}"


def topic_arn(partition: str, region: str, account: str, name: str = TOPIC_NAME) -> str:
    return f"arn:{partition}:sns:{region}:{account}:{name}"


def alarm_arn(partition: str, region: str, account: str, name: str) -> str:
    return f"arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}"


def filter_state(f: MetricFilter) -> dict[str, Any]:
    """A filter as ``before`` records it."""
    return {
        "filter_pattern": f.pattern,
        "metric_transformations": [_transformation(t) for t in f.transformations],
    }


def alarm_state(a: Alarm) -> dict[str, Any]:
    """The settings of an alarm that PutMetricAlarm replaces, as ``before`` records them."""
    return {
        "alarm_name": a.name,
        "metric_name": a.metric_name,
        "namespace": a.namespace,
        "statistic": a.statistic,
        "period": a.period,
        "evaluation_periods": a.evaluation_periods,
        "threshold": a.threshold,
        "comparison_operator": a.comparison_operator,
        "actions_enabled": a.actions_enabled,
        "alarm_actions": list(a.alarm_actions),
        "dimensions": [dict(d) for d in a.dimensions],
        "metrics": [dict(m) for m in a.metrics],
    }


def _transformation(t: MetricTransformation) -> dict[str, Any]:
    return {
        "metric_name": t.metric_name,
        "metric_namespace": t.metric_namespace,
        "metric_value": t.metric_value,
        "default_value": t.default_value,
    }


def new_filter(cls: EventClass, group_key: str, region: str) -> MetricFilter:
    """The filter trailwarden puts for ``cls``: the corrected CIS pattern, its metric."""
    transformation = MetricTransformation(cls.metric_name, cls.namespace, "1")
    return MetricFilter(group_key, region, filter_name(cls), cls.pattern, (transformation,))


def filter_after(f: MetricFilter, group_name: str) -> dict[str, Any]:
    return {
        "log_group_name": group_name,
        "filter_name": f.name,
        "filter_pattern": f.pattern,
        "metric_transformations": [_transformation(t) for t in f.transformations],
    }


def alarm_after(
    name: str, description: str, metric: MetricTransformation, topic: str
) -> dict[str, Any]:
    return {
        "alarm_name": name,
        "alarm_description": description,
        "metric_name": metric.metric_name,
        "namespace": metric.metric_namespace,
        "statistic": "Sum",
        "period": 300,
        "evaluation_periods": 1,
        "threshold": 1.0,
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "treat_missing_data": "notBreaching",
        "actions_enabled": True,
        "alarm_actions": [topic],
        "tags": dict(TAGS),
    }


def new_alarm(arn: str, region: str, after: dict[str, Any]) -> Alarm:
    """The alarm a PUT_METRIC_ALARM step leaves, as the inventory would describe it."""
    return Alarm(
        arn=arn,
        name=after["alarm_name"],
        region=region,
        metric_name=after["metric_name"],
        namespace=after["namespace"],
        actions_enabled=True,
        alarm_actions=tuple(after["alarm_actions"]),
        statistic="Sum",
        comparison_operator=after["comparison_operator"],
        threshold=after["threshold"],
        period=after["period"],
        evaluation_periods=after["evaluation_periods"],
    )


def monitoring_step(
    action: Action,
    target: str,
    region: str,
    account: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    fixes: tuple[str, ...],
    trail_arn: str,
    reason: str,
) -> Step:
    return Step(
        id="",
        action=action,
        target=target,
        region=region,
        account_id=account,
        before=before,
        after=after,
        permissions=PERMISSIONS[action],
        fixes=tuple(sorted(set(fixes))),
        trail_arn=trail_arn,
        reason=reason,
    )


def serving(step: Step, cls: EventClass) -> Step:
    return replace(step, fixes=tuple(sorted({*step.fixes, cls.id})))


def catches_all(f: MetricFilter, cls: EventClass) -> bool:
    try:
        return not filter_verdict(f.pattern, cls.id)[0]
    except ValueError:
        return False


def meant_for(f: MetricFilter, cls: EventClass) -> bool:
    """Whether a filter that misses some events looks written for the class: it names one of
    its events, or catches at least half of them (as the check's message judges it)."""
    try:
        missed = len(filter_verdict(f.pattern, cls.id)[0])
    except ValueError:
        return False
    total = len(corpus(cls.id).positives)
    return any(n in f.pattern for n in cls.event_names) or 2 * (total - missed) >= total
