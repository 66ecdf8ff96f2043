"""Factories for the monitoring facts (TW101–TW115): filters, alarms, topics.

``monitored()`` is the default inventory of :mod:`factories` with, for every CIS class, the
corrected CIS filter on the trail's log group, an alarm on its metric and a topic with one
confirmed subscription; keyword arguments change one link.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from factories import ACCOUNT, REGION, log_group_arn, make_inventory
from trailwarden.inventory import (
    Alarm,
    ApiError,
    Inventory,
    LogGroupFilters,
    MetricFilter,
    MetricTransformation,
    RegionAlarms,
    Topic,
)
from trailwarden.monitoring import CLASSES, CLASSES_BY_ID

TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:cis-monitoring-alarms"
GROUP_KEY = log_group_arn().removesuffix(":*")


def make_filter(class_id: str, pattern: str | None = None, namespace: str | None = None):
    cls = CLASSES_BY_ID[class_id]
    return MetricFilter(
        log_group_key=GROUP_KEY,
        region=REGION,
        name=cls.metric_name,
        pattern=cls.pattern if pattern is None else pattern,
        transformations=(MetricTransformation(cls.metric_name, namespace or cls.namespace, "1"),),
    )


def make_alarm(class_id: str, **changes: Any) -> Alarm:
    cls = CLASSES_BY_ID[class_id]
    name = cls.metric_name.removesuffix("_metric") + "_alarm"
    alarm = Alarm(
        arn=f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}",
        name=name,
        region=REGION,
        metric_name=cls.metric_name,
        namespace=cls.namespace,
        actions_enabled=True,
        alarm_actions=(TOPIC_ARN,),
        statistic="Sum",
        comparison_operator="GreaterThanOrEqualToThreshold",
        threshold=1.0,
        period=300,
        evaluation_periods=1,
    )
    return replace(alarm, **changes)


def make_topic(**changes: Any) -> Topic:
    return replace(
        Topic(TOPIC_ARN, REGION, confirmed_subscriptions=1, protocols=("email",)), **changes
    )


def monitored(
    *,
    patterns: dict[str, str] | None = None,
    alarms: dict[str, Alarm | None] | None = None,
    topic: Topic | None = None,
    filters_error: ApiError | None = None,
    alarms_error: ApiError | None = None,
    base: Inventory | None = None,
) -> Inventory:
    """Every class monitored as CIS asks; ``patterns``/``alarms`` replace one class's link
    (an alarm of None removes it)."""
    patterns, alarms = patterns or {}, alarms or {}
    filters = tuple(make_filter(c.id, patterns.get(c.id)) for c in CLASSES)
    made = {c.id: alarms.get(c.id, make_alarm(c.id)) for c in CLASSES}
    return replace(
        base or make_inventory(),
        metric_filters=(LogGroupFilters(GROUP_KEY, REGION, filters, filters_error),),
        alarms=(RegionAlarms(REGION, tuple(a for a in made.values() if a), alarms_error),),
        topics=(topic or make_topic(),),
    )
