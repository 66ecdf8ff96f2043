"""Several compiled patterns matched against each event in one pass."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .codegen import DocumentOf, Emitter, compile_function
from .nodes import AllOf, AnyOf, Node, exact_equality
from .pattern import CompiledPattern, Event, json_document
from .selector import Selector

__all__ = ["PatternSet"]


def _exact_values(node: Node) -> tuple[Selector, frozenset[str]] | None:
    """(selector, texts) when ``node`` holds only if the selector's text is one of texts."""
    pairs: list[tuple[Selector, str]] = []
    for item in node.items if isinstance(node, AnyOf) else (node,):
        exact = exact_equality(item)
        if exact is None:
            return None
        pairs.append(exact)
    if len({selector.steps for selector, _ in pairs}) != 1:
        return None
    return pairs[0][0], frozenset(text for _, text in pairs)


def _gates(trees: Sequence[Node]) -> tuple[Selector | None, dict[int, frozenset[str]]]:
    """The selector most patterns require to be one of a few strings, and those strings.

    ``$.eventName = A || $.eventName = B`` requires eventName in {A, B}; so does
    ``$.eventSource = s && ($.eventName = A || ...)``. 13 of the 15 CIS filters are gated
    on eventName, so one lookup rules most of them out for a typical record.
    """
    per_tree: list[dict[tuple[Any, ...], tuple[Selector, frozenset[str]]]] = []
    for tree in trees:
        gates: dict[tuple[Any, ...], tuple[Selector, frozenset[str]]] = {}
        for operand in tree.items if isinstance(tree, AllOf) else (tree,):
            exact = _exact_values(operand)
            if exact is not None:
                selector, texts = exact
                if selector.steps in gates:  # both required: the intersection
                    texts &= gates[selector.steps][1]
                gates[selector.steps] = (selector, texts)
        per_tree.append(gates)
    counts = Counter(steps for gates in per_tree for steps in gates)
    if not counts or counts.most_common(1)[0][1] < 2:
        return None, {}
    steps = counts.most_common(1)[0][0]
    chosen = {i: gates[steps][1] for i, gates in enumerate(per_tree) if steps in gates}
    return next(gates[steps][0] for gates in per_tree if steps in gates), chosen


def _generate(
    trees: Sequence[Node], matchers: Sequence[Callable[[Any], bool]], document: DocumentOf
) -> Callable[[Any], tuple[bool, ...]]:
    """event -> whether each tree matches; selectors are looked up once for all trees, and
    patterns whose gate (see :func:`_gates`) rejects the event are not evaluated."""
    emitter = Emitter(shared=True)
    emitter.namespace["_NONE"] = tuple(False for _ in trees)
    gate, gated = _gates(trees)
    results = [("False" if i in gated else emitter.node(tree)) for i, tree in enumerate(trees)]
    if gate is None:
        body = ["    return (" + "".join(f"{result}, " for result in results) + ")"]
    else:
        table: dict[str, list[int]] = {}
        for i, texts in gated.items():
            for text in texts:
                table.setdefault(text, []).append(i)
        candidates = emitter.const({text: tuple(ids) for text, ids in table.items()})
        functions = emitter.const(tuple(matchers))  # each pattern's own generated function
        body = [
            "    r = [" + ", ".join(results) + "]",
            f"    for i in {candidates}.get({emitter.text(gate)[0]}, ()):",
            f"        r[i] = {functions}[i](e)",
            "    return tuple(r)",
        ]
    function: Callable[[Any], tuple[bool, ...]] | None = compile_function(
        emitter, body, "_NONE", document
    )
    if function is None:  # CPython refused the source: each pattern's own matcher
        return lambda event: tuple(match(event) for match in matchers)
    return function


class PatternSet:
    """Patterns evaluated together: ``matches(event)`` says, in order, which ones match.

    The JSON patterns of the set are generated into one function that looks each selector
    up once for all of them (the 15 CIS filters use 9 distinct selectors), so matching a
    parsed CloudTrail record against the whole set costs a fraction of parsing it. Other
    patterns are matched one by one. The result equals ``tuple(p.matches(event) for p in
    patterns)``.
    """

    __slots__ = ("_json", "_json_indices", "_others", "patterns")

    def __init__(self, patterns: Iterable[CompiledPattern]) -> None:
        self.patterns: tuple[CompiledPattern, ...] = tuple(patterns)
        trees: list[Node] = []
        matchers: list[Callable[[Any], bool]] = []
        indices: list[int] = []
        others: list[tuple[int, CompiledPattern]] = []
        for index, pattern in enumerate(self.patterns):
            if pattern._tree is not None:
                trees.append(pattern._tree)
                matchers.append(pattern.matches)
                indices.append(index)
            else:
                others.append((index, pattern))
        self._json: Callable[[Any], tuple[bool, ...]] | None = (
            _generate(trees, matchers, json_document) if trees else None
        )
        self._json_indices = tuple(indices)
        self._others = tuple(others)

    def __len__(self) -> int:
        return len(self.patterns)

    def __repr__(self) -> str:
        return f"PatternSet({[pattern.source for pattern in self.patterns]!r})"

    def matches(self, event: Event) -> tuple[bool, ...]:
        """Whether each pattern of the set matches ``event`` (raw message or parsed JSON)."""
        if self._json is not None and not self._others:
            return self._json(event)
        results = [False] * len(self.patterns)
        if self._json is not None:
            for index, matched in zip(self._json_indices, self._json(event), strict=True):
                results[index] = matched
        for index, pattern in self._others:
            results[index] = pattern.matches(event)
        return tuple(results)
