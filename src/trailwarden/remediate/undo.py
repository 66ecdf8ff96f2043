"""What undoing one journalled step takes, decided from the target's current state.

- A created log group or role is deleted only if it is there, was absent before the apply
  (the ``begin`` record's state) and carries the ``created-by=trailwarden`` tag; a created
  log group that has received events is kept unless the user asks to delete used groups.
- A changed attribute (retention, role policy, trust policy, the trail's two ARNs, logging,
  a metric filter, an alarm, alarm actions) goes back to its recorded prior value — a
  filter or alarm that did not exist is deleted — only if it still has the value the apply
  set; changed by someone since, it is left as it is and reported.
- A created SNS topic is deleted like a created log group (absent before, tagged), unless
  it has subscriptions this apply did not add. A subscription is unsubscribed once
  confirmed; a pending one cannot be (it is kept, with a note: it goes with the topic, or
  expires unconfirmed after 3 days).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailwarden.inventory import ApiError
from trailwarden.remediate.calls import delete, delete_log_group, delete_role, restore
from trailwarden.remediate.current import (
    after_state,
    describe_change,
    matches,
    read_log_group,
    read_state,
    role_name,
)
from trailwarden.remediate.journal_state import JournalState, StepRecord
from trailwarden.remediate.model import Action
from trailwarden.remediate.monitoring_undo import created_topic, subscription
from trailwarden.remediate.undo_outcome import (
    EXISTED,
    MISSING,
    NOT_OURS,
    Decision,
    Refused,
    UndoOutcome,
    ask,
    ours,
)

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["Decision", "UndoOutcome", "Undoer"]

# A filter or alarm the apply put where there was none is undone by deleting it.
_PUT_OR_DELETE = frozenset({Action.PUT_METRIC_FILTER, Action.PUT_METRIC_ALARM})


class Undoer:
    def __init__(self, factory: ClientFactory, state: JournalState, delete_used: bool) -> None:
        self.factory, self.state, self.delete_used = factory, state, delete_used

    def decide(self, step: StepRecord) -> Decision:
        try:
            if step.action is Action.CREATE_LOG_GROUP:
                return self._created_log_group(step)
            if step.action is Action.CREATE_ROLE:
                return self._created_role(step)
            if step.action is Action.CREATE_TOPIC:
                return created_topic(self.factory, self.state, step)
            if step.action is Action.SUBSCRIBE:
                return subscription(self.factory, self.state, step)
            return self._changed_attribute(step)
        except Refused as refused:
            return refused.error

    def _changed_attribute(self, step: StepRecord) -> Decision:
        found = read_state(self.factory, step.action, step.target, step.region, step.after)
        if isinstance(found, ApiError):
            return found
        if found is None:
            return UndoOutcome.NOTHING_TO_DO, "it no longer exists"
        created = step.action in _PUT_OR_DELETE and step.before is None
        if not created and (step.before is None or matches(step.action, step.before, found)):
            return UndoOutcome.NOTHING_TO_DO, "it is as it was before the apply"
        applied = after_state(step.action, step.after)
        if not matches(step.action, applied, found):
            change = describe_change(step.action, step.target, applied, found)
            return UndoOutcome.KEPT, "left as it is: " + change.replace("the plan", "the apply")
        if created:
            return delete(self.factory, step.action, step.target, step.region)
        assert step.before is not None
        return restore(self.factory, step.action, step.target, step.region, step.before)

    def _created_log_group(self, step: StepRecord) -> Decision:
        if step.before is not None:
            return UndoOutcome.NOTHING_TO_DO, EXISTED
        group = read_log_group(self.factory, step.target)
        if group.error is not None:
            return group.error
        if not group.exists:
            return UndoOutcome.NOTHING_TO_DO, MISSING
        logs = self.factory.client("logs", step.region)
        # The tag tells the group the apply created from a namesake someone created after
        # the begin record (the apply's create then failed).
        tags = ask(
            "logs:ListTagsForResource",
            step.region,
            lambda: logs.list_tags_for_resource(resourceArn=group.key).get("tags", {}),
        )
        if not ours(tags):
            return UndoOutcome.NOTHING_TO_DO, NOT_OURS
        # storedBytes lags behind ingestion by hours; a stream exists from the first delivery.
        streams = ask(
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
            return UndoOutcome.NOTHING_TO_DO, EXISTED
        iam, name = self.factory.client("iam", step.region), role_name(step.target)[0]
        try:
            role = ask("iam:GetRole", None, lambda: iam.get_role(RoleName=name)["Role"])
        except Refused as refused:
            if refused.error.code == "NoSuchEntity":
                return UndoOutcome.NOTHING_TO_DO, MISSING
            raise
        if not ours({t["Key"]: t["Value"] for t in role.get("Tags", [])}):
            return UndoOutcome.NOTHING_TO_DO, NOT_OURS
        inline = ask("iam:ListRolePolicies", None, lambda: iam.list_role_policies(RoleName=name))
        attached = ask(
            "iam:ListAttachedRolePolicies",
            None,
            lambda: iam.list_attached_role_policies(RoleName=name),
        )
        added = {
            s.after.get("policy_name")
            for s in self.state.steps
            if s.action is Action.PUT_ROLE_POLICY and s.target == step.target
        }
        others = [p for p in inline["PolicyNames"] if p not in added]
        others += [p["PolicyArn"] for p in attached["AttachedPolicies"]]
        if others or inline.get("IsTruncated") or attached.get("IsTruncated"):
            return UndoOutcome.KEPT, (
                f"it has policies this apply did not add ({', '.join(others)}), so it is kept"
            )
        return delete_role(self.factory, name, step.region, list(inline["PolicyNames"]))
