"""Show a backtest: a rich table for people, JSON for programs."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from trailwarden.textsafe import printable

from .engine import UNKNOWN_HOUR, BacktestResult, FilterResult

__all__ = ["render_json", "render_table", "sparkline", "summary", "to_json"]

_BARS = "▁▂▃▄▅▆▇█"
_HOUR = "%Y-%m-%dT%H:00Z"
_MAX_BUCKETS = 24


def _share(matched: int, events: int) -> float:
    return matched / events if events else 0.0


def _parse_hour(hour: str) -> datetime | None:
    try:
        return datetime.strptime(hour, _HOUR)
    except ValueError:
        return None


def _span(result: BacktestResult) -> tuple[datetime, int] | None:
    """The first hour with any match and the number of hours to the last one."""
    hours = [
        parsed
        for f in result.filters
        for hour in f.per_hour
        if (parsed := _parse_hour(hour)) is not None
    ]
    if not hours:
        return None
    first = min(hours)
    return first, int((max(hours) - first) / timedelta(hours=1)) + 1


def sparkline(
    per_hour: dict[str, int], first: datetime, hours: int, width: int = _MAX_BUCKETS
) -> str:
    """Counts per hour over ``hours`` hours from ``first``, in at most ``width`` characters."""
    width = max(1, min(hours, width))
    buckets = [0] * width
    for hour, count in per_hour.items():
        parsed = _parse_hour(hour)
        if parsed is None:
            continue
        offset = int((parsed - first) / timedelta(hours=1))
        buckets[min(offset * width // hours, width - 1)] += count
    top = max(buckets)
    if top == 0:
        return " " * width
    return "".join(" " if n == 0 else _BARS[(n * (len(_BARS) - 1)) // top] for n in buckets)


def _first_last(f: FilterResult) -> tuple[str, str]:
    hours = [hour for hour in f.hours if hour != UNKNOWN_HOUR]
    return (hours[0], hours[-1]) if hours else ("-", "-")


@dataclass(frozen=True)
class _Layout:
    """Which columns fit: hours in two columns or folded into one, sparkline width."""

    fold_hours: bool
    spark: int  # 0: no sparkline


_NAME_MIN = 16  # the filter column's narrowest width before other columns give way
_NAME_MIN_FOLDED = 10
_HOUR_WIDTH = len("2024-05-01T10:00Z")
_SPARK_MIN = 8


def _layout(width: int, numbers: int, hours: int | None) -> _Layout:
    """Numbers and hours are never cut: the sparkline shrinks, then goes, then the two
    hour columns fold into one; the filter's name wraps in what is left."""

    def room(columns: int, fixed: int) -> int:  # what is left for the name
        return width - fixed - 3 * columns - 1  # padding of 2 and a border per column

    wanted = 0 if hours is None else min(hours, _MAX_BUCKETS)
    if wanted:
        left = room(6, numbers + 2 * _HOUR_WIDTH)
        spark = min(wanted, left - _NAME_MIN)
        if spark >= min(wanted, _SPARK_MIN):
            return _Layout(False, spark)
    if room(5, numbers + 2 * _HOUR_WIDTH) >= _NAME_MIN:
        return _Layout(False, 0)
    return _Layout(True, 0)


def _table(result: BacktestResult, width: int) -> Table:
    span = _span(result)
    matched = [f"{f.matched:,}" for f in result.filters]
    shares = [f"{_share(f.matched, result.events):.2%}" for f in result.filters]
    matched_width = max(len("matched"), *map(len, matched))
    share_width = max(len("share"), *map(len, shares))
    layout = _layout(width, matched_width + share_width, None if span is None else span[1])
    table = Table(title_justify="left")
    name_min = _NAME_MIN_FOLDED if layout.fold_hours else _NAME_MIN
    table.add_column("filter", ratio=1, min_width=name_min, overflow="fold")
    table.add_column("matched", justify="right", no_wrap=True, min_width=matched_width)
    table.add_column("share", justify="right", no_wrap=True, min_width=share_width)
    if layout.fold_hours:
        table.add_column("first/last\nhour (UTC)", no_wrap=True, min_width=_HOUR_WIDTH)
    else:
        table.add_column("first hour (UTC)", no_wrap=True, min_width=_HOUR_WIDTH)
        table.add_column("last hour (UTC)", no_wrap=True, min_width=_HOUR_WIDTH)
    if layout.spark and span is not None:
        table.add_column(f"per hour\n({span[1]:,} h)", no_wrap=True, min_width=layout.spark)
    for f, count, share in zip(result.filters, matched, shares, strict=True):
        first, last = _first_last(f)
        hours = [f"{first}\n{last}"] if layout.fold_hours else [first, last]
        row: list[str | Text] = [Text(printable(f.name)), count, share, *hours]
        if layout.spark and span is not None:
            row.append(Text(sparkline(f.per_hour, *span, width=layout.spark), "cyan"))
        table.add_row(*row, style=None if f.matched else "dim")
    return table


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def summary(result: BacktestResult) -> str:
    """One sentence accounting for every input: events read, left out, skipped."""
    parts = [f"Read {_plural(result.events, 'event')} from {_plural(result.files, 'file')}"]
    if result.left_out_count:
        parts.append(f"left out {_plural(result.left_out_count, 'item')} that are not records")
    if result.skipped_count:
        parts.append(f"skipped {_plural(result.skipped_count, 'file')}")
    if result.ignored:
        parts.append(
            f"did not consider {_plural(result.ignored, 'other file')} "
            "(no .json, .jsonl or .gz suffix)"
        )
    return "; ".join(parts) + f" ({result.events_per_second:,.0f} events/s)."


def render_table(result: BacktestResult, console: Console) -> None:
    """The filters' table, matched examples, and what was left out or skipped and why."""
    console.print(Text(f"Backtest: {summary(result)}"))
    if result.events:
        console.print(_table(result, console.width))
        for f in result.filters:
            for example in f.examples:
                fields = (example.event_time, example.event_source, example.event_name)
                rest = (example.user_arn, example.region)
                line = " ".join(value or "-" for value in (*fields, *rest))
                console.print(
                    Text.assemble("  ", (printable(f.name), "bold"), ": ", printable(line))
                )
    if result.not_replayed:
        count = _plural(len(result.not_replayed), "filter")
        console.print(Text(f"Not replayed: {count} that trailwarden cannot compile:", "yellow"))
        for unreplayed in result.not_replayed:
            name, reason = printable(unreplayed.name), printable(unreplayed.reason)
            console.print(Text(f"  {name}: {reason}"))
    if result.left_out:
        console.print(Text(f"Left out of {_plural(len({i.path for i in result.left_out}), 'file')} "
                           "(read, but not CloudTrail records):", "yellow"))  # fmt: skip
        for item in result.left_out:
            where = "" if item.line is None else f"line {item.line}: "
            times = f" ({item.count:,} times)" if item.count > 1 else ""
            console.print(Text(f"  {printable(item.path)}: {where}{printable(item.reason)}{times}"))
        _more(console, result.left_out_count - sum(i.count for i in result.left_out), "items")
    if result.skipped:
        console.print(Text(f"Skipped {_plural(result.skipped_count, 'file')}:", "yellow"))
        for skipped in result.skipped:
            console.print(Text(f"  {printable(skipped.path)}: {printable(skipped.reason)}"))
        _more(console, result.skipped_count - len(result.skipped), "files")


def _more(console: Console, count: int, what: str) -> None:
    if count > 0:
        console.print(Text(f"  … and {count:,} more {what}, not listed"))


def to_json(result: BacktestResult) -> dict[str, Any]:
    """The result as plain JSON data (per-hour counts in time order)."""
    filters = []
    for f in result.filters:
        first, last = _first_last(f)
        filters.append(
            {
                "name": f.name,
                "pattern": f.pattern,
                "matched": f.matched,
                "share": _share(f.matched, result.events),
                "first_hour": None if first == "-" else first,
                "last_hour": None if last == "-" else last,
                "per_hour": {hour: f.per_hour[hour] for hour in f.hours},
                "examples": [asdict(example) for example in f.examples],
            }
        )
    return {
        "events": result.events,
        "files": result.files,
        "bytes": result.bytes,
        "seconds": round(result.seconds, 3),
        "skipped_count": result.skipped_count,
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
        "left_out_count": result.left_out_count,
        "left_out": [asdict(item) for item in result.left_out],
        "ignored": result.ignored,
        "filters": filters,
        "not_replayed": [asdict(f) for f in result.not_replayed],
    }


def render_json(result: BacktestResult) -> bytes:
    return bytes(orjson.dumps(to_json(result), option=orjson.OPT_INDENT_2)) + b"\n"
