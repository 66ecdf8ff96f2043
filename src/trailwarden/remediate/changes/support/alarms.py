"""What the two alarm changes share: an alarm's settings, read whole and put whole.

The collector's reads keep what the checks judge; putting a user's alarm back needs all
of it (OK actions, datapoints, description …), so the alarm is read here, by name.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError
from trailwarden.inventory import ApiError, JsonDict
from trailwarden.remediate.changes.outcome import Call
from trailwarden.remediate.changes.support.reads import absent_or_error
from trailwarden.remediate.changes.support.targets import alarm_name

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["ALARM_FIELDS", "ALARM_LISTS", "alarm_tags", "put_alarm", "read_alarm"]

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


def read_alarm(factory: ClientFactory, target: str, region: str) -> JsonDict | None | ApiError:
    """Every setting of the alarm (None: it does not exist)."""
    name = alarm_name(target)
    try:
        cloudwatch = factory.client("cloudwatch", region)
        page = cloudwatch.describe_alarms(AlarmNames=[name], AlarmTypes=["MetricAlarm"])
    except AwsCallError as exc:
        return absent_or_error(exc, "cloudwatch:DescribeAlarms", region)
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


def alarm_tags(
    factory: ClientFactory, target: str, region: str
) -> dict[str, str] | None | ApiError:
    """The alarm's tags (None: it does not exist).
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListTagsForResource.html
    """
    try:
        cloudwatch = factory.client("cloudwatch", region)
        found = cloudwatch.list_tags_for_resource(ResourceARN=target).get("Tags", [])
    except AwsCallError as exc:
        return absent_or_error(exc, "cloudwatch:ListTagsForResource", region)
    return {t["Key"]: t["Value"] for t in found}


def put_alarm(
    factory: ClientFactory,
    target: str,
    region: str,
    state: JsonDict,
    tags: list[dict[str, str]] | None,
) -> Call:
    """PutMetricAlarm with every setting of ``state``."""
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
    return Call("cloudwatch:PutMetricAlarm", partial(cloudwatch.put_metric_alarm, **params), region)
