"""`trailwarden scan`: collect (or load) an inventory, evaluate, report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trailwarden.cli.common import handle_errors
from trailwarden.cli.options import aws_options, check_options, common_scan_options, patience
from trailwarden.cli.report_output import Output, framework_selection, output_options, publish
from trailwarden.cli.security_hub import security_hub_options

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.findings import Report

__all__ = ["scan"]


@click.command()
@aws_options
@click.option(
    "--inventory",
    "inventory_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Evaluate a saved inventory offline instead of calling AWS.",
)
@click.option(
    "--save-inventory",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the collected inventory (JSON, mode 0600) to FILE.",
)
@common_scan_options
@output_options
@security_hub_options
@handle_errors
def scan(
    profile: str | None,
    regions: str | None,
    endpoint_url: str | None,
    timeout: float,
    inventory_file: Path | None,
    save_inventory: Path | None,
    fmt: str,
    output: Path | None,
    max_delivery_age: str,
    min_retention_days: int,
    checks: tuple[str, ...],
    monitoring: bool,
    output_dir: Path | None,
    suppressions_file: Path | None,
    framework: str | None,
    security_hub: bool,
    security_hub_region: str | None,
    dry_run: bool,
) -> None:
    """Scan an account (or a saved inventory) and report every check on every trail.

    The CIS monitoring checks TW101–TW115 are included unless --no-monitoring.
    """
    from trailwarden.collect.inventory_file import load_inventory
    from trailwarden.collect.inventory_file import save_inventory as save
    from trailwarden.errors import UsageError
    from trailwarden.scan import scan_account, scan_inventory

    options = check_options(max_delivery_age, min_retention_days, checks, monitoring)
    options, chosen = framework_selection(options, framework)
    # A bad --format, --output or suppressions file is exit 2 before any AWS call.
    out = Output(fmt, output, output_dir, suppressions_file, chosen).prepared()
    if dry_run and not security_hub:
        raise UsageError("--dry-run applies to --security-hub; add it, or drop --dry-run.")
    if inventory_file is not None:
        if security_hub:
            raise UsageError(
                "--security-hub imports the findings of a live scan into the scanned "
                "accounts; drop --inventory, or drop --security-hub."
            )
        if profile or regions is not None or save_inventory:
            raise UsageError(
                "--inventory evaluates a saved file offline; drop --profile, --regions and "
                "--save-inventory, or drop --inventory to scan AWS."
            )
        result = scan_inventory(load_inventory(inventory_file), options)
    else:
        from trailwarden.cli.options import split_regions
        from trailwarden.collect.clients import open_factory

        region_list = split_regions(regions)
        factory = open_factory(
            profile=profile, endpoint_url=endpoint_url, patience=patience(timeout)
        )
        hub = None
        if security_hub:
            from trailwarden.cli.security_hub import hub_region

            hub = hub_region(security_hub_region, factory.region_name)
        result = scan_account(factory, regions=region_list, options=options)
        if save_inventory is not None:
            save(result.inventory, save_inventory)
        if hub is not None:
            report = publish(result.report, out, hub)
            _security_hub(report, factory, hub, options, dry_run, region_list is None)
            sys.exit(report.exit_code)
        # --format asff: findings for Security Hub in the session's region, where
        # `aws securityhub batch-import-findings` would send them.
        security_hub_region = security_hub_region or factory.region_name
    report = publish(result.report, out, security_hub_region)
    sys.exit(report.exit_code)


def _security_hub(
    report: Report,
    factory: ClientFactory,
    region: str,
    options: CheckOptions,
    dry_run: bool,
    archive: bool,
) -> None:
    """Import into the scanned account's Security Hub; exit 2 when that was incomplete."""
    from trailwarden.cli.security_hub import send_to_security_hub
    from trailwarden.errors import SecurityHubError

    [scanned] = report.accounts

    def reach(account: str) -> ClientFactory | str:
        if account == scanned:
            return factory
        return (
            f"its findings can only be imported by account {account} itself; scan it (or "
            "the organization with --org) with its credentials"
        )

    result = send_to_security_hub(report, reach, region, options, dry_run=dry_run, archive=archive)
    if not result.ok:
        raise SecurityHubError(
            "Some findings were not imported into Security Hub (see above); fix what is "
            "named and run the scan with --security-hub again."
        )
