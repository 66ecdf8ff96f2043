"""JSON property selectors: ``$.a.b``, ``$.a[0]``, ``$.['dotted.name']``, ``$.*``, ``$.a[*]``.

From the AWS docs
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html):
selectors start with "$.", name
properties with letters, digits, '-' and '_', index arrays with [NUMBER] after a property,
select a property whose name holds a period with ['name'], and select any object field
(``.*``) or any array element (``[*]``) with at most one wildcard per selector.

Resolution never raises: a step that does not apply (a key on a non-object, an index on a
non-array or out of range) means the selector points at nothing (MISSING).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, NoReturn

from .errors import FilterPatternSyntaxError, describe
from .lexer import Token

__all__ = ["MISSING", "Selector", "StepKind", "parse_selector", "resolve_all", "resolver"]

MISSING: Final = object()  # what a selector resolves to when it points at nothing
_IDENT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


class StepKind(enum.Enum):
    KEY = "key"  # .name or ['name']
    INDEX = "index"  # [0]
    ANY_FIELD = "any field"  # .*
    ANY_ELEMENT = "any element"  # [*]


@dataclass(frozen=True, slots=True)
class Selector:
    source: str
    position: int
    steps: tuple[tuple[StepKind, str | int], ...]

    @property
    def has_wildcard(self) -> bool:
        return any(kind in (StepKind.ANY_FIELD, StepKind.ANY_ELEMENT) for kind, _ in self.steps)


def parse_selector(token: Token) -> Selector:
    """The steps of a selector token such as ``$.a.b[0]['c.d'][*]``."""
    s, base = token.text, token.position
    steps: list[tuple[StepKind, str | int]] = []

    def fail(i: int, expected: str) -> NoReturn:
        found = describe(s[i]) if i < len(s) else f"the end of {describe(s)}"
        raise FilterPatternSyntaxError(base + i, expected, found)

    def bracket(i: int, quoted_only: bool) -> int:  # s[i] == "["
        if s[i + 1 : i + 2] == "'":
            close = s.find("'", i + 2)
            if close <= i + 2:
                fail(i + 2, "a property name between the quotes")
            if s[close + 1 : close + 2] != "]":
                fail(close + 1, "']' after the quoted property name")
            steps.append((StepKind.KEY, s[i + 2 : close]))
            return close + 2
        if quoted_only:
            fail(i + 1, "a quoted property name such as ['cluster.name'] after '.'")
        close = s.find("]", i)
        inside = s[i + 1 : close]
        if inside == "*":
            steps.append((StepKind.ANY_ELEMENT, "*"))
        elif inside.isascii() and inside.isdigit():
            steps.append((StepKind.INDEX, int(inside)))
        else:
            fail(i + 1, "an array index, '*' or a quoted property name after '['")
        return close + 1

    if s[1:2] not in (".", "["):
        fail(1, "'.' after '$'")
    i = 1
    while i < len(s):
        if s[i] == ".":
            i += 1
            if s[i : i + 1] == "*":
                steps.append((StepKind.ANY_FIELD, "*"))
                i += 1
            elif s[i : i + 1] == "[":
                i = bracket(i, quoted_only=True)
            else:
                j = i
                while j < len(s) and s[j] in _IDENT:
                    j += 1
                if j == i:
                    fail(i, "a property name (letters, digits, '-' or '_') after '.'")
                steps.append((StepKind.KEY, s[i:j]))
                i = j
        elif s[i] == "[":
            # "Array elements ... must follow a property"; $['name'] is a property.
            if not steps and s[i + 1 : i + 2] != "'":
                fail(i, "a property before an array index, as in '$.name[0]'")
            i = bracket(i, quoted_only=False)
        else:
            fail(i, "'.' or '[' in the selector")
        wildcards = sum(k in (StepKind.ANY_FIELD, StepKind.ANY_ELEMENT) for k, _ in steps)
        if wildcards > 1:
            fail(i - 1, "at most one wildcard selector in a property selector (AWS quota)")
    return Selector(s, base, tuple(steps))


def _is_mapping(node: Any) -> bool:
    return type(node) is dict or isinstance(node, Mapping)


def _is_array(node: Any) -> bool:
    return type(node) is list or isinstance(node, list | tuple)


def resolver(selector: Selector) -> Callable[[Mapping[str, Any]], Any]:
    """``document -> value`` (or MISSING) for a selector without wildcards.

    The shapes CloudTrail patterns use (one or two keys) get their own closures: they run
    once per condition per event, so they are kept to a dict lookup or two.
    """
    steps = selector.steps
    if all(kind is StepKind.KEY for kind, _ in steps) and len(steps) <= 2:
        first = str(steps[0][1])
        if len(steps) == 1:
            return lambda document: document.get(first, MISSING)
        second = str(steps[1][1])

        def two_keys(document: Mapping[str, Any]) -> Any:
            inner = document.get(first, MISSING)
            return inner.get(second, MISSING) if _is_mapping(inner) else MISSING

        return two_keys

    def path(document: Mapping[str, Any]) -> Any:
        node: Any = document
        for kind, step in steps:
            if kind is StepKind.KEY:
                if not _is_mapping(node):
                    return MISSING
                node = node.get(step, MISSING)
                if node is MISSING:
                    return MISSING
            else:
                if not _is_array(node) or not isinstance(step, int) or step >= len(node):
                    return MISSING
                node = node[step]
        return node

    return path


def resolve_all(selector: Selector) -> Callable[[Mapping[str, Any]], list[Any]]:
    """``document -> every value`` a selector with a wildcard points at (maybe none)."""
    steps = selector.steps

    def values(document: Mapping[str, Any]) -> list[Any]:
        nodes: list[Any] = [document]
        for kind, step in steps:
            found: list[Any] = []
            for node in nodes:
                if kind is StepKind.KEY and _is_mapping(node):
                    value = node.get(step, MISSING)
                    if value is not MISSING:
                        found.append(value)
                elif kind is StepKind.INDEX and _is_array(node):
                    if isinstance(step, int) and step < len(node):
                        found.append(node[step])
                elif kind is StepKind.ANY_FIELD and _is_mapping(node):
                    found.extend(node.values())
                elif kind is StepKind.ANY_ELEMENT and _is_array(node):
                    found.extend(node)
            nodes = found
            if not nodes:
                break
        return nodes

    return values
