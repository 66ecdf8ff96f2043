"""Terraform expressions, as trailwarden evaluates them on python-hcl2's parse tree."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailwarden.collect.iac.hcl_eval import Evaluator
from trailwarden.collect.iac.hcl_functions import FUNCTIONS
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.terraform_hcl import _roots
from trailwarden.collect.iac.terraform_loader import ABSENT, Loader
from trailwarden.collect.iac.terraform_module import ModuleInstance

EMPTY: Path


@pytest.fixture(scope="module", autouse=True)
def empty_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    global EMPTY
    EMPTY = tmp_path_factory.mktemp("module")
    yield


def evaluate(expression: str, directory: Path | None = None, **variables: Any) -> Any:
    """``local.x = expression`` in a module of its own (with these variables given)."""
    directory = directory or EMPTY
    (directory / "main.tf").write_text(
        f"locals {{\n  x = {expression}\n}}\n"
        + "".join(f'variable "{name}" {{}}\n' for name in variables)
    )
    loader = Loader(directory, "ACCOUNT", "eu-west-1")
    loader.evaluator = Evaluator(_roots, FUNCTIONS)
    module = ModuleInstance(loader, directory, "", lambda n: variables.get(n, ABSENT), {})
    return module.local("x")


def hcl(value: Any) -> str:
    """``value`` written as an HCL literal."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{hcl(str(k))} = {hcl(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + "".join(c if c.isprintable() else _escape(c) for c in escaped) + '"'
    return repr(value)


def _escape(c: str) -> str:
    return f"\\U{ord(c):08x}" if ord(c) > 0xFFFF else f"\\u{ord(c):04x}"


# Text python-hcl2's grammar can quote (it has no escape for a lone "${" or "%{").
_TEXT = st.text(
    st.characters(blacklist_characters="${}%", blacklist_categories=("Cs",)), max_size=30
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_a_quoted_string_is_its_text(text: str) -> None:
    assert evaluate(hcl(text)) == text


@settings(max_examples=40, deadline=None)
@given(_JSON)
def test_literals_are_their_values_and_jsonencode_writes_them(value: Any) -> None:
    assert evaluate(hcl(value)) == value
    assert json.loads(evaluate(f"jsonencode({hcl(value)})")) == value


@settings(max_examples=40, deadline=None)
@given(_TEXT, _TEXT)
def test_interpolation_joins_its_parts(a: str, b: str) -> None:
    assert evaluate('"${var.a}-${var.b}"', a=a, b=b) == f"{a}-{b}"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ('"$${aws:username}"', "${aws:username}"),
        ('format("%s:%d:%q", "a", 3, "b")', 'a:3:"b"'),
        ('join("-", ["a", "b"], ["c"])', "a-b-c"),
        ('split(",", "a,b")', ["a", "b"]),
        ('replace("a.b.c", ".", "-")', "a-b-c"),
        ('replace("abc123", "/[0-9]+/", "")', "abc"),
        ('lookup({a = 1}, "b", 2)', 2),
        ("merge({a = 1}, {b = 2}, {a = 3})", {"a": 3, "b": 2}),
        ("flatten([[1], [2, [3]]])", [1, 2, 3]),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ("element([1, 2, 3], 4)", 2),
        ('coalesce("", "x")', "x"),
        ("range(3)", [0, 1, 2]),
        ("[for n in [1, 2, 3] : n * 2 if n != 2]", [2, 6]),
        ("{for k, v in {a = 1, b = 2} : v => k}", {"1": "a", "2": "b"}),
        ('{for s in ["a", "b", "a"] : s => s...}', {"a": ["a", "a"], "b": ["b"]}),
        ("[{a = 1}, {a = 2}][*].a", [1, 2]),
        ('try(lookup({}, "x"), "fallback")', "fallback"),
        ('can(lookup({}, "x"))', False),
        ('length("héllo") == 5 && !false', True),
        ("(1 + 2) * 3 % 4", 1),
        ('"a" == "a" ? "yes" : "no"', "yes"),
        ("<<-EOT\n    first\n      second\n    EOT\n", "first\n  second\n"),
        ('<<EOT\n{"a": "${upper("x")}", "b": "$${lit}"}\nEOT\n', '{"a": "X", "b": "${lit}"}\n'),
    ],
)
def test_expressions(expression: str, value: Any) -> None:
    assert evaluate(expression) == value


def test_an_unknown_variable_makes_what_uses_it_unknown_with_the_reason() -> None:
    got = evaluate(
        '"arn:aws:logs:eu-west-1:${var.account}:log-group:x"',
        account=Unresolved("${var.account}", "no value"),
    )
    assert isinstance(got, Unresolved)
    assert got.text == "arn:aws:logs:eu-west-1:${var.account}:log-group:x"
    assert got.reason == "no value"


def test_a_condition_on_an_unknown_is_unknown_unless_both_branches_agree() -> None:
    unknown = Unresolved("${var.on}", "no value")
    assert isinstance(evaluate("var.on ? 1 : 2", on=unknown), Unresolved)
    assert evaluate("var.on ? 1 : 1", on=unknown) == 1
    assert evaluate("false && var.on", on=unknown) is False


def test_functions_that_depend_on_the_moment_or_aws_are_unknown() -> None:
    assert isinstance(evaluate("timestamp()"), Unresolved)
    assert isinstance(evaluate('provider::aws::arn_parse("x")'), Unresolved)


def test_what_terraform_would_reject_is_unknown_with_why() -> None:
    got = evaluate('lookup({}, "missing")')
    assert isinstance(got, Unresolved) and "missing" in got.reason


def test_a_huge_range_is_refused() -> None:
    got = evaluate("range(1000000000)")
    assert isinstance(got, Unresolved) and "more than trailwarden evaluates" in got.reason


def test_templatefile_renders_with_its_variables(tmp_path: Path) -> None:
    (tmp_path / "t.tftpl").write_text('{"Resource": "${arn}:*"}\n')
    got = evaluate('templatefile("${path.module}/t.tftpl", {arn = "arn:x"})', tmp_path)
    assert got == '{"Resource": "arn:x:*"}\n'


def test_template_directives_are_unknown() -> None:
    assert isinstance(evaluate('"%{ if true }a%{ endif }"'), Unresolved)


def test_an_invalid_regular_expression_is_unknown_not_a_crash() -> None:
    got = evaluate('replace("abc", "/(/", "")')
    assert isinstance(got, Unresolved) and "not a regular expression" in got.reason
