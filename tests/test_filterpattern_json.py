"""JSON patterns: precedence, the choices where AWS's docs are silent, errors, PatternSet.

The documented examples are in test_filterpattern_docs.py; here each test pins one
behaviour, with the reason in its docstring when it is a choice of ours.
"""

from __future__ import annotations

import itertools
import json
from types import MappingProxyType
from typing import Any

import pytest

from trailwarden.errors import Error, FilterPatternError
from trailwarden.filterpattern import (
    MAX_PATTERN_LENGTH,
    FilterPatternSyntaxError,
    PatternKind,
    PatternSet,
    compile_pattern,
)
from trailwarden.filterpattern.json_pattern import compile_json
from trailwarden.filterpattern.parser import parse_json

# CIS v2.0 4.1 as CIS prints it, and as CIS means it (see ../shared/reference).
CIS_41_TEXT = (
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && '
    '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }'
)
CIS_41 = (
    '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
    '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }'
)
CIS_43 = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
    '$.eventType != "AwsServiceEvent" }'
)
CIS_44_NAMES = [
    *("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy"),
    *("PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion"),
    *("DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy"),
    *("DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"),
]


def cis_44(names: list[str]) -> str:
    return "{" + "||".join(f"($.eventName={name})" for name in names) + "}"


def record(**fields: Any) -> dict[str, Any]:
    """A CloudTrail record with the fields the CIS filters read."""
    base: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "userName": "alice"},
        "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstances",
        "sourceIPAddress": "203.0.113.7",
        "eventType": "AwsApiCall",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def corpus() -> list[dict[str, Any]]:
    """Records across the values the CIS 4.1/4.3 clauses look at, present or absent."""
    records = []
    for error, ip, name, identity, invoked, event_type in itertools.product(
        [None, "AccessDenied", "Client.UnauthorizedOperation", "AccessDeniedException",
         "UnauthorizedOperation", "ThrottlingException"],
        ["203.0.113.7", "delivery.logs.amazonaws.com", None],
        ["HeadBucket", "GetObject", "RunInstances", "PutRolePolicy"],
        ["Root", "IAMUser", "AssumedRole"],
        [None, "cloudformation.amazonaws.com"],
        ["AwsApiCall", "AwsServiceEvent"],
    ):  # fmt: skip
        user: dict[str, Any] = {"type": identity}
        if invoked:
            user["invokedBy"] = invoked
        records.append(
            record(errorCode=error, sourceIPAddress=ip, eventName=name, userIdentity=user,
                   eventType=event_type)
        )  # fmt: skip
    return records


def unauthorized_records() -> list[dict[str, Any]]:
    return [
        record(errorCode=code, eventName="RunInstances")
        for code in ("AccessDenied", "Client.UnauthorizedOperation", "AccessDeniedException")
    ]


def matches(pattern: str, event: Any) -> bool:
    return compile_pattern(pattern).matches(event)


# --- precedence and the CIS / Prowler cases ---------------------------------------------


def test_and_binds_tighter_than_or() -> None:
    event = {"a": 1, "b": 0, "c": 0}
    assert matches("{ $.a = 1 || $.b = 1 && $.c = 1 }", event)  # a || (b && c)
    assert not matches("{ ($.a = 1 || $.b = 1) && $.c = 1 }", event)


def test_cis_v2_text_reads_as_a_or_b_and_c_and_d() -> None:
    """Under () > && > ||, CIS v2.0's 4.1 text also counts the delivery.logs HeadBucket
    AccessDenied... no: it counts every *UnauthorizedOperation even from delivery.logs."""
    noise = record(
        errorCode="Client.UnauthorizedOperation",
        sourceIPAddress="delivery.logs.amazonaws.com",
        eventName="HeadBucket",
    )
    assert matches(CIS_41_TEXT, noise)
    assert not matches(CIS_41, noise)


def test_prowler_passes_an_and_joined_filter_that_matches_no_unauthorized_call() -> None:
    """Prowler's regex accepts this 4.1 variant; it can never fire."""
    broken = '{ ($.errorCode = "*UnauthorizedOperation") && ($.errorCode = "AccessDenied*") }'
    events = unauthorized_records() + corpus()
    assert [e for e in events if matches(broken, e)] == []
    assert all(matches(CIS_41, e) for e in unauthorized_records())


@pytest.mark.parametrize(
    "permutation", list(itertools.permutations(range(3))), ids=lambda p: "".join(map(str, p))
)
def test_cis_41_with_clauses_reordered_matches_the_same_events(
    permutation: tuple[int, ...],
) -> None:
    """Prowler used to fail the CIS filter with its clauses in another order."""
    unauthorized = '(($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation"))'
    clauses = [
        unauthorized,
        '($.eventName != "HeadBucket")',
        '($.sourceIPAddress != "delivery.logs.amazonaws.com")',
    ]
    reordered = compile_pattern("{ " + " && ".join(clauses[i] for i in permutation) + " }")
    original = compile_pattern(CIS_41)
    events = corpus()
    assert [reordered.matches(e) for e in events] == [original.matches(e) for e in events]
    assert any(original.matches(e) for e in events)


def test_cis_44_names_in_any_order_match_the_same_events() -> None:
    original, reordered = (
        compile_pattern(cis_44(CIS_44_NAMES)),
        compile_pattern(cis_44(sorted(CIS_44_NAMES, reverse=True))),
    )
    events = [record(eventName=name) for name in [*CIS_44_NAMES, "GetPolicy", "PutRolePolicyX"]]
    assert [original.matches(e) for e in events] == [reordered.matches(e) for e in events]
    assert sum(original.matches(e) for e in events) == len(CIS_44_NAMES)


@pytest.mark.parametrize("spacing", ["  ", "\t", " \n ", "   "])
def test_not_exists_with_any_whitespace_between_the_words(spacing: str) -> None:
    """Prowler fails `NOT  EXISTS` written with two spaces; AWS and we do not care."""
    pattern = CIS_43.replace("NOT EXISTS", f"NOT{spacing}EXISTS")
    root = record(userIdentity={"type": "Root"})
    service = record(userIdentity={"type": "Root", "invokedBy": "s3.amazonaws.com"})
    assert matches(pattern, root)
    assert not matches(pattern, service)


def test_keywords_are_not_case_sensitive() -> None:
    assert matches("{ $.a not exists && $.b is null && $.c Is True }", {"b": None, "c": True})


# --- choices where the docs are silent ----------------------------------------------------


def test_not_equal_does_not_match_a_missing_property() -> None:
    """Observed on AWS (DataBiosphere/azul#5884): `$.x != "v"` is false when x is absent."""
    pattern = '{ ($.errorCode = "AccessDenied") && ($.userIdentity.invokedBy != "cf") }'
    assert not matches(pattern, {"errorCode": "AccessDenied", "userIdentity": {"type": "X"}})
    assert matches(pattern, {"errorCode": "AccessDenied", "userIdentity": {"invokedBy": "s3"}})


def test_not_equal_or_not_exists_covers_a_missing_property() -> None:
    pattern = '{ $.phone != "080" || $.phone NOT EXISTS }'
    assert matches(pattern, {"name": "gonbe"})
    assert matches(pattern, {"phone": "081"})
    assert not matches(pattern, {"phone": "080"})


@pytest.mark.parametrize("value", [None, True, False, {"k": "v"}, ["v"]])
@pytest.mark.parametrize("pattern", ['{ $.x = "v" }', '{ $.x != "v" }', "{ $.x = * }"])
def test_string_comparisons_apply_to_strings_and_numbers_only(pattern: str, value: Any) -> None:
    """The docs: a selector must point at "a value node (string or number)"."""
    assert not matches(pattern, {"x": value})


def test_booleans_are_tested_with_is_true_and_is_false_not_with_equals() -> None:
    assert not matches("{ $.flag = true }", {"flag": True})
    assert not matches('{ $.flag = "true" }', {"flag": True})
    assert matches("{ $.flag IS TRUE }", {"flag": True})


def test_string_comparison_is_case_sensitive() -> None:
    assert not matches("{ $.eventName = consolelogin }", {"eventName": "ConsoleLogin"})
    assert not matches('{ $.eventName = "CONSOLELOGIN" }', {"eventName": "ConsoleLogin"})


def test_a_string_value_compares_with_a_json_number_through_its_text() -> None:
    """So that the documented `{ $.latency = * }` matches a numeric latency."""
    assert matches('{ $.id = "2" }', {"id": 2})
    assert matches("{ $.status = 4* }", {"status": 404})
    assert matches("{ $.latency = * }", {"latency": 12.5})
    assert not matches('{ $.id != "2" }', {"id": 2})


def test_a_number_value_compares_numerically_with_numbers_and_as_text_with_strings() -> None:
    assert matches("{ $.code = 400 }", {"code": 400.0})
    assert matches("{ $.code = 400 }", {"code": "400"})
    assert not matches("{ $.code = 400 }", {"code": "400.0"})
    assert matches("{ $.code != 400 }", {"code": "404"})
    assert matches("{ $.n = 1e3 }", {"n": 1000})


def test_ordering_operators_match_json_numbers_only() -> None:
    assert not matches("{ $.latency > 1 }", {"latency": "5"})
    assert not matches("{ $.flag > 0 }", {"flag": True})
    assert not matches("{ $.flag = 1 }", {"flag": True})
    assert not matches("{ $.latency < 10 }", {})


def test_numbers_beyond_64_bits_in_a_raw_message_compare_numerically() -> None:
    """orjson reads them as floats; comparing them as text would need the source text."""
    message = '{"big": 123456789012345678901234567890}'
    assert matches("{ $.big > 1e29 }", message)
    assert not matches("{ $.big > 1e30 }", message)


def test_a_wildcard_selector_matches_when_any_selected_value_does() -> None:
    event = {"tags": ["a", "b"], "empty": [], "nulls": [1, None], "o": {"x": "1", "y": "2"}}
    assert matches('{ $.tags[*] = "b" }', event)
    assert matches('{ $.tags[*] != "a" }', event)  # "b" differs from "a"
    assert not matches('{ $.tags[*] = "c" }', event)
    assert matches("{ $.empty[*] NOT EXISTS }", event)
    assert not matches("{ $.tags[*] NOT EXISTS }", event)
    assert matches("{ $.nulls[*] IS NULL }", event)
    assert matches('{ $.o.* = "2" }', event)
    assert not matches('{ $.* = "2" }', event)  # one level: $.o.y is not a field of $


def test_array_wildcard_selects_array_elements_and_field_wildcard_object_fields() -> None:
    assert not matches('{ $.o[*] = "1" }', {"o": {"x": "1"}})
    assert not matches('{ $.a.* = "1" }', {"a": ["1"]})


def test_array_index_and_quoted_property_names() -> None:
    event = {"a": [[0, 1], [2, 3]], "dotted.key": {"in": "v"}, "dash-key": "d"}
    assert matches("{ $.a[1][0] = 2 }", event)
    assert not matches("{ $.a[5][0] = 2 }", event)
    assert matches("{ $.['dotted.key'].in = \"v\" }", event)
    assert matches("{ $['dotted.key'].in = \"v\" }", event)
    assert matches("{ $.dash-key = d }", event)


def test_a_message_that_is_not_a_json_object_matches_no_json_pattern() -> None:
    for message in ["ERROR not json", "[1, 2]", '"a string"', "42", "{broken", ""]:
        assert not matches("{ $.x NOT EXISTS }", message), message


def test_raw_message_and_parsed_object_give_the_same_answer() -> None:
    pattern = compile_pattern(CIS_41)
    for event in corpus()[:200]:
        assert pattern.matches(json.dumps(event)) is pattern.matches(event)


def test_any_mapping_is_accepted_as_a_parsed_event() -> None:
    event = MappingProxyType({"user": MappingProxyType({"type": "Root"}), "n": (1, 2)})
    assert matches('{ $.user.type = "Root" && $.n[1] = 2 }', event)


def test_quoted_values_take_backslash_escapes() -> None:
    assert matches(r'{ $.q = "say \"hi\"" }', {"q": 'say "hi"'})
    assert matches(r'{ $.p = "C:\\dir" }', {"p": "C:\\dir"})


def test_quoted_wildcards_are_wildcards_too() -> None:
    """CIS relies on it: `"*UnauthorizedOperation"`, `"AccessDenied*"`."""
    assert matches('{ $.e = "*Operation" }', {"e": "Client.UnauthorizedOperation"})
    assert matches('{ $.e = "*" }', {"e": ""})


def test_regex_values_and_their_negation() -> None:
    assert matches(r"{ $.ip = %^10\.% }", {"ip": "10.1.2.3"})
    assert matches(r"{ $.ip != %^10\.% }", {"ip": "192.168.0.1"})
    assert not matches(r"{ $.ip != %^10\.% }", {})


def test_closure_reference_and_generated_code_agree_on_the_corpus() -> None:
    for text in (CIS_41, CIS_41_TEXT, CIS_43, cis_44(CIS_44_NAMES)):
        reference, generated = compile_json(parse_json(text)), compile_pattern(text)
        for event in corpus():
            assert reference(event) is generated.matches(event), (text, event)


# --- errors -------------------------------------------------------------------------------


def test_error_names_position_expected_and_found() -> None:
    with pytest.raises(FilterPatternSyntaxError) as caught:
        compile_pattern("{ $.eventName = && $.x = 1 }")
    error = caught.value
    assert (error.position, error.expected, error.found) == (16, "a value after '='", "'&&'")
    assert str(error) == "position 16: expected a value after '=', found '&&'"


def test_syntax_error_is_a_trailwarden_error() -> None:
    """So the CLI reports it in one sentence and exits 2."""
    assert issubclass(FilterPatternSyntaxError, FilterPatternError)
    assert issubclass(FilterPatternSyntaxError, Error)


@pytest.mark.parametrize(
    "text, position, expected",
    [
        ("{ $.a = 1", 9, "'}' at the end of a pattern that starts with '{'"),
        ("{}", 1, "a selector such as '$.eventName', or '('"),
        ("{ $.a }", 6, "an operator (=, !=, <, <=, >, >=), IS or NOT EXISTS after '$.a'"),
        ("{ $.a > abc }", 8, "a number after '>'"),
        ('{ $.a < "1" }', 8, "a number after '<'"),
        ("{ ($.a = 1 }", 11, "'&&', '||' or ')'"),
        ("{ $.a = 1 $.b = 2 }", 10, "'&&', '||' or '}'"),
        ("{ $.a = 1 & $.b = 2 }", 10, "'&&'"),
        ("{ $.a ! 1 }", 6, "'!='"),
        ("{ $.a == 1 }", 7, "a value after '='"),
        ("{ $.a => 1 }", 7, "a value after '='"),
        ("{ $[0] = 1 }", 3, "a property before an array index, as in '$.name[0]'"),
        ("{ $.[0] = 1 }", 5, "a quoted property name such as ['cluster.name'] after '.'"),
        ("{ $a = 1 }", 3, "'.' after '$'"),
        ("{ $. = 1 }", 4, "a property name (letters, digits, '-' or '_') after '.'"),
        ("{ $.a[x] = 1 }", 6, "an array index, '*' or a quoted property name after '['"),
        ("{ $.a = b@c }", 9, "a selector, an operator, '&&', '||', '(', ')' or a value"),
        ('{ $.a = "open }', 14, "a closing '\"'"),
        ("{ $.a IS MAYBE }", 9, "NULL, TRUE or FALSE after IS"),
        ("{ $.a NOT THERE }", 10, "EXISTS after NOT"),
        (
            "{ $.a = %x(y)% }",
            10,
            "a letter, a digit, one of ': _ # = @ / ; , -' or a regex operator",
        ),
    ],
)
def test_syntax_errors(text: str, position: int, expected: str) -> None:
    with pytest.raises(FilterPatternSyntaxError) as caught:
        compile_pattern(text)
    assert (caught.value.position, caught.value.expected) == (position, expected)
    assert 0 <= caught.value.position <= len(text)


def test_deeply_alternating_and_or_nesting_compiles_and_agrees_with_the_reference() -> None:
    """Beyond a depth the generator hands subtrees to the closure compiler."""
    text = "$.a = 1"
    for level in range(60):
        text = f"$.b = {level} {'&&' if level % 2 else '||'} ({text})"
    text = "{ " + text + " }"
    pattern, reference = compile_pattern(text), compile_json(parse_json(text))
    for event in ({"a": 1}, {"a": 1, "b": 0}, {"b": 59}, {"b": 58}, {}):
        assert pattern.matches(event) is reference(event)


def test_patterns_longer_than_the_api_allows_are_rejected() -> None:
    text = "{ " + " || ".join(f"$.k = v{i}" for i in range(200)) + " }"
    assert len(text) > MAX_PATTERN_LENGTH
    with pytest.raises(FilterPatternSyntaxError, match="at most 1024 characters"):
        compile_pattern(text)


# --- CompiledPattern and PatternSet ---------------------------------------------------------


def test_compiled_pattern_is_frozen_and_knows_its_source_and_kind() -> None:
    pattern = compile_pattern(CIS_43)
    assert (pattern.source, pattern.kind) == (CIS_43, PatternKind.JSON)
    assert pattern == compile_pattern(CIS_43)
    with pytest.raises(AttributeError):
        pattern.source = "x"  # type: ignore[misc]


def test_pattern_set_gives_each_patterns_own_answer_in_order() -> None:
    texts = [CIS_41, CIS_43, cis_44(CIS_44_NAMES), "ERROR", "[a, b]", "{ $.eventName = * }"]
    patterns = [compile_pattern(text) for text in texts]
    pattern_set = PatternSet(patterns)
    assert len(pattern_set) == len(texts)
    events: list[Any] = [*corpus()[:300], "ERROR x", "a b", "{not json"]
    for event in events:
        assert pattern_set.matches(event) == tuple(p.matches(event) for p in patterns)


def test_pattern_set_of_json_patterns_only_accepts_raw_text() -> None:
    pattern_set = PatternSet([compile_pattern(CIS_43), compile_pattern(cis_44(CIS_44_NAMES))])
    assert pattern_set.matches(json.dumps(record(eventName="PutRolePolicy"))) == (False, True)
    assert pattern_set.matches("not json") == (False, False)
    assert PatternSet([]).matches("x") == ()
