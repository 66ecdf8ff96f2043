"""`trailwarden scan`: collect (or load) an inventory, evaluate, report — one account, or
every account of an organization (``--org``, ``--accounts-file``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trailwarden.cli.common import handle_errors
from trailwarden.cli.options import aws_options, check_options, common_scan_options, patience
from trailwarden.cli.org_options import org_options, org_request
from trailwarden.cli.report_output import Output, framework_selection, output_options, publish
from trailwarden.cli.security_hub import security_hub_options

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.collect.inventory_file import AnyInventory
    from trailwarden.collect.org_collect import Progress
    from trailwarden.findings import Report
    from trailwarden.org_inventory import OrganizationInventory

__all__ = ["scan"]


@click.command()
@aws_options
@click.option(
    "--inventory",
    "inventory_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Evaluate a saved inventory (one account's or an organization's) offline instead "
    "of calling AWS.",
)
@click.option(
    "--save-inventory",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the collected inventory (JSON, mode 0600) to FILE.",
)
@org_options
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
    org: bool,
    ous: tuple[str, ...],
    accounts: tuple[str, ...],
    exclude_accounts: tuple[str, ...],
    accounts_file: Path | None,
    role_name: str | None,
    external_id: str | None,
    max_workers: int | None,
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

    With --org (or --accounts-file), every account of the organization: the management
    account with your credentials, the others through --role-name. The CIS monitoring
    checks TW101–TW115 are included unless --no-monitoring.
    """
    from trailwarden.collect.inventory_file import load_any_inventory
    from trailwarden.collect.inventory_file import save_inventory as save
    from trailwarden.errors import UsageError

    options = check_options(max_delivery_age, min_retention_days, checks, monitoring)
    options, chosen = framework_selection(options, framework)
    # A bad --format, --output or suppressions file is exit 2 before any AWS call.
    out = Output(fmt, output, output_dir, suppressions_file, chosen).prepared()
    if dry_run and not security_hub:
        raise UsageError("--dry-run applies to --security-hub; add it, or drop --dry-run.")
    org_flags = (org, ous, accounts, exclude_accounts, accounts_file, role_name, external_id)
    if inventory_file is not None:
        if security_hub:
            raise UsageError(
                "--security-hub imports the findings of a live scan into the scanned "
                "accounts; drop --inventory, or drop --security-hub."
            )
        if profile or regions is not None or save_inventory or any(org_flags) or max_workers:
            raise UsageError(
                "--inventory evaluates a saved file offline; drop --profile, --regions, "
                "--save-inventory and the organization options, or drop --inventory to scan AWS."
            )
        report = _offline(load_any_inventory(inventory_file), options)
        sys.exit(publish(report, out, security_hub_region).exit_code)

    from trailwarden.cli.options import split_regions
    from trailwarden.collect.clients import open_factory

    region_list = split_regions(regions)
    request = org_request(
        org=org,
        ous=ous,
        accounts=accounts,
        exclude_accounts=exclude_accounts,
        accounts_file=accounts_file,
        role_name=role_name,
        external_id=external_id,
        max_workers=max_workers,
        regions=region_list,
    )
    factory = open_factory(profile=profile, endpoint_url=endpoint_url, patience=patience(timeout))
    hub = None
    if security_hub:
        from trailwarden.cli.security_hub import hub_region

        hub = hub_region(security_hub_region, factory.region_name)
    collected: AnyInventory
    organization: OrganizationInventory | None = None
    if request is None:
        from trailwarden.scan import scan_account

        result = scan_account(factory, regions=region_list, options=options)
        report, collected = result.report, result.inventory
    else:
        from trailwarden.org_scan import scan_organization

        with account_progress() as on_progress:
            found = scan_organization(factory, request, options, on_progress)
        report, collected = found.report, found.inventory
        organization = found.inventory
    if save_inventory is not None:
        save(collected, save_inventory)
    if hub is not None:
        report = publish(report, out, hub)
        from trailwarden.integrations.reach import reach_accounts

        ids = request.external_id_for if request is not None else (lambda _: external_id)
        reach = reach_accounts(factory, report, organization, hub, ids)
        _security_hub(report, reach, hub, options, dry_run, region_list is None)
        sys.exit(report.exit_code)
    # --format asff: findings for Security Hub in the session's region, where
    # `aws securityhub batch-import-findings` would send them.
    report = publish(report, out, security_hub_region or factory.region_name)
    sys.exit(report.exit_code)


def _security_hub(
    report: Report,
    reach: Callable[[str], ClientFactory | str],
    region: str,
    options: CheckOptions,
    dry_run: bool,
    archive: bool,
) -> None:
    """Import into each scanned account's Security Hub; exit 2 when that was incomplete."""
    from trailwarden.cli.security_hub import send_to_security_hub
    from trailwarden.errors import SecurityHubError

    result = send_to_security_hub(report, reach, region, options, dry_run=dry_run, archive=archive)
    if not result.ok:
        raise SecurityHubError(
            "Some findings were not imported into Security Hub (see above); fix what is "
            "named and run the scan with --security-hub again."
        )


def _offline(inventory: AnyInventory, options: CheckOptions) -> Report:
    from trailwarden.org_inventory import OrganizationInventory

    if isinstance(inventory, OrganizationInventory):
        from trailwarden.org_scan import scan_org_inventory

        return scan_org_inventory(inventory, options).report
    from trailwarden.scan import scan_inventory

    return scan_inventory(inventory, options).report


@contextmanager
def account_progress() -> Iterator[Progress | None]:
    """A progress bar of accounts on standard error, only when it is a terminal: never in
    the report, whatever --format and --output say."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (BarColumn(), MofNCompleteColumn(), "{task.fields[errors]}", TimeElapsedColumn())
    with Progress("Scanning accounts", *columns, console=console, transient=True) as bar:
        task = bar.add_task("accounts", total=None, errors="")

        def on_progress(done: int, total: int, failed: int) -> None:
            errors = f"{failed} could not be scanned" if failed else ""
            bar.update(task, completed=done, total=total, errors=errors)

        yield on_progress
