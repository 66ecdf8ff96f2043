"""``scan --security-hub``: import a report into each account's own Security Hub.

Findings can only be imported into the account they belong to, under its default product
``arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default``
(https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-custom-providers.html),
so each owner account is reached with its own credentials (``reach``): the caller's for
its own account, an organization scan's member sessions for the others.

Per account: the ACTIVE findings trailwarden imported before are read (GetFindings on the
product and ``GeneratorId`` prefix ``trailwarden/``); this run's findings are imported
(stable ``Id``: an update in place, keeping the first ``CreatedAt``); and those of the
checks this run evaluated that no longer occur are imported again with
``RecordState: ARCHIVED``. Accounts that were not scanned (their absence is not "no
longer occurs"), checks that were not evaluated and scans limited by ``--regions`` archive
nothing. A dry run reads, and imports nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from trailwarden.collect.securityhub import ImportFailure, active_findings, import_findings
from trailwarden.findings import AccountStatus, Report
from trailwarden.formats.asff import asff_finding, generator_id, product_arn
from trailwarden.formats.base import finding_uid, partition_of
from trailwarden.inventory import ApiError

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["AccountImport", "Reach", "SecurityHubResult", "import_report"]

# The factory for an account's own credentials, or why it cannot be reached.
Reach = Callable[[str], "ClientFactory | str"]
_KEEP = (
    "SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt",
    "Title", "Description", "Resources", "Severity", "Compliance", "ProductFields",
)  # fmt: skip


@dataclass(frozen=True)
class AccountImport:
    """What became of one account's findings."""

    account_id: str
    to_import: int = 0
    imported: int = 0
    new: int = 0
    archived: int = 0
    to_archive: tuple[str, ...] = ()  # finding ids
    failures: tuple[ImportFailure, ...] = ()
    error: str | None = None  # why nothing was imported there
    archive_note: str | None = None  # why nothing was archived there

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failures


@dataclass(frozen=True)
class SecurityHubResult:
    region: str
    dry_run: bool
    accounts: tuple[AccountImport, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.accounts)


def import_report(
    report: Report,
    reach: Reach,
    region: str,
    *,
    evaluated: Collection[str],
    archive: bool = True,
    dry_run: bool = False,
    now: datetime,
) -> SecurityHubResult:
    """Import ``report`` into Security Hub in ``region``, account by account."""
    status = {a.account_id: a.status for a in report.account_details}
    owners = sorted({f.account_id for f in report.findings} | set(report.accounts))
    results = []
    for account in owners:
        if status.get(account, AccountStatus.SCANNED) is not AccountStatus.SCANNED:
            if any(f.account_id == account for f in report.findings):
                why = f"account {account} was not scanned ({status[account].value})"
                results.append(AccountImport(account, error=why))
            continue
        results.append(_account(report, account, reach, region, evaluated, archive, dry_run, now))
    return SecurityHubResult(region, dry_run, tuple(results))


def _account(
    report: Report,
    account: str,
    reach: Reach,
    region: str,
    evaluated: Collection[str],
    archive: bool,
    dry_run: bool,
    now: datetime,
) -> AccountImport:
    mine = [f for f in report.findings if f.account_id == account]
    factory = reach(account)
    if isinstance(factory, str):
        return AccountImport(account, len(mine), error=factory)
    partition = partition_of(mine[0]) if mine else "aws"
    product = product_arn(partition, region, account)
    existing = active_findings(factory, region, product, "trailwarden/")
    if isinstance(existing, ApiError):
        return AccountImport(account, len(mine), error=existing.describe())
    before = {str(e.get("Id")): e for e in existing}
    findings = [
        asff_finding(f, now, region, created_at=_created(before, finding_uid(f))) for f in mine
    ]
    ids = {f["Id"] for f in findings}
    generators = {generator_id(c) for c in evaluated}
    note = None if archive else "--regions limits the scan, so nothing is archived"
    gone = [
        e
        for i, e in before.items()
        if archive and i not in ids and e.get("GeneratorId") in generators
    ]
    new = sum(1 for f in findings if f["Id"] not in before)
    if dry_run:
        return AccountImport(
            account, len(findings), new=new, to_archive=tuple(str(e["Id"]) for e in gone),
            archive_note=note,
        )  # fmt: skip
    stale = [_archived(e, now) for e in gone]
    outcome = import_findings(factory, region, findings + stale)
    failed = {x.finding_id for x in outcome.failures}
    return AccountImport(
        account,
        to_import=len(findings),
        imported=sum(1 for f in findings if f["Id"] not in failed),
        new=new,
        archived=sum(1 for e in stale if e["Id"] not in failed),
        to_archive=tuple(str(e["Id"]) for e in gone),
        failures=outcome.failures,
        archive_note=note,
    )


def _created(before: dict[str, dict[str, Any]], finding_id: str) -> str | None:
    found = before.get(finding_id)
    created = found.get("CreatedAt") if found else None
    return str(created) if created else None


def _archived(existing: dict[str, Any], now: datetime) -> dict[str, Any]:
    """An imported finding that no longer occurs, as an update that archives it."""
    out = {k: existing[k] for k in _KEEP if k in existing}
    out["UpdatedAt"] = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    out["RecordState"] = "ARCHIVED"
    return out
