"""The current state of a monitoring step's target (TW101–TW115), in ``Step.before``'s shape.

The collector's reads (:mod:`trailwarden.collect.monitoring`) keep what the checks judge;
putting a user's filter or alarm back needs all of it (a transformation's unit and
dimensions, an alarm's OK actions, datapoints, description …), so the filter and the alarm
are read here whole, by name, one call each. A state holds every key AWS can return
(None when absent), so it is a superset of what the plan saw: :func:`covers` compares only
the keys the expected state names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError, api_error, error_code
from trailwarden.collect.monitoring import NOT_CONFIRMED, PENDING
from trailwarden.inventory import ApiError, JsonDict
from trailwarden.remediate.model import Action
from trailwarden.remediate.monitoring_targets import (
    ALARM_FIELDS,
    ALARM_LISTS,
    alarm_name,
    filter_ref,
)

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = [
    "NOT_CONFIRMED",
    "PENDING",
    "find_subscription",
    "list_topic_subscriptions",
    "monitoring_after_state",
    "read_monitoring",
]


def read_monitoring(
    factory: ClientFactory, action: Action, target: str, region: str, after: JsonDict
) -> JsonDict | None | ApiError:
    """What a monitoring target looks like now (None: absent)."""
    try:
        if action is Action.PUT_METRIC_FILTER:
            return _read_filter(factory, target, region)
        if action in (Action.PUT_METRIC_ALARM, Action.ENABLE_ALARM_ACTIONS):
            alarm = _read_alarm(factory, target, region)
            if alarm is None or action is Action.PUT_METRIC_ALARM:
                return alarm
            return {"actions_enabled": alarm["actions_enabled"]}
        if action is Action.CREATE_TOPIC:
            sns = factory.client("sns", region)
            sns.get_topic_attributes(TopicArn=target)
            return {"name": target.rsplit(":", 1)[1]}
    except AwsCallError as exc:
        if error_code(exc) in ("NotFound", "ResourceNotFoundException"):
            return None
        return api_error(exc, _READS[action], region)
    if action is not Action.SUBSCRIBE:
        raise ValueError(f"{action.value} is not a monitoring action")
    subs = list_topic_subscriptions(factory, target, region)
    if subs is None or isinstance(subs, ApiError):
        return subs
    sub = find_subscription(subs, after["protocol"], after["endpoint"])
    return None if sub is None else {"protocol": sub["Protocol"], "endpoint": sub["Endpoint"]}


_READS = {
    Action.PUT_METRIC_FILTER: "logs:DescribeMetricFilters",
    Action.PUT_METRIC_ALARM: "cloudwatch:DescribeAlarms",
    Action.ENABLE_ALARM_ACTIONS: "cloudwatch:DescribeAlarms",
    Action.CREATE_TOPIC: "sns:GetTopicAttributes",
    Action.SUBSCRIBE: "sns:ListSubscriptionsByTopic",
}


def monitoring_after_state(action: Action, after: JsonDict) -> JsonDict:
    """The state :func:`read_monitoring` reads once the step's call has taken effect."""
    match action:
        case Action.PUT_METRIC_FILTER:
            return dict(after)
        case Action.PUT_METRIC_ALARM:
            return {k: v for k, v in after.items() if k in ALARM_FIELDS}
        case Action.ENABLE_ALARM_ACTIONS:
            return {"actions_enabled": True}
        case Action.CREATE_TOPIC:
            return {"name": after["name"]}
        case Action.SUBSCRIBE:
            return {"protocol": after["protocol"], "endpoint": after["endpoint"]}
    raise ValueError(f"{action.value} is not a monitoring action")


def list_topic_subscriptions(
    factory: ClientFactory, topic: str, region: str
) -> list[JsonDict] | None | ApiError:
    """The topic's subscriptions as SNS lists them (None: the topic does not exist).
    https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
    """
    found: list[JsonDict] = []
    kwargs: dict[str, Any] = {"TopicArn": topic}
    try:
        sns = factory.client("sns", region)
        while True:
            page = sns.list_subscriptions_by_topic(**kwargs)
            found.extend(dict(sub) for sub in page.get("Subscriptions", []))
            if not page.get("NextToken"):
                return found
            kwargs["NextToken"] = page["NextToken"]
    except AwsCallError as exc:
        if error_code(exc) == "NotFound":
            return None
        return api_error(exc, "sns:ListSubscriptionsByTopic", region)


def find_subscription(subs: list[JsonDict], protocol: str, endpoint: str) -> JsonDict | None:
    """The subscription of ``protocol`` + ``endpoint``, confirmed or pending (not one
    being deleted)."""
    for sub in subs:
        same = sub.get("Protocol") == protocol and sub.get("Endpoint") == endpoint
        arn = sub.get("SubscriptionArn", "")
        if same and (arn == PENDING or arn not in NOT_CONFIRMED):
            return sub
    return None


def _read_filter(factory: ClientFactory, target: str, region: str) -> JsonDict | None:
    group, name = filter_ref(target)
    logs = factory.client("logs", region)
    kwargs: dict[str, Any] = {"logGroupName": group.name, "filterNamePrefix": name}
    while True:  # a prefix: other filters may share it
        page = logs.describe_metric_filters(**kwargs)
        for item in page.get("metricFilters", []):
            if (
                item.get("filterName") == name
                and item.get("logGroupName", group.name) == group.name
            ):
                return _filter_state(group.name, item)
        if not page.get("nextToken"):
            return None
        kwargs["nextToken"] = page["nextToken"]


def _filter_state(group: str, item: Any) -> JsonDict:
    transformations = []
    for t in item.get("metricTransformations", []):
        state = {
            "metric_name": t["metricName"],
            "metric_namespace": t["metricNamespace"],
            "metric_value": t["metricValue"],
            "default_value": t.get("defaultValue"),
        }
        # Only when set: a plan's ``before`` (from the inventory) does not name them.
        state.update(
            {k: t[c] for k, c in (("unit", "unit"), ("dimensions", "dimensions")) if c in t}
        )
        transformations.append(state)
    return {
        "log_group_name": group,
        "filter_name": item["filterName"],
        "filter_pattern": item.get("filterPattern", ""),
        "metric_transformations": transformations,
    }


def _read_alarm(factory: ClientFactory, target: str, region: str) -> JsonDict | None:
    cloudwatch = factory.client("cloudwatch", region)
    page = cloudwatch.describe_alarms(AlarmNames=[alarm_name(target)], AlarmTypes=["MetricAlarm"])
    alarms = page.get("MetricAlarms", [])
    if not alarms:
        return None
    item: JsonDict = dict(alarms[0])
    state: JsonDict = {key: item.get(field) for key, field in ALARM_FIELDS.items()}
    for key in ALARM_LISTS:
        state[key] = list(state[key] or [])
    # AWS's default when the alarm was created without it.
    state["actions_enabled"] = bool(item.get("ActionsEnabled", True))
    if state["threshold"] is not None:
        state["threshold"] = float(state["threshold"])
    return state
