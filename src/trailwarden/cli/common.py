"""What every command shares: error handling and exit codes, options, where output goes.

Exit codes: 0 every evaluated check passes; 1 at least one FAIL or ERROR;
2 trailwarden could not run (bad arguments, no credentials, unreadable inventory).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from trailwarden.errors import Error

if TYPE_CHECKING:
    from rich.console import Console

    from trailwarden.checks import CheckOptions
    from trailwarden.findings import Report

__all__ = [
    "EXIT_USAGE",
    "aws_options",
    "check_options",
    "common_scan_options",
    "deliver",
    "emit",
    "handle_errors",
    "render_for_people",
    "split_regions",
    "write",
]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USAGE = 2


def handle_errors(func: F) -> F:
    """Print a user-caused :class:`Error` as one sentence and exit 2 (traceback on --debug)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Error as exc:
            ctx = click.get_current_context()
            if ctx.find_root().params.get("debug"):
                import traceback

                traceback.print_exc()
            click.echo(f"trailwarden: error: {exc}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def check_options(
    max_delivery_age: str,
    min_retention_days: int,
    checks: tuple[str, ...],
    monitoring: bool = False,
) -> CheckOptions:
    from trailwarden.checks import CheckOptions, get_check
    from trailwarden.durations import parse_duration

    only = frozenset(get_check(c).id for c in checks) if checks else None
    return CheckOptions(
        max_delivery_age=parse_duration(max_delivery_age),
        min_retention_days=min_retention_days,
        only=only,
        monitoring=monitoring,
    )


def emit(report: Report, fmt: str, output: Path | None) -> None:
    from trailwarden.formats.json import render_json
    from trailwarden.formats.table import render_table

    if fmt == "json":
        deliver(render_json(report), output)
    else:
        render_for_people(lambda console: render_table(report, console), output)


def deliver(data: bytes, output: Path | None) -> None:
    """Machine output: to standard output, or to ``output``."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write(output, data)


def render_for_people(render: Callable[[Console], None], output: Path | None) -> None:
    """rich output: coloured on the terminal, plain text (120 columns) into ``output``."""
    from rich.console import Console

    if output is None:
        render(Console())
        return
    import io

    console = Console(record=True, width=120, file=io.StringIO())
    render(console)
    write(output, console.export_text().encode())


def write(path: Path, data: bytes) -> None:
    from trailwarden.errors import UsageError

    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(
            f"Cannot write {path}: {exc.strerror or exc}; choose another --output."
        ) from exc


def common_scan_options(func: F) -> F:
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["table", "json"]),
            default="table",
            show_default=True,
            help="Output format.",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the report to FILE instead of standard output.",
        ),
        click.option(
            "--max-delivery-age",
            default="24h",
            show_default=True,
            metavar="DURATION",
            help="TW004: oldest acceptable LatestCloudWatchLogsDeliveryTime (e.g. 24h, 90m, 2d).",
        ),
        click.option(
            "--min-retention-days",
            type=click.IntRange(min=1),
            default=365,
            show_default=True,
            help="TW007: minimum log group retention in days.",
        ),
        click.option(
            "--check",
            "checks",
            multiple=True,
            metavar="TWxxx",
            help="Evaluate only this check (repeatable).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def aws_options(func: F) -> F:
    options = [
        click.option("--profile", help="AWS profile to use (default: boto3's credential chain)."),
        click.option(
            "--regions", metavar="R1,R2", help="Only trails homed in (or covering) these regions."
        ),
        click.option(
            "--endpoint-url",
            envvar="AWS_ENDPOINT_URL",
            metavar="URL",
            help="AWS-compatible endpoint (default: $AWS_ENDPOINT_URL, else AWS).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def split_regions(regions: str | None) -> list[str] | None:
    if regions is None:
        return None
    from trailwarden.collect.regions import validate_regions

    names = [r.strip() for r in regions.split(",") if r.strip()]
    validate_regions(names)
    return names
