"""`trailwarden backtest`: replay CloudTrail log files through filter patterns."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from trailwarden.cli.common import deliver, handle_errors, render_for_people

if TYPE_CHECKING:
    pass

__all__ = ["backtest"]


@click.command()
@click.argument(
    "inputs", metavar="FILE|DIR...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--pattern",
    "patterns",
    multiple=True,
    metavar="TEXT",
    help="A filter pattern to replay (repeatable; named pattern-1, pattern-2, ...).",
)
@click.option("--cis", is_flag=True, help="Replay the 15 CIS monitoring filters (the default).")
@click.option(
    "--inventory",
    "inventory_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Replay the account's own metric filters from a saved inventory.",
)
@click.option(
    "--examples",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Matched events to show per filter.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of standard output.",
)
@handle_errors
def backtest(
    inputs: tuple[Path, ...],
    patterns: tuple[str, ...],
    cis: bool,
    inventory_file: Path | None,
    examples: int,
    fmt: str,
    output: Path | None,
) -> None:
    """Replay CloudTrail log files through filter patterns: what would each have matched?

    FILE|DIR: CloudTrail S3 log files ({"Records": [...]}, gzipped or not) or JSON-lines
    files; directories are searched for *.json, *.json.gz, *.jsonl, *.jsonl.gz and *.gz.
    """

    from rich.console import Console

    from trailwarden.backtest import (
        backtest_files,
        cis_filters,
        inventory_filters,
        pattern_filters,
    )
    from trailwarden.backtest.progress import byte_progress
    from trailwarden.backtest.report import render_json, render_table

    filters = pattern_filters(patterns)
    if inventory_file is not None:
        from trailwarden.collect.inventory_file import load_inventory

        filters += inventory_filters(load_inventory(inventory_file))
    if cis or not filters:
        filters += cis_filters()
    # On standard error, so that it never mixes with the report on standard output.
    with byte_progress(Console(stderr=True)) as (on_start, on_file):
        result = backtest_files(inputs, filters, examples, on_start=on_start, on_file=on_file)
    if fmt == "json":
        deliver(render_json(result), output)
    else:
        render_for_people(lambda console: render_table(result, console), output)
