"""A small, exact evaluator of IAM policies (pure; no AWS calls).

It answers "do these policies allow this request?" for the part of the policy language that
delivery roles use, and says which statement decided. What it cannot evaluate (a condition
operator it does not know, a context key it was not given, a policy variable) is never
guessed: an Allow that depends on it does not count, a Deny that depends on it is a possible
deny. Explicit Deny beats Allow; a permissions boundary must allow as well. Wildcards and
Condition blocks: :mod:`.iam_conditions`.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, assert_never

from trailwarden.checks.iam_conditions import evaluate_condition, wildcard_match

__all__ = [
    "Conditional",
    "Decision",
    "Evaluation",
    "Request",
    "StatementRef",
    "allowed_principals",
    "evaluate",
    "evaluate_identity",
    "wildcard_match",
]

# (label used in messages, policy document)
Policy = tuple[str, Any]


class Decision(enum.Enum):
    ALLOW = "ALLOW"
    EXPLICIT_DENY = "EXPLICIT_DENY"
    POSSIBLE_DENY = "POSSIBLE_DENY"  # a Deny whose condition cannot be evaluated
    IMPLICIT_DENY = "IMPLICIT_DENY"  # no statement (that we can confirm) allows it


@dataclass(frozen=True)
class Request:
    """One API request. ``context`` maps condition keys to values; ``None`` means the key is
    known to be absent, a key not in the mapping is unknown (cannot be evaluated)."""

    action: str
    resource: str
    principal_service: str | None = None  # set when evaluating a trust (resource) policy
    context: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class StatementRef:
    policy: str
    index: int
    sid: str | None = None

    def __str__(self) -> str:
        which = f'"{self.sid}"' if self.sid else f"#{self.index + 1}"
        return f"statement {which} of {self.policy}"

    def as_json(self) -> dict[str, Any]:
        return {"policy": self.policy, "index": self.index, "sid": self.sid}


@dataclass(frozen=True)
class Conditional:
    """A statement that matched the request except for its Condition block."""

    statement: StatementRef
    condition: str  # the decisive clause, in policy syntax: ArnEquals {"aws:SourceArn": "…"}


@dataclass(frozen=True)
class Evaluation:
    decision: Decision
    statements: tuple[StatementRef, ...] = ()  # allowing (ALLOW) or denying (EXPLICIT_DENY)
    conditions: tuple[Conditional, ...] = ()  # POSSIBLE_DENY: the Denies we cannot evaluate
    excluded: tuple[Conditional, ...] = ()  # Allows whose condition is false here
    unconfirmed: tuple[Conditional, ...] = ()  # Allows whose condition cannot be evaluated
    blocked_by_boundary: str | None = None  # label of the boundary that does not allow it

    @property
    def allowed(self) -> bool:
        return self.decision is Decision.ALLOW

    def explain(self) -> str:
        """Why, as a clause that completes a sentence."""
        refs = ", ".join(str(s) for s in self.statements)
        c = (self.conditions or self.unconfirmed or self.excluded or (None,))[0]
        match self.decision:
            case Decision.ALLOW:
                return f"allowed by {refs}"
            case Decision.EXPLICIT_DENY:
                return f"explicitly denied by {refs}"
            case Decision.POSSIBLE_DENY:
                where = f"{c.statement}, whose condition {c.condition}" if c else "a Deny that"
                return f"possibly denied by {where} cannot be evaluated"
            case Decision.IMPLICIT_DENY if self.blocked_by_boundary:
                return f"allowed by {refs} but not by {self.blocked_by_boundary}"
            case Decision.IMPLICIT_DENY if c is not None and self.unconfirmed:
                return (
                    f"allowed only under condition {c.condition} ({c.statement}), "
                    "which cannot be confirmed"
                )
            case Decision.IMPLICIT_DENY if c is not None:
                return f"{c.statement} allows it only when {c.condition}, which does not hold here"
            case Decision.IMPLICIT_DENY:
                return "no statement allows it"
            case _:
                assert_never(self.decision)


def evaluate(policies: Sequence[Policy], request: Request) -> Evaluation:
    """Evaluate one set of policies (identity policies, a boundary, or a trust policy)."""
    allows: list[StatementRef] = []
    denies: list[StatementRef] = []
    maybe_denies: list[Conditional] = []
    excluded: list[Conditional] = []
    unconfirmed: list[Conditional] = []
    for label, document in policies:
        for ref, stmt in _statements(label, document):
            effect = stmt.get("Effect")
            matched = _matches(stmt, request)
            if effect not in ("Allow", "Deny") or matched is False:
                continue
            holds, clause = evaluate_condition(stmt.get("Condition"), request.context)
            if matched is None and holds is not False:
                holds, clause = None, clause or "a policy variable in Resource"
            if effect == "Deny" and holds is True:
                denies.append(ref)
            elif effect == "Deny" and holds is None:
                maybe_denies.append(Conditional(ref, clause))
            elif effect == "Allow" and holds is True:
                allows.append(ref)
            elif effect == "Allow":
                (unconfirmed if holds is None else excluded).append(Conditional(ref, clause))
    if denies:
        return Evaluation(Decision.EXPLICIT_DENY, statements=tuple(denies))
    if maybe_denies:
        return Evaluation(Decision.POSSIBLE_DENY, conditions=tuple(maybe_denies))
    if allows:
        return Evaluation(Decision.ALLOW, statements=tuple(allows))
    return Evaluation(
        Decision.IMPLICIT_DENY, excluded=tuple(excluded), unconfirmed=tuple(unconfirmed)
    )


def evaluate_identity(
    policies: Sequence[Policy], boundary: Policy | None, request: Request
) -> Evaluation:
    """Identity policies (inline + managed) and, if set, the permissions boundary: a Deny in
    either wins, and both must allow."""
    identity = evaluate(policies, request)
    if boundary is None:
        return identity
    bounded = evaluate([boundary], request)
    for decision in (Decision.EXPLICIT_DENY, Decision.POSSIBLE_DENY):
        for result in (identity, bounded):
            if result.decision is decision:
                return result
    if not identity.allowed or bounded.allowed:
        return identity
    return replace(bounded, statements=identity.statements, blocked_by_boundary=boundary[0])


def allowed_principals(document: Any, action: str) -> tuple[str, ...]:
    """The principals that Allow statements for ``action`` name, for messages."""
    out: list[str] = []
    for _, stmt in _statements("", document):
        if stmt.get("Effect") != "Allow" or not _action_matches(stmt, action):
            continue
        principal = stmt.get("Principal")
        if principal == "*":
            out.append("*")
        elif isinstance(principal, Mapping):
            out += [f"{kind} {name}" for kind, v in principal.items() for name in _strings(v)]
    return tuple(dict.fromkeys(out))


def _statements(label: str, document: Any) -> Iterator[tuple[StatementRef, Mapping[str, Any]]]:
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    if isinstance(statements, Mapping):
        statements = [statements]
    for index, stmt in enumerate(statements if isinstance(statements, list) else []):
        if isinstance(stmt, Mapping):
            sid = stmt.get("Sid")
            yield StatementRef(label, index, sid if isinstance(sid, str) and sid else None), stmt


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _matches(stmt: Mapping[str, Any], request: Request) -> bool | None:
    """Action, Principal (trust policies only) and Resource; None when Resource is unknowable."""
    if not _action_matches(stmt, request.action):
        return False
    if request.principal_service is not None:
        service = request.principal_service
        if "Principal" in stmt:
            named = _names(stmt["Principal"], service)
        else:  # NotPrincipal: everyone except those named; no element at all matches no one
            named = "NotPrincipal" in stmt and not _names(stmt["NotPrincipal"], service)
        if not named:
            return False
    if "Resource" not in stmt and "NotResource" not in stmt:
        return True  # trust policies name no resource
    patterns = _strings(stmt.get("Resource", stmt.get("NotResource")))
    if any(wildcard_match(p, request.resource) for p in patterns if "${" not in p):
        hit = True
    elif any("${" in p for p in patterns):
        return None  # a policy variable (${aws:username}…): its value is not ours to guess
    else:
        hit = False
    return hit if "Resource" in stmt else not hit


def _action_matches(stmt: Mapping[str, Any], action: str) -> bool:
    # Action names are case-insensitive: "logs:putlogevents" is logs:PutLogEvents.
    act = action.lower()
    if "Action" in stmt:
        return any(wildcard_match(p.lower(), act) for p in _strings(stmt["Action"]))
    if "NotAction" in stmt:
        return not any(wildcard_match(p.lower(), act) for p in _strings(stmt["NotAction"]))
    return False


def _names(principal: Any, service: str) -> bool:
    # "Principal": {"AWS": "*"} is the same as "Principal": "*" (IAM JSON reference, Principal).
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    return "*" in _strings(principal.get("AWS")) or service in _strings(principal.get("Service"))
