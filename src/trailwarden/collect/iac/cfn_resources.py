"""CloudFormation resources → the neutral specs, one function per resource type the checks read.

Property names and defaults are those of each type's reference page, e.g.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
(``IsLogging`` is required: a trail without it is not logging).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from trailwarden.collect.iac.cfn_intrinsics import Template
from trailwarden.collect.iac.cfn_refs import physical_name, resource_ref
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
    as_text,
    document_of,
    flag_of,
    int_of,
    number_of,
    text_of,
    texts_of,
    unresolved_in,
)

__all__ = ["RESOURCES"]

Handler = Callable[[Template, Code, Where, Mapping[str, Any]], None]


def _records(value: Any) -> tuple[dict[str, Any], ...] | Unresolved:
    """A list of objects (event selectors, metric queries), or what keeps it unknown."""
    if (unknown := unresolved_in(value)) is not None:
        return unknown
    return tuple(v for v in value if isinstance(v, dict)) if isinstance(value, list) else ()


def _trail(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    code.trails.append(
        TrailSpec(
            where=where,
            name=physical_name(t, where.address),
            region=t.region,
            log_group_arn=text_of(p.get("CloudWatchLogsLogGroupArn")),
            role_arn=text_of(p.get("CloudWatchLogsRoleArn")),
            multi_region=flag_of(p.get("IsMultiRegionTrail"), False),
            organization=flag_of(p.get("IsOrganizationTrail"), False),
            logging=flag_of(p.get("IsLogging"), False),
            include_global_service_events=flag_of(p.get("IncludeGlobalServiceEvents"), True),
            basic_selectors=_records(p.get("EventSelectors")),
            advanced_selectors=_records(p.get("AdvancedEventSelectors")),
            s3_bucket_name=text_of(p.get("S3BucketName")),
            kms_key_id=text_of(p.get("KMSKeyId")),
        )
    )


def _log_group(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    name = physical_name(t, where.address)
    days = int_of(p.get("RetentionInDays"))
    code.log_groups.append(LogGroupSpec(where, name, t.region, days))


def _role(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    policies = p.get("Policies") or []
    inline = tuple(
        (text_of(item.get("PolicyName")) or "", document_of(item.get("PolicyDocument")) or {})
        for item in (policies if isinstance(policies, list) else [])
        if isinstance(item, dict)
    )
    if isinstance(policies, Unresolved):
        inline = (("(unknown)", policies),)
    code.roles.append(
        RoleSpec(
            where=where,
            name=physical_name(t, where.address),
            region=t.region,
            path=as_text(p.get("Path", "/")) or "/",
            trust=document_of(p.get("AssumeRolePolicyDocument")),
            inline=inline,
            managed_policy_arns=texts_of(p.get("ManagedPolicyArns")),
            boundary_arn=text_of(p.get("PermissionsBoundary")),
        )
    )


def _policy(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    """AWS::IAM::Policy (to Roles) and AWS::IAM::RolePolicy (to RoleName): inline policies."""
    roles = texts_of(p["Roles"]) if "Roles" in p else texts_of(p.get("RoleName"))
    name = text_of(p.get("PolicyName")) or where.address
    document = document_of(p.get("PolicyDocument")) or {}
    code.role_policies.append(RolePolicySpec(where, roles, name, document))


def _managed_policy(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    arn = resource_ref(t, where.address, None, 0)
    roles = texts_of(p.get("Roles"))
    document = document_of(p.get("PolicyDocument")) or {}
    code.managed_policies.append(
        ManagedPolicySpec(
            where, text_of(arn) or "", document, () if isinstance(roles, Unresolved) else roles
        )
    )
    if isinstance(roles, Unresolved):
        code.attachments.append(AttachmentSpec(where, roles, text_of(arn) or ""))


def _metric_filter(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    transformations = p.get("MetricTransformations") or []
    metrics = tuple(
        MetricSpec(
            text_of(m.get("MetricName")) or "",
            text_of(m.get("MetricNamespace")) or "",
            text_of(m.get("MetricValue")) or "",
            number_of(m.get("DefaultValue")),
        )
        for m in (transformations if isinstance(transformations, list) else [])
        if isinstance(m, dict)
    )
    code.filters.append(
        FilterSpec(
            where=where,
            name=physical_name(t, where.address),
            region=t.region,
            log_group_name=text_of(p.get("LogGroupName")) or "",
            pattern=text_of(p.get("FilterPattern")) or "",
            metrics=metrics,
        )
    )


def _alarm(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    code.alarms.append(
        AlarmSpec(
            where=where,
            name=physical_name(t, where.address),
            region=t.region,
            metric_name=text_of(p.get("MetricName")),
            namespace=text_of(p.get("Namespace")),
            actions_enabled=flag_of(p.get("ActionsEnabled"), True),
            alarm_actions=texts_of(p.get("AlarmActions")),
            metrics=_records(p.get("Metrics")),
            statistic=p["Statistic"] if isinstance(p.get("Statistic"), str) else None,
            comparison_operator=p.get("ComparisonOperator")
            if isinstance(p.get("ComparisonOperator"), str)
            else None,
            threshold=number_of(p.get("Threshold")),
            period=int(number_of(p.get("Period")) or 0) or None,
            evaluation_periods=int(number_of(p.get("EvaluationPeriods")) or 0) or None,
        )
    )


def _topic(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    subscriptions = p.get("Subscription") or []
    protocols = tuple(
        text_of(s.get("Protocol")) or ""
        for s in (subscriptions if isinstance(subscriptions, list) else [])
        if isinstance(s, dict)
    )
    arn = text_of(resource_ref(t, where.address, None, 0)) or ""
    code.topics.append(TopicSpec(where, arn, t.region, protocols))


def _subscription(t: Template, code: Code, where: Where, p: Mapping[str, Any]) -> None:
    topic = text_of(p.get("TopicArn")) or ""
    protocol = text_of(p.get("Protocol")) or ""
    code.subscriptions.append(SubscriptionSpec(where, topic, protocol, t.region))


RESOURCES: dict[str, Handler] = {
    "AWS::CloudTrail::Trail": _trail,
    "AWS::Logs::LogGroup": _log_group,
    "AWS::IAM::Role": _role,
    "AWS::IAM::Policy": _policy,
    "AWS::IAM::RolePolicy": _policy,
    "AWS::IAM::ManagedPolicy": _managed_policy,
    "AWS::Logs::MetricFilter": _metric_filter,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::SNS::Topic": _topic,
    "AWS::SNS::Subscription": _subscription,
}
