"""``scan --security-hub``: options, and what is said about the import on standard error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from trailwarden.cli.common import say
from trailwarden.errors import UsageError
from trailwarden.words import count

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.findings import Report
    from trailwarden.integrations.securityhub import Reach, SecurityHubResult

__all__ = ["evaluated_checks", "security_hub_options", "send_to_security_hub"]

F = TypeVar("F", bound=Callable[..., Any])
_SHOWN_FAILURES = 5


def security_hub_options(func: F) -> F:
    for option in reversed(
        [
            click.option(
                "--security-hub",
                is_flag=True,
                help="Import the findings into each scanned account's own Security Hub "
                "(BatchImportFindings), and archive those that no longer occur.",
            ),
            click.option(
                "--security-hub-region",
                metavar="REGION",
                help="Security Hub's region (default: your session's region).",
            ),
            click.option(
                "--dry-run",
                is_flag=True,
                help="With --security-hub: show what would be imported and archived, and "
                "import nothing.",
            ),
        ]
    ):
        func = option(func)
    return func


def evaluated_checks(options: CheckOptions) -> frozenset[str]:
    """The checks a run with ``options`` evaluated (only their findings may be archived)."""
    from trailwarden.checks.registry import CHECKS, MONITORING_CHECK_IDS

    if options.only is not None:
        return options.only
    if options.wants_monitoring:
        return frozenset(CHECKS)
    return frozenset(CHECKS) - MONITORING_CHECK_IDS


def hub_region(region: str | None, session_region: str | None) -> str:
    from trailwarden.collect.regions import validate_regions

    chosen = region or session_region
    if not chosen:
        raise UsageError(
            "--security-hub needs a region: pass --security-hub-region (e.g. us-east-1) or "
            "set AWS_REGION."
        )
    validate_regions([chosen])
    return chosen


def send_to_security_hub(
    report: Report,
    reach: Reach,
    region: str,
    options: CheckOptions,
    *,
    dry_run: bool,
    archive: bool,
) -> SecurityHubResult:
    """Import (or with ``dry_run`` only read), and say what happened per account."""
    from trailwarden.integrations.securityhub import import_report

    result = import_report(
        report,
        reach,
        region,
        evaluated=evaluated_checks(options),
        archive=archive,
        dry_run=dry_run,
        now=datetime.now(UTC),
    )
    for a in result.accounts:
        where = f"trailwarden: Security Hub {region}, account {a.account_id}"
        if a.error is not None:
            say(f"{where}: nothing imported: {a.error}.")
            continue
        archived = f"{a.archived} archived" if not dry_run else f"would archive {len(a.to_archive)}"
        if dry_run:
            say(f"{where}: would import {count(a.to_import, 'finding')} ({a.new} new), {archived}.")
            for finding_id in a.to_archive:
                say(f"{where}: would archive {finding_id}")
        else:
            total = count(a.to_import, "finding")
            say(f"{where}: {a.imported} of {total} imported ({a.new} new), {archived}.")
        if a.archive_note:
            say(f"{where}: {a.archive_note}.")
        for failure in a.failures[:_SHOWN_FAILURES]:
            say(f"{where}: not imported: {failure.finding_id}: {failure.code} {failure.message}")
        if len(a.failures) > _SHOWN_FAILURES:
            say(f"{where}: {len(a.failures) - _SHOWN_FAILURES} more findings not imported.")
    return result
