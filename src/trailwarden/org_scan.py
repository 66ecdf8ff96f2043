"""An organization scan: collect (or load) every account, evaluate, one report.

``trailwarden scan --org`` / ``--accounts-file``: :func:`scan_organization`;
``trailwarden scan --inventory ORG.json``: :func:`scan_org_inventory`. The report lists
every account in scope (``accounts``; names, OU paths and statuses in
``account_details``), and every finding carries its account's name.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trailwarden.checks import CheckOptions
from trailwarden.findings import AccountInfo, Finding, Report, Stats
from trailwarden.org_inventory import OrganizationInventory

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.collect.org_collect import OrgRequest, Progress

__all__ = ["OrgScanResult", "organization_report", "scan_org_inventory", "scan_organization"]


@dataclass(frozen=True)
class OrgScanResult:
    report: Report
    inventory: OrganizationInventory


def scan_organization(
    caller: ClientFactory,
    request: OrgRequest,
    options: CheckOptions | None = None,
    on_progress: Progress | None = None,
) -> OrgScanResult:
    """Collect every account ``request`` names with the caller's credentials (and roles
    assumed from them), and evaluate every check on each."""
    from dataclasses import replace

    from trailwarden.checks.organization import evaluate_organization
    from trailwarden.collect.org_collect import collect_organization

    options = options or CheckOptions()
    started = time.perf_counter()
    # Metric filters, alarms and topics are read only when a monitoring check is wanted.
    request = replace(request, monitoring=options.wants_monitoring)
    inventory, counts = collect_organization(caller, request, on_progress)
    findings = evaluate_organization(inventory, options)
    stats = Stats(
        api_calls=sum(counts.values()),
        api_calls_by_action=counts,
        duration_s=round(time.perf_counter() - started, 3),
    )
    return OrgScanResult(organization_report(inventory, findings, stats), inventory)


def scan_org_inventory(
    inventory: OrganizationInventory, options: CheckOptions | None = None
) -> OrgScanResult:
    """Evaluate a saved organization inventory offline: same findings as at collection."""
    from trailwarden.checks.organization import evaluate_organization

    started = time.perf_counter()
    findings = evaluate_organization(inventory, options or CheckOptions())
    stats = Stats(duration_s=round(time.perf_counter() - started, 3))
    return OrgScanResult(organization_report(inventory, findings, stats), inventory)


def organization_report(
    inventory: OrganizationInventory, findings: tuple[Finding, ...], stats: Stats
) -> Report:
    """The report of an organization: every account in scope, scanned or not."""
    details = tuple(
        AccountInfo(a.account_id, a.name, a.ou_path, a.status, a.reason)
        for a in inventory.accounts
        if a.in_scope
    )
    return Report(
        accounts=tuple(a.account_id for a in details),
        account_details=details,
        generated_at=datetime.now(UTC),
        findings=findings,
        stats=stats,
    )
