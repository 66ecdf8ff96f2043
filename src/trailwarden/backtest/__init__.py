"""Replay CloudTrail log files through filter patterns before deploying them as alarms.

``trailwarden backtest`` streams CloudTrail records from S3 delivery files
(``{"Records": [...]}``, gzipped or not) and JSON-lines files (:mod:`.reader`), matches
each against a set of filters in one pass (:mod:`.engine`, on
:class:`~trailwarden.filterpattern.PatternSet`) and reports per filter the matches, a few
examples and the matches per hour (:mod:`.report`). Filters come from ``--pattern``, the
15 CIS monitoring filters (:mod:`.cis`) or a saved inventory (:mod:`.sources`).
``trailwarden test-pattern`` (:mod:`.testpattern`) is the local
``aws logs test-metric-filter``.
"""

from __future__ import annotations

from .cis import cis_patterns
from .engine import BacktestResult, Example, Filter, FilterResult, backtest_files, run_backtest
from .reader import BacktestInputError, LogReader, Skipped
from .sources import (
    InvalidPatternError,
    cis_filters,
    compile_named,
    inventory_filters,
    pattern_filters,
)
from .testpattern import PatternTest, match_messages

__all__ = [
    "BacktestInputError",
    "BacktestResult",
    "Example",
    "Filter",
    "FilterResult",
    "InvalidPatternError",
    "LogReader",
    "PatternTest",
    "Skipped",
    "backtest_files",
    "cis_filters",
    "cis_patterns",
    "compile_named",
    "inventory_filters",
    "match_messages",
    "pattern_filters",
    "run_backtest",
]
