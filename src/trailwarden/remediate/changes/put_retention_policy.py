"""logs:PutRetentionPolicy: how long a log group keeps events (TW007; and every log group
trailwarden creates or points a trail at).

``before`` {retention_in_days} (None: never expire) → ``after`` {log_group_name,
retention_in_days}; the target is the log group's key. Undone by putting the prior
retention back (DeleteRetentionPolicy when there was none).
"""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING

from trailwarden.arns import LogGroupRef, parse_log_group_arn
from trailwarden.inventory import ApiError, JsonDict, Trail
from trailwarden.remediate.changes.base import AttributeChange, State
from trailwarden.remediate.changes.outcome import Call
from trailwarden.remediate.changes.support.reads import read_log_group
from trailwarden.remediate.changes.support.shapes import has_keys
from trailwarden.remediate.changes.support.targets import log_group_ref
from trailwarden.remediate.model import Action, Step
from trailwarden.remediate.policies import RETENTION_DAYS

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["PutRetentionPolicy", "deletes_older"]


class PutRetentionPolicy(AttributeChange):
    action = Action.PUT_RETENTION_POLICY
    permissions = ("logs:PutRetentionPolicy",)
    reads = ("logs:DescribeLogGroups",)
    undo_permissions = ("logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy")
    subject = "Log group"

    @classmethod
    def build(
        cls,
        trail: Trail,
        group: LogGroupRef,
        before_days: int | None,
        days: int,
        fixes: tuple[str, ...],
        reason: str,
    ) -> Step:
        before = {"retention_in_days": before_days}
        after = {"log_group_name": group.name, "retention_in_days": days}
        return cls.for_trail(trail, group.key, before, after, fixes, reason)

    def describe(self, step: Step) -> tuple[str, list[str]]:
        days = (step.before or {}).get("retention_in_days")
        was = "not set (never expire)" if days is None else f"{days} days"
        return (
            f"set the retention of log group {step.after.get('log_group_name')} in {step.region}",
            [f"retention: {was} → {step.after.get('retention_in_days')} days"],
        )

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        return [
            *("aws", "logs", "put-retention-policy", "--log-group-name"),
            q(a["log_group_name"]),
            *("--retention-in-days", q(str(a["retention_in_days"]))),
            *("--region", q(step.region)),
        ]

    def problem(self, step: Step) -> str | None:
        ref, before, after = parse_log_group_arn(step.target), step.before, step.after
        if ref is None or ref.key != step.target:
            return "its target is not a log group"
        if not has_keys(before, ("retention_in_days",)) or not has_keys(
            after, ("log_group_name", "retention_in_days")
        ):
            return "its before or after is not a retention"
        assert before is not None
        days, was = after["retention_in_days"], before["retention_in_days"]
        if (
            after["log_group_name"] != ref.name
            or type(days) is not int
            or days not in RETENTION_DAYS
        ):
            return "its after is not a retention CloudWatch Logs accepts for its target"
        if was is not None and (was not in RETENTION_DAYS or type(was) is not int or was >= days):
            # trailwarden never shortens a retention, so the prior one was shorter.
            return "its before is not a retention shorter than the one it sets"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        resources.for_group(step).retention_in_days = int(step.after["retention_in_days"])

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        group = read_log_group(factory, target)
        if group.error is not None:
            return group.error
        if not group.exists:
            return None
        return {"retention_in_days": group.retention_in_days}

    def after_state(self, after: JsonDict) -> State:
        return {"retention_in_days": after["retention_in_days"]}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        return _retention(factory, target, region, after["retention_in_days"])

    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        return _retention(factory, target, region, before["retention_in_days"])


def deletes_older(now: int | None, days: int) -> str:
    """For a reason: what setting a retention does to a log group that keeps events forever."""
    if now is not None:
        return ""
    return f"; CloudWatch Logs will then delete events older than {days} days"


def _retention(factory: ClientFactory, target: str, region: str, days: int | None) -> Call:
    logs, name = factory.client("logs", region), log_group_ref(target).name
    if days is None:  # "never expire" is the absence of a retention policy
        run = partial(logs.delete_retention_policy, logGroupName=name)
        return Call("logs:DeleteRetentionPolicy", run, region)
    put = partial(logs.put_retention_policy, logGroupName=name, retentionInDays=days)
    return Call("logs:PutRetentionPolicy", put, region)
