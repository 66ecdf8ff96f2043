"""``compile_pattern``: a filter pattern's text → a reusable, fast :class:`CompiledPattern`."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from .codegen import generate_one
from .delimited import compile_delimited
from .errors import FilterPatternSyntaxError, FilterPatternUnsupportedError
from .nodes import Node
from .parser import parse_delimited, parse_json
from .terms import compile_terms

__all__ = [
    "MAX_PATTERN_LENGTH",
    "CompiledPattern",
    "Event",
    "PatternKind",
    "compile_pattern",
    "json_document",
    "message_text",
]

# PutMetricFilter / PutSubscriptionFilter: "Length Constraints: Minimum length of 0.
# Maximum length of 1024."
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricFilter.html
MAX_PATTERN_LENGTH = 1024

Event = str | Mapping[str, Any]


class PatternKind(enum.Enum):
    """Which of the three pattern languages a pattern is written in (its first character)."""

    JSON = "json"  # { ... }
    TERMS = "terms"  # ERROR, "exact phrase", ?a ?b, -x, %regex%, or "" (every event)
    SPACE_DELIMITED = "space-delimited"  # [ ... ]


def json_document(event: Any) -> Mapping[str, Any] | None:
    """The JSON object an event is (parsing raw text), or None if it is not one.

    JSON patterns apply to JSON objects only: a message that is not JSON, or is JSON but
    not an object, matches no JSON pattern (not even ``NOT EXISTS``).
    """
    if isinstance(event, Mapping):
        return event
    if not isinstance(event, str):
        return None
    try:
        document = orjson.loads(event)
    except orjson.JSONDecodeError:
        # orjson refuses what json accepts (NaN, Infinity, nesting deeper than 1024). It
        # reads integers beyond 64 bits as floats: they compare as numbers, not as text.
        try:
            document = json.loads(event)
        except (ValueError, RecursionError):
            return None
    return document if type(document) is dict else None


def message_text(event: Any) -> str | None:
    """The raw message of an event; a parsed object is written compactly, as CloudTrail
    writes records to CloudWatch Logs. None when it cannot be written as JSON."""
    if isinstance(event, str):
        return event
    if not isinstance(event, Mapping):
        return None
    try:
        return orjson.dumps(event if type(event) is dict else dict(event)).decode()
    except (TypeError, ValueError):
        return None


def _text_matcher(predicate: Callable[[str], bool]) -> Callable[[Event], bool]:
    def matches(event: Event) -> bool:
        message = event if type(event) is str else message_text(event)
        return message is not None and predicate(message)

    return matches


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A filter pattern compiled once, to be matched against many log events.

    ``matches(event) -> bool``: whether CloudWatch Logs would count ``event`` as a match.
    ``event`` is the raw log message or, for JSON patterns, also the already-parsed JSON
    object (parse once, match many patterns). A parsed object given to a term or
    space-delimited pattern is matched as its compact JSON text.

    ``matches`` is the compiled function itself rather than a method that calls it: it
    runs once per pattern per event, and the extra call was a sixth of its cost.
    """

    source: str
    kind: PatternKind
    matches: Callable[[Event], bool] = field(repr=False, compare=False)
    _tree: Node | None = field(default=None, repr=False, compare=False)  # JSON patterns


def compile_pattern(text: str) -> CompiledPattern:
    """Compile a CloudWatch Logs filter pattern.

    Raises :class:`FilterPatternSyntaxError` for a pattern CloudWatch Logs would reject,
    naming the position and what was expected there, and
    :class:`FilterPatternUnsupportedError` for one trailwarden cannot evaluate; nothing else,
    whatever the text.
    """
    try:
        return _compile(text)
    except RecursionError:
        # Parsing is iterative and generated code stays shallow, so this is not expected;
        # if some path still recursed too deep, the pattern is unsupported, not a crash.
        raise FilterPatternUnsupportedError(0, "a pattern nested this deeply") from None


def _compile(text: str) -> CompiledPattern:
    if len(text) > MAX_PATTERN_LENGTH:
        raise FilterPatternSyntaxError(
            MAX_PATTERN_LENGTH,
            f"at most {MAX_PATTERN_LENGTH} characters",
            f"{len(text)} characters",
        )
    # The first character decides the language; AWS does not skip leading spaces
    # (' {$.flag IS TRUE}' is an invalid term pattern, not a JSON pattern).
    if text.startswith("{"):
        if len(text) < 2 or not text.endswith("}"):
            raise FilterPatternSyntaxError(
                len(text),
                "'}' at the end of a pattern that starts with '{'",
                "the end of the pattern",
            )
        tree = parse_json(text)
        return CompiledPattern(text, PatternKind.JSON, generate_one(tree, json_document), tree)
    if text.startswith("["):
        if len(text) < 2 or not text.endswith("]"):
            raise FilterPatternSyntaxError(
                len(text),
                "']' at the end of a pattern that starts with '['",
                "the end of the pattern",
            )
        predicate = compile_delimited(parse_delimited(text))
        return CompiledPattern(text, PatternKind.SPACE_DELIMITED, _text_matcher(predicate))
    return CompiledPattern(text, PatternKind.TERMS, _text_matcher(compile_terms(text)))
