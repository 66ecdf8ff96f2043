"""Term patterns on unstructured log events, and standalone regular expressions."""

from __future__ import annotations

import pytest

from trailwarden.filterpattern import FilterPatternSyntaxError, PatternKind, compile_pattern


def matches(pattern: str, message: str) -> bool:
    return compile_pattern(pattern).matches(message)


def test_a_term_matches_anywhere_in_the_message_including_inside_words() -> None:
    assert matches("ERROR", "Exiting with ERRORCODE: -1")
    assert matches("404", "GET /x 404 12")


def test_terms_are_case_sensitive() -> None:
    assert not matches("ERROR", "error: disk full")
    assert not matches('"Internal Error"', "INTERNAL ERROR")


def test_all_plain_terms_must_occur_in_any_order() -> None:
    assert matches("ARGUMENTS ERROR", "[ERROR 419] MISSING ARGUMENTS")
    assert not matches("ARGUMENTS ERROR", "[ERROR 400] BAD REQUEST")


def test_a_quoted_phrase_must_occur_as_written() -> None:
    assert matches('"clean up"', "map clean up")
    assert not matches('"clean up"', "map is cleaned up")


def test_optional_terms_need_one_of_them() -> None:
    assert matches('?"clean up" ?xyz', "xyz will do clean up")
    assert not matches('?"clean up" ?xyz', "abc xy yz xz")


@pytest.mark.parametrize("other", ["REQUEST", "-REQUEST"])
def test_optional_terms_are_ignored_next_to_include_or_exclude_terms(other: str) -> None:
    """The docs: "If you combine '?' with other filter patterns, ... ignored"."""
    pattern = compile_pattern(f"?ERROR ?WARN {other}")
    assert pattern.matches("[INFO] REQUEST") is (other == "REQUEST")
    assert pattern.matches("[INFO] ok") is (other == "-REQUEST")


def test_exclude_terms_alone_match_every_message_without_them() -> None:
    assert matches("-DEBUG -TRACE", "INFO started")
    assert not matches("-DEBUG -TRACE", "TRACE x")


@pytest.mark.parametrize("pattern", ["", " ", "\t \n", '""', '" "', '"  "'])
def test_empty_and_blank_patterns_match_everything(pattern: str) -> None:
    compiled = compile_pattern(pattern)
    assert compiled.kind is PatternKind.TERMS
    assert compiled.matches("") and compiled.matches("anything")


def test_quoted_phrases_take_backslash_escapes() -> None:
    assert matches(r'"level\":\"error"', 'x {"level":"error"} y')
    assert matches(r'"C:\\temp"', r"path C:\temp")


def test_quoted_phrases_may_hold_any_character() -> None:
    assert matches('"ERROR][grpc"', "2025-03-28 [ERROR][grpc] failed")
    assert not matches('"ERROR][grpc"', "[ERROR] [grpc]")
    assert matches('"Status: timeout,"', "Status: timeout, retrying")


@pytest.mark.parametrize(
    "pattern, position, found",
    [
        ("Status: timeout", 6, "':'"),  # AWS: Invalid character(s) in term ':'
        ("a,b", 1, "','"),
        ("f(x)", 1, "'('"),
        ("café", 3, "'é'"),
        ("`ERROR`", 0, "'`'"),
        (" {$.flag IS TRUE}", 1, "'{'"),  # not a JSON pattern: it must start with '{'
        ('ERROR"x"', 5, "'\"'"),
    ],
)
def test_unquoted_terms_hold_letters_digits_and_underscores_only(
    pattern: str, position: int, found: str
) -> None:
    with pytest.raises(FilterPatternSyntaxError) as caught:
        compile_pattern(pattern)
    assert (caught.value.position, caught.value.found) == (position, found)
    assert "double quotes" in str(caught.value)


@pytest.mark.parametrize("pattern, position", [("-", 1), ("ERROR ?", 7), ("- x", 1), ('"open', 5)])
def test_incomplete_terms_are_errors(pattern: str, position: int) -> None:
    with pytest.raises(FilterPatternSyntaxError) as caught:
        compile_pattern(pattern)
    assert caught.value.position == position


def test_a_closing_quote_must_end_the_term() -> None:
    with pytest.raises(FilterPatternSyntaxError, match="a space after the closing"):
        compile_pattern('"a"b')


def test_a_regex_pattern_is_searched_in_the_whole_message() -> None:
    assert matches(r"%user \d+ denied%", "[auth] user 42 denied access")
    assert not matches(r"%^denied%", "[auth] denied")


@pytest.mark.parametrize("pattern", ["%a% ERROR", "ERROR %a%", "%a%%b%", "?%a%"])
def test_a_regex_is_a_whole_pattern_not_a_term(pattern: str) -> None:
    with pytest.raises(FilterPatternSyntaxError):
        compile_pattern(pattern)


@pytest.mark.parametrize(
    "pattern, message",
    [
        (r"%\$%", "cost $5"),  # an escaped operator is literal
        (r"%[\]]%", "a]"),
        ("%a{2}b%", "aab"),
        ("%a{,2}b%", "b"),
        ("%a{2,}b%", "aaab"),
        ("%a{ 2 , 3 }b%", "aab"),  # the docs write "{m, n}"
        ("%[a||b]%", "|"),  # '||' inside a class is literal (Python would warn)
        ("%[-a]%", "-"),
        ("%[[:x]%", ":"),  # so is '['
        ("%x$%", "x"),
    ],
)
def test_regex_details(pattern: str, message: str) -> None:
    assert matches(pattern, message)


def test_regex_dollar_is_the_end_of_the_message_not_before_a_final_newline() -> None:
    assert not matches("%x$%", "x\n")


@pytest.mark.parametrize(
    "pattern",
    [
        "%%",
        "%abc",
        r"%a\%",
        r"%\q%",
        r"%\x4%",
        "%a**%",
        "%*a%",
        "%[b-a]%",
        "%[abc%",
    ],
)
def test_invalid_regexes_are_syntax_errors(pattern: str) -> None:
    with pytest.raises(FilterPatternSyntaxError):
        compile_pattern(pattern)


def test_a_parsed_json_event_is_matched_as_its_compact_text() -> None:
    """CloudTrail writes compact JSON to CloudWatch Logs; a term sees that text."""
    event = {"eventName": "StopLogging", "errorCode": "AccessDenied"}
    assert compile_pattern(r'"\"eventName\":\"StopLogging\""').matches(event)
    assert compile_pattern("AccessDenied").matches(event)
    assert not compile_pattern("ERROR").matches({"unserialisable": {1, 2}})
