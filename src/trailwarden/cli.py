"""The command line: parse, call the library, render, choose the exit code.

Exit codes: 0 every evaluated check passes; 1 at least one FAIL or ERROR;
2 trailwarden could not run (bad arguments, no credentials, unreadable inventory).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from trailwarden import __version__
from trailwarden.errors import Error

if TYPE_CHECKING:
    from rich.console import Console

    from trailwarden.checks import CheckOptions
    from trailwarden.findings import Report
    from trailwarden.inventory import Inventory
    from trailwarden.remediate.model import Plan

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USAGE = 2


def _handle_errors(func: F) -> F:
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="trailwarden")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Check that every CloudTrail trail really delivers to CloudWatch Logs."""


def _check_options(
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


def _emit(report: Report, fmt: str, output: Path | None) -> None:
    from trailwarden.formats.json import render_json
    from trailwarden.formats.table import render_table

    if fmt == "json":
        _deliver(render_json(report), output)
    else:
        _render_for_people(lambda console: render_table(report, console), output)


def _deliver(data: bytes, output: Path | None) -> None:
    """Machine output: to standard output, or to ``output``."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write(output, data)


def _render_for_people(render: Callable[[Console], None], output: Path | None) -> None:
    """rich output: coloured on the terminal, plain text (120 columns) into ``output``."""
    from rich.console import Console

    if output is None:
        render(Console())
        return
    import io

    console = Console(record=True, width=120, file=io.StringIO())
    render(console)
    _write(output, console.export_text().encode())


def _write(path: Path, data: bytes) -> None:
    from trailwarden.errors import UsageError

    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(
            f"Cannot write {path}: {exc.strerror or exc}; choose another --output."
        ) from exc


def _common_scan_options(func: F) -> F:
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


def _aws_options(func: F) -> F:
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


@cli.command()
@_aws_options
@click.option(
    "--monitoring",
    is_flag=True,
    help="Also evaluate the CIS monitoring checks TW101–TW115 (metric filters, alarms, "
    "SNS subscribers); implied by --check TW1xx.",
)
@click.option(
    "--inventory",
    "inventory_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Evaluate a saved inventory offline instead of calling AWS.",
)
@click.option(
    "--save-inventory",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the collected inventory (JSON) to FILE.",
)
@_common_scan_options
@_handle_errors
def scan(
    profile: str | None,
    regions: str | None,
    endpoint_url: str | None,
    monitoring: bool,
    inventory_file: Path | None,
    save_inventory: Path | None,
    fmt: str,
    output: Path | None,
    max_delivery_age: str,
    min_retention_days: int,
    checks: tuple[str, ...],
) -> None:
    """Scan an account (or a saved inventory) and report every check on every trail."""
    from trailwarden.collect.inventory_file import load_inventory
    from trailwarden.collect.inventory_file import save_inventory as save
    from trailwarden.errors import UsageError
    from trailwarden.scan import scan_account, scan_inventory

    options = _check_options(max_delivery_age, min_retention_days, checks, monitoring)
    if inventory_file is not None:
        if profile or regions or save_inventory:
            raise UsageError(
                "--inventory evaluates a saved file offline; drop --profile, --regions and "
                "--save-inventory, or drop --inventory to scan AWS."
            )
        result = scan_inventory(load_inventory(inventory_file), options)
    else:
        from trailwarden.collect.clients import open_factory

        region_list = _split_regions(regions)
        factory = open_factory(profile=profile, endpoint_url=endpoint_url)
        result = scan_account(factory, regions=region_list, options=options)
        if save_inventory is not None:
            save(result.inventory, save_inventory)
    _emit(result.report, fmt, output)
    sys.exit(result.report.exit_code)


def _split_regions(regions: str | None) -> list[str] | None:
    if regions is None:
        return None
    from trailwarden.collect.regions import validate_regions

    names = [r.strip() for r in regions.split(",") if r.strip()]
    validate_regions(names)
    return names


@cli.command()
@click.argument("check_id", required=False)
@_handle_errors
def explain(check_id: str | None) -> None:
    """Explain a check: why it matters, how it is evaluated, how to fix it."""
    from rich.console import Console

    from trailwarden.checks import CHECKS, get_check
    from trailwarden.formats.explain import render_check, render_check_list

    console = Console()
    if check_id is None:
        render_check_list(list(CHECKS.values()), console)
        return
    render_check(get_check(check_id), console)


@cli.command()
@_common_scan_options
@click.option(
    "--serve",
    is_flag=True,
    help="Keep the simulated account running and print the environment to use it "
    "(try scan, fix --apply and rollback against it); Ctrl-C stops it.",
)
@_handle_errors
def demo(
    fmt: str,
    output: Path | None,
    max_delivery_age: str,
    min_retention_days: int,
    checks: tuple[str, ...],
    serve: bool,
) -> None:
    """Scan a simulated account on loopback and plan its fix: no credentials, no network.

    Exits 0 when the demo ran (its accounts are broken on purpose).
    """
    if serve:
        _serve_demo()
        return
    from trailwarden.demo.run import run_demo

    options = _check_options(max_delivery_age, min_retention_days, checks)
    interactive = fmt == "table" and output is None
    if interactive:
        click.echo(
            "Starting a simulated AWS on 127.0.0.1 (moto) and scanning its two accounts over HTTP…",
            err=True,
        )
    result = run_demo(options)
    _emit(result.report, fmt, output)
    if interactive:
        from rich.console import Console

        from trailwarden.remediate.render import render_text

        console = Console()
        console.rule(f"trailwarden fix — the plan for account {result.plan.account_id}")
        render_text(result.plan, console)


def _serve_demo() -> None:
    import shlex

    from trailwarden.demo.account import MAIN
    from trailwarden.demo.run import seeded_simulation

    with seeded_simulation() as aws:
        env = aws.environment(MAIN)
        click.echo(f"Simulated AWS account {MAIN} at {aws.endpoint_url}. In another shell:\n")
        for name, value in env.items():
            click.echo(f"  export {name}={shlex.quote(value)}")
        click.echo("  unset AWS_PROFILE AWS_SESSION_TOKEN")
        click.echo("  trailwarden scan; trailwarden fix; trailwarden fix --apply --yes\n")
        click.echo("Press Ctrl-C to stop.")
        try:
            import time

            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)


@cli.command()
@_aws_options
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
@_handle_errors
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
    from trailwarden.remediate.plan import FixOptions

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
        regions=_split_regions(regions),
        check_options=CheckOptions(monitoring=wants),
    )
    _emit_plan(planned.plan, planned.inventory, fmt, output)
    if not do_apply or planned.plan.is_empty:
        sys.exit(0 if planned.plan.is_empty else 1)
    if sys.stdin.isatty() and not yes:
        click.confirm(f"Apply these {len(planned.plan.steps)} changes?", abort=True, err=True)
    from trailwarden.remediate.apply import apply_plan
    from trailwarden.remediate.journal import default_journal_path

    result = apply_plan(planned.plan, factory, journal or default_journal_path())
    click.echo(result.summary(), err=True)
    sys.exit(0 if result.ok else 1)


def _emit_plan(plan: Plan, inventory: Inventory, fmt: str, output: Path | None) -> None:
    from trailwarden.remediate import render

    if fmt == "text":
        _render_for_people(lambda console: render.render_text(plan, console), output)
    else:
        _deliver(render.render_machine(plan, inventory, fmt), output)


@cli.command()
@click.argument("journal_file", metavar="JOURNAL", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", help="AWS profile to use (default: boto3's credential chain).")
@click.option(
    "--endpoint-url",
    envvar="AWS_ENDPOINT_URL",
    metavar="URL",
    help="AWS-compatible endpoint (default: $AWS_ENDPOINT_URL, else AWS).",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--delete-used-log-groups",
    is_flag=True,
    help="Also delete log groups the apply created that have since received events.",
)
@_handle_errors
def rollback(
    journal_file: Path,
    profile: str | None,
    endpoint_url: str | None,
    yes: bool,
    delete_used_log_groups: bool,
) -> None:
    """Undo exactly what one `fix --apply` did, in reverse order, and nothing else."""
    from trailwarden.collect.clients import open_factory
    from trailwarden.remediate.journal import read_journal
    from trailwarden.remediate.rollback import rollback as undo

    state = read_journal(journal_file)
    click.echo(state.describe(), err=True)
    if sys.stdin.isatty() and not yes:
        click.confirm("Roll these changes back?", abort=True, err=True)
    factory = open_factory(profile=profile, endpoint_url=endpoint_url)
    result = undo(journal_file, factory, delete_used_log_groups=delete_used_log_groups)
    click.echo(result.summary(), err=True)
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.argument(
    "inputs", metavar="FILE|DIR...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
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
@_handle_errors
def backtest(
    inputs: tuple[Path, ...],
    patterns: tuple[str, ...],
    cis: bool,
    inventory_file: Path | None,
    examples: int,
    fmt: str,
    output: Path | None,
) -> None:
    """Replay CloudTrail log files through filter patterns: what would each have matched?

    FILE|DIR: CloudTrail S3 log files ({"Records": [...]}, gzipped or not) or JSON-lines
    files; directories are searched for *.json, *.json.gz, *.jsonl, *.jsonl.gz and *.gz.
    """

    from trailwarden.backtest import (
        backtest_files,
        cis_filters,
        inventory_filters,
        pattern_filters,
    )
    from trailwarden.backtest.progress import byte_progress
    from trailwarden.backtest.report import render_json, render_table

    filters = pattern_filters(patterns)
    if inventory_file is not None:
        from trailwarden.collect.inventory_file import load_inventory

        filters += inventory_filters(load_inventory(inventory_file))
    if cis or not filters:
        filters += cis_filters()
    with byte_progress() as (on_start, on_file):
        result = backtest_files(inputs, filters, examples, on_start=on_start, on_file=on_file)
    if fmt == "json":
        _deliver(render_json(result), output)
    else:
        _render_for_people(lambda console: render_table(result, console), output)


@cli.command("test-pattern")
@click.argument("pattern")
@click.argument("event_file", required=False, type=click.File("r", encoding="utf-8"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@_handle_errors
def test_pattern(pattern: str, event_file: TextIO | None, fmt: str) -> None:
    """Match a filter pattern against log events, like `aws logs test-metric-filter`.

    EVENT_FILE (default: standard input) holds one raw log message per line.
    """

    from trailwarden.backtest.testpattern import (
        match_messages,
        read_messages,
        render_json,
        render_table,
    )

    result = match_messages(pattern, read_messages(event_file or sys.stdin))
    if fmt == "json":
        _deliver(render_json(result), None)
    else:
        _render_for_people(lambda console: render_table(result, console), None)


def main() -> None:
    cli(prog_name="trailwarden")
