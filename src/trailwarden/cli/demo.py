"""`trailwarden demo`: the simulated AWS, scanned and planned (or served)."""

from __future__ import annotations

from pathlib import Path

import click

from trailwarden.cli.common import handle_errors
from trailwarden.cli.options import check_options, common_scan_options
from trailwarden.cli.report_output import Output, framework_selection, output_options, publish

__all__ = ["demo"]


@click.command()
@common_scan_options
@output_options
@click.option(
    "--serve",
    is_flag=True,
    help="Keep the simulated organization running and print the environment of its "
    "management account (try scan --org, fix --apply and rollback against it); Ctrl-C stops it.",
)
@handle_errors
def demo(
    fmt: str,
    output: Path | None,
    max_delivery_age: str,
    min_retention_days: int,
    checks: tuple[str, ...],
    monitoring: bool,
    output_dir: Path | None,
    suppressions_file: Path | None,
    framework: str | None,
    serve: bool,
) -> None:
    """Scan a simulated organization on loopback and plan a fix: no credentials, no network.

    Exits 0 when the demo ran (its accounts are broken on purpose).
    """
    if serve:
        _serve_demo()
        return
    from trailwarden.demo.run import run_demo

    options = check_options(max_delivery_age, min_retention_days, checks, monitoring)
    options, chosen = framework_selection(options, framework)
    # A bad --format, --output or suppressions file is exit 2 before the simulation starts.
    out = Output(fmt, output, output_dir, suppressions_file, chosen).prepared()
    interactive = fmt == "table" and output is None and output_dir is None
    if interactive:
        click.echo(
            "Starting a simulated AWS organization on 127.0.0.1 (moto) and scanning every "
            "account over HTTP, as `trailwarden scan --org` would…",
            err=True,
        )
    result = run_demo(options)
    from dataclasses import replace

    from trailwarden.remediate.render.json import plan_to_dict

    publish(result.report, replace(out, plan=plan_to_dict(result.plan)))
    if interactive:
        from rich.console import Console
        from rich.text import Text

        from trailwarden.remediate.render import render_text

        console = Console()
        console.rule(
            Text(
                f"trailwarden fix — the plan for account {result.plan.account_id}'s own trails "
                "(legacy-apps; not applied)"
            )
        )
        render_text(result.plan, console)


def _serve_demo() -> None:
    import shlex

    from trailwarden.demo.account import MANAGEMENT
    from trailwarden.demo.run import seeded_simulation

    with seeded_simulation() as aws:
        env = aws.environment(MANAGEMENT)
        click.echo(
            f"Simulated AWS organization, management account {MANAGEMENT}, at "
            f"{aws.endpoint_url}. In another shell:\n"
        )
        for name, value in env.items():
            click.echo(f"  export {name}={shlex.quote(value)}")
        click.echo("  unset AWS_PROFILE AWS_SESSION_TOKEN")
        click.echo("  trailwarden scan --org; trailwarden fix; trailwarden fix --apply --yes\n")
        click.echo("Press Ctrl-C to stop.")
        try:
            import time

            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)
