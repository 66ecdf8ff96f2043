"""cloudtrail:UpdateTrail: point a trail at its log group and delivery role (TW001–TW003).

``before`` {cloud_watch_logs_log_group_arn, cloud_watch_logs_role_arn} → the same keys
(the log group ARN with CloudTrail's ``:*`` suffix); the target is the trail's ARN. Made
in the trail's home region: UpdateTrail fails with InvalidHomeRegionException elsewhere.
Undone by putting the prior ARNs back ("" when they were unset).
https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateTrail.html
"""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING

from trailwarden.arns import LogGroupRef
from trailwarden.collect.cloudtrail import describe_trails
from trailwarden.inventory import ApiError, JsonDict, Trail
from trailwarden.remediate.changes.base import AttributeChange, State
from trailwarden.remediate.changes.outcome import Call
from trailwarden.remediate.changes.support.shapes import arn_in, has_keys
from trailwarden.remediate.changes.support.targets import log_group_ref
from trailwarden.remediate.changes.support.wording import before_after, name_of
from trailwarden.remediate.model import Action, Step, StepRecord

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["UpdateTrail"]

_KEYS = ("cloud_watch_logs_log_group_arn", "cloud_watch_logs_role_arn")
# UpdateTrail's answer when CloudTrail cannot yet use a role or log group created a moment
# ago ("Access denied. Check the trust relationships/permissions for your role."):
# https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateTrail.html#API_UpdateTrail_Errors
_PROPAGATION_CODES = frozenset(
    {"InvalidCloudWatchLogsRoleArnException", "InvalidCloudWatchLogsLogGroupArnException"}
)


class UpdateTrail(AttributeChange):
    action = Action.UPDATE_TRAIL
    # Naming a role in UpdateTrail passes it to CloudTrail.
    permissions = ("cloudtrail:UpdateTrail", "iam:PassRole")
    reads = ("cloudtrail:DescribeTrails",)
    undo_permissions = ("cloudtrail:UpdateTrail", "iam:PassRole")
    subject = "Trail"

    @classmethod
    def build(
        cls, trail: Trail, group: LogGroupRef, role: str, fixes: tuple[str, ...], reason: str
    ) -> Step:
        config = trail.config
        before = {
            _KEYS[0]: config.log_group_arn if config else None,
            _KEYS[1]: config.role_arn if config else None,
        }
        # CloudTrail stores the log group ARN with the ":*" suffix (all streams of the group).
        after = {_KEYS[0]: f"{group.key}:*", _KEYS[1]: role}
        return cls.for_trail(trail, trail.arn, before, after, fixes, reason)

    def describe(self, step: Step) -> tuple[str, list[str]]:
        before, after = step.before or {}, step.after
        labels = ("CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn")
        return f"update trail {name_of(step.target)} in {step.region}", [
            before_after(label, before.get(key), after.get(key))
            for label, key in zip(labels, _KEYS, strict=True)
        ]

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        # Name = the trail ARN, in the trail's home region.
        return [
            *("retry", "aws", "cloudtrail", "update-trail", "--name", q(step.target)),
            *("--cloud-watch-logs-log-group-arn", q(a[_KEYS[0]])),
            *("--cloud-watch-logs-role-arn", q(a[_KEYS[1]])),
            *("--region", q(step.region)),
        ]

    def problem(self, step: Step) -> str | None:
        before, after = step.before, step.after
        if step.target != step.trail_arn:
            return "its target is not the trail it is for"
        if not has_keys(before, _KEYS) or not has_keys(after, _KEYS):
            return "its before or after is not a trail's CloudWatch Logs settings"
        assert before is not None
        group = after[_KEYS[0]]
        if not (arn_in(group, step, "logs", "log-group:") and group.endswith(":*")):
            return "its after names no log group of the trail's account and home region"
        if not arn_in(after[_KEYS[1]], step, "iam", "role/", regional=False):
            return "its after names no role of the trail's account"
        # What rollback writes back: whatever the trail had (even a malformed ARN), or unset.
        if not all(v is None or isinstance(v, str) and len(v) <= 2048 for v in before.values()):
            return "its before is not a trail's CloudWatch Logs settings"
        return None

    def relies_on(self, target: str, after: JsonDict) -> frozenset[str]:
        return self.needs_fresh(after)

    def why_refused(self, record: StepRecord, error: ApiError) -> str:
        if error.code not in _PROPAGATION_CODES:
            return ""
        # CloudTrail validates the role and log group on every UpdateTrail: a prior one
        # deleted since (or that CloudTrail cannot assume) cannot be put back.
        return (
            "CloudTrail checks the role and log group on every UpdateTrail and refuses the "
            "prior ones (deleted since, or unusable), so the trail keeps the role and log "
            "group the apply gave it, and they are kept too"
        )

    def iac(self, resources: Resources, step: Step) -> None:
        trail = resources.for_trail(step)
        trail.updated = True
        trail.log_group_arn, trail.role_arn = step.after[_KEYS[0]], step.after[_KEYS[1]]

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        # In the trail's home region: elsewhere DescribeTrails shows a shadow copy at best.
        config = describe_trails(factory, region, [target])[target]
        if isinstance(config, ApiError):
            return None if config.code == "TrailNotFoundException" else config
        return {_KEYS[0]: config.log_group_arn, _KEYS[1]: config.role_arn}

    def after_state(self, after: JsonDict) -> State:
        return {key: after.get(key) for key in _KEYS}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        return _update_trail(factory, target, region, after)

    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        return _update_trail(factory, target, region, before)

    def needs_fresh(self, after: JsonDict) -> frozenset[str]:
        group = after.get(_KEYS[0])
        group_key = log_group_ref(group).key if group else None
        return frozenset(t for t in (after.get(_KEYS[1]), group_key) if t)

    def not_yet_usable(self, error: ApiError) -> bool:
        message = error.message.lower()
        return error.code in _PROPAGATION_CODES or message.startswith("access denied. check")


def _update_trail(factory: ClientFactory, target: str, region: str, arns: JsonDict) -> Call:
    """UpdateTrail with Name = the trail's ARN, in its home region."""
    cloudtrail = factory.client("cloudtrail", region)
    # "" removes the integration (None is not accepted): how an unset ARN is restored.
    run = partial(
        cloudtrail.update_trail,
        Name=target,
        CloudWatchLogsLogGroupArn=arns.get(_KEYS[0]) or "",
        CloudWatchLogsRoleArn=arns.get(_KEYS[1]) or "",
    )
    # A CloudTrail write: paced to its 1 TPS per region.
    return Call("cloudtrail:UpdateTrail", run, region, paced=True)
