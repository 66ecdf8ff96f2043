"""The engine is total: every pattern AWS accepts compiles, whatever its depth or width.

PutMetricFilter accepts 1,024 characters; within that, a selector can have 500 steps,
parentheses can nest 500 deep and ``&&``/``||`` can chain 150 conditions. Issue 8 §4: a
70-step selector crashed the code generator (``SyntaxError: too many nested parentheses``)
in ``test-pattern``, ``scan`` and ``fix``. These tests build such patterns, up to the length
limit, and check that they compile and that the generated matcher agrees with the closure
reference on documents that do and do not satisfy them.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailwarden.filterpattern import (
    MAX_PATTERN_LENGTH,
    FilterPatternSyntaxError,
    PatternKind,
    PatternSet,
    codegen,
    compile_pattern,
)
from trailwarden.filterpattern.json_pattern import compile_json
from trailwarden.filterpattern.parser import parse_json

KEYS = ["a", "b", "c-d", "e_f"]


def nested(keys: list[str], leaf: Any) -> dict[str, Any]:
    """``{"k1": {"k2": ... leaf}}``."""
    document: Any = leaf
    for key in reversed(keys):
        document = {key: document}
    assert isinstance(document, dict)
    return document


def agree(text: str, documents: list[Any]) -> None:
    """``text`` compiles, and its matcher and PatternSet agree with the closure reference on
    each document, parsed and as raw JSON text."""
    pattern = compile_pattern(text)
    reference = compile_json(parse_json(text))
    pattern_set = PatternSet([pattern, compile_pattern("{ $.zz = 1 }")])
    for document in documents:
        expected = reference(document)
        assert pattern.matches(document) is expected
        assert pattern.matches(json.dumps(document)) is expected
        assert pattern_set.matches(document)[0] is expected


def longest_selector() -> tuple[str, list[str]]:
    """A selector of single-letter steps that fills the 1,024 characters of ``{ S = 1 }``."""
    steps = (MAX_PATTERN_LENGTH - len("{ $ = 1 }")) // 2
    return "$" + ".a" * steps, ["a"] * steps


@pytest.mark.parametrize("steps", [70, 100, 507])
def test_a_deep_selector_compiles_and_matches(steps: int) -> None:
    text = "{ $" + ".a" * steps + " = 1 }"
    assert len(text) <= MAX_PATTERN_LENGTH
    pattern = compile_pattern(text)
    assert pattern.matches(nested(["a"] * steps, 1))
    assert not pattern.matches(nested(["a"] * steps, 2))
    assert not pattern.matches(nested(["a"] * (steps - 1), 1))
    agree(text, [nested(["a"] * steps, 1), nested(["a"] * steps, "1"), {"a": 1}])


def test_deep_selectors_of_every_step_kind_compile() -> None:
    text = "{ $.a" + "[0]" * 120 + "['x.y']" * 40 + ".*" + " = 1 }"
    assert len(text) <= MAX_PATTERN_LENGTH
    leaf: Any = {"x.y": 0}
    for _ in range(39):
        leaf = {"x.y": leaf}
    inner: Any = nested(["x.y"] * 40, {"k": 1})
    for _ in range(120):
        inner = [inner]
    agree(text, [{"a": inner}, {"a": [[1]]}, {}])
    assert compile_pattern(text).matches({"a": inner})


def test_a_shared_lookup_of_deep_selectors_in_a_pattern_set() -> None:
    deep, keys = longest_selector()
    texts = [f"{{ {deep} = 1 }}", "{ $.a.a = 1 }", "{ $" + ".a" * 6 + " IS NULL }"]
    patterns = [compile_pattern(text) for text in texts]
    pattern_set = PatternSet(patterns)
    for document in (nested(keys, 1), nested(["a"] * 6, None), {"a": {"a": 1}}):
        assert pattern_set.matches(document) == tuple(p.matches(document) for p in patterns)
    assert pattern_set.matches(nested(keys, 1)) == (True, False, False)


@pytest.mark.parametrize("depth", [65, 200, 500])
def test_deeply_nested_parentheses_compile(depth: int) -> None:
    text = "{ " + "(" * depth + "$.a = 1" + ")" * depth + " }"
    assert len(text) <= MAX_PATTERN_LENGTH
    agree(text, [{"a": 1}, {"a": 2}])


def alternating(condition: str, limit: int, brackets: str, other: str = "") -> str:
    """``c || (o && (c || (...)))`` as deep as fits in ``limit`` characters with brackets
    (``o``: ``other``, else ``condition``)."""
    opening, closing = brackets
    conditions = (condition, other or condition)
    inner, operators, depth = condition, ("&&", "||"), 0
    while True:
        candidate = f"{conditions[depth % 2]}{operators[depth % 2]}({inner})"
        if len(candidate) + 2 > limit:
            return f"{opening}{inner}{closing}"
        inner, depth = candidate, depth + 1


def frames() -> int:
    frame, count = sys._getframe(), 0
    while frame is not None:
        frame, count = frame.f_back, count + 1  # type: ignore[assignment]
    return count


@pytest.mark.parametrize(
    ("text", "event"),
    [
        (alternating("$.a=1", MAX_PATTERN_LENGTH, "{}", "$.a=2"), {"a": 1}),
        (alternating("a=1", MAX_PATTERN_LENGTH, "[]", "a=2"), "1"),
    ],
    ids=["json", "space-delimited"],
)
def test_the_deepest_patterns_evaluate_far_from_the_recursion_limit(text: str, event: Any) -> None:
    """Matching may run deep in a caller's stack: the deepest pattern that fits, with every
    level evaluated ('a=2 || (a=1 && (a=2 || ...))' on a=1), needs under 250 frames."""
    pattern = compile_pattern(text)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(frames() + 250)
    try:
        assert pattern.matches(event)
    finally:
        sys.setrecursionlimit(limit)


def test_the_deepest_alternation_that_fits_compiles_and_agrees() -> None:
    text = alternating("$.a=1", MAX_PATTERN_LENGTH, "{}")
    assert len(text) > MAX_PATTERN_LENGTH - 12 and text.count("(") > 100
    agree(text, [{"a": 1}, {"a": 2}, {}])


def test_the_deepest_delimited_alternation_that_fits_compiles_and_agrees() -> None:
    text = alternating("a=1", MAX_PATTERN_LENGTH, "[]")
    assert text.count("(") > 140
    pattern = compile_pattern(text)
    assert pattern.kind is PatternKind.SPACE_DELIMITED
    assert pattern.matches("1") and not pattern.matches("2")


@pytest.mark.parametrize("operator", ["||", "&&"])
def test_the_widest_chain_that_fits_compiles_and_agrees(operator: str) -> None:
    clauses = [f"$.{KEYS[i % 4]}={i}" for i in range(200)]
    text = "{" + operator.join(clauses) + "}"
    while len(text) > MAX_PATTERN_LENGTH:
        clauses.pop()
        text = "{" + operator.join(clauses) + "}"
    assert len(clauses) > 100
    agree(text, [{"a": 0}, {"a": 4, "b": 1}, {"a": 0, "b": 1, "c-d": 2, "e_f": 3}, {}])


def test_the_widest_delimited_and_term_patterns_compile() -> None:
    fields = compile_pattern("[" + "," * (MAX_PATTERN_LENGTH - 2) + "]")
    assert fields.matches(" ".join("x" * 1023)) and not fields.matches("x")
    terms = compile_pattern(" ".join(["a"] * 512)[:MAX_PATTERN_LENGTH])
    assert terms.matches("a") and not terms.matches("b")


def test_a_pattern_cpython_cannot_compile_is_evaluated_by_the_closures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Defence in depth: were the generated code ever too deep for CPython, the pattern still
    compiles and matches; the closure reference evaluates it."""
    monkeypatch.setattr(codegen, "_MAX_INLINE_DEPTH", 10_000)
    monkeypatch.setattr(codegen, "_MAX_INLINE_STEPS", 10_000)
    deep, keys = longest_selector()
    agree(f"{{ {deep} = 1 }}", [nested(keys, 1), nested(keys, 2)])
    agree(alternating("$.a=1", MAX_PATTERN_LENGTH, "{}"), [{"a": 1}, {"a": 2}])


# --- properties ---------------------------------------------------------------------------

selectors = st.lists(st.sampled_from(KEYS), min_size=1, max_size=60).map(
    lambda keys: "$." + ".".join(keys)
)
values = st.sampled_from(["1", "2", '"x"', "x*", "*", "-3.5", "1e3"])
conditions = st.one_of(
    st.builds(lambda s, op, v: f"{s} {op} {v}", selectors, st.sampled_from(["=", "!="]), values),
    st.builds(lambda s, op: f"{s} {op} 1", selectors, st.sampled_from(["<", ">=", "<="])),
    st.builds(lambda s, c: f"{s} {c}", selectors, st.sampled_from(["IS NULL", "NOT EXISTS"])),
)
expressions = st.recursive(
    conditions,
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"{a}{op}{b}", inner, st.sampled_from(["&&", "||"]), inner),
        st.builds(lambda e, n: "(" * n + e + ")" * n, inner, st.integers(1, 60)),
    ),
    max_leaves=40,
)
valid_json_patterns = expressions.map(lambda e: "{" + e + "}").filter(
    lambda text: len(text) <= MAX_PATTERN_LENGTH
)
leaves = st.sampled_from([1, 2, "x", "xy", None, -3.5, 1000.0])
deep_documents = st.builds(nested, st.lists(st.sampled_from(KEYS), min_size=1, max_size=60), leaves)


@settings(max_examples=150, deadline=None)
@given(valid_json_patterns, st.lists(deep_documents, min_size=1, max_size=4))
def test_every_valid_deep_or_wide_json_pattern_compiles_and_agrees(
    text: str, documents: list[Any]
) -> None:
    agree(text, documents)


delimited_conditions = st.builds(
    lambda op, v: f"f{op}{v}", st.sampled_from(["=", "!=", "<", ">="]), st.sampled_from(["1", "2"])
)
delimited_expressions = st.recursive(
    delimited_conditions,
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"{a}{op}{b}", inner, st.sampled_from(["&&", "||"]), inner),
        st.builds(lambda e, n: "(" * n + e + ")" * n, inner, st.integers(1, 60)),
    ),
    max_leaves=40,
)
valid_delimited_patterns = st.builds(
    lambda head, condition: "[" + "x," * head + condition + "]",
    st.integers(0, 100),
    delimited_expressions,
).filter(lambda text: len(text) <= MAX_PATTERN_LENGTH)


@settings(max_examples=150, deadline=None)
@given(valid_delimited_patterns, st.lists(st.sampled_from(["1", "2", "a"]), max_size=120))
def test_every_valid_deep_or_wide_delimited_pattern_compiles(text: str, words: list[str]) -> None:
    pattern = compile_pattern(text)
    assert pattern.matches(" ".join(words)) in (True, False)


def test_over_the_length_limit_is_still_a_syntax_error() -> None:
    with pytest.raises(FilterPatternSyntaxError, match="at most 1024 characters"):
        compile_pattern("{ $" + ".a" * 600 + " = 1 }")
