"""Replay CloudTrail log files through filter patterns before deploying them as alarms.

``trailwarden backtest`` streams CloudTrail records out of log files of every shape users
hand over (:mod:`.reader`: :mod:`.inputs`, :mod:`.decompress`, :mod:`.documents`,
:mod:`.shapes`), accounting for every piece of input, matches
each against a set of filters in one pass (:mod:`.engine`, on
:class:`~trailwarden.filterpattern.PatternSet`) and reports per filter the matches, a few
examples and the matches per hour (:mod:`.report`). Filters come from ``--pattern``, the
15 CIS monitoring filters (:mod:`.cis`) or a saved inventory (:mod:`.sources`).
``trailwarden test-pattern`` (:mod:`.testpattern`) is the local
``aws logs test-metric-filter``.
"""

from __future__ import annotations

from .cis import cis_patterns
from .engine import (
    BacktestResult,
    Example,
    Filter,
    FilterResult,
    NotReplayed,
    backtest_files,
    no_events_error,
    run_backtest,
)
from .reader import DEFAULT_LIMITS, BacktestInputError, LeftOutItems, Limits, LogReader, Skipped
from .sources import (
    InvalidPatternError,
    InventoryFilters,
    cis_filters,
    compile_named,
    inventory_filters,
    pattern_filters,
)
from .testpattern import PatternTest, match_messages

__all__ = [
    "DEFAULT_LIMITS",
    "BacktestInputError",
    "BacktestResult",
    "Example",
    "Filter",
    "FilterResult",
    "InvalidPatternError",
    "InventoryFilters",
    "LeftOutItems",
    "Limits",
    "LogReader",
    "NotReplayed",
    "PatternTest",
    "Skipped",
    "backtest_files",
    "cis_filters",
    "cis_patterns",
    "compile_named",
    "inventory_filters",
    "match_messages",
    "no_events_error",
    "pattern_filters",
    "run_backtest",
]
