"""JSON pattern semantics, as a plain tree of closures over a parsed document.

This is the reference evaluator: one closure per node, no optimisation. Patterns are
matched by code generated from the same tree (:mod:`.codegen`, several times faster);
the tests check that the two always agree.

Semantics the AWS docs state
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html):

- Precedence is ``()`` > ``&&`` > ``||`` (handled by :mod:`.parser`).
- A selector must point at "a value node (string or number)"; "if it points to an array or
  object", neither ``=`` nor ``!=`` matches (``{$.users != 1}`` fails on ``[1, 2, 3]``).
- ``IS NULL`` is true only for an explicit null; ``NOT EXISTS`` only when the property is
  absent; ``IS TRUE``/``IS FALSE`` only for JSON booleans.

Where the docs are silent we chose, and the tests pin the choice:

- ``!=`` on a missing property does not match (observed on AWS, e.g. DataBiosphere/azul
  issue 5884: ``$.userIdentity.invokedBy != "x"`` is false when invokedBy is absent; CIS
  writes ``NOT EXISTS`` for that reason). ``!=`` on null or a boolean does not match either:
  they are not value nodes.
- A string value (``= "2"``, ``= 4*``, ``= *``) compares with a JSON number through the
  number's text, so ``{ $.latency = * }`` (documented) matches a numeric latency.
- A number value compares numerically with a JSON number and as text with a JSON string
  (``{ $.errorCode = 400 }`` matches ``400`` and ``"400"``). ``<``, ``<=``, ``>``, ``>=``
  match JSON numbers only, never strings or booleans.
- With a wildcard selector (``$.a[*]``, ``$.*``) a comparison or IS test matches when any
  selected value satisfies it (``!=`` included); ``NOT EXISTS`` when nothing is selected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .nodes import AllOf, AnyOf, Check, CheckKind, Node
from .selector import MISSING, Selector, resolve_all, resolver
from .values import RELATIONAL, Literal, LiteralKind, number_test, scalar_text, text_test

__all__ = ["Predicate", "check_test", "compile_json", "is_number", "value_test"]

Predicate = Callable[[Mapping[str, Any]], bool]
ValueTest = Callable[[Any], bool]

_CHECKS: dict[CheckKind, ValueTest] = {
    CheckKind.IS_NULL: lambda value: value is None,
    CheckKind.IS_TRUE: lambda value: value is True,
    CheckKind.IS_FALSE: lambda value: value is False,
    CheckKind.NOT_EXISTS: lambda value: value is MISSING,
}


def check_test(check: CheckKind) -> ValueTest:
    """Whether one JSON value passes ``IS NULL``, ``IS TRUE``, ``IS FALSE``, ``NOT EXISTS``."""
    return _CHECKS[check]


def is_number(value: Any) -> bool:
    kind = type(value)
    if kind is int or kind is float:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool)


def value_test(op: str, literal: Literal) -> ValueTest:
    """Whether one JSON value satisfies ``op literal``."""
    if literal.kind is LiteralKind.NUMBER:
        assert literal.number is not None
        compare = number_test(op, literal.number)
        if op in RELATIONAL:
            return lambda value: is_number(value) and compare(value)
        text, equal = literal.text, op == "="

        def number_equality(value: Any) -> bool:
            if type(value) is str:
                return (value == text) is equal
            return is_number(value) and compare(value)

        return number_equality

    matches = text_test(literal)
    if op == "=":

        def text_equal(value: Any) -> bool:
            if type(value) is str:
                return matches(value)
            text = scalar_text(value)
            return text is not None and matches(text)

        return text_equal

    def text_unequal(value: Any) -> bool:
        if type(value) is str:
            return not matches(value)
        text = scalar_text(value)
        return text is not None and not matches(text)

    return text_unequal


def _on_selector(selector: Selector, test: ValueTest, not_exists: bool = False) -> Predicate:
    if not selector.has_wildcard:
        get = resolver(selector)
        return lambda document: test(get(document))
    values = resolve_all(selector)
    if not_exists:
        return lambda document: not values(document)
    return lambda document: any(test(value) for value in values(document))


def _any(predicates: Sequence[Predicate]) -> Predicate:
    if len(predicates) == 1:
        return predicates[0]
    if len(predicates) == 2:
        first, second = predicates
        return lambda document: first(document) or second(document)

    def any_of(document: Mapping[str, Any]) -> bool:
        return any(predicate(document) for predicate in predicates)

    return any_of


def _all(predicates: Sequence[Predicate]) -> Predicate:
    if len(predicates) == 2:
        first, second = predicates
        return lambda document: first(document) and second(document)

    def all_of(document: Mapping[str, Any]) -> bool:
        return all(predicate(document) for predicate in predicates)

    return all_of


def compile_json(node: Node) -> Predicate:
    """One predicate over a parsed JSON object for the whole condition tree."""
    if isinstance(node, AnyOf):
        return _any([compile_json(item) for item in node.items])
    if isinstance(node, AllOf):
        return _all([compile_json(item) for item in node.items])
    if isinstance(node, Check):
        test = _CHECKS[node.check]
        return _on_selector(node.selector, test, node.check is CheckKind.NOT_EXISTS)
    assert isinstance(node.subject, Selector)
    return _on_selector(node.subject, value_test(node.op, node.literal))
