"""cloudwatch:PutMetricAlarm: trailwarden's alarm on a CIS class's metric (TW101–TW115).

``before`` None, or the settings of trailwarden's alarm of that name → ``after``
{alarm_name, alarm_description, metric_name, namespace, statistic, period,
evaluation_periods, threshold, comparison_operator, treat_missing_data, actions_enabled,
alarm_actions, tags}. The target is the alarm's ARN, in the region of the metric (an alarm
must be in the region of the metric its filter publishes). A user's alarm is never
rewritten. Undone by deleting the alarm — only if it carries this apply's tags — or by
putting the prior one back whole.
"""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.arns import LogGroupRef
from trailwarden.inventory import Alarm, ApiError, JsonDict, MetricTransformation
from trailwarden.remediate.changes.base import AttributeChange, ReadWhole, State, UndoContext
from trailwarden.remediate.changes.outcome import NOT_OURS, Call, Decision, UndoOutcome
from trailwarden.remediate.changes.put_metric_filter import OWN_PREFIX
from trailwarden.remediate.changes.support.alarms import (
    ALARM_FIELDS,
    alarm_tags,
    put_alarm,
    read_alarm,
)
from trailwarden.remediate.changes.support.shapes import arn_in, has_keys, target_arn
from trailwarden.remediate.changes.support.shell import tag_args
from trailwarden.remediate.changes.support.targets import alarm_name
from trailwarden.remediate.model import Action, Step, StepRecord
from trailwarden.remediate.policies import TAGS, ours, tagged

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["PutMetricAlarm"]

_AFTER = (
    "alarm_name",
    "alarm_description",
    "metric_name",
    "namespace",
    "statistic",
    "period",
    "evaluation_periods",
    "threshold",
    "comparison_operator",
    "treat_missing_data",
    "actions_enabled",
    "alarm_actions",
    "tags",
)


class PutMetricAlarm(ReadWhole, AttributeChange):
    action = Action.PUT_METRIC_ALARM
    permissions = ("cloudwatch:PutMetricAlarm", "cloudwatch:TagResource")
    reads = ("cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource")
    undo_permissions = ("cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms")
    subject = "Alarm"
    deleted_when_new = True

    @classmethod
    def build(
        cls,
        group: LogGroupRef,
        arn: str,
        description: str,
        metric: MetricTransformation,
        topic: str,
        old: Alarm | None,
        trail_arn: str,
        fixes: tuple[str, ...],
        reason: str,
    ) -> Step:
        """An alarm (Sum ≥ 1 in 300 s) on ``metric`` notifying ``topic``; ``old`` is the
        alarm of that ARN, if any."""
        after = {
            "alarm_name": arn.split(":alarm:", 1)[1],
            "alarm_description": description,
            "metric_name": metric.metric_name,
            "namespace": metric.metric_namespace,
            "statistic": "Sum",
            "period": 300,
            "evaluation_periods": 1,
            "threshold": 1.0,
            "comparison_operator": "GreaterThanOrEqualToThreshold",
            "treat_missing_data": "notBreaching",
            "actions_enabled": True,
            "alarm_actions": [topic],
            "tags": dict(TAGS),
        }
        return cls.make_step(
            arn,
            None if old is None else _settings(old),
            after,
            region=group.region,
            account_id=group.account_id,
            trail_arn=trail_arn,
            fixes=fixes,
            reason=reason,
        )

    def describe(self, step: Step) -> tuple[str, list[str]]:
        after = step.after
        prior = "(does not exist)" if step.before is None else "replaced"
        return f"put alarm {after.get('alarm_name')} in {step.region}", [
            f"{prior} → {after.get('statistic')} of {after.get('namespace')}/"
            f"{after.get('metric_name')} >= {after.get('threshold')} in "
            f"{after.get('period')} s, notifying {', '.join(after.get('alarm_actions', []))}"
        ]

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        return [
            *("aws", "cloudwatch", "put-metric-alarm", "--alarm-name", q(a["alarm_name"])),
            *("--alarm-description", q(a["alarm_description"])),
            *("--metric-name", q(a["metric_name"]), "--namespace", q(a["namespace"])),
            *("--statistic", q(a["statistic"]), "--period", q(str(a["period"]))),
            *("--threshold", q(f"{a['threshold']:g}")),
            *("--comparison-operator", q(a["comparison_operator"])),
            *("--evaluation-periods", q(str(a["evaluation_periods"]))),
            *("--treat-missing-data", q(a["treat_missing_data"])),
            *("--alarm-actions", *(q(t) for t in a["alarm_actions"])),
            *tag_args(a),
            *("--region", q(step.region)),
        ]

    def problem(self, step: Step) -> str | None:
        resource, after, before = target_arn(step).resource, step.after, step.before
        name = resource.removeprefix("alarm:")
        if name == resource or not name.startswith(OWN_PREFIX):
            # trailwarden puts only alarms of its own name: a user's is never rewritten.
            return f"it puts an alarm not named {OWN_PREFIX}…"
        if not has_keys(after, _AFTER) or after["alarm_name"] != name or after["tags"] != TAGS:
            return "its after is not the alarm of its target, tagged as trailwarden tags"
        actions = after["alarm_actions"]
        if not isinstance(actions, list) or not all(arn_in(a, step, "sns", "") for a in actions):
            return "its alarm notifies something else than SNS topics of its account and region"
        if before is not None and not (
            has_keys(before, ("alarm_name",), ALARM_FIELDS) and before["alarm_name"] == name
        ):
            return "its before is not the alarm of its target"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        spec = resources.for_monitoring("alarm", step)
        spec.settings, spec.enable_only = dict(step.after), False
        spec.created = spec.created or step.before is None

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        return read_alarm(factory, target, region)

    def after_state(self, after: JsonDict) -> State:
        return {k: v for k, v in after.items() if k in ALARM_FIELDS}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        # Tagged so that rollback can tell what this apply created from a namesake (when
        # it updates an alarm, PutMetricAlarm leaves the alarm's tags as they were).
        tags = [{"Key": k, "Value": v} for k, v in sorted(tagged(after, journal_id).items())]
        return put_alarm(factory, target, region, after, tags)

    def undo(self, context: UndoContext, record: StepRecord) -> Decision:
        decision = super().undo(context, record)
        if record.before is None and isinstance(decision, Call):  # a delete: only of ours
            found = alarm_tags(context.factory, record.target, record.region)
            if isinstance(found, ApiError):
                return found
            if not ours(found or {}, context.journal_id):
                return UndoOutcome.NOTHING_TO_DO, NOT_OURS
        return decision

    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        return put_alarm(factory, target, region, before, None)

    def remove(self, factory: ClientFactory, target: str, region: str) -> Call:
        cloudwatch = factory.client("cloudwatch", region)
        run = partial(cloudwatch.delete_alarms, AlarmNames=[alarm_name(target)])
        return Call("cloudwatch:DeleteAlarms", run, region)


def _settings(a: Alarm) -> dict[str, Any]:
    """The settings of an alarm that PutMetricAlarm replaces, as ``before`` records them."""
    return {
        "alarm_name": a.name,
        "metric_name": a.metric_name,
        "namespace": a.namespace,
        "statistic": a.statistic,
        "period": a.period,
        "evaluation_periods": a.evaluation_periods,
        "threshold": a.threshold,
        "comparison_operator": a.comparison_operator,
        "actions_enabled": a.actions_enabled,
        "alarm_actions": list(a.alarm_actions),
        "dimensions": [dict(d) for d in a.dimensions],
        "metrics": [dict(m) for m in a.metrics],
    }
