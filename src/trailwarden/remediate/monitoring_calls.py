"""The calls of the monitoring steps (TW101–TW115) and of their undo, all in the step's
region: the filter's log group's, the topic's, the alarm's."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.inventory import JsonDict
from trailwarden.remediate.model import Action
from trailwarden.remediate.monitoring_targets import ALARM_FIELDS, alarm_name, filter_ref
from trailwarden.remediate.policies import TAGS

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["CallParts", "forward", "put_back", "recorded", "remove"]

CallParts = tuple[str, Callable[[], Any]]  # (API action, run)


def forward(
    factory: ClientFactory, action: Action, target: str, region: str, after: JsonDict
) -> CallParts:
    """The call that makes a monitoring step's change."""
    # Tagged so that rollback can tell what trailwarden created from a namesake.
    tags = [{"Key": k, "Value": v} for k, v in sorted({**after.get("tags", {}), **TAGS}.items())]
    match action:
        case Action.PUT_METRIC_FILTER:
            return _put_filter(factory, target, region, after)
        case Action.PUT_METRIC_ALARM:
            return _put_alarm(factory, target, region, after, tags)
        case Action.ENABLE_ALARM_ACTIONS:
            cloudwatch = factory.client("cloudwatch", region)
            names = [alarm_name(target)]
            return action.value, partial(cloudwatch.enable_alarm_actions, AlarmNames=names)
        case Action.CREATE_TOPIC:
            sns: Any = factory.client("sns", region)
            return action.value, partial(sns.create_topic, Name=after["name"], Tags=tags)
        case Action.SUBSCRIBE:
            sns = factory.client("sns", region)
            # With ReturnSubscriptionArn SNS answers the ARN even while the subscription
            # waits for confirmation (else "pending confirmation"); the journal keeps it.
            # https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
            run = partial(
                sns.subscribe,
                TopicArn=target,
                Protocol=after["protocol"],
                Endpoint=after["endpoint"],
                ReturnSubscriptionArn=True,
            )
            return action.value, run
    raise ValueError(f"{action.value} is not a monitoring action")


def put_back(
    factory: ClientFactory, action: Action, target: str, region: str, before: JsonDict
) -> CallParts:
    """The call that restores a monitoring target's prior value (``before``)."""
    match action:
        case Action.PUT_METRIC_FILTER:
            return _put_filter(factory, target, region, before)
        case Action.PUT_METRIC_ALARM:
            return _put_alarm(factory, target, region, before, None)
        case Action.ENABLE_ALARM_ACTIONS:
            cloudwatch = factory.client("cloudwatch", region)
            names = [alarm_name(target)]
            run = partial(cloudwatch.disable_alarm_actions, AlarmNames=names)
            return "cloudwatch:DisableAlarmActions", run
    raise ValueError(f"{action.value} has no prior value to put back")


def remove(factory: ClientFactory, action: Action, target: str, region: str) -> CallParts:
    """The call that deletes a filter or alarm that did not exist before the apply."""
    if action is Action.PUT_METRIC_FILTER:
        group, name = filter_ref(target)
        logs = factory.client("logs", region)
        run = partial(logs.delete_metric_filter, logGroupName=group.name, filterName=name)
        return "logs:DeleteMetricFilter", run
    if action is Action.PUT_METRIC_ALARM:
        cloudwatch = factory.client("cloudwatch", region)
        return "cloudwatch:DeleteAlarms", partial(
            cloudwatch.delete_alarms, AlarmNames=[alarm_name(target)]
        )
    raise ValueError(f"{action.value} is not undone by a delete")


def recorded(action: Action, response: Any) -> JsonDict | None:
    """What the journal's ``done`` record keeps of a call's answer: the subscription's ARN."""
    if action is not Action.SUBSCRIBE or not isinstance(response, dict):
        return None
    arn = response.get("SubscriptionArn")
    return {"subscription_arn": arn} if isinstance(arn, str) and arn.startswith("arn:") else None


def _put_filter(factory: ClientFactory, target: str, region: str, state: JsonDict) -> CallParts:
    group, name = filter_ref(target)
    transformations = []
    for t in state["metric_transformations"]:
        param = {
            "metricName": t["metric_name"],
            "metricNamespace": t["metric_namespace"],
            "metricValue": t["metric_value"],
        }
        if t.get("default_value") is not None:
            param["defaultValue"] = t["default_value"]
        param.update({k: t[k] for k in ("unit", "dimensions") if t.get(k)})
        transformations.append(param)
    logs: Any = factory.client("logs", region)
    run = partial(
        logs.put_metric_filter,
        logGroupName=group.name,
        filterName=name,
        filterPattern=state["filter_pattern"],
        metricTransformations=transformations,
    )
    return "logs:PutMetricFilter", run


def _put_alarm(
    factory: ClientFactory,
    target: str,
    region: str,
    state: JsonDict,
    tags: list[dict[str, str]] | None,
) -> CallParts:
    # PutMetricAlarm replaces the whole alarm: what is left out goes back to its default,
    # which is what an unset (None or empty) prior value was.
    params: dict[str, Any] = {
        field: state[key]
        for key, field in ALARM_FIELDS.items()
        if state.get(key) not in (None, [], "")
    }
    params["AlarmName"] = alarm_name(target)
    params["ActionsEnabled"] = bool(state.get("actions_enabled", True))
    if tags:
        params["Tags"] = tags
    cloudwatch = factory.client("cloudwatch", region)
    return "cloudwatch:PutMetricAlarm", partial(cloudwatch.put_metric_alarm, **params)
