"""cloudwatch:EnableAlarmActions: an alarm whose actions are disabled notifies nobody
(TW101–TW115).

``before`` {actions_enabled: false} → ``after`` {actions_enabled: true}; the target is the
alarm's ARN (a user's alarm is enabled, not rewritten). Undone by DisableAlarmActions.
"""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING

from trailwarden.arns import LogGroupRef
from trailwarden.inventory import ApiError, JsonDict
from trailwarden.remediate.changes.base import AttributeChange, ReadWhole, State
from trailwarden.remediate.changes.outcome import Call
from trailwarden.remediate.changes.support.alarms import read_alarm
from trailwarden.remediate.changes.support.shapes import target_arn
from trailwarden.remediate.changes.support.targets import alarm_name
from trailwarden.remediate.changes.support.wording import name_of
from trailwarden.remediate.model import Action, Step

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["EnableAlarmActions"]


class EnableAlarmActions(ReadWhole, AttributeChange):
    action = Action.ENABLE_ALARM_ACTIONS
    permissions = ("cloudwatch:EnableAlarmActions",)
    reads = ("cloudwatch:DescribeAlarms",)
    undo_permissions = ("cloudwatch:DisableAlarmActions",)
    subject = "Alarm"

    @classmethod
    def build(
        cls, group: LogGroupRef, arn: str, trail_arn: str, fixes: tuple[str, ...], reason: str
    ) -> Step:
        return cls.make_step(
            arn,
            {"actions_enabled": False},
            {"actions_enabled": True},
            region=group.region,
            account_id=group.account_id,
            trail_arn=trail_arn,
            fixes=fixes,
            reason=reason,
        )

    def describe(self, step: Step) -> tuple[str, list[str]]:
        return f"enable the actions of alarm {name_of(step.target)} in {step.region}", [
            "ActionsEnabled: false → true"
        ]

    def cli(self, step: Step) -> list[str]:
        q, name = shlex.quote, step.target.split(":alarm:", 1)[-1]
        return [
            *("aws", "cloudwatch", "enable-alarm-actions", "--alarm-names", q(name)),
            *("--region", q(step.region)),
        ]

    def problem(self, step: Step) -> str | None:
        if not target_arn(step).resource.startswith("alarm:"):
            return "its target is not an alarm"
        if step.before != {"actions_enabled": False} or step.after != {"actions_enabled": True}:
            return "it is not an alarm whose disabled actions are enabled"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        spec = resources.for_monitoring("alarm", step)
        spec.enable_only = not spec.settings

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        alarm = read_alarm(factory, target, region)
        if alarm is None or isinstance(alarm, ApiError):
            return alarm
        return {"actions_enabled": alarm["actions_enabled"]}

    def after_state(self, after: JsonDict) -> State:
        return {"actions_enabled": True}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        cloudwatch = factory.client("cloudwatch", region)
        run = partial(cloudwatch.enable_alarm_actions, AlarmNames=[alarm_name(target)])
        return Call(self.action.value, run, region)

    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        cloudwatch = factory.client("cloudwatch", region)
        run = partial(cloudwatch.disable_alarm_actions, AlarmNames=[alarm_name(target)])
        return Call("cloudwatch:DisableAlarmActions", run, region)
