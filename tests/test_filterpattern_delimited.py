"""Space-delimited patterns: splitting events into fields, ellipses, field conditions."""

from __future__ import annotations

import pytest

from trailwarden.filterpattern import FilterPatternSyntaxError, PatternKind, compile_pattern
from trailwarden.filterpattern.delimited import split_fields

APACHE = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534'


def matches(pattern: str, message: str) -> bool:
    return compile_pattern(pattern).matches(message)


@pytest.mark.parametrize(
    "message, fields",
    [
        (APACHE, ["127.0.0.1", "-", "frank", "10/Oct/2000:13:25:15 -0700",
                  "GET /index.html HTTP/1.0", "404", "1534"]),
        ("  a \t b  ", ["a", "b"]),
        ("", []),
        ('a "" []', ["a", "", ""]),
        ('a "unterminated b', ["a", "unterminated b"]),
        ('"x y"z', ["x y", "z"]),  # what follows a closing quote starts the next field
        ('a"b c"', ['a"b', 'c"']),  # a quote inside a field does not group
    ],
)  # fmt: skip
def test_split_fields(message: str, fields: list[str]) -> None:
    assert split_fields(message) == fields


def test_split_fields_with_a_limit_leaves_the_rest_in_the_last_field() -> None:
    assert split_fields(APACHE, 2) == ["127.0.0.1", APACHE[10:]]
    assert split_fields('a "b c" ', 2) == ["a", "b c"]  # one grouped field stays grouped


def test_named_fields_without_conditions_match_any_value() -> None:
    assert compile_pattern("[ip, user, username, timestamp, request, status, bytes]").kind is (
        PatternKind.SPACE_DELIMITED
    )
    assert matches("[ip, user, username, timestamp, request, status, bytes]", APACHE)


def test_an_event_with_fewer_fields_than_the_pattern_does_not_match() -> None:
    assert not matches("[a, b, c]", "x y")
    assert not matches("[a, ..., b, c]", "x y")


def test_the_last_field_takes_the_rest_of_a_longer_event() -> None:
    """Current AWS docs: [w1=ERROR, w2] returns the events whose first word is ERROR."""
    assert matches("[level=ERROR, rest]", "ERROR disk full on /dev/sda1")
    assert matches('[level, rest="disk full*"]', "ERROR disk full on /dev/sda1")
    assert not matches("[level=ERROR]", "ERROR disk full")
    assert not matches("[a, b, bytes > 10]", "x y 20 30")  # "20 30" is not a number


def test_ellipsis_stands_for_zero_or_more_fields_anywhere() -> None:
    assert matches("[..., status = 404, bytes]", APACHE)
    assert matches("[ip, ..., status = 404, ..., bytes]", APACHE)
    assert matches("[ip, ..., user = frank, ...]", APACHE)
    assert matches("[..., a, ...]", "only")
    assert matches("[a, ..., b]", "x y")  # zero fields
    assert not matches("[..., user = nobody, ...]", APACHE)


def test_middle_runs_between_ellipses_are_found_in_order() -> None:
    pattern = compile_pattern("[..., a = 1, b = 2, ..., c = 3, ...]")
    assert pattern.matches("x 1 2 y 1 3 z")
    assert pattern.matches("1 2 3")
    assert not pattern.matches("3 1 2")


def test_string_conditions_with_wildcards_and_regexes() -> None:
    assert matches("[..., request = *.html*, status, bytes]", APACHE)
    assert matches("[ip = 127.*, ...]", APACHE)
    assert matches('[..., request = "GET *", status, bytes]', APACHE)
    assert matches(r"[ip = %^127\.0%, ...]", APACHE)
    assert not matches("[user != -, ...]", "- x")


def test_numeric_conditions_read_the_field_as_a_number() -> None:
    assert matches("[..., status >= 400 && status < 500, bytes > 1000]", APACHE)
    assert matches("[..., status = 404.0, bytes]", APACHE)
    assert not matches("[..., status < 400, bytes]", APACHE)
    assert not matches("[a > 1]", "abc")
    assert matches("[a = 1e3]", "1000")


def test_a_number_compares_as_text_with_a_field_that_is_not_a_number() -> None:
    assert matches("[a != 404]", "abc")
    assert not matches("[a = 404]", "abc")


def test_conditions_group_with_parentheses() -> None:
    assert matches("[a, (b = 1 || b = 2) && b != 2]", "x 1")
    assert not matches("[a, (b = 1 || b = 2) && b != 2]", "x 2")


@pytest.mark.parametrize("pattern", ["[]", "[ ]", "[\t]"])
@pytest.mark.parametrize("message", ["", "one", '127.0.0.1 - frank "GET / HTTP/1.0" 200 1534'])
def test_a_pattern_without_fields_matches_every_event(pattern: str, message: str) -> None:
    """TestMetricFilter's example "without specifying any fields" (see the docs tests)."""
    assert compile_pattern(pattern).kind is PatternKind.SPACE_DELIMITED
    assert matches(pattern, message)


def test_unnamed_fields_between_and_after_commas() -> None:
    assert matches("[a, , c = 3]", "1 2 3")
    assert matches("[a, b,]", "1 2 3")


def test_a_parsed_event_is_matched_as_its_compact_json_text() -> None:
    pattern = compile_pattern('[json = "*AccessDenied*"]')
    assert pattern.matches({"errorCode": "AccessDenied"})


@pytest.mark.parametrize(
    "pattern, position, expected",
    [
        ("[a b]", 3, "an operator (=, !=, <, <=, >, >=), ',' or ']' after 'a'"),
        ("[a = 1, b c]", 10, "an operator (=, !=, <, <=, >, >=), ',' or ']' after 'b'"),
        ("[a = 1 x]", 7, "',' or ']'"),
        ("[a, b", 5, "']' at the end of a pattern that starts with '['"),
        ("[a = ]", 5, "a value after '='"),
        ("[a > x]", 5, "a number after '>'"),
        ("[a = 1 && b = 2]", 10, "a condition on 'a'"),
        ("[a.b = 1]", 1, "a field name (letters, digits and '_'), '...' or '('"),
        ("[a.b]", 1, "a field name (letters, digits and '_') or '...'"),
        ("[$.a = 1]", 1, "a field name (letters, digits and '_'), '...' or '('"),
        ("[a = %x%, b = %y%, c = %z%]", 23, "at most 2 regular expressions in a pattern"),
    ],
)
def test_syntax_errors(pattern: str, position: int, expected: str) -> None:
    with pytest.raises(FilterPatternSyntaxError) as caught:
        compile_pattern(pattern)
    assert (caught.value.position, caught.value.expected) == (position, expected)
