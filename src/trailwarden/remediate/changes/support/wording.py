"""Words the changes share when they describe a step for people (the text plan)."""

from __future__ import annotations

from typing import Any

from trailwarden.checks.iam_policy import allowed_principals

__all__ = ["NONE", "before_after", "grants", "name_of", "tags", "trusted_by"]

NONE = "(none)"


def name_of(arn: str) -> str:
    """A trail's, topic's or alarm's name from its ARN."""
    if ":alarm:" in arn:
        return arn.split(":alarm:", 1)[1]
    return arn.rsplit("/", 1)[-1] if "/" in arn else arn.rsplit(":", 1)[-1]


def before_after(label: str, was: Any, now: Any) -> str:
    if was == now:
        return f"{label}: {now or NONE} (unchanged)"
    return f"{label}: {was or NONE} → {now or NONE}"


def tags(after: dict[str, Any]) -> str:
    found = after.get("tags") or {}
    return ", ".join(f"{k}={v}" for k, v in found.items()) or NONE


def trusted_by(document: Any) -> str:
    """Who may assume the role, and under which conditions (by Sid or statement)."""
    principals = ", ".join(allowed_principals(document, "sts:AssumeRole")) or "nobody"
    arns = sorted({v for s in _statements(document) for v in _condition_values(s, "aws:sourcearn")})
    return principals + (f" (only for {', '.join(arns)})" if arns else "")


def grants(document: Any) -> str:
    """'allows A, B on R1, R2; …': Allow statements, those on the same resources merged."""
    by_resources: dict[str, list[str]] = {}
    for s in _statements(document):
        if s.get("Effect") == "Allow":
            actions = by_resources.setdefault(", ".join(_list(s.get("Resource"))), [])
            actions += _list(s.get("Action"))
    pairs = [f"{', '.join(actions)} on {where}" for where, actions in by_resources.items()]
    return "allows " + "; ".join(pairs) if pairs else "allows nothing"


def _list(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [str(v) for v in items]


def _statements(document: Any) -> list[dict[str, Any]]:
    raw = document.get("Statement", []) if isinstance(document, dict) else []
    return [s for s in ([raw] if isinstance(raw, dict) else raw) if isinstance(s, dict)]


def _condition_values(statement: dict[str, Any], key: str) -> list[str]:
    out: list[str] = []
    for clauses in (statement.get("Condition") or {}).values():
        for k, v in clauses.items() if isinstance(clauses, dict) else ():
            if k.lower() == key:
                out += [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)]
    return out
