"""iam:PutRolePolicy: trailwarden's inline policy on a delivery role (TW001, TW003).

``before`` {policy_name, policy_document} (document None: no such inline policy) →
``after`` {role_name, policy_name, policy_document}; the target is the role's ARN. Undone
by putting the prior document back (DeleteRolePolicy when there was none).
"""

from __future__ import annotations

import json
import shlex
from functools import partial
from typing import TYPE_CHECKING, Any

from trailwarden.inventory import ApiError, JsonDict, Trail
from trailwarden.remediate.changes.base import AttributeChange, State, json_copy
from trailwarden.remediate.changes.outcome import Call
from trailwarden.remediate.changes.support.reads import ROLE_READS, read_role_target
from trailwarden.remediate.changes.support.shapes import has_keys, is_policy, target_arn
from trailwarden.remediate.changes.support.shell import json_arg
from trailwarden.remediate.changes.support.targets import role_name
from trailwarden.remediate.changes.support.wording import NONE, grants
from trailwarden.remediate.model import Action, Step
from trailwarden.remediate.policies import POLICY_NAME, is_delivery_policy

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["PutRolePolicy"]


class PutRolePolicy(AttributeChange):
    action = Action.PUT_ROLE_POLICY
    permissions = ("iam:PutRolePolicy",)
    reads = ROLE_READS
    undo_permissions = ("iam:PutRolePolicy", "iam:DeleteRolePolicy")
    subject = "Role"

    @classmethod
    def build(
        cls,
        trail: Trail,
        arn: str,
        name: str,
        prior: dict[str, Any] | None,
        document: dict[str, Any],
        fixes: tuple[str, ...],
        reason: str,
    ) -> Step:
        before = {"policy_name": POLICY_NAME, "policy_document": json_copy(prior)}
        after = {"role_name": name, "policy_name": POLICY_NAME, "policy_document": document}
        return cls.for_trail(trail, arn, before, after, fixes, reason)

    def describe(self, step: Step) -> tuple[str, list[str]]:
        after = step.after
        prior = (step.before or {}).get("policy_document")
        was = grants(prior) if prior else NONE
        return (
            f"put inline policy {after.get('policy_name')} on role {after.get('role_name')}",
            [f"policy: {was}", f"      → {grants(after.get('policy_document'))}"],
        )

    def cli(self, step: Step) -> list[str]:
        a, q = step.after, shlex.quote
        return [
            *("aws", "iam", "put-role-policy", "--role-name", q(a["role_name"])),
            *("--policy-name", q(a["policy_name"])),
            *("--policy-document", json_arg(a["policy_document"])),
        ]

    def problem(self, step: Step) -> str | None:
        before, after, arn = step.before, step.after, target_arn(step)
        if not arn.resource.startswith("role/"):
            return "its target is not a role"
        if not has_keys(before, ("policy_name", "policy_document")) or not has_keys(
            after, ("role_name", "policy_name", "policy_document")
        ):
            return "its before or after is not an inline policy"
        assert before is not None
        prior = before["policy_document"]
        if before["policy_name"] != POLICY_NAME or after["policy_name"] != POLICY_NAME:
            return f"it changes another inline policy than {POLICY_NAME}"
        if after["role_name"] != arn.resource.rsplit("/", 1)[-1]:
            return "its after names another role than its target"
        if prior is not None and not is_policy(prior):
            return "its before is not a policy document"
        if not is_delivery_policy(
            after["policy_document"], arn.partition, step.region, step.account_id
        ):
            return "its policy is not the delivery policy trailwarden writes"
        return None

    def iac(self, resources: Resources, step: Step) -> None:
        role, after = resources.for_role(step), step.after
        role.policy_name, role.policy = after["policy_name"], after["policy_document"]
        role.policy_existed = (step.before or {}).get("policy_document") is not None
        role.policy_steps.append(step)

    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        draft = read_role_target(factory, target, region)
        if draft is None or isinstance(draft, ApiError):
            return draft
        policy = after["policy_name"]
        document = next((p.document for p in draft.inline if p.name == policy), None)
        return {"policy_name": policy, "policy_document": document}

    def after_state(self, after: JsonDict) -> State:
        return {"policy_name": after["policy_name"], "policy_document": after["policy_document"]}

    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        return _role_policy(factory, target, region, after["policy_name"], after["policy_document"])

    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        document = before["policy_document"]
        return _role_policy(factory, target, region, before["policy_name"], document)


def _role_policy(
    factory: ClientFactory, target: str, region: str, policy: str, document: JsonDict | None
) -> Call:
    iam, role = factory.client("iam", region), role_name(target)[0]
    if document is None:  # the inline policy did not exist
        delete = partial(iam.delete_role_policy, RoleName=role, PolicyName=policy)
        return Call("iam:DeleteRolePolicy", delete, region)
    put = partial(
        iam.put_role_policy, RoleName=role, PolicyName=policy, PolicyDocument=json.dumps(document)
    )
    return Call("iam:PutRolePolicy", put, region)
