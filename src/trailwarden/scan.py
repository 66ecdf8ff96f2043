"""One scan: collect (or load) an inventory, evaluate the checks, build a report."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trailwarden.checks import CheckOptions, evaluate
from trailwarden.findings import AccountInfo, Report, Stats
from trailwarden.inventory import Inventory

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["ScanResult", "scan_account", "scan_inventory"]


@dataclass(frozen=True)
class ScanResult:
    """One scan: its report, and the inventory the checks were evaluated on."""

    report: Report
    inventory: Inventory


def scan_account(
    factory: ClientFactory,
    *,
    regions: Sequence[str] | None = None,
    options: CheckOptions | None = None,
) -> ScanResult:
    """Collect the account behind ``factory`` and evaluate every check on it."""
    from trailwarden.collect.aws import collect_account

    options = options or CheckOptions()
    started = time.perf_counter()
    # Metric filters, alarms and topics are read only when a monitoring check is wanted.
    inventory = collect_account(factory, regions=regions, monitoring=options.wants_monitoring)
    findings = evaluate(inventory, options)
    counts = factory.call_counts()
    stats = Stats(
        api_calls=sum(counts.values()),
        api_calls_by_action=dict(sorted(counts.items())),
        duration_s=round(time.perf_counter() - started, 3),
    )
    report = Report(
        accounts=(inventory.account_id,),
        account_details=(AccountInfo(inventory.account_id),),
        generated_at=datetime.now(UTC),
        findings=findings,
        stats=stats,
    )
    return ScanResult(report=report, inventory=inventory)


def scan_inventory(inventory: Inventory, options: CheckOptions | None = None) -> ScanResult:
    """Evaluate a saved inventory offline: no AWS call, same findings as at collection."""
    started = time.perf_counter()
    findings = evaluate(inventory, options or CheckOptions())
    stats = Stats(duration_s=round(time.perf_counter() - started, 3))
    report = Report(
        accounts=(inventory.account_id,),
        account_details=(AccountInfo(inventory.account_id),),
        generated_at=datetime.now(UTC),
        findings=findings,
        stats=stats,
    )
    return ScanResult(report=report, inventory=inventory)
