"""iam:UpdateAssumeRolePolicy: let CloudTrail assume a role the trail already uses (TW003).

``before`` {role_name, assume_role_policy} → the same keys; the new trust policy is the old
one with trailwarden's statement added (nothing removed). The target is the role's ARN.
Undone by putting the prior trust policy back.
"""

from __future__ import annotations

import json
import shlex
from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.inventory import ApiError, JsonDict, Role, Trail
from trailwarden.remediate.changes.base import AttributeChange, State, json_copy
from trailwarden.remediate.changes.outcome import Call
from trailwarden.remediate.changes.support.reads import ROLE_READS, read_role_target
from trailwarden.remediate.changes.support.shapes import has_keys, is_policy, target_arn
from trailwarden.remediate.changes.support.shell import json_arg
from trailwarden.remediate.changes.support.targets import role_name
from trailwarden.remediate.changes.support.wording import trusted_by
from trailwarden.remediate.model import Action, Step
from trailwarden.remediate.policies import merged_trust

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["UpdateAssumeRolePolicy"]


class UpdateAssumeRolePolicy(AttributeChange):
    action = Action.UPDATE_ASSUME_ROLE_POLICY
    permissions = ("iam:UpdateAssumeRolePolicy",)
    reads = ROLE_READS
    undo_permissions = ("iam:UpdateAssumeRolePolicy",)
    subject = "Role"

    @classmethod
    def build(
        cls, trail: Trail, role: Role, trust: dict[str, Any], fixes: tuple[str, ...], reason: str
    ) -> Step:
        before = {"role_name": role.name, "assume_role_policy": json_copy(role.trust_policy)}
        after = {"role_name": role.name, "assume_role_policy": json_copy(trust)}
        return cls.for_trail(trail, role.arn, before, after, fixes, reason)

    def describe(self, step: Step) -> tuple[str, list[str]]:
        before, after = step.before or {}, step.after
        return f"update the trust policy of role {after.get('role_name')}", [
            f"trusted by: {trusted_by(before.get('assume_role_policy'))}",
            f"         → {trusted_by(after.get('assume_role_policy'))}",
        ]

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        return [
            *("aws", "iam", "update-assume-role-policy", "--role-name", q(a["role_name"])),
            *("--policy-document", json_arg(a["assume_role_policy"])),
        ]

    def problem(self, step: Step) -> str | None:
        before, after, arn = step.before, step.after, target_arn(step)
        keys = ("role_name", "assume_role_policy")
        if not arn.resource.startswith("role/"):
            return "its target is not a role"
        if not has_keys(before, keys) or not has_keys(after, keys):
            return "its before or after is not a trust policy"
        assert before is not None
        name = arn.resource.rsplit("/", 1)[-1]
        if before["role_name"] != name or after["role_name"] != name:
            return "it names another role than its target"
        if not is_policy(before["assume_role_policy"]):
            return "its before is not a trust policy"
        # The only change trailwarden makes to a trust policy: its one statement added.
        added = merged_trust(before["assume_role_policy"], step.trail_arn, step.account_id)
        if after["assume_role_policy"] != added:
            return "its after is not its before with trailwarden's trust statement added"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        role = resources.for_role(step)
        role.trust = step.after["assume_role_policy"]
        role.role_steps.append(step)

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        draft = read_role_target(factory, target, region)
        if draft is None or isinstance(draft, ApiError):
            return draft
        return {"role_name": draft.name, "assume_role_policy": draft.trust_policy}

    def after_state(self, after: JsonDict) -> State:
        return {"role_name": after["role_name"], "assume_role_policy": after["assume_role_policy"]}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        return _trust(factory, target, region, after["assume_role_policy"])

    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        return _trust(factory, target, region, before["assume_role_policy"])


def _trust(factory: ClientFactory, target: str, region: str, document: JsonDict) -> Call:
    iam, role, text = factory.client("iam", region), role_name(target)[0], json.dumps(document)
    run = partial(iam.update_assume_role_policy, RoleName=role, PolicyDocument=text)
    return Call("iam:UpdateAssumeRolePolicy", run, region)
