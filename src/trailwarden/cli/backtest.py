"""`trailwarden backtest`: replay CloudTrail log files through filter patterns."""

from __future__ import annotations

import re
from pathlib import Path

import click

from trailwarden.cli.common import deliver, handle_errors, render_for_people

__all__ = ["backtest", "parse_size"]

_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)


def parse_size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """A size in bytes from ``1048576``, ``512K``, ``256MiB``, ``1G`` (binary units)."""
    match = _SIZE.fullmatch(value)
    if match is None or int(match.group(1)) == 0:
        raise click.BadParameter(f"{value!r} is not a size such as 512M or 2G.", ctx, param)
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


@click.command()
@click.argument("inputs", metavar="FILE|DIR|-...", nargs=-1, required=True)
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
@click.option(
    "--max-file-bytes",
    callback=parse_size,
    default="1G",
    show_default=True,
    help="Stop reading a file once it has expanded (gunzipped) to this size.",
)
@click.option(
    "--max-document-bytes",
    callback=parse_size,
    default="128M",
    show_default=True,
    help="Leave out a JSON document (an S3 log file, a line) larger than this.",
)
@handle_errors
def backtest(
    inputs: tuple[str, ...],
    patterns: tuple[str, ...],
    cis: bool,
    inventory_file: Path | None,
    examples: int,
    fmt: str,
    output: Path | None,
    max_file_bytes: int,
    max_document_bytes: int,
) -> None:
    """Replay CloudTrail log files through filter patterns: what would each have matched?

    FILE|DIR|-: CloudTrail S3 log files ({"Records": [...]}, gzipped or not, several
    concatenated), JSON lines of records, and the output of aws logs filter-log-events,
    aws cloudtrail lookup-events, CloudWatch Logs subscriptions and EventBridge; - reads
    standard input. Directories are searched for *.json, *.json.gz, *.jsonl, *.jsonl.gz
    and *.gz. Exits 2 when no event could be read.
    """

    from rich.console import Console

    from trailwarden.backtest import (
        Limits,
        NotReplayed,
        backtest_files,
        cis_filters,
        inventory_filters,
        no_events_error,
        pattern_filters,
    )
    from trailwarden.backtest.progress import byte_progress
    from trailwarden.backtest.report import render_json, render_table

    filters = pattern_filters(patterns)
    not_replayed: list[NotReplayed] = []
    if inventory_file is not None:
        from trailwarden.collect.inventory_file import load_inventory

        account = inventory_filters(load_inventory(inventory_file))
        filters += account.filters
        not_replayed = account.not_replayed
    if cis or not filters:
        filters += cis_filters()
    limits = Limits(max_file_bytes=max_file_bytes, max_document_bytes=max_document_bytes)
    # On standard error, so that it never mixes with the report on standard output.
    with byte_progress(Console(stderr=True)) as (on_start, on_file):
        result = backtest_files(
            inputs, filters, examples, on_start=on_start, on_file=on_file, limits=limits
        )
    result.not_replayed = not_replayed
    error = no_events_error(result, inputs)
    # A backtest that read nothing is not a clean result: the report shows why each
    # input gave nothing, then the run exits 2 (could not run).
    if error is None or result.files or result.skipped_count:
        if fmt == "json":
            deliver(render_json(result), output)
        else:
            render_for_people(lambda console: render_table(result, console), output)
    if error is not None:
        raise error
