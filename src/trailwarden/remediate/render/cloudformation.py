"""The plan as CloudFormation templates (JSON), one per region: stacks are regional.

A stack cannot change a resource it does not manage, so the existing resources the plan
changes (trails; roles whose trust policy is repaired; log groups whose retention is set)
appear with ``DeletionPolicy: Retain`` and a ``Metadata.trailwarden.import`` note: bring
them in with a resource import first, then update the stack with the template.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html
"""

from __future__ import annotations

import re
from typing import Any

from trailwarden.inventory import Alarm, Inventory
from trailwarden.remediate.changes.support.iac import (
    GroupSpec,
    MonitoringSpec,
    Resources,
    RoleSpec,
    TrailSpec,
)
from trailwarden.remediate.model import Plan, Step
from trailwarden.remediate.render.iac import collect, trail_facts

__all__ = ["render_cloudformation", "render_cloudformation_json"]

Template = dict[str, Any]

_IMPORT_NOTE = (
    "This resource exists already. Import it into the stack first (aws cloudformation "
    "create-change-set --change-set-type IMPORT --resources-to-import, with the identifier "
    "below) from a copy of this template that keeps its current property values (an import "
    "changes nothing), then update the stack with this template. Properties trailwarden "
    "does not know are not listed; add them before importing."
)
_TAGS = [{"Key": "created-by", "Value": "trailwarden"}]


def render_cloudformation(plan: Plan, inventory: Inventory) -> dict[str, Template]:
    """One template per region the plan touches (IAM resources go with their trail)."""
    change = collect(plan)
    templates: dict[str, Template] = {}
    for region in change.regions:
        resources = _Resources(change, region, inventory)
        templates[region] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": (
                f"trailwarden fix for account {plan.account_id} in {region}: CloudTrail to "
                "CloudWatch Logs, CIS monitoring alarms. Deploy with --capabilities "
                "CAPABILITY_NAMED_IAM; import "
                "the resources with DeletionPolicy Retain first (see their Metadata)."
            ),
            "Resources": resources.build(),
        }
    return templates


def _alarm_props(a: Alarm) -> dict[str, Any]:
    """An existing alarm's settings as the inventory knows them (all but its actions state)."""
    props: dict[str, Any] = {
        "ComparisonOperator": a.comparison_operator,
        "EvaluationPeriods": a.evaluation_periods,
        "AlarmActions": list(a.alarm_actions),
    }
    if a.metrics:
        props["Metrics"] = [dict(q) for q in a.metrics]
    else:
        props |= {"MetricName": a.metric_name, "Namespace": a.namespace}
        props |= {"Statistic": a.statistic, "Period": a.period}
        props["Dimensions"] = [dict(d) for d in a.dimensions]
    props["Threshold"] = a.threshold
    return {k: v for k, v in props.items() if v is not None and v != []}


def render_cloudformation_json(plan: Plan, inventory: Inventory) -> bytes:
    """The template when the plan touches one region; else ``{region: template}`` (and
    ``{}`` for an empty plan): deploy each template as a stack in its region."""
    import orjson

    templates = render_cloudformation(plan, inventory)
    data = next(iter(templates.values())) if len(templates) == 1 else templates
    return bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


class _Resources:
    def __init__(self, change: Resources, region: str, inventory: Inventory) -> None:
        self.change, self.region, self.inventory = change, region, inventory
        self.out: dict[str, Any] = {}
        self.arns: dict[str, Any] = {}  # log group key / role ARN → its ARN in the template
        self.policies: dict[str, str] = {}  # role ARN → logical id of its RolePolicy

    def build(self) -> dict[str, Any]:
        for g in self.change.groups.values():
            if g.region == self.region:
                self._group(g)
        for r in self.change.roles.values():
            if r.region == self.region:
                self._role(r)
        for t in self.change.trails.values():
            if t.region == self.region:
                self._trail(t)
        specs = [m for m in self.change.monitoring.values() if m.region == self.region]
        for m in sorted(specs, key=lambda m: ("topic", "filter", "alarm").index(m.kind)):
            self._monitoring(m)
        return self.out

    def _monitoring(self, m: MonitoringSpec) -> None:
        s, name = m.settings, m.target.rsplit(":", 1)[-1]
        if m.kind == "topic":
            ref: Any = m.target
            if m.created:
                logical = self._id("Topic", name)
                ref = {"Ref": logical}  # Ref of AWS::SNS::Topic is its ARN
                self.arns[m.target] = ref
                props = {"TopicName": name, "Tags": _TAGS}
                self._add(logical, "AWS::SNS::Topic", props, [t for t in m.steps if not t.before])
            for email in m.emails:
                props = {"TopicArn": ref, "Protocol": "email", "Endpoint": email}
                steps = [t for t in m.steps if t.after.get("endpoint") == email]
                self._add(self._id("Subscription", name), "AWS::SNS::Subscription", props, steps)
        elif m.kind == "filter":
            props = {
                "FilterName": s["filter_name"],
                "LogGroupName": s["log_group_name"],
                "FilterPattern": s["filter_pattern"],
                "MetricTransformations": [
                    {
                        "MetricName": t["metric_name"],
                        "MetricNamespace": t["metric_namespace"],
                        "MetricValue": t["metric_value"],
                    }
                    for t in s["metric_transformations"]
                ],
            }
            ident = {"LogGroupName": s["log_group_name"], "FilterName": s["filter_name"]}
            extra = {} if m.created else {"import_id": ident}
            logical = self._id("MetricFilter", s["filter_name"])
            self._add(logical, "AWS::Logs::MetricFilter", props, m.steps, **extra)
        else:
            self._alarm(m, m.target.split(":alarm:", 1)[-1])

    def _alarm(self, m: MonitoringSpec, name: str) -> None:
        s = m.settings
        if m.enable_only:
            known = next(
                (a for r in self.inventory.alarms for a in r.alarms if a.arn == m.target), None
            )
            props: dict[str, Any] = {"AlarmName": name, "ActionsEnabled": True}
            if known is not None:
                props |= _alarm_props(known)
        else:
            props = {
                "AlarmName": s["alarm_name"],
                "AlarmDescription": s["alarm_description"],
                "MetricName": s["metric_name"],
                "Namespace": s["namespace"],
                "Statistic": s["statistic"],
                "Period": s["period"],
                "EvaluationPeriods": s["evaluation_periods"],
                "Threshold": s["threshold"],
                "ComparisonOperator": s["comparison_operator"],
                "TreatMissingData": s["treat_missing_data"],
                "ActionsEnabled": s["actions_enabled"],
                "AlarmActions": [self.arns.get(t, t) for t in s["alarm_actions"]],
            }
        extra = {} if m.created else {"import_id": {"AlarmName": name}}
        self._add(self._id("Alarm", name), "AWS::CloudWatch::Alarm", props, m.steps, **extra)

    def _id(self, kind: str, name: str) -> str:
        base = kind + "".join(p[:1].upper() + p[1:] for p in re.split(r"[^A-Za-z0-9]+", name))
        logical, n = base[:240], 2
        while logical in self.out:
            logical, n = f"{base[:240]}{n}", n + 1
        return logical

    def _add(
        self, logical: str, kind: str, props: dict[str, Any], steps: list[Step], **extra: Any
    ) -> None:
        meta: dict[str, Any] = {"steps": [s.id for s in steps], "why": [s.reason for s in steps]}
        identifier = extra.pop("import_id", None)
        resource: dict[str, Any] = {"Type": kind, "Properties": props}
        if identifier is not None:
            meta |= {"import": {"ResourceIdentifier": identifier}, "note": _IMPORT_NOTE}
            resource |= {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
        self.out[logical] = {**resource, **extra, "Metadata": {"trailwarden": meta}}

    def _group(self, g: GroupSpec) -> None:
        logical = self._id("LogGroup", g.name)
        # GetAtt Arn of AWS::Logs::LogGroup ends with ":*", as CloudTrail wants it.
        self.arns[g.key] = {"Fn::GetAtt": [logical, "Arn"]}
        props: dict[str, Any] = {"LogGroupName": g.name}
        if g.retention_in_days is not None:
            props["RetentionInDays"] = g.retention_in_days
        known = None if g.created else self.inventory.log_group(g.key)
        # The key a step of the plan sets, else the one the group has.
        kms = g.kms_key_id or (known.kms_key_id if known else None)
        if kms:
            props["KmsKeyId"] = kms
        if g.created:
            self._add(logical, "AWS::Logs::LogGroup", props | {"Tags": _TAGS}, g.steps)
        else:
            import_id = {"LogGroupName": g.name}
            self._add(logical, "AWS::Logs::LogGroup", props, g.steps, import_id=import_id)

    def _role(self, r: RoleSpec) -> None:
        logical = self._id("Role", r.name)
        policy = {"PolicyName": r.policy_name, "PolicyDocument": r.policy}
        if r.created or r.trust is not None:
            self.arns[r.arn] = {"Fn::GetAtt": [logical, "Arn"]}
            props: dict[str, Any] = {"RoleName": r.name, "Path": r.path}
            props["AssumeRolePolicyDocument"] = r.trust
            if r.created:
                props |= {"Description": r.description, "Tags": _TAGS}
                if r.policy is not None:
                    props["Policies"] = [policy]
                self._add(logical, "AWS::IAM::Role", props, r.steps)
                return
            import_id = {"RoleName": r.name}
            self._add(logical, "AWS::IAM::Role", props, r.role_steps, import_id=import_id)
        if r.policy is not None:  # an inline policy on a role the stack does not create
            pid = self._id("RolePolicy", r.name)
            self.policies[r.arn] = pid
            role_name = {"Ref": logical} if logical in self.out else r.name
            props = policy | {"RoleName": role_name}
            if r.policy_existed:  # PutRolePolicy replaces an inline policy of that name
                import_id = {"PolicyName": str(r.policy_name), "RoleName": r.name}
                self._add(pid, "AWS::IAM::RolePolicy", props, r.policy_steps, import_id=import_id)
            else:
                self._add(pid, "AWS::IAM::RolePolicy", props, r.policy_steps)

    def _trail(self, t: TrailSpec) -> None:
        config, logging = trail_facts(self.inventory, t.arn)
        group = t.log_group_arn if t.updated else (config.log_group_arn if config else None)
        role = t.role_arn if t.updated else (config.role_arn if config else None)
        props: dict[str, Any] = {
            "TrailName": t.name,
            "S3BucketName": (config.s3_bucket_name if config else None) or "REPLACE-ME",
            # IsLogging is required: the current state, or true when the plan starts it.
            "IsLogging": True if t.start_logging or logging is None else logging,
        }
        if config is not None:
            props["IsMultiRegionTrail"] = config.is_multi_region
            props["IsOrganizationTrail"] = config.is_organization_trail
            props["IncludeGlobalServiceEvents"] = config.include_global_service_events
            if config.kms_key_id:
                props["KMSKeyId"] = config.kms_key_id
        if group:
            props["CloudWatchLogsLogGroupArn"] = self.arns.get(group.removesuffix(":*"), group)
        if role:
            props["CloudWatchLogsRoleArn"] = self.arns.get(role, role)
        extra: dict[str, Any] = {"import_id": {"TrailName": t.name}}
        if role and role in self.policies:  # UpdateTrail checks that CloudTrail can use it
            extra["DependsOn"] = [self.policies[role]]
        self._add(self._id("Trail", t.name), "AWS::CloudTrail::Trail", props, t.steps, **extra)
