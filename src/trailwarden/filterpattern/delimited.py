"""Space-delimited patterns: ``[ip, user, ..., status_code = 4*, bytes > 1000]``.

AWS docs (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/
FilterAndPatternSyntax.html#matching-term-space-delimited-log-events):

- A log event is split into fields at spaces; "characters between brackets ([]) and double
  quotation marks ("") are considered single fields" (without the brackets or quotes, as the
  documented extracted values show: ``"$request": "GET /index.html HTTP/1.0"``).
- Fields are named in order; ``...`` stands for "as many fields as needed" (zero or more).
- A field's condition uses =, !=, <, <=, >, >=, '*' wildcards or a regex, joined with
  ``&&`` and ``||``; string fields take = and != only.
- ``[]`` names no field: it matches every event and extracts every field as ``$1``,
  ``$2``... (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/
  API_TestMetricFilter.html, "without specifying any fields").

Where the docs are silent (or contradict each other) we chose:

- Without ``...``, an event with more fields than the pattern names has its extra fields
  in the pattern's last field (the rest of the event, as written). The current page says
  ``[w1=ERROR, w2]`` returns the events whose first word is ERROR (lines of six fields)
  and that "you must include a blank w2 indicator after the w1 term", which only makes
  sense that way. (The archived page's example counted fields exactly; the current page
  wins.) An event with fewer fields than the pattern names does not match.
- Runs of spaces and tabs separate fields; leading and trailing ones are ignored. A field
  that starts with '"' or '[' ends at the next '"' or ']' (or the end of the event); a
  character right after that closing one starts the next field.
- A number value compares numerically with a field that is a number and as text with a
  field that is not; ``<``, ``<=``, ``>``, ``>=`` never match a field that is not a number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .nodes import AllOf, AnyOf, Comparison, Field, Node
from .values import RELATIONAL, LiteralKind, number_test, parse_number, text_test

__all__ = ["compile_delimited", "split_fields"]

TextPredicate = Callable[[str], bool]
_CLOSING = {'"': '"', "[": "]"}


def split_fields(message: str, limit: int = 0) -> list[str]:
    """The fields of a space-delimited log event; with a ``limit``, at most that many, the
    last one holding the rest of the event."""
    fields: list[str] = []
    i, n = 0, len(message)
    while i < n:
        c = message[i]
        if c == " " or c == "\t":
            i += 1
            continue
        if len(fields) == limit - 1:
            rest = message[i:].rstrip(" \t")
            tail = split_fields(rest)
            fields.append(tail[0] if len(tail) == 1 else rest)
            break
        if c in _CLOSING:
            close = message.find(_CLOSING[c], i + 1)
            end = n if close < 0 else close
            fields.append(message[i + 1 : end])
            i = end + 1
            continue
        j = i + 1
        while j < n and message[j] != " " and message[j] != "\t":
            j += 1
        fields.append(message[i:j])
        i = j
    return fields


def _comparison(node: Comparison) -> TextPredicate:
    literal = node.literal
    if literal.kind is not LiteralKind.NUMBER:
        matches = text_test(literal)
        if node.op == "=":
            return matches
        return lambda field: not matches(field)
    assert literal.number is not None
    compare = number_test(node.op, literal.number)
    if node.op in RELATIONAL:

        def numeric(field: str) -> bool:
            number = parse_number(field)
            return number is not None and compare(number)

        return numeric
    text, equal = literal.text, node.op == "="

    def equality(field: str) -> bool:
        number = parse_number(field)
        return compare(number) if number is not None else (field == text) is equal

    return equality


def _condition(node: Node) -> TextPredicate:
    if isinstance(node, Comparison):
        return _comparison(node)
    assert isinstance(node, AnyOf | AllOf)
    parts = [_condition(item) for item in node.items]
    # Two operands (every level of 'a || (b && (c || ...))') take one call, not a generator
    # as well: the deepest nesting 1,024 characters allow stays far from the recursion limit.
    if len(parts) == 2:
        first, second = parts
        if isinstance(node, AnyOf):
            return lambda field: first(field) or second(field)
        return lambda field: first(field) and second(field)
    if isinstance(node, AnyOf):
        return lambda field: any(part(field) for part in parts)
    return lambda field: all(part(field) for part in parts)


def _fits(tests: Sequence[TextPredicate | None], fields: list[str], start: int) -> bool:
    return all(test is None or test(fields[start + k]) for k, test in enumerate(tests))


def compile_delimited(pattern_fields: Sequence[Field]) -> TextPredicate:
    """A predicate over a raw log message for a space-delimited pattern."""
    if not pattern_fields:  # '[]'
        return lambda message: True
    # Runs of named/unnamed fields between ellipses; each field's test (None: any value).
    runs: list[list[TextPredicate | None]] = [[]]
    for field in pattern_fields:
        if field.ellipsis:
            runs.append([])
        else:
            runs[-1].append(None if field.condition is None else _condition(field.condition))
    if len(runs) == 1:
        (only,) = runs
        count = len(only)
        return lambda message: (
            len(fields := split_fields(message, count)) == count and _fits(only, fields, 0)
        )
    head, middle, tail = runs[0], runs[1:-1], runs[-1]
    least = sum(len(run) for run in runs)

    def match(message: str) -> bool:
        fields = split_fields(message)
        n = len(fields)
        if n < least or not _fits(head, fields, 0) or not _fits(tail, fields, n - len(tail)):
            return False
        # Each middle run is placed as far left as it fits; leaving the most room for the
        # runs after it, this finds a placement whenever one exists.
        position, limit = len(head), n - len(tail)
        for run in middle:
            while position + len(run) <= limit and not _fits(run, fields, position):
                position += 1
            if position + len(run) > limit:
                return False
            position += len(run)
        return True

    return match
