"""Literal values of JSON and space-delimited conditions, and how text is compared to them.

Rules shared by both pattern kinds
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):

- Comparisons are case sensitive ("Filter patterns are case sensitive").
- In a string value, quoted or not, a '*' at the start and/or the end is a wildcard; a '*'
  anywhere else is a literal character ("Ev*ent will only match the actual string Ev*ent",
  the archived page, github.com/awsdocs/amazon-cloudwatch-logs-user-guide,
  doc_source/FilterAndPatternSyntax.md). A lone '*' matches any value.
- A value between '%' signs is a regular expression searched in the text (:mod:`.regex`).
- A number is "an integer or a decimal with an optional + or - sign, optionally followed
  by 'e' and an integer with an optional sign" (scientific notation is documented).
"""

from __future__ import annotations

import enum
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from .regex import Regex

__all__ = [
    "RELATIONAL",
    "Literal",
    "LiteralKind",
    "NumberTest",
    "TextTest",
    "number_test",
    "parse_number",
    "scalar_text",
    "text_test",
]

TextTest = Callable[[str], bool]
NumberTest = Callable[[int | float], bool]

RELATIONAL: Final = frozenset({"<", "<=", ">", ">="})
_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


class LiteralKind(enum.Enum):
    TEXT = "text"  # "quoted" or unquoted, maybe with leading/trailing '*'
    NUMBER = "number"  # unquoted and of the number form: 400, -1.5, 10e-3, +1000
    REGEX = "regex"  # %...%


@dataclass(frozen=True, slots=True)
class Literal:
    kind: LiteralKind
    text: str  # decoded text (for NUMBER: as written; for REGEX: the body)
    position: int
    number: int | float | None = None
    regex: Regex | None = None


def parse_number(text: str) -> int | float | None:
    """The number ``text`` spells in the documented number form, else None."""
    if _NUMBER.fullmatch(text) is None:
        return None
    if "." in text or "e" in text or "E" in text:
        return float(text)
    try:
        return int(text)
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits)
        return float(text)


def scalar_text(value: Any) -> str | None:
    """The text a JSON string or number is compared as; None for other JSON values.

    The docs say a selector must point to "a value node (string or number)"; null,
    booleans, arrays and objects have no text, so no string comparison matches them.
    A number is compared as Python writes it back (``str`` for integers, ``repr`` for
    floats), which is the log's own text for ordinary integers and decimals.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # beyond sys.get_int_max_str_digits
            return None
    if isinstance(value, float):
        return repr(value)
    return None


def text_test(literal: Literal) -> TextTest:
    """Whether a text equals ``literal`` (a TEXT with wildcards, or a REGEX)."""
    if literal.kind is LiteralKind.REGEX:
        assert literal.regex is not None
        return literal.regex.found
    text = literal.text
    prefix_any, suffix_any = text.startswith("*"), text.endswith("*")
    core = text[1 if prefix_any else 0 : len(text) - 1 if suffix_any else len(text)]
    if prefix_any and suffix_any:
        return (lambda s: True) if not core else (lambda s: core in s)
    if prefix_any:
        return lambda s: s.endswith(core)
    if suffix_any:
        return lambda s: s.startswith(core)
    return lambda s: s == text


def number_test(op: str, number: int | float) -> NumberTest:
    """Whether a number compares with ``number`` under ``op`` (one of = != < <= > >=)."""
    compare = _COMPARE[op]
    return lambda value: compare(value, number)
