"""Several compiled patterns matched against each event in one pass."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .codegen import generate_many
from .parser import Node
from .pattern import CompiledPattern, Event, json_document

__all__ = ["PatternSet"]


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
        indices: list[int] = []
        others: list[tuple[int, CompiledPattern]] = []
        for index, pattern in enumerate(self.patterns):
            if pattern._tree is not None:
                trees.append(pattern._tree)
                indices.append(index)
            else:
                others.append((index, pattern))
        self._json: Callable[[Any], tuple[bool, ...]] | None = (
            generate_many(trees, json_document) if trees else None
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
