"""IAM reads: a delivery role with its trust policy and every policy that governs it.

Read in two steps so that a managed policy attached to many roles is fetched once:
:func:`read_role` (GetRole, inline policies, attached policy ARNs), then
:func:`read_managed_policy` per distinct policy ARN, then :func:`finish_role`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError, api_error, error_code, policy_json
from trailwarden.inventory import ApiError, JsonDict, PolicyDocument, Role

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["RoleDraft", "finish_role", "read_managed_policy", "read_role"]


@dataclass
class RoleDraft:
    """What :func:`read_role` learnt; managed policy documents are still to be fetched."""

    arn: str
    name: str
    account_id: str
    exists: bool | None
    trust_policy: JsonDict | None = None
    inline: list[PolicyDocument] = field(default_factory=list)
    managed_arns: list[str] = field(default_factory=list)
    boundary_arn: str | None = None
    error: ApiError | None = None


def read_role(factory: ClientFactory, region: str, arn: str, name: str, account: str) -> RoleDraft:
    """GetRole, then its inline policies and the ARNs of its attached policies."""
    draft = RoleDraft(arn, name, account, exists=None)
    action = "iam:GetRole"
    try:
        iam = factory.client("iam", region)
        role = iam.get_role(RoleName=name)["Role"]
        # A role ARN with another path names no role, even if the name exists.
        if role.get("Arn", arn) != arn:
            draft.exists = False
            return draft
        draft.exists = True
        draft.trust_policy = policy_json(role.get("AssumeRolePolicyDocument", {}))
        draft.boundary_arn = (role.get("PermissionsBoundary") or {}).get(
            "PermissionsBoundaryArn"
        ) or None

        action = "iam:ListRolePolicies"
        names = _pages(iam.list_role_policies, "PolicyNames", RoleName=name)
        action = "iam:GetRolePolicy"
        for policy_name in names:
            doc = iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]
            draft.inline.append(PolicyDocument(policy_name, "inline", policy_json(doc)))

        action = "iam:ListAttachedRolePolicies"
        attached = _pages(iam.list_attached_role_policies, "AttachedPolicies", RoleName=name)
        draft.managed_arns = [p["PolicyArn"] for p in attached if p.get("PolicyArn")]
    except AwsCallError as exc:
        if draft.exists is None and error_code(exc) == "NoSuchEntity":
            draft.exists = False
        else:
            draft.error = api_error(exc, action, None)
    except ValueError as exc:  # a policy document that is not a JSON object
        draft.error = ApiError(action, "MalformedPolicyDocument", str(exc))
    return draft


def read_managed_policy(
    factory: ClientFactory, region: str, policy_arn: str
) -> JsonDict | ApiError:
    """The default version's document of a managed policy (GetPolicy + GetPolicyVersion)."""
    action = "iam:GetPolicy"
    try:
        iam = factory.client("iam", region)
        version = iam.get_policy(PolicyArn=policy_arn)["Policy"].get("DefaultVersionId", "v1")
        action = "iam:GetPolicyVersion"
        resp = iam.get_policy_version(PolicyArn=policy_arn, VersionId=version)
        return policy_json(resp["PolicyVersion"].get("Document", {}))
    except AwsCallError as exc:
        return api_error(exc, action, None)
    except ValueError as exc:
        return ApiError(action, "MalformedPolicyDocument", str(exc))


def finish_role(draft: RoleDraft, documents: Mapping[str, JsonDict | ApiError]) -> Role:
    """The :class:`Role`, given the documents of its managed and boundary policies.

    A role whose policies could not all be read carries the first error: judging its
    permissions on a partial set of policies could turn a Deny into a PASS.
    """
    error = draft.error
    policies = list(draft.inline)
    for policy_arn in draft.managed_arns:
        doc = documents.get(policy_arn)
        if isinstance(doc, dict):
            policies.append(PolicyDocument(policy_arn, "managed", doc))
        elif isinstance(doc, ApiError) and error is None:
            error = doc
    boundary = None
    if draft.boundary_arn:
        doc = documents.get(draft.boundary_arn)
        if isinstance(doc, dict):
            boundary = PolicyDocument(draft.boundary_arn, "boundary", doc)
        elif isinstance(doc, ApiError) and error is None:
            error = doc
    return Role(
        arn=draft.arn,
        name=draft.name,
        account_id=draft.account_id,
        exists=draft.exists,
        trust_policy=draft.trust_policy,
        policies=tuple(policies),
        permissions_boundary=boundary,
        error=error,
    )


def _pages(method: Any, key: str, **kwargs: Any) -> list[Any]:
    """Every item of an IAM list call (Marker / IsTruncated pagination)."""
    items: list[Any] = []
    while True:
        page = method(**kwargs)
        items.extend(page.get(key, []))
        if not page.get("IsTruncated"):
            return items
        kwargs["Marker"] = page["Marker"]
