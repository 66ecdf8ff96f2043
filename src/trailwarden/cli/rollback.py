"""`trailwarden rollback`: undo exactly what one `fix --apply` did (a journal), or what one
`fix --org --apply` did (its directory of journals, one per account)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from trailwarden.cli.common import handle_errors, require_yes_without_terminal, say
from trailwarden.cli.options import patience, timeout_option

__all__ = ["journal_key_option", "rollback"]

F = TypeVar("F", bound=Callable[..., Any])


def journal_key_option(what: str) -> Callable[[F], F]:
    """``--journal-key FILE``: the key that signs journals (fix --apply) and verifies them
    (rollback); default $TRAILWARDEN_JOURNAL_KEY, else ~/.config/trailwarden/journal.key."""
    return click.option(
        "--journal-key",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"{what} (default: $TRAILWARDEN_JOURNAL_KEY, else "
        "$XDG_CONFIG_HOME/trailwarden/journal.key).",
    )


@click.command()
@click.argument("journal_file", metavar="JOURNAL|DIR", type=click.Path(path_type=Path))
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
@journal_key_option("Verify the journal with this key file, the one fix --apply signed it with")
@click.option(
    "--role-name",
    metavar="NAME",
    help="With a directory: the role to assume in each other account "
    "(default: OrganizationAccountAccessRole).",
)
@click.option("--external-id", metavar="ID", help="With a directory: the roles' external id.")
@click.option(
    "--max-workers",
    type=click.IntRange(min=1, max=256),
    metavar="N",
    help="With a directory: accounts rolled back at once (default: 8).",
)
@handle_errors
def rollback(
    journal_file: Path,
    profile: str | None,
    endpoint_url: str | None,
    timeout: float,
    yes: bool,
    delete_used_log_groups: bool,
    journal_key: Path | None,
    role_name: str | None,
    external_id: str | None,
    max_workers: int | None,
) -> None:
    """Undo exactly what one `fix --apply` did, in reverse order, and nothing else.

    The journal must be exactly as fix --apply wrote it (its records are signed with the
    journal key) and is checked whole before any AWS call. Given the directory of a
    `fix --org --apply`, every journal in it is checked before any account is touched,
    then each account is rolled back with its own credentials. Exit codes: 0 rolled back;
    1 some changes could not be undone (the summary says which and why); 2 could not run.
    """
    from trailwarden.collect.clients import open_factory
    from trailwarden.errors import EndpointError, UsageError
    from trailwarden.remediate import load_key, read_journal, rollback_command
    from trailwarden.remediate import rollback as undo

    require_yes_without_terminal(yes, "rolls changes back")
    if journal_file.is_dir():
        from trailwarden.cli.rollback_org import rollback_organization

        rollback_organization(
            journal_file,
            profile=profile,
            endpoint_url=endpoint_url,
            timeout=timeout,
            yes=yes,
            delete_used_log_groups=delete_used_log_groups,
            journal_key=journal_key,
            role_name=role_name,
            external_id=external_id,
            max_workers=max_workers,
        )
    given = {"--role-name": role_name, "--external-id": external_id, "--max-workers": max_workers}
    if named := next((name for name, value in given.items() if value is not None), None):
        raise UsageError(
            f"{named} is for rolling back a directory of journals (fix --org --apply); "
            "drop it to roll back one journal."
        )
    # The key, then the whole journal, are checked before any AWS call (or question).
    named_key = load_key(journal_key) if journal_key else None
    state = read_journal(journal_file, named_key)
    key = named_key or load_key()
    for line in state.describe().splitlines():  # each line already escaped
        click.echo(line, err=True)
    if not yes:
        click.confirm("Roll these changes back?", abort=True, err=True)
    factory = open_factory(profile=profile, endpoint_url=endpoint_url, patience=patience(timeout))
    try:
        result = undo(journal_file, factory, delete_used_log_groups=delete_used_log_groups, key=key)
    except (KeyboardInterrupt, EndpointError):
        # Rollback records its progress in the journal, so running it again finishes it.
        say(
            f"The rollback was interrupted; its progress is in {journal_file}. To finish it, "
            f"run: {rollback_command(journal_file, journal_key)}"
        )
        raise
    for line in result.summary().splitlines():
        click.echo(line, err=True)
    sys.exit(0 if result.ok else 1)
