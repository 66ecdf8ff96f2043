"""`trailwarden fix --org`: plan every account of an organization, apply with --apply."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from trailwarden.cli.common import deliver, render_for_people, say
from trailwarden.errors import UsageError

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.collect.org_collect import OrgRequest
    from trailwarden.org_fix.plan import PlannedOrgFix
    from trailwarden.remediate import FixOptions, JournalKey

__all__ = ["fix_organization", "refuse_single_account_options"]


def refuse_single_account_options(
    trails: tuple[str, ...], alarm_topic_arn: str | None, journal: Path | None
) -> None:
    """The options that name one account's resources have no meaning across accounts."""
    if trails:
        raise UsageError(
            "--trail names a trail of one account; drop it with --org, or run trailwarden "
            "fix in that account."
        )
    if alarm_topic_arn:
        raise UsageError(
            "--alarm-topic-arn names a topic of one account, but alarms notify topics of "
            "their own account; drop it with --org (each account gets its own topic)."
        )
    if journal is not None:
        raise UsageError(
            "With --org each account has its own journal; pass --journal-dir DIR instead "
            "of --journal."
        )


def fix_organization(
    factory: ClientFactory,
    request: OrgRequest,
    fix_options: FixOptions,
    check_options: CheckOptions,
    *,
    fmt: str,
    output: Path | None,
    do_apply: bool,
    yes: bool,
    journal_dir: Path | None,
    journal_key: Path | None,
) -> NoReturn:
    """Plan every account, render, and with ``do_apply`` apply every planned account."""
    from trailwarden.cli.scan import account_progress
    from trailwarden.org_fix.plan import plan_organization
    from trailwarden.remediate import load_key
    from trailwarden.words import count

    with account_progress() as on_progress:
        planned = plan_organization(factory, request, fix_options, check_options, on_progress)
    plan = planned.plan
    applying = do_apply and bool(plan.changes)
    _emit(planned, fmt, output, applying)
    if not applying:
        sys.exit(0 if plan.is_empty else 1)
    from trailwarden.org_fix.apply import (
        default_journal_dir,
        directory_rollback_command,
        prepare_journal_dir,
    )

    directory = journal_dir or default_journal_dir()
    # Before the question: a key or directory that cannot be used must not be found after
    # consent.
    key = load_key(journal_key, create=True)
    created = not directory.exists()
    prepare_journal_dir(directory, [a.account_id for a in plan.planned])
    if not yes:
        for a in plan.planned:
            say(f"  {a.account_id}{f' ({a.name})' if a.name else ''}: {count(a.changes, 'change')}")
        question = (
            f"Apply these {count(plan.changes, 'change')} in {count(len(plan.planned), 'account')}?"
        )
        try:
            click.confirm(question, abort=True, err=True)
        except click.Abort:
            if created:  # nothing was applied: leave no empty journal directory behind
                directory.rmdir()
            raise
    undo = directory_rollback_command(directory, key.path, request.role_name, request.external_id)
    _apply(planned, directory, key, request.max_workers, undo)


def _apply(
    planned: PlannedOrgFix,
    directory: Path,
    key: JournalKey,
    max_workers: int,
    undo: str,
) -> NoReturn:
    from trailwarden.org_fix.apply import apply_organization

    try:
        result = apply_organization(
            planned.plan,
            planned.sessions,
            directory,
            key,
            max_workers=max_workers,
            rollback_command=undo,
        )
    except BaseException:
        # Ctrl-C, a silent endpoint, a bug: whatever stopped it, the journals written so far
        # are how to undo what was done.
        journals = sorted(p.name for p in directory.glob("*.jsonl"))
        if journals:
            say(
                f"The apply was interrupted; journals in {directory}: {', '.join(journals)}. "
                f"To undo what was done: {undo}"
            )
        raise
    for line in result.summary().splitlines():  # each line already escaped
        click.echo(line, err=True)
    sys.exit(0 if result.ok else 1)


def _emit(planned: PlannedOrgFix, fmt: str, output: Path | None, applying: bool) -> None:
    if fmt == "text":
        from trailwarden.remediate.render.org_text import render_org_text

        render_for_people(
            lambda console: render_org_text(planned.plan, console, applying=applying), output
        )
    elif fmt == "html":  # the organization's scan, with every account's plan in it
        from trailwarden.formats.base import FORMATS, RenderContext
        from trailwarden.remediate.render.org import org_plan_to_dict

        context = RenderContext(plan=org_plan_to_dict(planned.plan))
        deliver(FORMATS["html"].render(planned.report, context), output)
    else:
        from trailwarden.remediate.render import render_org

        deliver(render_org(planned.plan, fmt), output)
