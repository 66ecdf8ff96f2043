"""What the monitoring plan (TW101–TW115) names and judges: trailwarden's filter, alarm and
topic names; whether a filter catches a class; the planned filters and alarms as the
inventory would describe them (for the working copy the chain is followed on).

Every monitoring step is in the log group's region: an alarm must be in the region of the
metric its filter publishes, and CloudWatch alarms notify SNS topics of their own region.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from trailwarden.checks.monitoring import filter_verdict
from trailwarden.inventory import Alarm, MetricFilter, MetricTransformation
from trailwarden.monitoring import EventClass, corpus
from trailwarden.remediate.model import Action, Step

__all__ = [
    "MONITORING_ORDER",
    "TOPIC_NAME",
    "alarm_arn",
    "alarm_name",
    "catches_all",
    "filter_name",
    "meant_for",
    "new_alarm",
    "new_filter",
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


def new_filter(cls: EventClass, group_key: str, region: str, exact: bool = False) -> MetricFilter:
    """The filter trailwarden puts for ``cls``: the corrected CIS pattern (or, ``exact``,
    the CIS text Security Hub compares: see :func:`exact_text_problems`), its metric."""
    from trailwarden.checks.security_hub_text import cis_exact_pattern

    pattern = (cis_exact_pattern(cls.id) if exact else None) or cls.pattern
    transformation = MetricTransformation(cls.metric_name, cls.namespace, "1")
    return MetricFilter(group_key, region, filter_name(cls), pattern, (transformation,))


def exact_text_problems(classes: list[EventClass]) -> list[str]:
    """Why ``--filter-text cis-exact`` cannot serve some of ``classes``: no Security Hub
    control (no text to match), or a CIS text that misses events of the class (judged by
    the same engine as the checks)."""
    from trailwarden.checks.security_hub_text import cis_exact_pattern

    out = []
    for cls in classes:
        text = cis_exact_pattern(cls.id)
        if text is None:
            out.append(f"{cls.id} (no Security Hub control)")
        elif missed := filter_verdict(text, cls.id)[0]:
            out.append(f"{cls.id} (CIS's text misses {missed[0].record.get('eventName')})")
    return out


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
