"""An inventory file is outside input: validated strictly, and bounded, before it is used.

The JSON Schema ``schemas/inventory-v1.schema.json`` (draft-07, shipped in the package)
documents the format and is the validation, compiled by fastjsonschema (jsonschema took
15 s for an 11 MB inventory): every field of every object is required and typed
(``"is_logging": "false"`` is not true, a list is not a name), unknown fields are
refused, and strings, lists and numbers are bounded so that an edited file cannot make
trailwarden hang. Nesting is limited before the schema is applied (the validator
recurses). Problems are named by their place in the file, as a user would find it:
``trails[2].status.is_logging: expected true or false, got "false"``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastjsonschema import JsonSchemaValueException

__all__ = ["MAX_DEPTH", "first_problem", "schema"]

# The deepest inventory trailwarden writes is ~12 levels (roles[].policies[].document.
# Statement[].Condition.op.key[]); 64 leaves room and stays far from Python's recursion
# limit in the validator.
MAX_DEPTH = 64

_TYPES = {
    "boolean": "true or false",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


@cache
def schema() -> dict[str, Any]:
    """The inventory's JSON Schema (draft 2020-12)."""
    from importlib.resources import files

    text = files("trailwarden").joinpath("schemas/inventory-v1.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def first_problem(data: Any) -> str | None:
    """The first way ``data`` is not a valid inventory, in words, or None when it is."""
    deep = _too_deep(data)
    if deep is not None:
        return f"{deep or 'the file'}: nested deeper than {MAX_DEPTH} levels"
    from fastjsonschema import JsonSchemaValueException

    try:
        _validator()(data)
    except JsonSchemaValueException as error:
        return _describe(error)
    return None


@cache
def _validator() -> Any:
    import fastjsonschema

    return fastjsonschema.compile(schema(), formats={"date-time": _aware_datetime})


def _aware_datetime(value: str) -> bool:
    # What the loader accepts (datetime.fromisoformat), with a UTC offset: the checks
    # compare with aware datetimes, and a naive one would break them.
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _too_deep(data: Any) -> str | None:
    """The path of the first value nested deeper than MAX_DEPTH, iteratively."""
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(data, 0, ())]
    while stack:
        value, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            return _path(path[:MAX_DEPTH])
        if isinstance(value, dict):
            stack += [(v, depth + 1, (*path, k)) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, depth + 1, (*path, i)) for i, v in enumerate(value)]
    return None


def _path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _describe(error: JsonSchemaValueException) -> str:
    # fastjsonschema names the place "data.trails[2].status" ("data" is the whole file).
    where = str(error.name).removeprefix("data").removeprefix(".")
    kind, value, bound = error.rule, error.value, error.rule_definition
    if kind == "required":
        missing = next(k for k in bound if k not in value)
        return f"{_join(where, missing)}: missing"
    if kind == "additionalProperties":
        known = (error.definition or {}).get("properties", {})
        extra = sorted(k for k in value if k not in known)[0]
        return f"{_join(where, extra)}: not a field of a trailwarden inventory"
    place = where or "the file"
    if kind == "type":
        names = [bound] if isinstance(bound, str) else list(bound)
        return f"{place}: expected {' or '.join(_TYPES[n] for n in names)}, got {_show(value)}"
    if kind == "format":
        return (
            f"{place}: expected a date and time with a UTC offset, like "
            f"2026-11-24T10:00:00+00:00, got {_show(value)}"
        )
    if kind in ("maxLength", "maxItems", "maxProperties"):
        unit = {"maxLength": "characters", "maxItems": "items", "maxProperties": "fields"}[kind]
        return f"{place}: {len(value)} {unit}, more than the {bound} allowed"
    if kind in ("minimum", "maximum"):
        low, high = (error.definition or {}).get("minimum"), (error.definition or {}).get("maximum")
        return f"{place}: {_show(value)} is out of range ({low} to {high})"
    if kind in ("enum", "const"):
        allowed = bound if kind == "enum" else [bound]
        return f"{place}: expected {' or '.join(map(_show, allowed))}, got {_show(value)}"
    return f"{place}: {str(error.message)[:200]}"
