"""Generate one Python function per JSON pattern (or per set of JSON patterns).

Why: a tree of closures costs a Python call per node (~400 ns for a CIS pattern); a single
generated function costs about one call per pattern, and a function for a whole set of
patterns looks each selector up once for all of them (15 CIS patterns share 9 selectors).

Safety: the generated source contains only identifiers we make up (``e``, ``s3``, ``t3``,
``c7``, ``_n2``, helper names) and operators; every value that comes from the pattern (keys,
strings, numbers, regexes) is passed in the namespace as a constant, never written into
the source.

Totality: every pattern the parser accepts must become a matcher, and CPython's compiler
has limits (about 200 nested parentheses, a recursion limit). So the generated code stays
shallow: trees nested deeper than ``_MAX_INLINE_DEPTH`` and selectors longer than
``_MAX_INLINE_STEPS`` are delegated to the closures of :mod:`.json_pattern` and
:mod:`.selector` (also the reference the tests compare against); and if CPython still
refuses the source, the closures evaluate the whole pattern instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .json_pattern import check_test, compile_json, is_number, value_test
from .nodes import AllOf, AnyOf, Check, CheckKind, Comparison, Node, exact_equality
from .selector import MISSING, Selector, StepKind, resolve_all, resolver
from .values import RELATIONAL, Literal, LiteralKind, number_test, scalar_text

__all__ = ["DocumentOf", "Emitter", "compile_function", "generate_one", "interpret_one"]

DocumentOf = Callable[[Any], Mapping[str, Any] | None]
# Both keep the generated parentheses far below CPython's limit of 200 nesting levels.
_MAX_INLINE_DEPTH = 24  # nested &&/|| levels written inline
_MAX_INLINE_STEPS = 4  # selector steps written inline; longer ones are looked up by a closure
# What CPython raises for source it cannot compile: "too many nested parentheses",
# "maximum recursion depth exceeded during compilation", an exhausted parser stack.
_COMPILE_LIMITS = (SyntaxError, RecursionError, MemoryError)
# The only operator texts written into generated source: fixed strings, looked up.
_PYTHON_OPERATOR = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_CHECK_OPERATOR = {
    CheckKind.IS_NULL: "is None",
    CheckKind.IS_TRUE: "is True",
    CheckKind.IS_FALSE: "is False",
    CheckKind.NOT_EXISTS: "is M",
}


def _key(node: Any, key: str) -> Any:
    return node.get(key, MISSING) if isinstance(node, Mapping) else MISSING


def _index(node: Any, index: int) -> Any:
    if (type(node) is list or isinstance(node, list | tuple)) and index < len(node):
        return node[index]
    return MISSING


def _text_of(value: Any) -> str | None:
    return None if value is MISSING else scalar_text(value)


def _number(value: Any, test: Callable[[Any], bool]) -> bool:
    return is_number(value) and test(value)


def _any(values: list[Any], test: Callable[[Any], bool]) -> bool:
    return any(test(value) for value in values)


class Emitter:
    """Python expressions for condition trees, over names it binds itself.

    Shared mode (a set of patterns): every plain selector, and every prefix of it, is
    looked up once in a prologue (``s<i>``), and its text (:func:`.values.scalar_text`) is
    computed once (``t<i>``) if a string comparison needs it; "$.userIdentity.type" and
    "$.userIdentity.invokedBy" share the lookup of "$.userIdentity".
    Inline mode (one pattern): a value is looked up where it is used, bound with ``:=``,
    so conditions skipped by ``&&``/``||`` cost nothing.
    Either way a condition is then a bare ``==``, ``in`` or ``startswith``.
    """

    def __init__(self, shared: bool) -> None:
        self.namespace: dict[str, Any] = {
            "M": MISSING,
            "_NUMBERS": frozenset({int, float}),
            **{f.__name__: f for f in (_key, _index, _text_of, _number, _any)},
        }
        self.shared = shared
        self.prefixes: dict[tuple[Any, ...], int] = {}
        self.whole: dict[int, Selector] = {}  # prefix index -> a long selector looked up whole
        self.texts: set[int] = set()
        self.count = 0

    def const(self, value: Any) -> str:
        self.count += 1
        self.namespace[f"c{self.count}"] = value
        return f"c{self.count}"

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def step(self, kind: StepKind, step: str | int, parent: str, first: str = "") -> str:
        """Expression for one step down from ``parent`` (evaluated as ``first`` if given)."""
        key = self.const(step)
        if kind is StepKind.INDEX:
            return f"_index({first or parent}, {key})"
        if parent == "e":
            return f"get({key}, M)"
        test = f"type({first or parent}) is dict"
        return f"{parent}.get({key}, M) if {test} else _key({parent}, {key})"

    def raw(self, selector: Selector) -> tuple[str, str]:
        """(expression to evaluate first, name for later uses) of a selector's value."""
        long = len(selector.steps) > _MAX_INLINE_STEPS
        if self.shared:
            if long and selector.steps not in self.prefixes:
                self.whole[len(self.prefixes)] = selector
            for end in range(len(selector.steps) if long else 1, len(selector.steps) + 1):
                self.prefixes.setdefault(selector.steps[:end], len(self.prefixes))
            name = f"s{self.prefixes[selector.steps]}"
            return name, name
        if long:
            name = self.fresh("_v")
            return f"({name} := {self.const(resolver(selector))}(e))", name
        expression = "e"
        for kind, step in selector.steps:
            if expression == "e" or kind is StepKind.INDEX:
                expression = self.step(kind, step, expression)
            else:
                node = self.fresh("_n")
                expression = f"({self.step(kind, step, node, f'({node} := {expression})')})"
        name = self.fresh("_v")
        return f"({name} := {expression})", name

    def text(self, selector: Selector) -> tuple[str, str]:
        """(expression to evaluate first, name for later uses) of a selector's text."""
        first, s = self.raw(selector)
        if self.shared:
            self.texts.add(int(s[1:]))
            return "t" + s[1:], "t" + s[1:]
        name = self.fresh("_u")
        text = f"{s} if type({first}) is str else None if {s} is M else _text_of({s})"
        return f"({name} := ({text}))", name

    def prologue(self) -> list[str]:
        lines = ["    get = e.get"]
        for steps, index in self.prefixes.items():
            s = f"s{index}"
            if index in self.whole:
                lines.append(f"    {s} = {self.const(resolver(self.whole[index]))}(e)")
            else:
                parent = f"s{self.prefixes[steps[:-1]]}" if len(steps) > 1 else "e"
                kind, step = steps[-1]
                lines.append(f"    {s} = {self.step(kind, step, parent)}")
            if index in self.texts:  # absent is the common non-string: decided inline
                lines.append(f"    t{index} = {s} if type({s}) is str else None if {s} is M")
                lines[-1] += f" else _text_of({s})"
        return lines

    def text_condition(self, op: str, literal: Literal, selector: Selector) -> str:
        first, t = self.text(selector)
        if literal.kind is LiteralKind.REGEX:
            assert literal.regex is not None
            on_text = f"{self.const(literal.regex.found)}({t})"
        else:
            text = literal.text
            head, tail = text.startswith("*"), text.endswith("*")
            core = self.const(text[1 if head else 0 : len(text) - 1 if tail else len(text)])
            if not head and not tail and op == "=":
                return f"({first} == {core})"  # None == "..." is False: no None test needed
            if not head and not tail:
                on_text = f"{t} == {core}"
            elif head and tail:
                on_text = "True" if len(text) <= 2 else f"{core} in {t}"
            else:
                on_text = f"{t}.endswith({core})" if head else f"{t}.startswith({core})"
        return f"({first} is not None and {'' if op == '=' else 'not '}({on_text}))"

    def comparison(self, node: Comparison) -> str:
        assert isinstance(node.subject, Selector)
        op, literal = node.op, node.literal
        if node.subject.has_wildcard:
            values = self.const(resolve_all(node.subject))
            return f"_any({values}(e), {self.const(value_test(op, literal))})"
        if literal.kind is not LiteralKind.NUMBER:
            return self.text_condition(op, literal, node.subject)
        assert literal.number is not None
        first, s = self.raw(node.subject)
        test = self.const(number_test(op, literal.number))
        python_op = _PYTHON_OPERATOR[op]
        if op in RELATIONAL:
            fast = f"{s} {python_op} {self.const(literal.number)}"
            return f"({fast} if type({first}) in _NUMBERS else _number({s}, {test}))"
        fast = f"{s} {python_op} {self.const(literal.text)}"
        return f"({fast} if type({first}) is str else _number({s}, {test}))"

    def node(self, node: Node, depth: int = 0) -> str:
        if depth > _MAX_INLINE_DEPTH:
            return f"{self.const(compile_json(node))}(e)"
        if isinstance(node, AnyOf):
            groups: dict[tuple[Any, ...], tuple[Selector, set[str]]] = {}
            parts: list[str] = []
            for item in node.items:
                exact = exact_equality(item)
                if exact is not None:  # '$.x = "a" || $.x = "b"' is one set lookup
                    selector, text = exact
                    groups.setdefault(selector.steps, (selector, set()))[1].add(text)
                else:
                    parts.append(self.node(item, depth + 1))
            lookups = [
                f"({self.text(s)[0]} in {self.const(frozenset(t))})" for s, t in groups.values()
            ]
            return "(" + " or ".join(lookups + parts) + ")"
        if isinstance(node, AllOf):
            return "(" + " and ".join(self.node(item, depth + 1) for item in node.items) + ")"
        if isinstance(node, Check):
            if not node.selector.has_wildcard:
                return f"({self.raw(node.selector)[0]} {_CHECK_OPERATOR[node.check]})"
            values = self.const(resolve_all(node.selector))
            if node.check is CheckKind.NOT_EXISTS:
                return f"(not {values}(e))"
            return f"_any({values}(e), {self.const(check_test(node.check))})"
        return self.comparison(node)


def compile_function(
    emitter: Emitter, body: list[str], none: str, document: DocumentOf
) -> Any | None:
    """``_match(e)``: the emitter's prologue, then ``body``; ``none`` when ``e`` is no object.

    None when CPython cannot compile the source (see the module doc): the caller then
    evaluates with closures.
    """
    emitter.namespace["_document"] = document
    source = "\n".join(
        [
            "def _match(e):",
            "    if type(e) is not dict:",
            "        e = _document(e)",
            "        if e is None:",
            f"            return {none}",
            *(emitter.prologue() if emitter.shared else ["    get = e.get"]),
            *body,
        ]
    )
    try:
        code = compile(source, "<filterpattern>", "exec")
    except _COMPILE_LIMITS:
        return None
    exec(code, emitter.namespace)  # only made-up names and operators: see the module doc
    return emitter.namespace["_match"]


def generate_one(tree: Node, document: DocumentOf) -> Callable[[Any], bool]:
    """event (raw JSON text or parsed object) -> whether the pattern's tree matches it.

    ``document`` turns an event that is not a dict into a JSON object, or None when it is
    not one (a JSON pattern then does not match).
    """
    emitter = Emitter(shared=False)
    body = [f"    return {emitter.node(tree)}"]
    function: Callable[[Any], bool] | None = compile_function(emitter, body, "False", document)
    return function if function is not None else interpret_one(tree, document)


def interpret_one(tree: Node, document: DocumentOf) -> Callable[[Any], bool]:
    """The same matcher as :func:`generate_one`, evaluated by the closures of
    :mod:`.json_pattern` (slower; for what CPython cannot compile)."""
    predicate = compile_json(tree)

    def match(event: Any) -> bool:
        parsed = event if type(event) is dict else document(event)
        return parsed is not None and predicate(parsed)

    return match
