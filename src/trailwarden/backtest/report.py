"""Show a backtest: a rich table for people, JSON for programs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .engine import UNKNOWN_HOUR, BacktestResult, FilterResult

__all__ = ["render_json", "render_table", "sparkline", "to_json"]

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


def sparkline(per_hour: dict[str, int], first: datetime, hours: int) -> str:
    """Counts per hour over ``hours`` hours from ``first``, in at most 24 characters."""
    width = min(hours, _MAX_BUCKETS)
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


def render_table(result: BacktestResult, console: Console) -> None:
    span = _span(result)
    title = (
        f"Backtest: {result.events:,} events from {result.files:,} files "
        f"({result.events_per_second:,.0f} events/s)"
    )
    # Every filter saw the same events (said in the title); the numbers and hours never wrap,
    # the filter's name does.
    table = Table(title=title, title_justify="left")
    table.add_column("filter", ratio=1, min_width=16)
    for column in ("matched", "share"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("first hour (UTC)", no_wrap=True)
    table.add_column("last hour (UTC)", no_wrap=True)
    if span is not None:
        table.add_column(f"per hour ({span[1]} h)", no_wrap=True)
    for f in result.filters:
        first, last = _first_last(f)
        row: list[str | Text] = [
            Text(f.name),
            f"{f.matched:,}",
            f"{_share(f.matched, result.events):.2%}",
            first,
            last,
        ]
        if span is not None:
            row.append(Text(sparkline(f.per_hour, *span), "cyan"))
        table.add_row(*row, style=None if f.matched else "dim")
    console.print(table)
    for f in result.filters:
        for example in f.examples:
            fields = (example.event_time, example.event_source, example.event_name)
            rest = (example.user_arn, example.region)
            line = " ".join(value or "-" for value in (*fields, *rest))
            console.print(Text.assemble("  ", (f.name, "bold"), ": ", line))
    if result.skipped_count:
        console.print(f"[yellow]Skipped {result.skipped_count} file(s):[/yellow]")
        for path, reason in result.skipped:
            console.print(f"  {path}: {reason}", highlight=False, markup=False)


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
        "skipped": [{"path": path, "reason": reason} for path, reason in result.skipped],
        "filters": filters,
    }


def render_json(result: BacktestResult) -> bytes:
    return bytes(orjson.dumps(to_json(result), option=orjson.OPT_INDENT_2)) + b"\n"
