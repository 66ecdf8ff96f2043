"""What ``Ref`` and ``Fn::GetAtt`` return for the resource types the checks read.

From each type's reference page ("Return values"): ``Ref`` of a log group, role, trail,
alarm or metric filter is its name, of a topic or managed policy its ARN; ``Fn::GetAtt``
``AWS::Logs::LogGroup.Arn`` ends in ``:*``. A name the template leaves to CloudFormation (no
``LogGroupName``…) or builds from ``AWS::StackName`` is known only once deployed: it is
:class:`~.specs.Unresolved`, linked to its resource through ``refs``.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html#aws-resource-logs-loggroup-return-values
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from trailwarden.collect.iac.specs import Text, Unresolved
from trailwarden.collect.iac.values import as_text, concat


class Template(Protocol):
    """:class:`~.cfn_intrinsics.Template`, which imports this module."""

    resources: Mapping[str, Any]
    region: str
    account: str
    partition: str

    def resolve(self, value: Any, depth: int = 0) -> Any: ...


__all__ = ["NAME_PROPERTIES", "physical_name", "resource_ref"]

NAME_PROPERTIES = {
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::IAM::Role": "RoleName",
    "AWS::CloudTrail::Trail": "TrailName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::Logs::MetricFilter": "FilterName",
}


def _properties(t: Template, name: str) -> Mapping[str, Any]:
    resource = t.resources[name]
    props = resource.get("Properties") if isinstance(resource, Mapping) else None
    return props if isinstance(props, Mapping) else {}


def _type(t: Template, name: str) -> str:
    resource = t.resources[name]
    return str(resource.get("Type", "")) if isinstance(resource, Mapping) else ""


def physical_name(t: Template, name: str, depth: int = 0) -> Text:
    """The resource's name: its name property, or Unresolved (CloudFormation chooses it)."""
    prop = NAME_PROPERTIES.get(_type(t, name), "")
    props = _properties(t, name)
    if prop in props:
        value = t.resolve(props[prop], depth + 1)
        if isinstance(value, Unresolved):
            return Unresolved(value.text, value.reason, value.refs | {name})
        return as_text(value)
    reason = f"{name} has no {prop or 'name'}: CloudFormation names it when deployed"
    return Unresolved(f"${{{name}}}", reason, frozenset({name}))


def resource_ref(t: Template, name: str, attribute: str | None, depth: int) -> Any:
    """``Ref`` (``attribute`` None) or ``Fn::GetAtt`` of resource ``name``."""
    kind = _type(t, name)
    asked = f"{name}.{attribute}" if attribute else name
    unknown = Unresolved(f"${{{asked}}}", f"{asked} is known once deployed", frozenset({name}))
    p, region, account = t.partition, t.region, t.account
    path = as_text(t.resolve(_properties(t, name).get("Path", "/"), depth + 1)) or "/"
    prefixes = {
        ("AWS::Logs::LogGroup", "Arn"): f"arn:{p}:logs:{region}:{account}:log-group:",
        ("AWS::IAM::Role", "Arn"): f"arn:{p}:iam::{account}:role{path}",
        ("AWS::CloudTrail::Trail", "Arn"): f"arn:{p}:cloudtrail:{region}:{account}:trail/",
        ("AWS::SNS::Topic", None): f"arn:{p}:sns:{region}:{account}:",
        ("AWS::SNS::Topic", "TopicArn"): f"arn:{p}:sns:{region}:{account}:",
        ("AWS::IAM::ManagedPolicy", None): f"arn:{p}:iam::{account}:policy{path}",
        ("AWS::IAM::ManagedPolicy", "PolicyArn"): f"arn:{p}:iam::{account}:policy{path}",
        ("AWS::CloudWatch::Alarm", "Arn"): f"arn:{p}:cloudwatch:{region}:{account}:alarm:",
    }
    names = {
        ("AWS::Logs::LogGroup", None),
        ("AWS::IAM::Role", None),
        ("AWS::CloudTrail::Trail", None),
        ("AWS::SNS::Topic", "TopicName"),
        ("AWS::CloudWatch::Alarm", None),
        ("AWS::Logs::MetricFilter", None),
    }
    if (kind, attribute) in names:
        return physical_name(t, name, depth)
    if (kind, attribute) in prefixes:
        suffix = ":*" if kind == "AWS::Logs::LogGroup" else ""
        return concat([prefixes[kind, attribute], physical_name(t, name, depth), suffix])
    return unknown
