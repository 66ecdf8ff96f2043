"""Replay a stream of CloudTrail records through a set of filters and count what matches.

Memory is O(filters × hours): per filter a count, at most K examples and a count per hour
(``eventTime`` truncated to the hour; CloudTrail writes it in UTC, ``...Z``). The records
themselves are not kept.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from trailwarden.filterpattern import CompiledPattern, PatternKind, PatternSet
from trailwarden.textsafe import printable

from .inputs import LOG_SUFFIXES
from .reader import (
    DEFAULT_LIMITS,
    BacktestInputError,
    LeftOutItems,
    Limits,
    LogReader,
    Skipped,
)

__all__ = [
    "BacktestResult",
    "Example",
    "Filter",
    "FilterResult",
    "NotReplayed",
    "backtest_files",
    "example_of",
    "message_of",
    "no_events_error",
    "run_backtest",
]

UNKNOWN_HOUR = "unknown"


@dataclass(frozen=True)
class Filter:
    """A named, compiled filter pattern to replay."""

    name: str
    pattern: CompiledPattern


@dataclass(frozen=True)
class NotReplayed:
    """An account's filter that could not be compiled, so was not replayed, and why."""

    name: str
    pattern: str
    reason: str


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
    """Per filter counts, examples and hourly counts, and an account of every input.

    ``files`` gave at least one event; every other file found is in ``skipped`` (with
    the reason); what read files held besides records is in ``left_out``; ``ignored``
    counts files in searched directories without a log-file suffix.
    """

    events: int
    files: int
    bytes: int
    seconds: float
    filters: list[FilterResult]
    skipped_count: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    left_out_count: int = 0
    left_out: list[LeftOutItems] = field(default_factory=list)
    ignored: int = 0
    not_replayed: list[NotReplayed] = field(default_factory=list)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def message_of(record: Any) -> str | None:
    """The record as CloudTrail writes it to CloudWatch Logs: compact JSON text.

    Term and space-delimited patterns match this text. orjson refuses records nested
    deeper than 255 levels or holding lone surrogates (``"\\ud800"``), which CloudWatch
    Logs still receives and matches, so :mod:`json` writes those.
    """
    try:
        return orjson.dumps(record).decode()
    except (TypeError, orjson.JSONEncodeError):
        pass
    limit = sys.getrecursionlimit()
    try:
        # Records read by orjson are nested at most 1,024 levels; json recurses per level.
        sys.setrecursionlimit(max(limit, 4_000))
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    except (ValueError, TypeError, RecursionError):
        return None
    finally:
        sys.setrecursionlimit(limit)


def _matcher(filters: Sequence[Filter]) -> Callable[[Any], tuple[bool, ...]]:
    """record -> whether each filter matches: JSON patterns on the parsed record, the
    others on its text (see :func:`message_of`)."""
    patterns = [f.pattern for f in filters]
    if all(p.kind is PatternKind.JSON for p in patterns):
        return PatternSet(patterns).matches
    textual = [i for i, p in enumerate(patterns) if p.kind is not PatternKind.JSON]
    structured = [i for i, p in enumerate(patterns) if p.kind is PatternKind.JSON]
    json_set = PatternSet(patterns[i] for i in structured).matches
    text_matchers = [(i, patterns[i].matches) for i in textual]

    def matches(record: Any) -> tuple[bool, ...]:
        hits = [False] * len(patterns)
        for i, hit in zip(structured, json_set(record), strict=True):
            hits[i] = hit
        text = message_of(record)
        if text is not None:
            for i, match in text_matchers:
                hits[i] = match(text)
        return tuple(hits)

    return matches


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
    matches = _matcher(filters)
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
    inputs: Sequence[str | Path],
    filters: Sequence[Filter],
    examples: int = 3,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[int], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> BacktestResult:
    """Replay the CloudTrail log files ``inputs`` (files, directories, ``-``) through
    ``filters``.

    ``on_start(total_bytes)`` and ``on_file(bytes)`` report progress. Nothing raises for
    a bad input: files that cannot be read are skipped and listed in the result, and
    :func:`no_events_error` says whether anything was read at all.
    """
    reader = LogReader([str(path) for path in inputs], limits)
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
        skipped=list(reader.skipped),
        left_out_count=reader.left_out_count,
        left_out=list(reader.left_out),
        ignored=reader.discovery.ignored,
    )


def no_events_error(
    result: BacktestResult, inputs: Sequence[str | Path]
) -> BacktestInputError | None:
    """The error to exit with when the backtest read no event at all (None if it did)."""
    if result.events:
        return None
    names = ", ".join(printable(str(path)) for path in inputs[:3])
    if len(inputs) > 3:
        names += f" and {len(inputs) - 3} more"
    if not result.files and not result.skipped_count:
        others = result.ignored
        note = f"; {others} other file(s) there have none of those suffixes" if others else ""
        return BacktestInputError(
            f"No log file was found in {names} (searched for "
            f"{', '.join('*' + suffix for suffix in LOG_SUFFIXES)}{note}); pass CloudTrail "
            "log files or the directories that hold them."
        )
    first = result.skipped[0] if result.skipped else None
    example = "" if first is None else f", e.g. {printable(first.path)}: {printable(first.reason)}"
    return BacktestInputError(
        f"No CloudTrail event was read from {names}: {result.skipped_count} file(s) skipped"
        f"{example}; pass CloudTrail log files in one of the shapes the README lists."
    )
