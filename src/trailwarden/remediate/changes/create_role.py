"""iam:CreateRole: a delivery role only CloudTrail acting for one trail may assume (TW001,
TW003).

``before`` None → ``after`` {role_name, path, assume_role_policy, description, tags}; the
target is the role's ARN (with its path). Undone by deleting the role (its inline policies
first), only if it was absent before the apply, carries this apply's tags
(``created-by=trailwarden`` and its journal's id) and has no policy this apply did not add.
"""

from __future__ import annotations

import json
import re
import shlex
from functools import partial
from typing import TYPE_CHECKING

from trailwarden.inventory import ApiError, JsonDict, Trail
from trailwarden.remediate.changes.base import Change, State, UndoContext
from trailwarden.remediate.changes.outcome import (
    EXISTED,
    MISSING,
    NOT_OURS,
    Call,
    Decision,
    Refused,
    UndoOutcome,
    ask,
)
from trailwarden.remediate.changes.support.reads import ROLE_READS, read_role_target
from trailwarden.remediate.changes.support.shapes import has_keys, is_text, target_arn
from trailwarden.remediate.changes.support.shell import json_arg, tag_args
from trailwarden.remediate.changes.support.targets import role_name
from trailwarden.remediate.changes.support.wording import tags, trusted_by
from trailwarden.remediate.model import Action, Step, StepRecord
from trailwarden.remediate.policies import (
    TAGS,
    ours,
    role_arn,
    role_description,
    tagged,
    trust_policy,
)

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["CreateRole"]

# IAM paths: / or /segment/…/ (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)
_PATH = re.compile(r"/([\x21-\x7e]{1,510}/)?")


class CreateRole(Change):
    action = Action.CREATE_ROLE
    permissions = ("iam:CreateRole", "iam:TagRole")
    reads = ROLE_READS
    undo_permissions = ("iam:DeleteRolePolicy", "iam:DeleteRole")
    subject = "Role"

    @classmethod
    def build(
        cls, trail: Trail, name: str, fixes: tuple[str, ...], reason: str, path: str = "/"
    ) -> Step:
        """Role ``name`` under ``path`` (a missing role is recreated where it was)."""
        after = {
            "role_name": name,
            "path": path,
            "assume_role_policy": trust_policy(trail.arn, trail.account_id),
            "description": role_description(trail),
            "tags": dict(TAGS),
        }
        return cls.for_trail(trail, role_arn(trail, name, path), None, after, fixes, reason)

    def problem(self, step: Step) -> str | None:
        after, resource = step.after, target_arn(step).resource
        keys = ("role_name", "path", "assume_role_policy", "description", "tags")
        if step.before is not None:
            return "it creates a role that existed"
        if not has_keys(after, keys) or not is_text(after["description"], 1000):
            return "its after is not a role that trailwarden creates"
        if resource != f"role{after['path']}{after['role_name']}" or not _PATH.fullmatch(
            str(after["path"])
        ):
            return "its after names another role than its target"
        if after["tags"] != TAGS:
            return "its after has other tags than trailwarden's"
        if after["assume_role_policy"] != trust_policy(step.trail_arn, step.account_id):
            return "its trust policy is not the one trailwarden gives a delivery role"
        return None

    def describe(self, step: Step) -> tuple[str, list[str]]:
        after = step.after
        return f"create IAM role {after.get('role_name')}", [
            f"(does not exist) → exists, tagged {tags(after)}",
            f"trusted by: {trusted_by(after.get('assume_role_policy'))}",
        ]

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        return [
            *("aws", "iam", "create-role", "--role-name", q(a["role_name"])),
            *("--path", q(a.get("path", "/"))),
            *("--assume-role-policy-document", json_arg(a["assume_role_policy"])),
            *("--description", q(a.get("description", ""))),
            *tag_args(a),
        ]

    def iac(self, resources: Resources, step: Step) -> None:
        role, after = resources.for_role(step), step.after
        role.created, role.path = True, str(after.get("path", "/"))
        role.description, role.tags = after.get("description"), after.get("tags", {})
        role.trust = after["assume_role_policy"]
        role.role_steps.append(step)

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        draft = read_role_target(factory, target, region)
        if draft is None or isinstance(draft, ApiError):
            return draft
        return {"role_name": draft.name}

    def after_state(self, after: JsonDict) -> State:
        return {"role_name": after["role_name"]}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        iam = factory.client("iam", region)
        tags = tagged(after, journal_id)
        run = partial(
            iam.create_role,
            RoleName=role_name(target)[0],
            Path=after.get("path", "/"),
            AssumeRolePolicyDocument=json.dumps(after["assume_role_policy"]),
            Description=after.get("description", ""),
            Tags=[{"Key": k, "Value": v} for k, v in sorted(tags.items())],
        )
        return Call(self.action.value, run, region)

    def undo(self, context: UndoContext, record: StepRecord) -> Decision:
        if record.before is not None:
            return UndoOutcome.NOTHING_TO_DO, EXISTED
        iam, name = context.factory.client("iam", record.region), role_name(record.target)[0]
        try:
            role = ask("iam:GetRole", None, lambda: iam.get_role(RoleName=name)["Role"])
        except Refused as refused:
            if refused.error.code == "NoSuchEntity":
                return UndoOutcome.NOTHING_TO_DO, MISSING
            raise
        if not ours({t["Key"]: t["Value"] for t in role.get("Tags", [])}, context.journal_id):
            return UndoOutcome.NOTHING_TO_DO, NOT_OURS
        inline = ask("iam:ListRolePolicies", None, lambda: iam.list_role_policies(RoleName=name))
        attached = ask(
            "iam:ListAttachedRolePolicies",
            None,
            lambda: iam.list_attached_role_policies(RoleName=name),
        )
        added = {
            s.after.get("policy_name")
            for s in context.journal
            if s.action is Action.PUT_ROLE_POLICY and s.target == record.target
        }
        others = [p for p in inline["PolicyNames"] if p not in added]
        others += [p["PolicyArn"] for p in attached["AttachedPolicies"]]
        if others or inline.get("IsTruncated") or attached.get("IsTruncated"):
            return UndoOutcome.KEPT, (
                f"it has policies this apply did not add ({', '.join(others)}), so it is kept"
            )
        return _delete_role(context.factory, name, record.region, list(inline["PolicyNames"]))


def _delete_role(factory: ClientFactory, name: str, region: str, inline: list[str]) -> Call:
    """DeleteRole, after the inline policies: IAM refuses to delete a role that still has
    policies (DeleteConflict). https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html
    """
    iam = factory.client("iam", region)

    def run() -> None:
        for policy in inline:
            iam.delete_role_policy(RoleName=name, PolicyName=policy)
        iam.delete_role(RoleName=name)

    return Call("iam:DeleteRole", run, region)
