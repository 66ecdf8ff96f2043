"""logs:PutMetricFilter: trailwarden's metric filter for one CIS class (TW101–TW115).

``before`` None, or {filter_pattern, metric_transformations} of trailwarden's filter of
that name → ``after`` {log_group_name, filter_name, filter_pattern,
metric_transformations: [{metric_name, metric_namespace, metric_value, default_value}]}.
The target is ``<log group key>:metric-filter:<name>``, in the log group's region. A
user's filter is never rewritten: trailwarden adds its own next to it. Undone by deleting
the filter, or by putting the prior one back whole.
"""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.arns import LogGroupRef, parse_log_group_arn
from trailwarden.collect.calls import AwsCallError
from trailwarden.inventory import ApiError, JsonDict, MetricFilter, MetricTransformation
from trailwarden.remediate.changes.base import AttributeChange, ReadWhole, State
from trailwarden.remediate.changes.outcome import Call
from trailwarden.remediate.changes.support.reads import absent_or_error
from trailwarden.remediate.changes.support.shapes import has_keys, is_text
from trailwarden.remediate.changes.support.targets import filter_ref
from trailwarden.remediate.model import Action, Step

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["OWN_PREFIX", "PutMetricFilter"]

OWN_PREFIX = "trailwarden-cis-"  # the names of the filters and alarms trailwarden puts
_BEFORE = ("filter_pattern", "metric_transformations")
_AFTER = ("log_group_name", "filter_name", *_BEFORE)
_TRANSFORMATION = ("metric_name", "metric_namespace", "metric_value")


class PutMetricFilter(ReadWhole, AttributeChange):
    action = Action.PUT_METRIC_FILTER
    permissions = ("logs:PutMetricFilter",)
    reads = ("logs:DescribeMetricFilters",)
    undo_permissions = ("logs:PutMetricFilter", "logs:DeleteMetricFilter")
    subject = "Metric filter"
    deleted_when_new = True

    @classmethod
    def build(
        cls,
        group: LogGroupRef,
        new: MetricFilter,
        old: MetricFilter | None,
        trail_arn: str,
        fixes: tuple[str, ...],
        reason: str,
    ) -> Step:
        """Put ``new`` on ``group``, where ``old`` is the filter of that name, if any."""
        before = None
        if old is not None:
            before = {
                "filter_pattern": old.pattern,
                "metric_transformations": [_transformation(t) for t in old.transformations],
            }
        after = {
            "log_group_name": group.name,
            "filter_name": new.name,
            "filter_pattern": new.pattern,
            "metric_transformations": [_transformation(t) for t in new.transformations],
        }
        target = f"{group.key}:metric-filter:{new.name}"
        return cls.make_step(
            target,
            before,
            after,
            region=group.region,
            account_id=group.account_id,
            trail_arn=trail_arn,
            fixes=fixes,
            reason=reason,
        )

    def describe(self, step: Step) -> tuple[str, list[str]]:
        before, after = step.before or {}, step.after
        pattern = "(does not exist)" if step.before is None else before.get("filter_pattern")
        where = f"log group {after.get('log_group_name')} in {step.region}"
        metrics = ", ".join(
            f"{t.get('metric_namespace')}/{t.get('metric_name')} = {t.get('metric_value')}"
            for t in after.get("metric_transformations", [])
        )
        return f"put metric filter {after.get('filter_name')} on {where}", [
            f"pattern: {pattern} → {after.get('filter_pattern')}",
            f"publishes: {metrics}",
        ]

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        transformations = ",".join(
            f"metricName={t['metric_name']},metricNamespace={t['metric_namespace']},"
            f"metricValue={t['metric_value']}"
            for t in a["metric_transformations"]
        )
        return [
            *("aws", "logs", "put-metric-filter", "--log-group-name", q(a["log_group_name"])),
            *("--filter-name", q(a["filter_name"])),
            *("--filter-pattern", q(a["filter_pattern"])),
            *("--metric-transformations", q(transformations)),
            *("--region", q(step.region)),
        ]

    def problem(self, step: Step) -> str | None:
        key, sep, name = step.target.partition(":metric-filter:")
        group = parse_log_group_arn(key)
        after, before = step.after, step.before
        if group is None or group.key != key or not sep:
            return "its target is not a metric filter of a log group"
        if not name.startswith(OWN_PREFIX):
            # trailwarden puts only filters of its own name: a user's is never rewritten.
            return f"it puts a filter not named {OWN_PREFIX}…"
        if not has_keys(after, _AFTER) or not _filter_state_ok(after):
            return "its after is not a metric filter"
        if (after["log_group_name"], after["filter_name"]) != (group.name, name):
            return "its after names another filter than its target"
        if before is not None and not (
            has_keys(before, _BEFORE, _AFTER) and _filter_state_ok(before)
        ):
            return "its before is not a metric filter"
        return None

    def relies_on(self, target: str, after: JsonDict) -> frozenset[str]:
        return frozenset({filter_ref(target)[0].key})

    def iac(self, resources: Resources, step: Step) -> None:
        spec = resources.for_monitoring("filter", step)
        spec.settings, spec.enable_only = dict(step.after), False
        spec.created = spec.created or step.before is None

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        """The filter whole (a transformation's unit and dimensions too): putting a user's
        filter back needs all of it."""
        try:
            return _read_filter(factory, target, region)
        except AwsCallError as exc:
            return absent_or_error(exc, "logs:DescribeMetricFilters", region)

    def after_state(self, after: JsonDict) -> State:
        return dict(after)

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        return _put_filter(factory, target, region, after)

    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        return _put_filter(factory, target, region, before)

    def remove(self, factory: ClientFactory, target: str, region: str) -> Call:
        group, name = filter_ref(target)
        logs = factory.client("logs", region)
        run = partial(logs.delete_metric_filter, logGroupName=group.name, filterName=name)
        return Call("logs:DeleteMetricFilter", run, region)


def _filter_state_ok(state: JsonDict) -> bool:
    """What putting the filter back reads is there, of its types and sizes (AWS's limits:
    https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html)."""
    transformations = state["metric_transformations"]
    return (
        isinstance(state["filter_pattern"], str)
        and len(state["filter_pattern"]) <= 1024
        and isinstance(transformations, list)
        and len(transformations) == 1
        and has_keys(transformations[0], _TRANSFORMATION, ("default_value", "unit", "dimensions"))
        and all(is_text(transformations[0][k], 255) for k in _TRANSFORMATION)
    )


def _transformation(t: MetricTransformation) -> dict[str, Any]:
    return {
        "metric_name": t.metric_name,
        "metric_namespace": t.metric_namespace,
        "metric_value": t.metric_value,
        "default_value": t.default_value,
    }


def _put_filter(factory: ClientFactory, target: str, region: str, state: JsonDict) -> Call:
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
    return Call("logs:PutMetricFilter", run, region)


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
