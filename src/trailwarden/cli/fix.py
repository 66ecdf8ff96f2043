"""`trailwarden fix`: plan the changes that make failing checks pass; apply with --apply."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from trailwarden.cli.common import (
    deliver,
    handle_errors,
    render_for_people,
    require_yes_without_terminal,
    say,
)
from trailwarden.cli.options import aws_options, check_ids, monitoring_option, patience
from trailwarden.cli.org_options import org_options
from trailwarden.cli.rollback import journal_key_option

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.inventory import Inventory
    from trailwarden.remediate import JournalKey, Plan

__all__ = ["fix"]


@click.command()
@aws_options
@click.option(
    "--trail", "trails", multiple=True, metavar="NAME|ARN", help="Only fix this trail (repeatable)."
)
@click.option(
    "--check",
    "checks",
    multiple=True,
    metavar="TWxxx[,TWxxx]",
    help="Only fix the findings of these checks (repeatable, or comma-separated).",
)
@click.option(
    "--log-group-name",
    metavar="NAME",
    help="Log group to create or repoint to (default: aws-cloudtrail-logs/<trail>).",
)
@click.option(
    "--retention-days",
    type=click.IntRange(min=1),
    default=365,
    show_default=True,
    help="Retention of created log groups, and the TW007 fix.",
)
@click.option("--kms-key-id", metavar="ARN", help="KMS key for created log groups.")
@monitoring_option("Fix")
@click.option(
    "--alarm-topic-arn",
    metavar="ARN",
    help="SNS topic for the TW101–TW115 alarms to notify (default: create "
    "trailwarden-cis-alarms in the log group's region).",
)
@click.option(
    "--alarm-email",
    metavar="ADDRESS",
    help="Subscribe this address to the alarms' topic (it must confirm the subscription).",
)
@click.option(
    "--filter-text",
    type=click.Choice(["corrected", "cis-exact"]),
    default="corrected",
    show_default=True,
    help="TW101–TW115 filters: CIS's patterns corrected (catch what CIS means), or the exact "
    "CIS text Security Hub's CloudWatch.1–14 compare (refused where that text is wrong).",
)
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "cli", "terraform", "cloudformation", "html"]),
    help="How to show the plan: for people, JSON, or the same change as AWS CLI commands, "
    "Terraform or CloudFormation; html: the scan's HTML report with the plan in it.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the plan to FILE instead of standard output.",
)
@click.option("--apply", "do_apply", is_flag=True, help="Make the changes (default: only plan).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation with --apply.")
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Journal file for --apply (default: ./trailwarden-journal-<time>.jsonl).",
)
@click.option(
    "--journal-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --org --apply: one journal per account, <account-id>.jsonl, in DIR "
    "(default: ./trailwarden-journals-<time>/).",
)
@journal_key_option("Sign the journal with this key file (created if missing)")
@org_options
@handle_errors
def fix(
    profile: str | None,
    regions: str | None,
    endpoint_url: str | None,
    timeout: float,
    trails: tuple[str, ...],
    checks: tuple[str, ...],
    log_group_name: str | None,
    retention_days: int,
    kms_key_id: str | None,
    monitoring: bool,
    alarm_topic_arn: str | None,
    alarm_email: str | None,
    filter_text: str,
    fmt: str,
    output: Path | None,
    do_apply: bool,
    yes: bool,
    journal: Path | None,
    journal_dir: Path | None,
    journal_key: Path | None,
    org: bool,
    ous: tuple[str, ...],
    accounts: tuple[str, ...],
    exclude_accounts: tuple[str, ...],
    accounts_file: Path | None,
    role_name: str | None,
    external_id: str | None,
    max_workers: int | None,
) -> None:
    """Plan (and with --apply, make) the changes that make failing checks pass.

    With --org (or --accounts-file), every account of the organization, each with its
    own plan and, with --apply, its own journal in --journal-dir.

    Exit codes: 0 nothing to do or the apply completed; 1 changes are planned but not
    applied, or the apply stopped on a failure (in any account); 2 could not run.
    """
    from trailwarden.checks import CheckOptions
    from trailwarden.cli.options import check_selection, split_regions
    from trailwarden.cli.org_options import org_request
    from trailwarden.collect.clients import open_factory
    from trailwarden.errors import UsageError
    from trailwarden.fix import plan_fix
    from trailwarden.remediate import FixOptions, load_key
    from trailwarden.words import count

    if do_apply:  # before any call: a job without a terminal must not get this far
        require_yes_without_terminal(yes, "changes your account")
    if any(not t.strip() for t in trails):
        raise UsageError("--trail '' names no trail; give a trail name or ARN, or leave it out.")
    only = check_ids(checks)
    # Every check is evaluated (TW101–TW115 depend on TW010); --check scopes the plan.
    check_selection(only, monitoring)
    fix_options = FixOptions(
        log_group_name=log_group_name,
        retention_days=retention_days,
        kms_key_id=kms_key_id,
        trails=frozenset(t.strip() for t in trails) or None,
        checks=only,
        alarm_topic_arn=alarm_topic_arn,
        alarm_email=alarm_email,
        filter_text=filter_text,
    )
    request = org_request(
        org=org,
        ous=ous,
        accounts=accounts,
        exclude_accounts=exclude_accounts,
        accounts_file=accounts_file,
        role_name=role_name,
        external_id=external_id,
        max_workers=max_workers,
        regions=split_regions(regions),
    )
    if request is not None:
        from trailwarden.cli.fix_org import fix_organization, refuse_single_account_options

        refuse_single_account_options(trails, alarm_topic_arn, journal)
        factory = open_factory(
            profile=profile, endpoint_url=endpoint_url, patience=patience(timeout)
        )
        check_options = CheckOptions(monitoring=monitoring)
        fix_organization(
            factory,
            request,
            fix_options,
            check_options,
            fmt=fmt,
            output=output,
            do_apply=do_apply,
            yes=yes,
            journal_dir=journal_dir,
            journal_key=journal_key,
        )
        return
    if journal_dir is not None:
        raise UsageError(
            "--journal-dir holds the journals of fix --org --apply; for one account, "
            "pass --journal FILE."
        )
    factory = open_factory(profile=profile, endpoint_url=endpoint_url, patience=patience(timeout))
    planned = plan_fix(
        factory,
        fix_options,
        regions=split_regions(regions),
        check_options=CheckOptions(monitoring=monitoring),
    )
    applying = do_apply and not planned.plan.is_empty
    if fmt == "html":
        from trailwarden.formats.base import FORMATS, RenderContext
        from trailwarden.remediate.render.json import plan_to_dict

        context = RenderContext(plan=plan_to_dict(planned.plan))
        deliver(FORMATS["html"].render(planned.report, context), output)
    else:
        _emit_plan(planned.plan, planned.inventory, fmt, output, applying)
    if not applying:
        sys.exit(0 if planned.plan.is_empty else 1)
    # Before the question: a key that cannot be used must not be found after consent.
    key = load_key(journal_key, create=True)
    if not yes:
        question = f"Apply these {count(len(planned.plan.steps), 'change')}?"
        click.confirm(question, abort=True, err=True)
    _apply(planned.plan, factory, journal, key)


def _apply(plan: Plan, factory: ClientFactory, journal: Path | None, key: JournalKey) -> NoReturn:
    from trailwarden.remediate import apply_plan, default_journal_path, key_path, rollback_command

    path = journal or default_journal_path()
    existed = path.exists()  # then apply_plan refuses it, and it is not this apply's journal
    try:
        result = apply_plan(plan, factory, path, key=key)
    except BaseException:
        # Ctrl-C, a silent endpoint, a bug: whatever stopped it, once the journal exists
        # some changes may have been made, and the journal is how to undo them.
        if not existed and path.exists():
            named = key.path if key.path != key_path() else None
            say(
                f"The apply was interrupted; journal {path}. "
                f"To undo what was done: {rollback_command(path, named)}"
            )
        raise
    for line in result.summary().splitlines():  # each line already escaped
        click.echo(line, err=True)
    sys.exit(0 if result.ok else 1)


def _emit_plan(
    plan: Plan, inventory: Inventory, fmt: str, output: Path | None, applying: bool
) -> None:
    from trailwarden.remediate import render

    if fmt == "text":
        draw = render.render_text
        render_for_people(lambda console: draw(plan, console, applying=applying), output)
    else:
        deliver(render.render_machine(plan, inventory, fmt), output)
