"""IAM's string matching: wildcards in actions and resources, and Condition blocks.

Only the operators delivery roles use are evaluated (String…, Arn…, their negations,
``…IfExists`` and the ``ForAnyValue``/``ForAllValues`` qualifiers); any other operator, a
key the caller did not give, or a policy variable cannot be evaluated (None), never guessed.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["evaluate_condition", "wildcard_match"]


def wildcard_match(pattern: str, text: str) -> bool:
    """IAM wildcards: ``*`` matches any run of characters (``:`` and ``/`` included), ``?``
    exactly one. Case-sensitive; callers fold case where IAM does."""
    p = t = 0
    star, resume = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] == "*":
            star, resume, p = p, t, p + 1
        elif p < len(pattern) and pattern[p] in ("?", text[t]):
            p, t = p + 1, t + 1
        elif star >= 0:  # let the last * absorb one more character and retry
            resume += 1
            p, t = star + 1, resume
        else:
            return False
    return all(c == "*" for c in pattern[p:])


def _arn_match(value: str, pattern: str) -> bool:
    # ArnEquals/ArnLike compare each of the six colon-separated parts on its own.
    got, want = value.split(":", 5), pattern.split(":", 5)
    return len(got) == len(want) == 6 and all(map(wildcard_match, want, got))


_MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda value, pattern: value == pattern,
    "StringLike": lambda value, pattern: wildcard_match(pattern, value),
    "ArnEquals": _arn_match,
    "ArnLike": _arn_match,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def evaluate_condition(block: Any, context: Mapping[str, str | None]) -> tuple[bool | None, str]:
    """All clauses must hold: (False, first false clause), (None, first unknown), (True, "")."""
    if block is None:
        return True, ""
    if not isinstance(block, Mapping):
        return None, f"Condition {json.dumps(block)}"
    unknown = ""
    for operator, clauses in block.items():
        if not isinstance(clauses, Mapping):
            return None, f"{operator} {json.dumps(clauses)}"
        for key, values in clauses.items():
            text = f"{operator} {json.dumps({key: values})}"
            holds = _clause(operator, key, values, context)
            if holds is False:
                return False, text
            unknown = unknown or ("" if holds else text)
    return (None, unknown) if unknown else (True, "")


def _clause(operator: str, key: str, values: Any, context: Mapping[str, str | None]) -> bool | None:
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    name = _NEGATED.get(base, base)
    patterns = (values,) if isinstance(values, str) else values
    if qualifier not in ("", "ForAnyValue", "ForAllValues") or name not in _MATCHERS:
        return None
    if not isinstance(patterns, list | tuple) or not all(isinstance(p, str) for p in patterns):
        return None
    # Condition key names are case-insensitive; values are compared as the operator says.
    known = {k.lower(): v for k, v in context.items()}
    if key.lower() not in known or any("${" in p for p in patterns):
        return None
    value = known[key.lower()]
    if value is None:
        # Absent key: a set operator tests "any"/"all" of zero values; ...IfExists holds;
        # otherwise positive operators are false and negated ones true (IAM condition docs).
        if qualifier:
            return qualifier == "ForAllValues"
        return if_exists or base in _NEGATED
    hit = any(_MATCHERS[name](value, p) for p in patterns)
    return not hit if base in _NEGATED else hit
