"""The shape of each journal record: its fields, their types and their sizes.

A journal is outside input once written (it may sit in a CI artifact or a shared folder
for months), so every record is parsed with bounds — nesting and string lengths — and
every field is checked before anything reads it: a record missing its ``after`` or
holding a 100 000-deep value is refused by name, never a crash halfway through a rollback
(the number of items is bounded by the journal's size: 64 MiB). orjson refuses input
nested deeper than 1024 levels, so the parser itself cannot be made to exhaust the stack:
https://github.com/ijl/orjson#deserialize
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from trailwarden.inventory import JsonDict

__all__ = ["MAX_DEPTH", "fields_problem", "parse_record"]

MAX_DEPTH = 32  # a plan step's policy document nests about 12 levels inside a header
MAX_STRING = 64 * 1024  # an IAM policy is at most 10 240 characters; a pattern 1024

_Check = Callable[[Any], bool]


def parse_record(body: bytes) -> JsonDict:
    """The record in ``body``; ValueError saying why it is not one."""
    import orjson

    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"it is not JSON ({exc})") from exc
    problem = _bounds_problem(body, value)
    if problem is not None:
        raise ValueError(problem)
    if not isinstance(value, dict):
        raise ValueError("it is not a JSON object")
    return value


def _bounds_problem(body: bytes, value: Any) -> str | None:
    if len(body) <= MAX_STRING and body.count(b"{") + body.count(b"[") <= MAX_DEPTH:
        return None  # too short to break either bound: most records
    stack: list[tuple[Any, int]] = [(value, 1) if isinstance(value, dict | list) else ([value], 0)]
    while stack:  # containers only: the strings they hold are checked together
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"it nests values more than {MAX_DEPTH} levels deep"
        values = [*item, *item.values()] if isinstance(item, dict) else item
        if any(isinstance(v, str) and len(v) > MAX_STRING for v in values):
            return f"it holds a string longer than {MAX_STRING} characters"
        stack.extend((v, depth + 1) for v in values if isinstance(v, dict | list))
    return None


def _text(limit: int) -> _Check:
    return lambda v: isinstance(v, str) and len(v) <= limit


def _pattern(regex: str) -> _Check:
    compiled = re.compile(regex)
    return lambda v: isinstance(v, str) and compiled.fullmatch(v) is not None


def _keys(required: Mapping[str, _Check]) -> _Check:
    return lambda v: (
        isinstance(v, dict)
        and set(v) == set(required)
        and all(c(v[k]) for k, c in required.items())
    )


_STEP = _pattern(r"[1-9][0-9]{0,5}")
_AT = _text(64)
_ERROR = _keys({"action": _text(256), "code": _text(256), "message": _text(4096)})


def _is_dict(value: Any) -> bool:
    return isinstance(value, dict)


def _is_state(value: Any) -> bool:
    return value is None or isinstance(value, dict)


def _is_bool(value: Any) -> bool:
    return type(value) is bool


_DICT, _STATE, _BOOL = _is_dict, _is_state, _is_bool

# Every field of every record type (type excluded); "?" marks an optional one.
FIELDS: dict[str, dict[str, _Check]] = {
    "header": {
        "journal_version": lambda v: type(v) is int,  # bool is no version
        "journal_id": _pattern(r"[0-9a-f]{32}"),
        "key_id": _pattern(r"[0-9a-f]{16}"),
        "tool": _keys({"name": _text(64), "version": _text(64)}),
        "account_id": _pattern(r"[0-9]{12}"),
        "started_at": _AT,
        "plan": _DICT,
    },
    "begin": {
        "step": _STEP,
        "at": _AT,
        "action": _text(128),
        "target": _text(2048),
        "region": _text(64),
        "before": _STATE,
        "after": _DICT,
    },
    "done": {"step": _STEP, "at": _AT, "after": _DICT, "result?": _DICT},
    "failed": {"step": _STEP, "at": _AT, "error": _ERROR},
    "end": {"at": _AT, "status": lambda v: v in ("complete", "failed")},
    "undo-begin": {"step": _STEP, "at": _AT, "action": _text(128)},
    "undo-done": {"step": _STEP, "at": _AT},
    "undo-skipped": {"step": _STEP, "at": _AT, "reason": _text(4096), "kept": _BOOL},
    "undo-failed": {"step": _STEP, "at": _AT, "error": _ERROR},
}


def fields_problem(record: JsonDict) -> str | None:
    """Why ``record`` is not a well-formed journal record of its type, or None."""
    kind = record.get("type")
    fields = FIELDS.get(kind) if isinstance(kind, str) else None
    if fields is None:
        return f"its type {str(kind)[:40]!r} is not a journal record type"
    allowed = {name.rstrip("?") for name in fields} | {"type"}
    if unknown := sorted(set(record) - allowed):
        return f"the {kind} record has a field trailwarden never writes ({unknown[0][:40]!r})"
    for name, check in fields.items():
        key = name.rstrip("?")
        if key not in record:
            if name.endswith("?"):
                continue
            return f"the {kind} record lacks its {key!r}"
        if not check(record[key]):
            return f"the {kind} record's {key!r} is not valid"
    return None
