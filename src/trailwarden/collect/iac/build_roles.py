"""A role of the code → the inventory's :class:`~trailwarden.inventory.Role`: its trust
policy and every policy that governs it — inline (``inline_policy``, ``aws_iam_role_policy``,
``AWS::IAM::Policy``), attached (``aws_iam_role_policy_attachment``, ``ManagedPolicyArns``) and
its permissions boundary. A policy the code attaches but does not define, or does not give,
leaves the role incomplete (a ``NOT_IN_CODE`` error): an unseen policy may deny or bound.
"""

from __future__ import annotations

from collections.abc import Iterable

from trailwarden.collect.iac.specs import Code, Doc, RoleSpec, Text, Unresolved, Where
from trailwarden.inventory import NOT_IN_CODE, ApiError, PolicyDocument, Role, Unknown

__all__ = ["build_role", "code_name", "stand_in"]


def stand_in(value: Text) -> str:
    """A value as text: itself, or an :class:`Unknown` that says why it is unknown."""
    return value if isinstance(value, str) else Unknown(value.text, value.reason)


def code_name(value: Text, where: Where) -> str:
    """A name; an unknown one stands in as the resource's address (unique, so that two
    resources never merge), without ':' (ARNs split on it)."""
    if isinstance(value, str):
        return value
    return Unknown(where.address.replace(":", "_"), value.reason)


def build_role(code: Code, spec: RoleSpec, arn: str, account: str) -> Role:
    """The role ``spec`` of ``code``, known as ``arn``."""
    return _Role(code).build(spec, arn, account)


class _Role:
    def __init__(self, code: Code) -> None:
        self.code = code

    def build(self, spec: RoleSpec, arn: str, account: str) -> Role:
        gaps: list[str] = []
        # No trust policy trusts no one: CloudTrail cannot assume the role.
        what = f"{spec.where.address}'s trust policy"
        trust = {} if spec.trust is None else self._document(spec.trust, what, gaps)
        policies = [
            PolicyDocument(str(stand_in(n)), "inline", doc)
            for n, d in spec.inline
            if (doc := self._document(d, f"inline policy {stand_in(n)}", gaps)) is not None
        ]
        mine = self._applies(spec)
        for rp in self.code.role_policies:
            if (hit := mine(rp.roles, rp.where.address, gaps)) and rp.where.maybe:
                gaps.append(f"{rp.where.address} may not exist ({rp.where.maybe})")
            if hit and (doc := self._document(rp.document, rp.where.address, gaps)) is not None:
                policies.append(PolicyDocument(str(stand_in(rp.name)), "inline", doc))
        arns = list(_texts(spec.managed_policy_arns, f"{spec.where.address}'s policies", gaps))
        arns += [
            a.policy_arn for a in self.code.attachments if mine(a.roles, a.where.address, gaps)
        ]
        arns += [p.arn for p in self.code.managed_policies if mine(p.roles, "", gaps)]
        policies += [p for a in arns if (p := self._managed(a, "managed", gaps)) is not None]
        boundary = self._managed(spec.boundary_arn, "boundary", gaps) if spec.boundary_arn else None
        if spec.where.maybe:
            gaps.insert(0, f"{spec.where.address} may not exist ({spec.where.maybe})")
        return Role(
            arn=arn,
            name=code_name(spec.name, spec.where),
            account_id=account,
            exists=None if spec.where.maybe else True,
            trust_policy=trust,
            policies=tuple(policies),
            permissions_boundary=boundary,
            error=not_in_code("; ".join(dict.fromkeys(gaps))) if gaps else None,
        )

    def _applies(self, role: RoleSpec) -> _RoleMatcher:
        return _RoleMatcher(role, self.code.roles)

    def _document(self, doc: Doc | None, what: str, gaps: list[str]) -> dict[str, object] | None:
        if isinstance(doc, Unresolved):
            gaps.append(f"{what} is not known from code: {doc.reason}")
            return None
        return doc

    def _managed(self, arn: Text, kind: str, gaps: list[str]) -> PolicyDocument | None:
        for p in self.code.managed_policies:
            same = p.arn == arn if isinstance(arn, str) else p.where.address in arn.refs
            if same and (doc := self._document(p.document, p.where.address, gaps)) is not None:
                return PolicyDocument(str(stand_in(p.arn)), kind, doc)
            if same:
                return None
        what = arn if isinstance(arn, str) else arn.text
        gaps.append(f"{kind} policy {what} is not defined in this configuration")
        return None


class _RoleMatcher:
    """Whether a policy or attachment names this role (by name, or by reference)."""

    def __init__(self, role: RoleSpec, roles: Iterable[RoleSpec]) -> None:
        self.role = role
        self.names = {r.where.address: r.name for r in roles}

    def __call__(self, named: tuple[Text, ...] | Unresolved, address: str, gaps: list[str]) -> bool:
        if isinstance(named, Unresolved):
            named = (named,)
        hit = False
        for value in named:
            if isinstance(value, str):
                hit = hit or value in (self.role.name, str(stand_in(self.role.name)))
            elif self.role.where.address in value.refs:
                hit = True
            elif not any(a in value.refs for a in self.names) and address:
                gaps.append(f"{address} applies to a role the code does not name ({value.reason})")
        return hit


def _texts(value: tuple[Text, ...] | Unresolved, what: str, gaps: list[str]) -> tuple[Text, ...]:
    if isinstance(value, Unresolved):
        gaps.append(f"{what} are not known from code: {value.reason}")
        return ()
    return value


def not_in_code(reason: str) -> ApiError:
    return ApiError(action="trailwarden:iac", code=NOT_IN_CODE, message=reason)
