"""Values of Terraform expressions beyond JSON: lazily read objects, and the operations of
the language on values that may be :class:`~.specs.Unresolved`.

An unknown operand makes an unknown result (refs and reason carried along), except where the
known part decides (``false && x``, ``true || x``, both branches of ``c ? a : a``).
https://developer.hashicorp.com/terraform/language/expressions/operators
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.values import as_text, refs_of, unresolved_in

__all__ = ["EvalError", "Lazy", "binary", "get_attr", "index", "materialize", "splat", "unary"]


class EvalError(Exception):
    """What Terraform would reject (a missing key, a wrong type): the value is not known."""


class Lazy:
    """An object whose attributes are computed when read: a resource instance, a data
    source, a module's outputs, a namespace such as ``var``."""

    def __init__(
        self,
        address: str,
        attribute: Callable[[str], Any],
        names: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        self.address = address
        self._attribute = attribute
        self._names = names
        self._cache: dict[str, Any] = {}

    def attr(self, name: str) -> Any:
        if name not in self._cache:
            self._cache[name] = self._attribute(name)
        return self._cache[name]

    def names(self) -> list[str]:
        return list(self._names()) if self._names else []

    def __repr__(self) -> str:
        return f"<{self.address}>"


def materialize(value: Any) -> Any:
    """``value`` with every :class:`Lazy` read into a dict (for jsonencode, comparisons)."""
    if isinstance(value, Lazy):
        return {n: materialize(value.attr(n)) for n in value.names()}
    if isinstance(value, dict):
        return {k: materialize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [materialize(v) for v in value]
    return value


def _unknown(*operands: Any, what: str = "") -> Unresolved | None:
    found = unresolved_in(list(operands))
    if found is None:
        return None
    text = what or found.text
    return Unresolved(text, found.reason, refs_of(list(operands)))


def get_attr(value: Any, name: str) -> Any:
    if isinstance(value, Unresolved):
        return Unresolved(f"{value.text}.{name}", value.reason, value.refs)
    if isinstance(value, Lazy):
        return value.attr(name)
    if isinstance(value, dict):
        if name not in value:
            raise EvalError(f"there is no attribute {name!r}")
        return value[name]
    raise EvalError(f"cannot read attribute {name!r} of {type(value).__name__}")


def index(value: Any, key: Any) -> Any:
    if isinstance(value, Unresolved) or isinstance(key, Unresolved):
        return _unknown(value, key, what=f"{as_text(value)}[{as_text(key)}]")
    if isinstance(value, Lazy):
        return value.attr(as_text(key))
    if isinstance(value, list):
        try:
            return value[int(key)]
        except (IndexError, ValueError, TypeError) as exc:
            raise EvalError(f"index {key!r} is out of range") from exc
    if isinstance(value, dict):
        if as_text(key) not in value:
            raise EvalError(f"there is no key {key!r}")
        return value[as_text(key)]
    raise EvalError(f"cannot index {type(value).__name__}")


def splat(value: Any, step: Callable[[Any], Any]) -> Any:
    """``value[*]<steps>``: the steps on each item; a single value is a list of one."""
    if isinstance(value, Unresolved):
        return value
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [step(item) for item in items]


def unary(operator: str, value: Any) -> Any:
    if (unknown := _unknown(value)) is not None:
        return unknown
    if operator == "!":
        if not isinstance(value, bool):
            raise EvalError("! needs a bool")
        return not value
    return -_number(value)


def binary(operator: str, left: Any, right: Any) -> Any:
    if operator == "&&" and (left is False or right is False):
        return False
    if operator == "||" and (left is True or right is True):
        return True
    if (unknown := _unknown(left, right)) is not None:
        return unknown
    left, right = materialize(left), materialize(right)
    if operator in ("==", "!="):
        return (left == right) is (operator == "==")
    if operator in ("&&", "||"):
        if not isinstance(left, bool) or not isinstance(right, bool):
            raise EvalError(f"{operator} needs bools")
        return (left and right) if operator == "&&" else (left or right)
    a, b = _number(left), _number(right)
    operations: dict[str, Callable[[float, float], Any]] = {
        "+": lambda x, y: x + y,
        "-": lambda x, y: x - y,
        "*": lambda x, y: x * y,
        "/": lambda x, y: x / y,
        "%": lambda x, y: x % y,
        "<": lambda x, y: x < y,
        ">": lambda x, y: x > y,
        "<=": lambda x, y: x <= y,
        ">=": lambda x, y: x >= y,
    }
    try:
        result = operations[operator](a, b)
    except ZeroDivisionError as exc:
        raise EvalError("division by zero") from exc
    return int(result) if isinstance(result, float) and result.is_integer() else result


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise EvalError("a bool is not a number")
    if isinstance(value, int | float):
        return value
    try:
        return float(as_text(value))
    except ValueError as exc:
        raise EvalError(f"{value!r} is not a number") from exc
