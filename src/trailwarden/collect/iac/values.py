"""Values of code being evaluated: JSON-like Python values, with :class:`Unresolved` leaves
where code does not give a value; helpers both readers use to combine them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from trailwarden.collect.iac.specs import Unresolved

__all__ = [
    "as_text",
    "concat",
    "document_of",
    "flag_of",
    "int_of",
    "json_text",
    "known",
    "number_of",
    "refs_of",
    "stand_ins",
    "text_of",
    "texts_of",
    "unresolved_in",
]


def known(value: Any) -> bool:
    """Whether ``value`` holds no :class:`Unresolved` anywhere."""
    return unresolved_in(value) is None


def unresolved_in(value: Any) -> Unresolved | None:
    """The first :class:`Unresolved` inside ``value``, if any."""
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for item in value:
            if (found := unresolved_in(item)) is not None:
                return found
    return None


def refs_of(value: Any) -> frozenset[str]:
    """The addresses every :class:`Unresolved` inside ``value`` derives from."""
    if isinstance(value, Unresolved):
        return value.refs
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return frozenset().union(*(refs_of(v) for v in value))
    return frozenset()


def as_text(value: Any) -> str:
    """A scalar as the text a template puts in (``true``, ``1``); a stand-in for the unknown."""
    if isinstance(value, Unresolved):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"), default=lambda v: as_text(v))


def concat(parts: Iterable[Any]) -> str | Unresolved:
    """The parts joined as text: a string, or :class:`Unresolved` when any part is."""
    items = list(parts)
    text = "".join(as_text(p) for p in items)
    unknown = [p for p in items if isinstance(p, Unresolved)]
    if not unknown:
        return text
    return Unresolved(text, unknown[0].reason, frozenset().union(*(u.refs for u in unknown)))


def json_text(value: Any) -> str | Unresolved:
    """``value`` as JSON (``jsonencode``, ``Fn::ToJsonString``): unknown leaves are written as
    their stand-in text (``"${var.x}"``), which IAM evaluation cannot match and so never takes
    for a grant; the result is :class:`Unresolved` only when the whole value is."""
    if isinstance(value, Unresolved):
        return value
    return json.dumps(
        value,
        separators=(",", ":"),
        default=lambda v: v.text if isinstance(v, Unresolved) else str(v),
    )


def text_of(value: Any) -> str | Unresolved | None:
    """A string property (None when absent); numbers and booleans as templates write them."""
    if value is None or isinstance(value, str | Unresolved):
        return value
    if isinstance(value, list | dict):
        unknown = unresolved_in(value)
        return unknown if unknown is not None else as_text(value)
    return as_text(value)


def texts_of(value: Any) -> tuple[str | Unresolved, ...] | Unresolved:
    """A list of strings (a single string is a list of one); absent is empty."""
    if isinstance(value, Unresolved):
        return value
    items = value if isinstance(value, list | tuple) else ([] if value is None else [value])
    return tuple(t for t in (text_of(v) for v in items) if t is not None)


def flag_of(value: Any, default: bool) -> bool | Unresolved:
    """A boolean property; both Terraform and CloudFormation also accept "true"/"false"."""
    if value is None:
        return default
    if isinstance(value, bool | Unresolved):
        return value
    text = as_text(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    return Unresolved(as_text(value), f"{as_text(value)!r} is not true or false")


def int_of(value: Any) -> int | None | Unresolved:
    if value is None or isinstance(value, Unresolved):
        return value
    try:
        return int(as_text(value))
    except ValueError:
        return Unresolved(as_text(value), f"{as_text(value)!r} is not a whole number")


def number_of(value: Any) -> float | None:
    try:
        return None if value is None else float(as_text(value))
    except ValueError:
        return None


def stand_ins(value: Any) -> Any:
    """``value`` with every :class:`Unresolved` leaf replaced by its stand-in text."""
    if isinstance(value, Unresolved):
        return value.text
    if isinstance(value, dict):
        return {k: stand_ins(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [stand_ins(v) for v in value]
    return value


def document_of(value: Any) -> dict[str, Any] | Unresolved | None:
    """A policy document given as JSON text or as an object; unknown leaves stand in as
    ``${...}`` text, which IAM evaluation cannot match (never a grant, always a maybe)."""
    if value is None or isinstance(value, Unresolved):
        return value
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            return Unresolved(value[:60], f"the policy is not valid JSON ({exc})")
    if not isinstance(value, dict):
        return Unresolved(as_text(value)[:60], "the policy is not a JSON object")
    return dict(stand_ins(value))
