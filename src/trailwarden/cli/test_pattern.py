"""`trailwarden test-pattern`: the local `aws logs test-metric-filter`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

import click

from trailwarden.cli.common import deliver, handle_errors, render_for_people

if TYPE_CHECKING:
    pass

__all__ = ["test_pattern"]


@click.command("test-pattern")
@click.argument("pattern")
@click.argument("event_file", required=False, type=click.File("r", encoding="utf-8"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@handle_errors
def test_pattern(pattern: str, event_file: TextIO | None, fmt: str) -> None:
    """Match a filter pattern against log events, like `aws logs test-metric-filter`.

    EVENT_FILE (default: standard input) holds one raw log message per line.
    """

    from trailwarden.backtest.testpattern import (
        match_messages,
        read_messages,
        render_json,
        render_table,
    )

    result = match_messages(pattern, read_messages(event_file or sys.stdin))
    if fmt == "json":
        deliver(render_json(result), None)
    else:
        render_for_people(lambda console: render_table(result, console), None)
