"""`trailwarden scan`: collect (or load) an inventory, evaluate, report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trailwarden.cli.common import emit, handle_errors
from trailwarden.cli.options import aws_options, check_options, common_scan_options, patience

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
) -> None:
    """Scan an account (or a saved inventory) and report every check on every trail.

    The CIS monitoring checks TW101–TW115 are included unless --no-monitoring.
    """
    from trailwarden.collect.inventory_file import load_inventory
    from trailwarden.collect.inventory_file import save_inventory as save
    from trailwarden.errors import UsageError
    from trailwarden.scan import scan_account, scan_inventory

    options = check_options(max_delivery_age, min_retention_days, checks, monitoring)
    if inventory_file is not None:
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
        result = scan_account(factory, regions=region_list, options=options)
        if save_inventory is not None:
            save(result.inventory, save_inventory)
    emit(result.report, fmt, output)
    sys.exit(result.report.exit_code)
