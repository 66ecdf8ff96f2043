"""Undoing a created SNS topic or a subscription (the monitoring fixes, TW101–TW115).

- A topic is deleted only if it was absent before the apply, is there, is tagged
  ``created-by=trailwarden`` and has no subscription but the ones this apply made.
- A confirmed subscription is unsubscribed (if it is still the one the apply made, when the
  journal has its ARN). A pending one cannot be unsubscribed by API: it is kept, with a note
  saying that it goes with the topic (if the apply created it) or expires after 3 days.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailwarden.inventory import ApiError
from trailwarden.remediate.calls import delete_topic, unsubscribe
from trailwarden.remediate.journal_state import JournalState, StepRecord
from trailwarden.remediate.model import Action
from trailwarden.remediate.monitoring_state import (
    PENDING,
    find_subscription,
    list_topic_subscriptions,
)
from trailwarden.remediate.undo_outcome import (
    EXISTED,
    MISSING,
    NOT_OURS,
    Decision,
    UndoOutcome,
    ask,
    ours,
)

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["created_topic", "subscription"]


def created_topic(factory: ClientFactory, state: JournalState, step: StepRecord) -> Decision:
    if step.before is not None:
        return UndoOutcome.NOTHING_TO_DO, EXISTED
    subs = list_topic_subscriptions(factory, step.target, step.region)
    if isinstance(subs, ApiError):
        return subs
    if subs is None:
        return UndoOutcome.NOTHING_TO_DO, MISSING
    sns = factory.client("sns", step.region)
    tags = ask(
        "sns:ListTagsForResource",
        step.region,
        lambda: sns.list_tags_for_resource(ResourceArn=step.target).get("Tags", []),
    )
    if not ours({t["Key"]: t["Value"] for t in tags}):
        return UndoOutcome.NOTHING_TO_DO, NOT_OURS
    made = {(s.after.get("protocol"), s.after.get("endpoint")) for s in _subscribes(state, step)}
    others = [
        f"{s.get('Protocol')} {s.get('Endpoint')}"
        for s in subs
        if (s.get("Protocol"), s.get("Endpoint")) not in made
    ]
    if others:
        return UndoOutcome.KEPT, (
            f"it has subscriptions this apply did not add ({', '.join(others)}), so it is kept"
        )
    return delete_topic(factory, step.target, step.region)


def subscription(factory: ClientFactory, state: JournalState, step: StepRecord) -> Decision:
    if step.before is not None:
        return UndoOutcome.NOTHING_TO_DO, EXISTED
    subs = list_topic_subscriptions(factory, step.target, step.region)
    if isinstance(subs, ApiError):
        return subs
    if subs is None:
        return UndoOutcome.NOTHING_TO_DO, "its topic no longer exists"
    sub = find_subscription(subs, step.after["protocol"], step.after["endpoint"])
    if sub is None:
        return UndoOutcome.NOTHING_TO_DO, MISSING
    arn = sub.get("SubscriptionArn", "")
    if arn == PENDING:
        # https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html
        fate = (
            "it goes away when the topic this apply created is deleted"
            if _topic_created(state, step)
            else "it expires if nobody confirms it within 3 days"
        )
        return UndoOutcome.KEPT, (
            f"{step.after['endpoint']} has not confirmed the subscription, and SNS cannot "
            f"unsubscribe a pending one; {fate}"
        )
    made = (step.result or {}).get("subscription_arn")
    if made and made != arn:
        return UndoOutcome.KEPT, (
            f"the subscription of {step.after['endpoint']} is now {arn}, not the one the "
            f"apply made ({made}): left as it is"
        )
    return unsubscribe(factory, arn, step.region)


def _subscribes(state: JournalState, topic: StepRecord) -> list[StepRecord]:
    return [s for s in state.steps if s.action is Action.SUBSCRIBE and s.target == topic.target]


def _topic_created(state: JournalState, sub: StepRecord) -> bool:
    return any(
        s.action is Action.CREATE_TOPIC and s.target == sub.target and s.before is None
        for s in state.steps
    )
