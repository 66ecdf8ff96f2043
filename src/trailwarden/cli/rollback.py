"""`trailwarden rollback`: undo exactly what one `fix --apply` did."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trailwarden.cli.common import (
    handle_errors,
    require_yes_without_terminal,
    rollback_command,
    say,
)
from trailwarden.cli.options import patience, timeout_option

__all__ = ["rollback"]


@click.command()
@click.argument("journal_file", metavar="JOURNAL", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", help="AWS profile to use (default: boto3's credential chain).")
@click.option(
    "--endpoint-url",
    envvar="AWS_ENDPOINT_URL",
    metavar="URL",
    help="AWS-compatible endpoint (default: $AWS_ENDPOINT_URL, else AWS).",
)
@timeout_option
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--delete-used-log-groups",
    is_flag=True,
    help="Also delete log groups the apply created that have since received events.",
)
@handle_errors
def rollback(
    journal_file: Path,
    profile: str | None,
    endpoint_url: str | None,
    timeout: float,
    yes: bool,
    delete_used_log_groups: bool,
) -> None:
    """Undo exactly what one `fix --apply` did, in reverse order, and nothing else."""
    from trailwarden.collect.clients import open_factory
    from trailwarden.errors import EndpointError
    from trailwarden.remediate import read_journal
    from trailwarden.remediate import rollback as undo

    require_yes_without_terminal(yes, "rolls changes back")
    state = read_journal(journal_file)
    click.echo(state.describe(), err=True)
    if not yes:
        click.confirm("Roll these changes back?", abort=True, err=True)
    factory = open_factory(profile=profile, endpoint_url=endpoint_url, patience=patience(timeout))
    try:
        result = undo(journal_file, factory, delete_used_log_groups=delete_used_log_groups)
    except (KeyboardInterrupt, EndpointError):
        # Rollback records its progress in the journal, so running it again finishes it.
        say(
            f"The rollback was interrupted; its progress is in {journal_file}. To finish it, "
            f"run: {rollback_command(journal_file)}"
        )
        raise
    click.echo(result.summary(), err=True)
    sys.exit(0 if result.ok else 1)
