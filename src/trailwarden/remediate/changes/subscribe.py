"""sns:Subscribe: an e-mail address on the alarms' topic (``--alarm-email``; TW101–TW115).

``before`` None → ``after`` {protocol: "email", endpoint}; the target is the topic's ARN.
The subscription stays pending until its recipient confirms it. Undone by Unsubscribe
once confirmed (if it is still the one the apply made); a pending one cannot be
unsubscribed through the API: it is kept, with a note saying it goes with the topic (if
the apply created it) or expires after 3 days.
"""

from __future__ import annotations

import re
import shlex
from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.arns import LogGroupRef
from trailwarden.inventory import ApiError, JsonDict
from trailwarden.remediate.changes.base import ReadWhole, State, UndoContext
from trailwarden.remediate.changes.outcome import EXISTED, MISSING, Call, Decision, UndoOutcome
from trailwarden.remediate.changes.support.shapes import has_keys, is_text
from trailwarden.remediate.changes.support.topics import (
    PENDING,
    find_subscription,
    list_topic_subscriptions,
)
from trailwarden.remediate.changes.support.wording import name_of
from trailwarden.remediate.model import Action, Step, StepRecord

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["Subscribe"]

# What --alarm-email accepts (FixOptions): no spaces, separators or control characters.
_EMAIL = re.compile(r"[^@\s,;\x00-\x1f\x7f]+@[^@\s,;.\x00-\x1f\x7f]+(\.[^@\s,;.\x00-\x1f\x7f]+)+")


class Subscribe(ReadWhole):
    action = Action.SUBSCRIBE
    permissions = ("sns:Subscribe",)
    reads = ("sns:ListSubscriptionsByTopic",)
    undo_permissions = ("sns:Unsubscribe",)
    subject = "The subscription to SNS topic"

    @classmethod
    def build(
        cls,
        group: LogGroupRef,
        topic: str,
        email: str,
        trail_arn: str,
        fixes: tuple[str, ...],
        reason: str,
    ) -> Step:
        return cls.make_step(
            topic,
            None,
            {"protocol": "email", "endpoint": email},
            region=group.region,
            account_id=group.account_id,
            trail_arn=trail_arn,
            fixes=fixes,
            reason=reason,
        )

    def describe(self, step: Step) -> tuple[str, list[str]]:
        after = step.after
        return f"subscribe {after.get('endpoint')} to SNS topic {name_of(step.target)}", [
            f"{after.get('protocol')} subscription: (none) → pending confirmation by its recipient"
        ]

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        return [
            *("aws", "sns", "subscribe", "--topic-arn", q(step.target)),
            *("--protocol", q(a["protocol"]), "--notification-endpoint", q(a["endpoint"])),
            *("--region", q(step.region)),
        ]

    def problem(self, step: Step) -> str | None:
        after = step.after
        if step.before is not None:
            return "it adds a subscription that existed"
        if not has_keys(after, ("protocol", "endpoint")) or after["protocol"] != "email":
            return "its after is not an e-mail subscription"
        if not is_text(after["endpoint"], 320) or not _EMAIL.fullmatch(after["endpoint"]):
            return "its after does not name an e-mail address"
        return None

    def result_problem(self, target: str, result: JsonDict) -> str | None:
        arn = result.get("subscription_arn")
        if set(result) != {"subscription_arn"} or not isinstance(arn, str):
            return "its result is not a subscription ARN"
        if not arn.startswith(target + ":") or len(arn) > len(target) + 64:
            return "its result is not a subscription to the step's topic"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        resources.for_monitoring("topic", step).emails.append(str(step.after["endpoint"]))

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        subs = list_topic_subscriptions(factory, target, region)
        if subs is None or isinstance(subs, ApiError):
            return subs
        sub = find_subscription(subs, after["protocol"], after["endpoint"])
        return None if sub is None else {"protocol": sub["Protocol"], "endpoint": sub["Endpoint"]}

    def after_state(self, after: JsonDict) -> State:
        return {"protocol": after["protocol"], "endpoint": after["endpoint"]}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        sns = factory.client("sns", region)
        # With ReturnSubscriptionArn SNS answers the ARN even while the subscription
        # waits for confirmation (else "pending confirmation"); the journal keeps it.
        # https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
        run = partial(
            sns.subscribe,
            TopicArn=target,
            Protocol=after["protocol"],
            Endpoint=after["endpoint"],
            ReturnSubscriptionArn=True,
        )
        return Call(self.action.value, run, region)

    def recorded(self, response: Any) -> JsonDict | None:
        """The subscription's ARN: rollback unsubscribes that one, not a namesake."""
        if not isinstance(response, dict):
            return None
        arn = response.get("SubscriptionArn")
        return (
            {"subscription_arn": arn} if isinstance(arn, str) and arn.startswith("arn:") else None
        )

    def undo(self, context: UndoContext, record: StepRecord) -> Decision:
        if record.before is not None:
            return UndoOutcome.NOTHING_TO_DO, EXISTED
        subs = list_topic_subscriptions(context.factory, record.target, record.region)
        if isinstance(subs, ApiError):
            return subs
        if subs is None:
            return UndoOutcome.NOTHING_TO_DO, "its topic no longer exists"
        sub = find_subscription(subs, record.after["protocol"], record.after["endpoint"])
        if sub is None:
            return UndoOutcome.NOTHING_TO_DO, MISSING
        arn = sub.get("SubscriptionArn", "")
        if arn == PENDING:
            # https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html
            fate = (
                "it goes away when the topic this apply created is deleted"
                if _topic_created(context.journal, record)
                else "it expires if nobody confirms it within 3 days"
            )
            return UndoOutcome.KEPT, (
                f"{record.after['endpoint']} has not confirmed the subscription, and SNS cannot "
                f"unsubscribe a pending one; {fate}"
            )
        made = (record.result or {}).get("subscription_arn")
        if made and made != arn:
            return UndoOutcome.KEPT, (
                f"the subscription of {record.after['endpoint']} is now {arn}, not the one the "
                f"apply made ({made}): left as it is"
            )
        sns = context.factory.client("sns", record.region)
        return Call("sns:Unsubscribe", partial(sns.unsubscribe, SubscriptionArn=arn), record.region)


def _topic_created(journal: tuple[StepRecord, ...], sub: StepRecord) -> bool:
    return any(
        s.action is Action.CREATE_TOPIC and s.target == sub.target and s.before is None
        for s in journal
    )
