"""Where the filters to replay come from: ``--pattern``, ``--cis``, ``--inventory``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trailwarden.errors import FilterPatternError, UsageError
from trailwarden.filterpattern import FilterPatternSyntaxError, compile_pattern
from trailwarden.inventory import Inventory
from trailwarden.textsafe import printable

from .cis import cis_patterns
from .engine import Filter, NotReplayed

__all__ = [
    "InventoryFilters",
    "InvalidPatternError",
    "cis_filters",
    "compile_named",
    "inventory_filters",
    "pattern_filters",
]


class InvalidPatternError(FilterPatternError):
    """A pattern given to backtest or test-pattern that CloudWatch Logs would reject."""

    def __init__(self, name: str, error: FilterPatternSyntaxError) -> None:
        self.name = name
        self.position = error.position
        self.expected = error.expected
        self.found = error.found
        super().__init__(f"{printable(name)} is not a valid filter pattern: {error}.")


def compile_named(name: str, text: str) -> Filter:
    """``Filter(name, compile_pattern(text))``, naming the filter in a syntax error."""
    try:
        return Filter(name, compile_pattern(text))
    except FilterPatternSyntaxError as exc:
        raise InvalidPatternError(name, exc) from exc


def pattern_filters(patterns: Sequence[str]) -> list[Filter]:
    """``--pattern`` texts, named pattern-1, pattern-2, ... in the order given."""
    return [compile_named(f"pattern-{i}", text) for i, text in enumerate(patterns, 1)]


def cis_filters() -> list[Filter]:
    """The 15 CIS monitoring filters (see :mod:`.cis`)."""
    return [compile_named(name, text) for name, text in cis_patterns()]


@dataclass(frozen=True)
class InventoryFilters:
    """The account's filters that can be replayed, and those that cannot (with why)."""

    filters: list[Filter]
    not_replayed: list[NotReplayed]


def inventory_filters(inventory: Inventory) -> InventoryFilters:
    """The account's own metric filters, as collected in a saved inventory.

    A name that several log groups use is qualified with its log group. Anyone who may
    call ``logs:PutMetricFilter`` wrote these patterns: one that trailwarden cannot compile
    (invalid, or beyond what its engine supports) is reported, and the others replayed.
    """
    found = [f for group in inventory.metric_filters for f in group.filters]
    if not found:
        raise UsageError(
            "The inventory holds no metric filters; collect one with `trailwarden scan "
            "--save-inventory` from an account that has them, or use --cis or --pattern."
        )
    names = [f.name for f in found]
    filters: list[Filter] = []
    not_replayed: list[NotReplayed] = []
    for f in found:
        name = f.name if names.count(f.name) == 1 else f"{f.log_group_key}:{f.name}"
        try:
            filters.append(Filter(name, compile_pattern(f.pattern)))
        except FilterPatternError as exc:
            not_replayed.append(NotReplayed(name, f.pattern, str(exc)))
    return InventoryFilters(filters, not_replayed)
