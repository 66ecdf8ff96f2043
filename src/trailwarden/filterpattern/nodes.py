"""The syntax tree the parser builds and the compilers read (frozen, no behaviour)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .selector import Selector
from .values import Literal, LiteralKind

__all__ = [
    "AllOf",
    "AnyOf",
    "Check",
    "CheckKind",
    "Comparison",
    "Field",
    "Node",
    "exact_equality",
]


class CheckKind(enum.Enum):
    IS_NULL = "IS NULL"
    IS_TRUE = "IS TRUE"
    IS_FALSE = "IS FALSE"
    NOT_EXISTS = "NOT EXISTS"


@dataclass(frozen=True, slots=True)
class Comparison:
    subject: Selector | str  # a JSON selector, or a space-delimited field's name
    op: str
    literal: Literal


@dataclass(frozen=True, slots=True)
class Check:
    selector: Selector
    check: CheckKind


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Node, ...]


Node = Comparison | Check | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class Field:
    position: int
    name: str | None = None  # None: an unnamed field ('[a, , b]' or a trailing ',')
    ellipsis: bool = False
    condition: Node | None = None


def exact_equality(node: Node) -> tuple[Selector, str] | None:
    """(selector, text) when ``node`` is ``$.plain.selector = "text"`` with no wildcard."""
    if (
        isinstance(node, Comparison)
        and node.op == "="
        and isinstance(node.subject, Selector)
        and not node.subject.has_wildcard
        and node.literal.kind is LiteralKind.TEXT
        and not (node.literal.text.startswith("*") or node.literal.text.endswith("*"))
    ):
        return node.subject, node.literal.text
    return None
