"""`trailwarden scan`: collect (or load) an inventory, evaluate, report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trailwarden.cli.common import (
    aws_options,
    check_options,
    common_scan_options,
    emit,
    handle_errors,
    split_regions,
)

if TYPE_CHECKING:
    pass

__all__ = ["scan"]


@click.command()
@aws_options
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
@common_scan_options
@handle_errors
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

    options = check_options(max_delivery_age, min_retention_days, checks, monitoring)
    if inventory_file is not None:
        if profile or regions or save_inventory:
            raise UsageError(
                "--inventory evaluates a saved file offline; drop --profile, --regions and "
                "--save-inventory, or drop --inventory to scan AWS."
            )
        result = scan_inventory(load_inventory(inventory_file), options)
    else:
        from trailwarden.collect.clients import open_factory

        region_list = split_regions(regions)
        factory = open_factory(profile=profile, endpoint_url=endpoint_url)
        result = scan_account(factory, regions=region_list, options=options)
        if save_inventory is not None:
            save(result.inventory, save_inventory)
    emit(result.report, fmt, output)
    sys.exit(result.report.exit_code)
