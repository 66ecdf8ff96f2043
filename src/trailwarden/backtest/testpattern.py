"""``trailwarden test-pattern``: the local ``aws logs test-metric-filter``.

Like the API, each event is one raw log message; unlike it, every event is reported (not
only the matches), with its 0-based index in input order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .sources import compile_named

__all__ = ["PatternTest", "read_messages", "render_json", "render_table", "match_messages"]

_SHOWN = 100  # characters of a message shown in the table


@dataclass(frozen=True)
class PatternTest:
    """Which messages a pattern matched, in input order."""

    pattern: str
    messages: tuple[str, ...]
    matched: tuple[bool, ...]


def read_messages(lines: Iterable[str]) -> list[str]:
    """One message per line, line ends removed (a blank line is an empty message)."""
    return [line.rstrip("\r\n") for line in lines]


def match_messages(pattern: str, messages: Iterable[str]) -> PatternTest:
    """Match each raw message against ``pattern``; raises InvalidPatternError."""
    compiled = compile_named("the pattern", pattern).pattern
    shown = tuple(messages)
    return PatternTest(pattern, shown, tuple(compiled.matches(m) for m in shown))


def to_json(result: PatternTest) -> dict[str, Any]:
    return {"matches": [{"index": i, "matched": hit} for i, hit in enumerate(result.matched)]}


def render_json(result: PatternTest) -> bytes:
    return bytes(orjson.dumps(to_json(result))) + b"\n"


def render_table(result: PatternTest, console: Console) -> None:
    hits = sum(result.matched)
    table = Table(
        title=f"{hits} of {len(result.messages)} events matched", title_justify="left", expand=True
    )
    # The message gives way (cut with an ellipsis), never the index or the verdict.
    table.add_column("index", justify="right", no_wrap=True, min_width=5)
    table.add_column("matched", no_wrap=True, min_width=7)
    table.add_column("message", overflow="ellipsis", no_wrap=True, ratio=1)
    for index, (message, hit) in enumerate(zip(result.messages, result.matched, strict=True)):
        text = message if len(message) <= _SHOWN else message[: _SHOWN - 1] + "…"
        table.add_row(str(index), Text("yes", "green") if hit else Text("no"), Text(text))
    console.print(table)
