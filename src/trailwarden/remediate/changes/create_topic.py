"""sns:CreateTopic: the topic trailwarden's CIS alarms notify (TW101–TW115), when no
``--alarm-topic-arn`` names one to reuse.

``before`` None → ``after`` {name, tags}; the target is the topic's ARN, in the region of
the log group (CloudWatch alarms notify topics of their own region). Undone by deleting
the topic, only if it was absent before the apply, is there, carries this apply's tags
(``created-by=trailwarden`` and its journal's id) and has no subscription but the ones
this apply made.
"""

from __future__ import annotations

import re
import shlex
from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.arns import LogGroupRef
from trailwarden.collect.calls import AwsCallError
from trailwarden.inventory import ApiError, JsonDict
from trailwarden.remediate.changes.base import ReadWhole, State, UndoContext
from trailwarden.remediate.changes.outcome import (
    EXISTED,
    MISSING,
    NOT_OURS,
    Call,
    Decision,
    UndoOutcome,
    ask,
)
from trailwarden.remediate.changes.support.reads import absent_or_error
from trailwarden.remediate.changes.support.shapes import target_arn
from trailwarden.remediate.changes.support.shell import tag_args
from trailwarden.remediate.changes.support.topics import list_topic_subscriptions, subscribes_to
from trailwarden.remediate.changes.support.wording import tags
from trailwarden.remediate.model import Action, Step, StepRecord
from trailwarden.remediate.policies import TAGS, ours, tagged

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["CreateTopic"]

# https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (topic names)
_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}")


class CreateTopic(ReadWhole):
    action = Action.CREATE_TOPIC
    permissions = ("sns:CreateTopic", "sns:TagResource")
    reads = ("sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource")
    undo_permissions = ("sns:DeleteTopic",)
    subject = "SNS topic"

    @classmethod
    def build(
        cls,
        group: LogGroupRef,
        arn: str,
        name: str,
        trail_arn: str,
        fixes: tuple[str, ...],
        reason: str,
    ) -> Step:
        return cls.make_step(
            arn,
            None,
            {"name": name, "tags": dict(TAGS)},
            region=group.region,
            account_id=group.account_id,
            trail_arn=trail_arn,
            fixes=fixes,
            reason=reason,
        )

    def describe(self, step: Step) -> tuple[str, list[str]]:
        return f"create SNS topic {step.after.get('name')} in {step.region}", [
            f"(does not exist) → exists, tagged {tags(step.after)}"
        ]

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        return [
            *("aws", "sns", "create-topic", "--name", q(a["name"])),
            *tag_args(a),
            *("--region", q(step.region)),
        ]

    def problem(self, step: Step) -> str | None:
        name = target_arn(step).resource
        if step.before is not None:
            return "it creates a topic that existed"
        if not _NAME.fullmatch(name) or step.after != {"name": name, "tags": TAGS}:
            return "its after is not the topic of its target, tagged as trailwarden tags"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        resources.for_monitoring("topic", step).created = True

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        try:
            factory.client("sns", region).get_topic_attributes(TopicArn=target)
        except AwsCallError as exc:
            return absent_or_error(exc, "sns:GetTopicAttributes", region)
        return {"name": target.rsplit(":", 1)[1]}

    def after_state(self, after: JsonDict) -> State:
        return {"name": after["name"]}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        sns = factory.client("sns", region)
        tags = tagged(after, journal_id)
        pairs: Any = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
        return Call(
            self.action.value, partial(sns.create_topic, Name=after["name"], Tags=pairs), region
        )

    def undo(self, context: UndoContext, record: StepRecord) -> Decision:
        if record.before is not None:
            return UndoOutcome.NOTHING_TO_DO, EXISTED
        subs = list_topic_subscriptions(context.factory, record.target, record.region)
        if isinstance(subs, ApiError):
            return subs
        if subs is None:
            return UndoOutcome.NOTHING_TO_DO, MISSING
        sns = context.factory.client("sns", record.region)
        found = ask(
            "sns:ListTagsForResource",
            record.region,
            lambda: sns.list_tags_for_resource(ResourceArn=record.target).get("Tags", []),
        )
        if not ours({t["Key"]: t["Value"] for t in found}, context.journal_id):
            return UndoOutcome.NOTHING_TO_DO, NOT_OURS
        made = {
            (s.after.get("protocol"), s.after.get("endpoint"))
            for s in subscribes_to(context.journal, record.target)
        }
        others = [
            f"{s.get('Protocol')} {s.get('Endpoint')}"
            for s in subs
            if (s.get("Protocol"), s.get("Endpoint")) not in made
        ]
        if others:
            return UndoOutcome.KEPT, (
                f"it has subscriptions this apply did not add ({', '.join(others)}), so it is kept"
            )
        # DeleteTopic: its subscriptions, pending ones included, go with it.
        # https://docs.aws.amazon.com/sns/latest/api/API_DeleteTopic.html
        return Call(
            "sns:DeleteTopic", partial(sns.delete_topic, TopicArn=record.target), record.region
        )
