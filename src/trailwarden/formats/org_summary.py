"""The organization summary that starts the table of a multi-account report.

One row per account — scanned, failed or skipped — with its PASS/FAIL/ERROR counts and
the checks that fail or could not be evaluated there, the worst accounts first; then,
below, anything the organization itself could not tell (an OU that could not be listed).
Pure: rows are computed from the report; rendering gives rich ``Text`` only (names and
OU paths come from AWS or a file, so anything could be in them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from trailwarden.findings import AccountInfo, AccountStatus, Finding, Report, Status
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["AccountRow", "account_rows", "check_ranges", "is_organization", "render_org_summary"]

# Findings about the organization itself, not about one account's resources.
ORGANIZATION_RESOURCES = frozenset({"AWS::Organizations::OrganizationalUnit"})


@dataclass(frozen=True)
class AccountRow:
    """One account of the summary."""

    info: AccountInfo
    passed: int
    failed: int
    errors: int
    failing: tuple[str, ...]  # check ids with a FAIL or ERROR, in check order

    @property
    def bad(self) -> int:
        return self.failed + self.errors


def is_organization(report: Report) -> bool:
    """Whether the report covers an organization (several accounts, or names and OUs)."""
    details = report.account_details
    return len(details) > 1 or any(d.name or d.ou_path for d in details)


def account_rows(report: Report) -> list[AccountRow]:
    """One row per account in ``report.account_details``, the worst first: most FAIL and
    ERROR findings, then most FAIL; skipped accounts last."""
    by_account: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.resource_type not in ORGANIZATION_RESOURCES:
            by_account.setdefault(f.account_id, []).append(f)
    rows = []
    for info in report.account_details:
        mine = by_account.get(info.account_id, [])
        statuses = [f.status for f in mine]
        failing = sorted({f.check_id for f in mine if f.status in (Status.FAIL, Status.ERROR)})
        rows.append(
            AccountRow(
                info,
                statuses.count(Status.PASS),
                statuses.count(Status.FAIL),
                statuses.count(Status.ERROR),
                tuple(failing),
            )
        )
    order = {d.account_id: i for i, d in enumerate(report.account_details)}
    return sorted(
        rows,
        key=lambda r: (
            r.info.status is AccountStatus.SKIPPED,
            -r.bad,
            -r.failed,
            order[r.info.account_id],
        ),
    )


def check_ranges(ids: tuple[str, ...]) -> str:
    """``TW101, TW102, TW103, TW110`` → ``TW101–TW103, TW110`` (consecutive numbers joined)."""
    parts: list[str] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if run:
            first, last = run[0][0], run[-1][0]
            parts.append(first if len(run) == 1 else f"{first}–{last}")
            run.clear()

    for check_id in ids:
        number = int(check_id[2:]) if check_id[2:].isdigit() else -1
        if run and number != run[-1][1] + 1:
            flush()
        run.append((check_id, number))
    flush()
    return ", ".join(parts)


def _detail(r: AccountRow) -> tuple[str, str]:
    """(text, style): the checks that fail or are not evaluated; for an account that was
    not scanned, why."""
    if r.info.status is AccountStatus.SCANNED:
        return check_ranges(r.failing), ""
    reason = r.info.reason or ""
    if r.info.status is AccountStatus.FAILED:
        # "AccessDenied on sts:AssumeRole for arn:…": the role is in the account's details.
        return f"not scanned: {reason.split(' for arn:')[0]}", "bold magenta"
    return f"skipped: {reason}", "dim"


def render_org_summary(report: Report, console: Console) -> None:
    """The summary table, the worst accounts first."""
    from rich.table import Table
    from rich.text import Text

    rows = account_rows(report)
    from rich import box

    table = Table(
        title=Text("Organization summary — the worst accounts first", style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1),
    )
    table.add_column("account", no_wrap=True)
    table.add_column("OU", overflow="fold", max_width=20)
    for status in ("PASS", "FAIL", "ERROR"):
        table.add_column(status, justify="right", no_wrap=True)
    table.add_column("failing or not evaluated", overflow="fold")
    for r in rows:
        info = r.info
        account = Text(printable(info.account_id))
        if info.name:
            name = printable(info.name)
            account.append("\n" + (name if len(name) <= 18 else name[:17] + "…"), style="dim")
        detail, style = _detail(r)
        table.add_row(
            account,
            Text(printable(info.ou_path or "")),
            Text(str(r.passed), style="green" if r.passed else "dim"),
            Text(str(r.failed), style="bold red" if r.failed else "dim"),
            Text(str(r.errors), style="bold magenta" if r.errors else "dim"),
            Text(printable(detail), style=style),
        )
    console.print(table)
    statuses = [r.info.status for r in rows]
    clean = sum(1 for r in rows if r.info.status is AccountStatus.SCANNED and r.bad == 0)
    line = (
        f"{count(len(rows), 'account')}: {statuses.count(AccountStatus.SCANNED)} scanned "
        f"({clean} with every check passing), "
        f"{statuses.count(AccountStatus.FAILED)} could not be scanned, "
        f"{statuses.count(AccountStatus.SKIPPED)} skipped."
    )
    console.print(Text(line))
    for f in report.findings:
        if f.resource_type in ORGANIZATION_RESOURCES:
            console.print(Text(printable(f"{f.status.value}: {f.message}"), style="bold magenta"))
    console.print()
