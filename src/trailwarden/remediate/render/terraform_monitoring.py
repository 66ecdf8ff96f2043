"""Terraform for the monitoring fix (TW101–TW115): topics, subscriptions, filters, alarms.

Part of :mod:`.terraform`, which calls :func:`monitoring_blocks`. A filter or alarm
that exists already (trailwarden's own, replaced; a user's alarm whose actions are enabled)
is adopted with an ``import`` block, as the other existing resources are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from trailwarden.inventory import Alarm, Inventory
from trailwarden.remediate.changes.support.iac import MonitoringSpec, Resources
from trailwarden.remediate.render.hcl import Expr, block, hcl_string, import_block, lifecycle

__all__ = ["monitoring_blocks"]

# aws_cloudwatch_metric_alarm arguments left as they are when only its actions are enabled.
_ALARM_KEPT = [
    "alarm_actions",
    "alarm_description",
    "comparison_operator",
    "datapoints_to_alarm",
    "dimensions",
    "evaluate_low_sample_count_percentiles",
    "evaluation_periods",
    "extended_statistic",
    "insufficient_data_actions",
    "metric_name",
    "metric_query",
    "namespace",
    "ok_actions",
    "period",
    "statistic",
    "tags",
    "threshold",
    "threshold_metric_id",
    "treat_missing_data",
    "unit",
]
_KINDS = {"topic": 0, "filter": 1, "alarm": 2}


def monitoring_blocks(
    resources: Resources,
    providers: Mapping[str, str],
    new_id: Callable[[str], str],
    inventory: Inventory,
) -> list[str]:
    out: list[str] = []
    topics: dict[str, Any] = {}  # topic ARN → HCL expression of its ARN
    specs = sorted(resources.monitoring.values(), key=lambda s: _KINDS[s.kind])
    for spec in specs:
        provider = Expr(f"aws.{providers[spec.region]}")
        if spec.kind == "topic":
            out += _topic(spec, provider, new_id, topics)
        elif spec.kind == "filter":
            out.append(_filter(spec, provider, new_id))
        else:
            out.append(_alarm(spec, provider, new_id, topics, inventory))
    return out


def _topic(
    spec: MonitoringSpec,
    provider: Any,
    new_id: Callable[[str], str],
    topics: dict[str, Any],
) -> list[str]:
    out, name = [], spec.target.rsplit(":", 1)[-1]
    topic_steps = [s for s in spec.steps if "endpoint" not in s.after]
    if spec.created:
        tid = new_id(f"topic_{name}")
        topics[spec.target] = Expr(f"aws_sns_topic.{tid}.arn")
        attrs = {"provider": provider, "name": name, "tags": {"created-by": "trailwarden"}}
        out.append(block(f'resource "aws_sns_topic" "{tid}"', attrs, topic_steps))
    for email in spec.emails:
        sid = new_id(f"subscription_{name}_{email}")
        steps = [s for s in spec.steps if s.after.get("endpoint") == email]
        attrs = {
            "provider": provider,
            "topic_arn": topics.get(spec.target, spec.target),
            "protocol": "email",
            "endpoint": email,
        }
        out.append(block(f'resource "aws_sns_topic_subscription" "{sid}"', attrs, steps))
    return out


def _filter(spec: MonitoringSpec, provider: Any, new_id: Callable[[str], str]) -> str:
    s = spec.settings
    fid = new_id(f"metric_filter_{s['filter_name']}")
    attrs = {
        "provider": provider,
        "name": s["filter_name"],
        "log_group_name": s["log_group_name"],
        "pattern": s["filter_pattern"],
    }
    extra = "".join(
        "  metric_transformation {\n"
        f"    name      = {hcl_string(t['metric_name'])}\n"
        f"    namespace = {hcl_string(t['metric_namespace'])}\n"
        f"    value     = {hcl_string(t['metric_value'])}\n"
        "  }\n"
        for t in s["metric_transformations"]
    )
    text = block(f'resource "aws_cloudwatch_log_metric_filter" "{fid}"', attrs, spec.steps, extra)
    if spec.created:
        return text
    import_id = f"{s['log_group_name']}:{s['filter_name']}"
    return import_block(f"aws_cloudwatch_log_metric_filter.{fid}", provider, import_id) + text


def _alarm(
    spec: MonitoringSpec,
    provider: Any,
    new_id: Callable[[str], str],
    topics: dict[str, Any],
    inventory: Inventory,
) -> str:
    name = spec.target.split(":alarm:", 1)[-1]
    aid = new_id(f"alarm_{name}")
    address, head = (
        f"aws_cloudwatch_metric_alarm.{aid}",
        f'resource "aws_cloudwatch_metric_alarm" "{aid}"',
    )
    if spec.enable_only:
        known = _known_alarm(inventory, spec.target)
        attrs: dict[str, Any] = {
            "provider": provider,
            "alarm_name": name,
            # Required arguments; ignore_changes keeps whatever the alarm has.
            "comparison_operator": (known and known.comparison_operator)
            or "GreaterThanOrEqualToThreshold",
            "evaluation_periods": (known and known.evaluation_periods) or 1,
            "actions_enabled": True,
        }
        protect = lifecycle(_ALARM_KEPT)
        return import_block(address, provider, name) + block(head, attrs, spec.steps, protect)
    s = spec.settings
    attrs = {"provider": provider}
    attrs |= {k: s[k] for k in ("alarm_name", "alarm_description", "metric_name", "namespace")}
    attrs |= {k: s[k] for k in ("statistic", "period", "evaluation_periods", "threshold")}
    attrs |= {k: s[k] for k in ("comparison_operator", "treat_missing_data", "actions_enabled")}
    attrs["alarm_actions"] = [topics.get(t, t) for t in s["alarm_actions"]]
    attrs["tags"] = s.get("tags") or None
    text = block(head, attrs, spec.steps)
    return text if spec.created else import_block(address, provider, name) + text


def _known_alarm(inventory: Inventory, arn: str) -> Alarm | None:
    return next((a for region in inventory.alarms for a in region.alarms if a.arn == arn), None)
