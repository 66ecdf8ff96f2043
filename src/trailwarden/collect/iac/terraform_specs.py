"""Terraform resources (their arguments as values, from HCL or from a plan) → the neutral specs.

Argument names and defaults are the AWS provider's (``enable_logging`` true,
``is_multi_region_trail`` false, ``retention_in_days`` 0 = never expire, ``actions_enabled``
true …); nested blocks are lists of objects in both HCL and plans. Event selectors and metric
queries are rewritten in the AWS API's shape, which the checks read.
https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from trailwarden.collect.iac.specs import (
    AlarmSpec,
    AttachmentSpec,
    Code,
    FilterSpec,
    LogGroupSpec,
    ManagedPolicySpec,
    MetricSpec,
    RolePolicySpec,
    RoleSpec,
    SubscriptionSpec,
    TopicSpec,
    TrailSpec,
    Unresolved,
    Where,
)
from trailwarden.collect.iac.values import (
    document_of,
    flag_of,
    int_of,
    number_of,
    text_of,
    texts_of,
    unresolved_in,
)

__all__ = ["TERRAFORM_TYPES", "add_resource"]

Values = Mapping[str, Any]
# (code, where, values, region, computed) — computed: the attributes only the provider knows
# (arn), as the reader could work them out.
Handler = Callable[[Code, Where, Values, str, Mapping[str, Any]], None]


def _blocks(values: Values, name: str) -> list[dict[str, Any]] | Unresolved:
    found = values.get(name)
    if isinstance(found, Unresolved):
        return found
    return [b for b in found if isinstance(b, dict)] if isinstance(found, list) else []


def _name(values: Values, computed: Mapping[str, Any], argument: str = "name") -> Any:
    return (
        text_of(values.get(argument))
        or text_of(computed.get(argument))
        or Unresolved(f"${{{argument}}}", f"the {argument} is chosen when applied")
    )


def _selectors(values: Values) -> tuple[Any, Any]:
    """event_selector / advanced_event_selector blocks, in the API's shape."""
    basic, advanced = _blocks(values, "event_selector"), _blocks(values, "advanced_event_selector")
    out_basic: Any = basic
    if not isinstance(basic, Unresolved):
        out_basic = tuple(
            {
                "ReadWriteType": s.get("read_write_type") or "All",
                "IncludeManagementEvents": s.get("include_management_events", True) is not False,
                "ExcludeManagementEventSources": s.get("exclude_management_event_sources") or [],
                "DataResources": [
                    {"Type": d.get("type"), "Values": d.get("values")}
                    for d in s.get("data_resource") or []
                    if isinstance(d, dict)
                ],
            }
            for s in basic
        )
    out_advanced: Any = advanced
    if not isinstance(advanced, Unresolved):
        out_advanced = tuple(
            {
                "Name": s.get("name"),
                "FieldSelectors": [
                    {
                        "Field": f.get("field"),
                        **{
                            key: f[arg]
                            for arg, key in _FIELD_OPERATORS.items()
                            if f.get(arg) is not None
                        },
                    }
                    for f in s.get("field_selector") or []
                    if isinstance(f, dict)
                ],
            }
            for s in advanced
        )
    for selectors in (out_basic, out_advanced):
        if not isinstance(selectors, Unresolved) and (u := unresolved_in(list(selectors))):
            return u, u
    return out_basic, out_advanced


_FIELD_OPERATORS = {
    "equals": "Equals",
    "not_equals": "NotEquals",
    "starts_with": "StartsWith",
    "not_starts_with": "NotStartsWith",
    "ends_with": "EndsWith",
    "not_ends_with": "NotEndsWith",
}


def _trail(code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]) -> None:
    basic, advanced = _selectors(v)
    code.trails.append(
        TrailSpec(
            where=where,
            name=_name(v, computed),
            region=region,
            log_group_arn=text_of(v.get("cloud_watch_logs_group_arn")),
            role_arn=text_of(v.get("cloud_watch_logs_role_arn")),
            multi_region=flag_of(v.get("is_multi_region_trail"), False),
            organization=flag_of(v.get("is_organization_trail"), False),
            logging=flag_of(v.get("enable_logging"), True),
            include_global_service_events=flag_of(v.get("include_global_service_events"), True),
            basic_selectors=basic,
            advanced_selectors=advanced,
            s3_bucket_name=text_of(v.get("s3_bucket_name")),
            kms_key_id=text_of(v.get("kms_key_id")),
        )
    )


def _log_group(
    code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]
) -> None:
    days = int_of(v.get("retention_in_days"))
    code.log_groups.append(LogGroupSpec(where, _name(v, computed), region, days))


def _role(code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]) -> None:
    inline_blocks = _blocks(v, "inline_policy")
    inline: tuple[Any, ...] = ()
    if isinstance(inline_blocks, Unresolved):
        inline = (("inline_policy", inline_blocks),)
    else:
        inline = tuple(
            (text_of(b.get("name")) or "inline_policy", document_of(b.get("policy")) or {})
            for b in inline_blocks
            if b.get("policy") is not None
        )
    code.roles.append(
        RoleSpec(
            where=where,
            name=_name(v, computed),
            region=region,
            path=str(v["path"]) if isinstance(v.get("path"), str) else "/",
            trust=document_of(v.get("assume_role_policy")),
            inline=inline,
            managed_policy_arns=texts_of(v.get("managed_policy_arns")),
            boundary_arn=text_of(v.get("permissions_boundary")),
        )
    )


def _role_policy(
    code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]
) -> None:
    roles = texts_of(v.get("role"))
    document = document_of(v.get("policy")) or {}
    code.role_policies.append(RolePolicySpec(where, roles, _name(v, computed), document))


def _policy(code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]) -> None:
    arn = text_of(computed.get("arn")) or Unresolved("${arn}", "known only after apply")
    code.managed_policies.append(ManagedPolicySpec(where, arn, document_of(v.get("policy")) or {}))


def _attachment(
    code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]
) -> None:
    roles = texts_of(v.get("roles") if "roles" in v else v.get("role", v.get("role_name")))
    arns = texts_of(v.get("policy_arns") if "policy_arns" in v else v.get("policy_arn"))
    for arn in arns if not isinstance(arns, Unresolved) else (arns,):
        code.attachments.append(AttachmentSpec(where, roles, arn))


def _metric_filter(
    code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]
) -> None:
    blocks = _blocks(v, "metric_transformation")
    metrics = (
        ()
        if isinstance(blocks, Unresolved)
        else tuple(
            MetricSpec(
                text_of(m.get("name")) or "",
                text_of(m.get("namespace")) or "",
                text_of(m.get("value")) or "",
                number_of(m.get("default_value")),
            )
            for m in blocks
        )
    )
    code.filters.append(
        FilterSpec(
            where=where,
            name=_name(v, computed),
            region=region,
            log_group_name=text_of(v.get("log_group_name")) or "",
            pattern=text_of(v.get("pattern")) or "",
            metrics=metrics,
        )
    )


def _queries(v: Values) -> tuple[dict[str, Any], ...] | Unresolved:
    blocks = _blocks(v, "metric_query")
    if isinstance(blocks, Unresolved):
        return blocks
    out = []
    for q in blocks:
        query: dict[str, Any] = {"Id": q.get("id"), "ReturnData": q.get("return_data")}
        if q.get("expression"):
            query["Expression"] = q["expression"]
        for m in q.get("metric") or []:
            metric = {"MetricName": m.get("metric_name"), "Namespace": m.get("namespace")}
            query["MetricStat"] = {
                "Metric": metric,
                "Period": m.get("period"),
                "Stat": m.get("stat"),
            }
        out.append(query)
    return unresolved_in(out) or tuple(out)


def _alarm(code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]) -> None:
    code.alarms.append(
        AlarmSpec(
            where=where,
            name=_name(v, computed, "alarm_name"),
            region=region,
            metric_name=text_of(v.get("metric_name")),
            namespace=text_of(v.get("namespace")),
            actions_enabled=flag_of(v.get("actions_enabled"), True),
            alarm_actions=texts_of(v.get("alarm_actions")),
            metrics=_queries(v),
            statistic=v.get("statistic") if isinstance(v.get("statistic"), str) else None,
            comparison_operator=v.get("comparison_operator")
            if isinstance(v.get("comparison_operator"), str)
            else None,
            threshold=number_of(v.get("threshold")),
            period=int(number_of(v.get("period")) or 0) or None,
            evaluation_periods=int(number_of(v.get("evaluation_periods")) or 0) or None,
        )
    )


def _topic(code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]) -> None:
    arn = text_of(computed.get("arn")) or Unresolved("${arn}", "known only after apply")
    code.topics.append(TopicSpec(where, arn, region))


def _subscription(
    code: Code, where: Where, v: Values, region: str, computed: Mapping[str, Any]
) -> None:
    topic = text_of(v.get("topic_arn")) or ""
    code.subscriptions.append(
        SubscriptionSpec(where, topic, text_of(v.get("protocol")) or "", region)
    )


TERRAFORM_TYPES: dict[str, Handler] = {
    "aws_cloudtrail": _trail,
    "aws_cloudwatch_log_group": _log_group,
    "aws_iam_role": _role,
    "aws_iam_role_policy": _role_policy,
    "aws_iam_policy": _policy,
    "aws_iam_role_policy_attachment": _attachment,
    "aws_iam_policy_attachment": _attachment,
    "aws_iam_role_policy_attachments_exclusive": _attachment,
    "aws_cloudwatch_log_metric_filter": _metric_filter,
    "aws_cloudwatch_metric_alarm": _alarm,
    "aws_sns_topic": _topic,
    "aws_sns_topic_subscription": _subscription,
}


def add_resource(
    code: Code, type_: str, where: Where, values: Values, region: str, computed: Mapping[str, Any]
) -> None:
    """Add one resource instance of a type the checks read (others are ignored)."""
    if handler := TERRAFORM_TYPES.get(type_):
        handler(code, where, values, region, computed)
