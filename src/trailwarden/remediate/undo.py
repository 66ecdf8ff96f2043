"""What undoing one journalled step takes, decided from the target's current state.

- A created log group or role is deleted only if it is there, was absent before the apply
  (the ``begin`` record's state) and carries the ``created-by=trailwarden`` tag; a created
  log group that has received events is kept unless the user asks to delete used groups.
- A changed attribute (retention, role policy, trust policy, the trail's two ARNs, logging)
  goes back to its recorded prior value only if it still has the value the apply set;
  changed by someone since, it is left as it is and reported.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.inventory import ApiError
from trailwarden.remediate.calls import Call, delete_log_group, delete_role, restore
from trailwarden.remediate.current import (
    after_state,
    describe_change,
    read_log_group,
    read_state,
    role_name,
)
from trailwarden.remediate.journal_state import JournalState, StepRecord
from trailwarden.remediate.model import Action
from trailwarden.remediate.policies import TAGS

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["Decision", "UndoOutcome", "Undoer"]

T = TypeVar("T")
_MISSING = "it does not exist (never created, or already deleted)"
_EXISTED = "it existed before the apply, so it is never deleted"
_NOT_OURS = "it is not tagged created-by=trailwarden, so someone else made it: kept"


class UndoOutcome(enum.Enum):
    UNDONE = "undone"
    NOTHING_TO_DO = "nothing to do"  # the call never took effect, or it is not ours
    KEPT = "kept"  # left in place on purpose (used log group, changed since): see the note
    ALREADY_UNDONE = "already undone"  # by an earlier rollback of this journal


# The undo call to make; or why none is made; or the read that failed.
Decision = Call | tuple[UndoOutcome, str] | ApiError


class Undoer:
    def __init__(self, factory: ClientFactory, state: JournalState, delete_used: bool) -> None:
        self.factory, self.state, self.delete_used = factory, state, delete_used

    def decide(self, step: StepRecord) -> Decision:
        try:
            if step.action is Action.CREATE_LOG_GROUP:
                return self._created_log_group(step)
            if step.action is Action.CREATE_ROLE:
                return self._created_role(step)
            return self._changed_attribute(step)
        except _Refused as refused:
            return refused.error

    def _changed_attribute(self, step: StepRecord) -> Decision:
        found = read_state(self.factory, step.action, step.target, step.region, step.after)
        if isinstance(found, ApiError):
            return found
        if found is None:
            return UndoOutcome.NOTHING_TO_DO, "it no longer exists"
        if step.before is None or found == step.before:
            return UndoOutcome.NOTHING_TO_DO, "it is as it was before the apply"
        applied = after_state(step.action, step.after)
        if found != applied:
            change = describe_change(step.action, step.target, applied, found)
            return UndoOutcome.KEPT, "left as it is: " + change.replace("the plan", "the apply")
        return restore(self.factory, step.action, step.target, step.region, step.before)

    def _created_log_group(self, step: StepRecord) -> Decision:
        if step.before is not None:
            return UndoOutcome.NOTHING_TO_DO, _EXISTED
        group = read_log_group(self.factory, step.target)
        if group.error is not None:
            return group.error
        if not group.exists:
            return UndoOutcome.NOTHING_TO_DO, _MISSING
        logs = self.factory.client("logs", step.region)
        # The tag tells the group the apply created from a namesake someone created after
        # the begin record (the apply's create then failed).
        tags = _ask(
            "logs:ListTagsForResource",
            step.region,
            lambda: logs.list_tags_for_resource(resourceArn=group.key).get("tags", {}),
        )
        if not _ours(tags):
            return UndoOutcome.NOTHING_TO_DO, _NOT_OURS
        # storedBytes lags behind ingestion by hours; a stream exists from the first delivery.
        streams = _ask(
            "logs:DescribeLogStreams",
            step.region,
            lambda: logs.describe_log_streams(logGroupName=group.name, limit=1)["logStreams"],
        )
        if ((group.stored_bytes or 0) > 0 or streams) and not self.delete_used:
            return UndoOutcome.KEPT, (
                "it has received events, so it is kept; run rollback again with "
                "--delete-used-log-groups to delete it"
            )
        return delete_log_group(self.factory, group.name, step.region)

    def _created_role(self, step: StepRecord) -> Decision:
        if step.before is not None:
            return UndoOutcome.NOTHING_TO_DO, _EXISTED
        iam, name = self.factory.client("iam", step.region), role_name(step.target)[0]
        try:
            role = _ask("iam:GetRole", None, lambda: iam.get_role(RoleName=name)["Role"])
        except _Refused as refused:
            if refused.error.code == "NoSuchEntity":
                return UndoOutcome.NOTHING_TO_DO, _MISSING
            raise
        if not _ours({t["Key"]: t["Value"] for t in role.get("Tags", [])}):
            return UndoOutcome.NOTHING_TO_DO, _NOT_OURS
        inline = _ask("iam:ListRolePolicies", None, lambda: iam.list_role_policies(RoleName=name))
        attached = _ask(
            "iam:ListAttachedRolePolicies",
            None,
            lambda: iam.list_attached_role_policies(RoleName=name),
        )
        ours = {
            s.after.get("policy_name")
            for s in self.state.steps
            if s.action is Action.PUT_ROLE_POLICY and s.target == step.target
        }
        others = [p for p in inline["PolicyNames"] if p not in ours]
        others += [p["PolicyArn"] for p in attached["AttachedPolicies"]]
        if others or inline.get("IsTruncated") or attached.get("IsTruncated"):
            return UndoOutcome.KEPT, (
                f"it has policies this apply did not add ({', '.join(others)}), so it is kept"
            )
        return delete_role(self.factory, name, step.region, list(inline["PolicyNames"]))


def _ours(tags: dict[str, str]) -> bool:
    return all(tags.get(k) == v for k, v in TAGS.items())


class _Refused(Exception):
    """A read that rollback needed failed: the undo cannot be decided."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.describe())
        self.error = error


def _ask(action: str, region: str | None, call: Callable[[], T]) -> T:
    try:
        return call()
    except AwsCallError as exc:
        raise _Refused(api_error(exc, action, region)) from exc
