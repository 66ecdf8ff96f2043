"""Replay a stream of CloudTrail records through a set of filters and count what matches.

Memory is O(filters × hours): per filter a count, at most K examples and a count per hour
(``eventTime`` truncated to the hour; CloudTrail writes it in UTC, ``...Z``). The records
themselves are not kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trailwarden.filterpattern import CompiledPattern, PatternSet

from .reader import LogReader

__all__ = [
    "BacktestResult",
    "Example",
    "Filter",
    "FilterResult",
    "backtest_files",
    "example_of",
    "run_backtest",
]

UNKNOWN_HOUR = "unknown"


@dataclass(frozen=True)
class Filter:
    """A named, compiled filter pattern to replay."""

    name: str
    pattern: CompiledPattern


@dataclass(frozen=True)
class Example:
    """What identifies a matched record to a person."""

    event_time: str | None
    event_name: str | None
    event_source: str | None
    user_arn: str | None
    region: str | None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def example_of(record: Any) -> Example:
    if not isinstance(record, dict):
        return Example(None, None, None, None, None)
    identity = record.get("userIdentity")
    arn = _text(identity.get("arn")) if isinstance(identity, dict) else None
    return Example(
        _text(record.get("eventTime")),
        _text(record.get("eventName")),
        _text(record.get("eventSource")),
        arn,
        _text(record.get("awsRegion")),
    )


def hour_of(record: Any) -> str:
    """``2024-05-01T13:45:12Z`` -> ``2024-05-01T13:00Z``; ``unknown`` without an eventTime."""
    value = record.get("eventTime") if isinstance(record, dict) else None
    if isinstance(value, str) and len(value) >= 13 and value[10:11] == "T":
        return value[:13] + ":00Z"
    return UNKNOWN_HOUR


@dataclass
class FilterResult:
    """One filter's outcome over the replayed records."""

    name: str
    pattern: str
    matched: int = 0
    examples: list[Example] = field(default_factory=list)
    per_hour: dict[str, int] = field(default_factory=dict)

    @property
    def hours(self) -> list[str]:
        """The hours with a match, in time order (``unknown`` last)."""
        return sorted(self.per_hour, key=lambda hour: (hour == UNKNOWN_HOUR, hour))


@dataclass
class BacktestResult:
    """Per filter counts, examples and hourly counts, and what was read."""

    events: int
    files: int
    bytes: int
    seconds: float
    filters: list[FilterResult]
    skipped_count: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def run_backtest(
    filters: Sequence[Filter],
    records: Iterable[Any],
    examples: int = 3,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[list[FilterResult], int, float]:
    """Match every record against every filter (one pass per record, see PatternSet).

    Returns the per-filter results, the number of records and the seconds it took.
    """
    results = [FilterResult(f.name, f.pattern.source) for f in filters]
    matches = PatternSet(f.pattern for f in filters).matches
    events = 0
    started = clock()
    for record in records:
        events += 1
        hits = matches(record)
        if True not in hits:  # the common case: one tuple scan, nothing to record
            continue
        hour = hour_of(record)
        for result, hit in zip(results, hits, strict=True):
            if hit:
                result.matched += 1
                result.per_hour[hour] = result.per_hour.get(hour, 0) + 1
                if len(result.examples) < examples:
                    result.examples.append(example_of(record))
    return results, events, clock() - started


def backtest_files(
    inputs: Sequence[Path],
    filters: Sequence[Filter],
    examples: int = 3,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[int], None] | None = None,
) -> BacktestResult:
    """Replay the CloudTrail log files ``inputs`` (files or directories) through ``filters``.

    ``on_start(total_bytes)`` and ``on_file(bytes)`` report progress. Raises
    :class:`~trailwarden.backtest.reader.BacktestInputError` for a path that cannot be
    read; files that cannot be parsed are skipped and listed in the result.
    """
    reader = LogReader(inputs)
    if on_start is not None:
        on_start(reader.total_bytes)
    results, events, seconds = run_backtest(filters, reader.records(on_file), examples)
    return BacktestResult(
        events=events,
        files=reader.files_read,
        bytes=reader.total_bytes,
        seconds=seconds,
        filters=results,
        skipped_count=reader.skipped_count,
        skipped=[(s.path, s.reason) for s in reader.skipped],
    )
