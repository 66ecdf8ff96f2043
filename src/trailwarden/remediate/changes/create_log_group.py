"""logs:CreateLogGroup: the log group a trail delivers to (TW001, TW002).

``before`` None → ``after`` {log_group_name, kms_key_id, tags}; the target is the log
group's key (its ARN without ``:*``). Undone by deleting the group, only if it was absent
before the apply, is there, carries the tags of this apply (``created-by=trailwarden`` and
its journal's id) and has received no events (unless the user asks to delete used
groups). A create that failed because the group already existed made nothing: rollback
leaves that group alone.
"""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.arns import LogGroupRef, parse_arn, parse_log_group_arn
from trailwarden.inventory import ApiError, JsonDict, Trail
from trailwarden.remediate.changes.base import Change, State, UndoContext
from trailwarden.remediate.changes.outcome import (
    EXISTED,
    MISSING,
    NOT_OURS,
    Call,
    Decision,
    UndoOutcome,
    ask,
)
from trailwarden.remediate.changes.support.reads import read_log_group
from trailwarden.remediate.changes.support.shapes import has_keys
from trailwarden.remediate.changes.support.targets import log_group_ref
from trailwarden.remediate.changes.support.wording import tags
from trailwarden.remediate.model import Action, Step, StepRecord
from trailwarden.remediate.policies import TAGS, ours, tagged

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["CreateLogGroup"]


class CreateLogGroup(Change):
    action = Action.CREATE_LOG_GROUP
    # CreateLogGroup with tags also needs logs:TagResource.
    # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
    permissions = ("logs:CreateLogGroup", "logs:TagResource")
    reads = ("logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:DescribeLogStreams")
    undo_permissions = ("logs:DeleteLogGroup",)
    subject = "Log group"

    @classmethod
    def build(
        cls,
        trail: Trail,
        group: LogGroupRef,
        kms_key_id: str | None,
        fixes: tuple[str, ...],
        reason: str,
    ) -> Step:
        after = {"log_group_name": group.name, "kms_key_id": kms_key_id, "tags": dict(TAGS)}
        return cls.for_trail(trail, group.key, None, after, fixes, reason)

    def describe(self, step: Step) -> tuple[str, list[str]]:
        after = step.after
        kms = after.get("kms_key_id")
        return f"create log group {after.get('log_group_name')} in {step.region}", [
            f"(does not exist) → exists, tagged {tags(after)}"
            + (f", encrypted with KMS key {kms}" if kms else ""),
        ]

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        kms = ["--kms-key-id", q(a["kms_key_id"])] if a.get("kms_key_id") else []
        pairs = ",".join(f"{k}={v}" for k, v in a.get("tags", {}).items())
        return [
            *("aws", "logs", "create-log-group", "--log-group-name", q(a["log_group_name"])),
            *kms,
            *(["--tags", q(pairs)] if pairs else []),
            *("--region", q(step.region)),
        ]

    def problem(self, step: Step) -> str | None:
        ref, after = parse_log_group_arn(step.target), step.after
        if ref is None or ref.key != step.target:
            return "its target is not a log group"
        if step.before is not None:
            return "it creates a log group that existed"
        if not has_keys(after, ("log_group_name", "kms_key_id", "tags")):
            return "its after is not a log group that trailwarden creates"
        if after["log_group_name"] != ref.name or after["tags"] != TAGS:
            return "its after names another log group or other tags"
        kms = parse_arn(after["kms_key_id"]) if isinstance(after["kms_key_id"], str) else None
        if after["kms_key_id"] is not None and (
            kms is None or kms.service != "kms" or kms.region != step.region
        ):
            return "its KMS key is not a KMS key ARN of the log group's region"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        group = resources.for_group(step)
        group.created, group.kms_key_id = True, step.after.get("kms_key_id")

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        group = read_log_group(factory, target)
        if group.error is not None:
            return group.error
        if not group.exists:
            return None
        return {"log_group_name": group.name}

    def after_state(self, after: JsonDict) -> State:
        return {"log_group_name": after["log_group_name"]}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        logs = factory.client("logs", region)
        kms = {"kmsKeyId": after["kms_key_id"]} if after.get("kms_key_id") else {}
        name = log_group_ref(target).name
        tags = tagged(after, journal_id)
        run = partial(logs.create_log_group, logGroupName=name, tags=tags, **kms)
        return Call(self.action.value, run, region)

    def undo(self, context: UndoContext, record: StepRecord) -> Decision:
        if record.before is not None:
            return UndoOutcome.NOTHING_TO_DO, EXISTED
        group = read_log_group(context.factory, record.target)
        if group.error is not None:
            return group.error
        if not group.exists:
            return UndoOutcome.NOTHING_TO_DO, MISSING
        logs = context.factory.client("logs", record.region)
        # The tags tell the group this apply created from a namesake someone (or another
        # apply) created after the begin record (the apply's create then failed).
        found: Any = ask(
            "logs:ListTagsForResource",
            record.region,
            lambda: logs.list_tags_for_resource(resourceArn=group.key).get("tags", {}),
        )
        if not ours(found, context.journal_id):
            return UndoOutcome.NOTHING_TO_DO, NOT_OURS
        # storedBytes lags behind ingestion by hours; a stream exists from the first delivery.
        streams = ask(
            "logs:DescribeLogStreams",
            record.region,
            lambda: logs.describe_log_streams(logGroupName=group.name, limit=1)["logStreams"],
        )
        if ((group.stored_bytes or 0) > 0 or streams) and not context.delete_used_log_groups:
            return UndoOutcome.KEPT, (
                "it has received events, so it is kept; run rollback again with "
                "--delete-used-log-groups to delete it"
            )
        logs_delete = partial(logs.delete_log_group, logGroupName=group.name)
        return Call("logs:DeleteLogGroup", logs_delete, record.region)
