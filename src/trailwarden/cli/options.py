"""The options commands share, and how their values become library arguments.

A value that selects nothing is an error, never an empty selection: ``--regions ""`` or
``--check ","`` from an unset variable in a CI job would otherwise scan less than asked
and report a clean account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from trailwarden.collect.endpoint_guard import DEFAULT_TIMEOUT_S
from trailwarden.errors import UsageError

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.collect.endpoint_guard import Patience

__all__ = [
    "apply_options",
    "aws_options",
    "check_ids",
    "check_options",
    "check_selection",
    "common_scan_options",
    "evaluation_options",
    "format_options",
    "monitoring_option",
    "patience",
    "split_items",
    "split_regions",
    "timeout_option",
]

F = TypeVar("F", bound=Callable[..., Any])


def _apply(func: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        func = option(func)
    return func


def monitoring_option(verb: str) -> Callable[[F], F]:
    return click.option(
        "--monitoring/--no-monitoring",
        default=True,
        show_default=True,
        help=f"{verb} the CIS monitoring checks TW101–TW115 (metric filters, alarms, SNS "
        "subscribers) too; --no-monitoring: the trail checks alone.",
    )


def timeout_option(func: F) -> F:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True, max=3600),
        default=DEFAULT_TIMEOUT_S,
        show_default=True,
        envvar="TRAILWARDEN_TIMEOUT",
        metavar="SECONDS",
        help="Give up (exit 2) on an AWS endpoint that has not answered for this long "
        "(default: $TRAILWARDEN_TIMEOUT, else 40).",
    )(func)


def format_options(formats: str) -> Callable[[F], F]:
    """``--format F[,F…]`` (``formats``: the names offered, for the help) and ``--output``."""

    def decorate(func: F) -> F:
        return _apply(
            func,
            [
                click.option(
                    "--format",
                    "fmt",
                    default="table",
                    show_default=True,
                    metavar="F[,F…]",
                    help=f"{formats}; several (comma-separated) with --output-dir.",
                ),
                click.option(
                    "--output",
                    "-o",
                    type=click.Path(dir_okay=False, path_type=Path),
                    help="Write the report to FILE instead of standard output (one format).",
                ),
            ],
        )

    return decorate


def evaluation_options(func: F) -> F:
    """What a run evaluates, on AWS or on code: --min-retention-days, --check, --monitoring."""
    return _apply(
        func,
        [
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
                metavar="TWxxx[,TWxxx]",
                help="Evaluate only these checks (repeatable, or comma-separated).",
            ),
            monitoring_option("Evaluate"),
        ],
    )


def common_scan_options(func: F) -> F:
    return _apply(
        func,
        [
            format_options("table, json, ocsf, asff, sarif, junit, csv, html"),
            click.option(
                "--max-delivery-age",
                default="24h",
                show_default=True,
                metavar="DURATION",
                help="TW004: oldest acceptable LatestCloudWatchLogsDeliveryTime (e.g. 24h, 2d).",
            ),
            evaluation_options,
        ],
    )


def aws_options(func: F) -> F:
    return _apply(
        func,
        [
            click.option(
                "--profile", help="AWS profile to use (default: boto3's credential chain)."
            ),
            click.option(
                "--regions",
                metavar="R1,R2",
                help="Only trails homed in (or covering) these regions.",
            ),
            click.option(
                "--endpoint-url",
                envvar="AWS_ENDPOINT_URL",
                metavar="URL",
                help="AWS-compatible endpoint (default: $AWS_ENDPOINT_URL, else AWS).",
            ),
            timeout_option,
        ],
    )


def _items(option: str, values: Iterable[str], what: str) -> list[str]:
    """Comma-separated ``values`` split and stripped; a value naming nothing is an error."""
    out: list[str] = []
    for value in values:
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not items:
            raise UsageError(
                f"{option} {value!r} names no {what}; give at least one (is the variable "
                f"that should hold it empty?), or leave {option} out."
            )
        out += items
    return out


# Public, for the organization options (cli/org_options.py).
apply_options, split_items = _apply, _items


def split_regions(regions: str | None) -> list[str] | None:
    """``--regions`` as a list of known region names (None: every region)."""
    if regions is None:
        return None
    from trailwarden.collect.regions import validate_regions

    names = list(dict.fromkeys(_items("--regions", [regions], "region")))
    validate_regions(names)
    return names


def check_ids(checks: Iterable[str]) -> frozenset[str] | None:
    """``--check`` values as canonical check ids (None: no --check given)."""
    from trailwarden.checks import get_check

    values = list(checks)
    if not values:
        return None
    return frozenset(get_check(c).id for c in _items("--check", values, "check"))


def check_selection(only: frozenset[str] | None, monitoring: bool) -> None:
    """``--no-monitoring`` with a TW1xx ``--check`` selects nothing: an error."""
    from trailwarden.checks.registry import MONITORING_CHECK_IDS

    if not monitoring and only is not None and only & MONITORING_CHECK_IDS:
        named = ", ".join(sorted(only & MONITORING_CHECK_IDS))
        raise UsageError(
            f"--no-monitoring leaves out TW101–TW115, but --check names {named}; "
            "drop one of the two."
        )


def check_options(
    max_delivery_age: str,
    min_retention_days: int,
    checks: Iterable[str],
    monitoring: bool = True,
) -> CheckOptions:
    """The checks' options from the command line (see :func:`check_selection`)."""
    from trailwarden.checks import CheckOptions
    from trailwarden.durations import parse_duration

    only = check_ids(checks)
    check_selection(only, monitoring)
    return CheckOptions(
        max_delivery_age=parse_duration(max_delivery_age),
        min_retention_days=min_retention_days,
        only=only,
        monitoring=monitoring,
    )


def patience(timeout: float) -> Patience:
    from trailwarden.collect.endpoint_guard import Patience

    return Patience(timeout)
