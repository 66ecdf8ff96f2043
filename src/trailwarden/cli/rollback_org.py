"""`trailwarden rollback DIR`: undo what one `fix --org --apply` did, every account."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from trailwarden.cli.common import say
from trailwarden.cli.options import patience

__all__ = ["rollback_organization"]


def rollback_organization(
    directory: Path,
    *,
    profile: str | None,
    endpoint_url: str | None,
    timeout: float,
    yes: bool,
    delete_used_log_groups: bool,
    journal_key: Path | None,
    role_name: str | None,
    external_id: str | None,
    max_workers: int | None,
) -> NoReturn:
    """Verify every journal of ``directory``, ask, then roll back each account."""
    from trailwarden.cli.org_options import org_request
    from trailwarden.collect.account_sessions import AccountSessions
    from trailwarden.collect.clients import open_factory
    from trailwarden.collect.identity import identify_caller
    from trailwarden.org_fix.apply import directory_rollback_command
    from trailwarden.org_fix.rollback import read_journal_dir, rollback_directory
    from trailwarden.remediate import load_key

    # The role name and external id are checked as fix --org checks them.
    request = org_request(
        org=True,
        ous=(),
        accounts=(),
        exclude_accounts=(),
        accounts_file=None,
        role_name=role_name,
        external_id=external_id,
        max_workers=max_workers,
        regions=None,
    )
    assert request is not None
    # The key, then every journal, are checked before any AWS call (or question).
    named_key = load_key(journal_key) if journal_key else None
    states = read_journal_dir(directory, named_key)
    key = named_key or load_key()
    for state in states:
        for line in state.describe().splitlines():  # each line already escaped
            click.echo(line, err=True)
    if not yes:
        question = f"Roll these changes back in {len(states)} account(s)?"
        click.confirm(question, abort=True, err=True)
    factory = open_factory(profile=profile, endpoint_url=endpoint_url, patience=patience(timeout))
    me = identify_caller(factory, factory.region_name or "us-east-1")
    sessions = AccountSessions(factory, me.account_id, me.arn, "rollback")
    again = directory_rollback_command(directory, journal_key, role_name, external_id)
    try:
        result = rollback_directory(
            states,
            sessions,
            me.partition,
            key,
            role_name=request.role_name,
            external_id=request.external_id,
            delete_used_log_groups=delete_used_log_groups,
            max_workers=max_workers or 8,
        )
    except KeyboardInterrupt:
        # Each rollback records its progress in its journal, so running it again finishes.
        say(f"The rollback was interrupted; to finish it, run: {again}")
        raise
    for line in result.summary().splitlines():
        click.echo(line, err=True)
    sys.exit(0 if result.ok else 1)
