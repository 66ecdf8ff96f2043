"""cloudtrail:StartLogging: a trail that is not logging records no events (TW006).

``before`` {is_logging: false} → ``after`` {is_logging: true}; the target is the trail's
ARN, in its home region. Undone by StopLogging. Both are CloudTrail writes, paced to its
1 TPS per region.
"""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING

from trailwarden.collect.cloudtrail import get_trail_status
from trailwarden.inventory import ApiError, JsonDict, Trail
from trailwarden.remediate.changes.base import AttributeChange, State
from trailwarden.remediate.changes.outcome import Call
from trailwarden.remediate.changes.support.wording import name_of
from trailwarden.remediate.model import Action, Step

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["StartLogging"]


class StartLogging(AttributeChange):
    action = Action.START_LOGGING
    permissions = ("cloudtrail:StartLogging",)
    reads = ("cloudtrail:GetTrailStatus",)
    undo_permissions = ("cloudtrail:StopLogging",)
    subject = "Trail"

    @classmethod
    def build(cls, trail: Trail, fixes: tuple[str, ...], reason: str) -> Step:
        before, after = {"is_logging": False}, {"is_logging": True}
        return cls.for_trail(trail, trail.arn, before, after, fixes, reason)

    def describe(self, step: Step) -> tuple[str, list[str]]:
        return f"start logging on trail {name_of(step.target)} in {step.region}", [
            "IsLogging: false → true"
        ]

    def cli(self, step: Step) -> list[str]:
        q = shlex.quote
        return [
            "aws",
            "cloudtrail",
            "start-logging",
            "--name",
            q(step.target),
            "--region",
            q(step.region),
        ]

    def problem(self, step: Step) -> str | None:
        if step.target != step.trail_arn:
            return "its target is not the trail it is for"
        if step.before != {"is_logging": False} or step.after != {"is_logging": True}:
            return "it is not a trail that was not logging made to log"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        resources.for_trail(step).start_logging = True

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        status = get_trail_status(factory, target, region)
        if isinstance(status, ApiError):
            return None if status.code == "TrailNotFoundException" else status
        return {"is_logging": status.is_logging}

    def after_state(self, after: JsonDict) -> State:
        return {"is_logging": True}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        cloudtrail = factory.client("cloudtrail", region)
        run = partial(cloudtrail.start_logging, Name=target)
        return Call(self.action.value, run, region, paced=True)

    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        cloudtrail = factory.client("cloudtrail", region)
        stop = partial(cloudtrail.stop_logging, Name=target)
        return Call("cloudtrail:StopLogging", stop, region, paced=True)
