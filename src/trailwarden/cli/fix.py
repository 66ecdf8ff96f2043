"""`trailwarden fix`: plan the changes that make failing checks pass; apply with --apply."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trailwarden.cli.common import (
    aws_options,
    deliver,
    handle_errors,
    render_for_people,
    split_regions,
)

if TYPE_CHECKING:
    from trailwarden.inventory import Inventory
    from trailwarden.remediate import Plan

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
    metavar="TWxxx",
    help="Only fix the findings of this check (repeatable).",
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
@click.option(
    "--monitoring",
    is_flag=True,
    help="Also fix the CIS monitoring checks TW101–TW115 (metric filters, alarms, an SNS "
    "topic); implied by --check TW1xx.",
)
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
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "cli", "terraform", "cloudformation"]),
    help="How to show the plan: for people, JSON, or the same change as AWS CLI commands, "
    "Terraform or CloudFormation.",
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
@handle_errors
def fix(
    profile: str | None,
    regions: str | None,
    endpoint_url: str | None,
    trails: tuple[str, ...],
    checks: tuple[str, ...],
    log_group_name: str | None,
    retention_days: int,
    kms_key_id: str | None,
    monitoring: bool,
    alarm_topic_arn: str | None,
    alarm_email: str | None,
    fmt: str,
    output: Path | None,
    do_apply: bool,
    yes: bool,
    journal: Path | None,
) -> None:
    """Plan (and with --apply, make) the changes that make failing checks pass.

    Exit codes: 0 nothing to do or the apply completed; 1 changes are planned but not
    applied, or the apply stopped on a failure; 2 could not run.
    """
    from trailwarden.checks import CheckOptions, get_check
    from trailwarden.checks.registry import MONITORING_CHECK_IDS
    from trailwarden.collect.clients import open_factory
    from trailwarden.fix import plan_fix
    from trailwarden.remediate import FixOptions

    fix_options = FixOptions(
        log_group_name=log_group_name,
        retention_days=retention_days,
        kms_key_id=kms_key_id,
        trails=frozenset(trails) or None,
        checks=frozenset(get_check(c).id for c in checks) or None,
        alarm_topic_arn=alarm_topic_arn,
        alarm_email=alarm_email,
    )
    # Every check is evaluated (TW101–TW115 depend on TW010); --check scopes the plan.
    wants = monitoring or bool((fix_options.checks or frozenset()) & MONITORING_CHECK_IDS)
    factory = open_factory(profile=profile, endpoint_url=endpoint_url)
    planned = plan_fix(
        factory,
        fix_options,
        regions=split_regions(regions),
        check_options=CheckOptions(monitoring=wants),
    )
    _emit_plan(planned.plan, planned.inventory, fmt, output)
    if not do_apply or planned.plan.is_empty:
        sys.exit(0 if planned.plan.is_empty else 1)
    if sys.stdin.isatty() and not yes:
        click.confirm(f"Apply these {len(planned.plan.steps)} changes?", abort=True, err=True)
    from trailwarden.remediate import apply_plan, default_journal_path

    result = apply_plan(planned.plan, factory, journal or default_journal_path())
    click.echo(result.summary(), err=True)
    sys.exit(0 if result.ok else 1)


def _emit_plan(plan: Plan, inventory: Inventory, fmt: str, output: Path | None) -> None:
    from trailwarden.remediate import render

    if fmt == "text":
        render_for_people(lambda console: render.render_text(plan, console), output)
    else:
        deliver(render.render_machine(plan, inventory, fmt), output)
