"""Terraform expressions evaluated where the code decides them.

Literals, templates and heredocs, collections, references (through the ``roots`` the module
gives: ``var``, ``local``, ``module``, ``data``, resource types …), indexes, splats, ``for``
expressions, operators, conditionals and functions (:mod:`.hcl_functions`). What the code
does not decide is :class:`~.specs.Unresolved`; what Terraform would reject
(:class:`~.hcl_values.EvalError`) makes the value unknown too, with the reason.
https://developer.hashicorp.com/terraform/language/expressions
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lark import Token, Tree

from trailwarden.collect.iac.hcl_syntax import Node, token_text
from trailwarden.collect.iac.hcl_values import (
    EvalError,
    binary,
    get_attr,
    index,
    materialize,
    splat,
    unary,
)
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.values import as_text, refs_of, unresolved_in
from trailwarden.errors import CodeInputError

__all__ = ["Evaluator", "Scope"]

# Steps of evaluation one input may take: a `for` over range(1e9) is not configuration.
_BUDGET = 20_000_000


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: a module instance (``context``, opaque here) and the
    local names in force (``each``, ``count``, ``for`` variables, dynamic block iterators)."""

    context: Any
    names: Mapping[str, Any] = field(default_factory=dict)

    def with_names(self, **names: Any) -> Scope:
        return Scope(self.context, {**self.names, **names})


Roots = Callable[[str, Scope], Any]
Function = Callable[["Evaluator", list[Node], Scope], Any]


class Evaluator:
    def __init__(self, roots: Roots, functions: Mapping[str, Function]) -> None:
        self.roots, self.functions = roots, functions
        self._steps = 0

    def value(self, node: Node, scope: Scope, what: str = "") -> Any:
        """The value of ``node``; what Terraform would reject is Unresolved, with why."""
        try:
            return self.eval(node, scope)
        except EvalError as exc:
            return Unresolved(f"${{{what}}}", f"{what or 'an expression'}: {exc}")
        except RecursionError as exc:
            raise CodeInputError("An expression nests too deeply to evaluate.") from exc

    def eval(self, node: Any, scope: Scope) -> Any:
        self._steps += 1
        if self._steps > _BUDGET:
            raise CodeInputError(
                f"The configuration takes more than {_BUDGET:,} steps to evaluate; is a count, "
                "for_each or range() far larger than meant?"
            )
        if isinstance(node, Token):
            raise EvalError(f"unexpected {node!s}")
        handler = _HANDLERS.get(node.data)
        if handler is None:
            raise EvalError(f"{node.data} is not supported")
        return handler(self, node, scope)

    def call(self, name: str, args: list[Node], scope: Scope) -> Any:
        function = self.functions.get(name)
        if function is None:
            return Unresolved(f"${{{name}(…)}}", f"function {name} is not evaluated by trailwarden")
        return function(self, args, scope)


def _trees(node: Node) -> list[Node]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _expr_term(e: Evaluator, node: Node, scope: Scope) -> Any:
    return e.eval(_trees(node)[0], scope)


def _literal(e: Evaluator, node: Node, scope: Scope) -> Any:
    return {"true": True, "false": False, "null": None}[token_text(node).lower()]


def _identifier(e: Evaluator, node: Node, scope: Scope) -> Any:
    name = token_text(node)
    return scope.names[name] if name in scope.names else e.roots(name, scope)


def _string(e: Evaluator, node: Node, scope: Scope) -> Any:
    from trailwarden.collect.iac.hcl_template import render_parts

    return render_parts(e, _trees(node), scope)


def _heredoc(e: Evaluator, node: Node, scope: Scope) -> Any:
    from trailwarden.collect.iac.hcl_template import render_heredoc

    return render_heredoc(e, token_text(node), node.data.endswith("_trim"), scope)


def _object(e: Evaluator, node: Node, scope: Scope) -> Any:
    out: dict[str, Any] = {}
    for elem in _trees(node):
        key_node, value_node = _trees(elem)[0], _trees(elem)[-1]
        key_expr = _trees(key_node)[0] if _trees(key_node) else key_node
        bare = _trees(key_expr)[0] if key_expr.data == "expr_term" else key_expr
        parenthesised = any(isinstance(c, Token) and c.type == "LPAR" for c in key_expr.children)
        if bare.data in ("identifier", "keyword") and not parenthesised:  # { name = … }
            key: Any = token_text(bare)
        else:
            key = e.eval(key_expr, scope)
        value = e.eval(value_node, scope)
        if isinstance(key, Unresolved):
            return Unresolved(key.text, key.reason, refs_of([key, value]))
        out[as_text(key)] = value
    return out


def _call(e: Evaluator, node: Node, scope: Scope) -> Any:
    names = [c for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
    name = "::".join(token_text(n) for n in names)
    arguments = next((c for c in _trees(node) if c.data == "arguments"), None)
    args = _trees(arguments) if arguments is not None else []
    if arguments is not None and any(
        isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments.children
    ):
        expanded = e.eval(args[-1], scope)  # f(a, list...) passes the list's items
        if isinstance(expanded, Unresolved) or not isinstance(expanded, list):
            return Unresolved(f"${{{name}(…)}}", "its expanded arguments are not known")
        args = args[:-1] + [_Constant(v) for v in expanded]
    return e.call(name, args, scope)


class _Constant(Tree):  # type: ignore[type-arg]
    """An already evaluated argument (from ``f(list...)``)."""

    def __init__(self, value: Any) -> None:
        super().__init__("constant", [])
        self.value = value


def _index(e: Evaluator, node: Node, scope: Scope) -> Any:
    base, key_node = _trees(node)
    return index(e.eval(base, scope), _key(e, key_node, scope))


def _key(e: Evaluator, node: Node, scope: Scope) -> Any:
    if node.data == "short_index":  # a.0
        return int(next(str(c) for c in node.children if isinstance(c, Token) and c.type != "DOT"))
    return e.eval(_trees(node)[0], scope)


def _get_attr(e: Evaluator, node: Node, scope: Scope) -> Any:
    base, attr = _trees(node)
    return get_attr(e.eval(base, scope), token_text(_trees(attr)[0]))


def _splat(e: Evaluator, node: Node, scope: Scope) -> Any:
    base, spec = _trees(node)
    steps = _trees(spec)

    def step(item: Any) -> Any:
        for s in steps:
            item = (
                get_attr(item, token_text(_trees(s)[0]))
                if s.data == "get_attr"
                else index(item, _key(e, s, scope))
            )
        return item

    return splat(e.eval(base, scope), step)


def _conditional(e: Evaluator, node: Node, scope: Scope) -> Any:
    condition, then, otherwise = _trees(node)
    holds = e.eval(condition, scope)
    if isinstance(holds, bool):
        return e.eval(then if holds else otherwise, scope)
    if not isinstance(holds, Unresolved):
        raise EvalError("a condition must be true or false")
    a, b = e.value(then, scope), e.value(otherwise, scope)
    if unresolved_in([a, b]) is None and materialize(a) == materialize(b):
        return a
    return Unresolved(f"${{{holds.text} ? … : …}}", holds.reason, refs_of([holds, a, b]))


def _binary(e: Evaluator, node: Node, scope: Scope) -> Any:
    left_node, term = _trees(node)[:2]
    operator_node, right_node = _trees(term)
    return binary(token_text(operator_node), e.eval(left_node, scope), e.eval(right_node, scope))


def _unary(e: Evaluator, node: Node, scope: Scope) -> Any:
    operator = next(str(c) for c in node.children if isinstance(c, Token))
    return unary(operator, e.eval(_trees(node)[0], scope))


def _for(e: Evaluator, node: Node, scope: Scope) -> Any:
    intro, *rest = _trees(node)
    names = [token_text(c) for c in _trees(intro) if c.data == "identifier"]
    collection = e.eval(_trees(intro)[-1], scope)
    condition = next((c for c in rest if c.data == "for_cond"), None)
    bodies = [c for c in rest if c.data != "for_cond"]
    grouped = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children)
    if isinstance(collection, Unresolved):
        return Unresolved(f"${{[for … in {collection.text}]}}", collection.reason, collection.refs)
    items = _pairs(materialize(collection))
    tuple_out: list[Any] = []
    object_out: dict[str, Any] = {}
    for key, item in items:
        bound = [key, item] if len(names) == 2 else [item]
        inner = scope.with_names(**dict(zip(names, bound, strict=True)))
        if condition is not None:
            keep = e.eval(_trees(condition)[0], inner)
            if isinstance(keep, Unresolved):
                return Unresolved(keep.text, keep.reason, keep.refs)
            if not keep:
                continue
        if node.data == "for_tuple_expr":
            tuple_out.append(e.eval(bodies[0], inner))
            continue
        k = e.eval(bodies[0], inner)
        if isinstance(k, Unresolved):
            return Unresolved(k.text, k.reason, k.refs)
        value = e.eval(bodies[1], inner)
        if grouped:
            object_out.setdefault(as_text(k), []).append(value)
        else:
            object_out[as_text(k)] = value
    return tuple_out if node.data == "for_tuple_expr" else object_out


def _pairs(collection: Any) -> list[tuple[Any, Any]]:
    if isinstance(collection, dict):
        return sorted(collection.items())
    if isinstance(collection, list):
        return list(enumerate(collection))
    raise EvalError("for needs a list, set or map")


_HANDLERS: dict[str, Callable[[Evaluator, Any, Scope], Any]] = {
    "expr_term": _expr_term,
    "int_lit": lambda e, n, s: int(token_text(n)),
    "float_lit": lambda e, n, s: float(token_text(n)),
    "literal_value": _literal,
    "identifier": _identifier,
    "string": _string,
    "template_string": lambda e, n, s: Unresolved("${…}", "template directives are not evaluated"),
    "heredoc_template": _heredoc,
    "heredoc_template_trim": _heredoc,
    "tuple": lambda e, n, s: [e.eval(c, s) for c in _trees(n)],
    "object": _object,
    "function_call": _call,
    "index_expr_term": _index,
    "get_attr_expr_term": _get_attr,
    "attr_splat_expr_term": _splat,
    "full_splat_expr_term": _splat,
    "for_tuple_expr": _for,
    "for_object_expr": _for,
    "conditional": _conditional,
    "binary_op": _binary,
    "unary_op": _unary,
    "interpolation": lambda e, n, s: e.eval(_trees(n)[0], s),
    "constant": lambda e, n, s: n.value,
}
