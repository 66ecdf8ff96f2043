"""The human report: findings grouped by account, region and resource, then a summary;
for an organization, its summary first (:mod:`trailwarden.formats.org_summary`).

Names, ARNs and messages come from AWS or from an inventory file, so anything an attacker
could have written: they are made inert with :func:`trailwarden.textsafe.printable` and
given to rich as ``Text`` (never as markup).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import TYPE_CHECKING, assert_never

from trailwarden.findings import Finding, Report, Status
from trailwarden.formats.org_summary import (
    ORGANIZATION_RESOURCES,
    account_rows,
    is_organization,
    render_org_summary,
)
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["render_table", "status_style", "summary_line"]


def status_style(status: Status) -> str:
    """The rich style of a status; exhaustive over :class:`Status`."""
    if status is Status.PASS:
        return "green"
    if status is Status.FAIL:
        return "bold red"
    if status is Status.ERROR:
        return "bold magenta"
    if status is Status.NOT_APPLICABLE:
        return "dim"
    assert_never(status)


def summary_line(report: Report) -> str:
    counts = report.counts()
    parts = [f"{counts[s]} {s.value}" for s in Status]
    resources = len({f.resource_id for f in report.findings})
    if len(report.accounts) > 3:  # an organization: the summary table names them
        where = f" in {count(len(report.accounts), 'account')}"
    elif report.accounts:
        accounts = "account" if len(report.accounts) == 1 else "accounts"
        where = f" in {accounts} {printable(', '.join(report.accounts))}"
    else:  # infrastructure code (trailwarden iac) is of no account yet
        where = ""
    return (
        f"{count(len(report.findings), 'finding')} on {count(resources, 'resource')}{where}: "
        + ", ".join(parts)
    )


def _group_key(f: Finding) -> tuple[str, str]:
    return (f.account_id, f.region)


def render_table(report: Report, console: Console, labels: Mapping[str, str] | None = None) -> None:
    """The findings by account, region and resource; for an organization, its summary
    first and the accounts' details in the summary's order (the worst first). ``labels``:
    a check's name in the selected framework (``TW103 CIS v2.0 4.3``)."""
    from rich.text import Text

    if not is_organization(report):
        _render_findings(report.findings, console, labels)
    else:
        render_org_summary(report, console)
        by_account: dict[str, list[Finding]] = {}
        for f in report.findings:
            if f.resource_type not in ORGANIZATION_RESOURCES:
                by_account.setdefault(f.account_id, []).append(f)
        for row in account_rows(report):
            info = row.info
            where = " · ".join(x for x in (info.name, info.ou_path) if x)
            title = f"account {info.account_id}" + (f" ({where})" if where else "")
            console.rule(Text(printable(title), style="bold"), characters="━")
            mine = by_account.get(info.account_id, [])
            if not mine:
                console.print(Text(printable(f"No finding: {info.reason or 'not scanned'}.")))
                console.print()
            _render_findings(mine, console, labels)
    _render_totals(report, console)


def _render_findings(
    findings: Iterable[Finding], console: Console, labels: Mapping[str, str] | None
) -> None:
    from rich.table import Table
    from rich.text import Text

    for (account, region), in_region in groupby(findings, key=_group_key):
        heading = f"account {account} · {region}" if account else region
        console.rule(Text(printable(heading), style="bold"))
        for resource_id, on_resource in groupby(in_region, key=lambda f: f.resource_id):
            listed = list(on_resource)
            title = Text(printable(resource_id), style="bold cyan")
            if (where := listed[0].location) is not None:  # infrastructure code: file:line
                line = f":{where.line}" if where.line else ""
                title.append(printable(f"  {where.file}{line}"), style="dim")
            table = Table(
                title=title,
                title_justify="left",
                show_edge=False,
                show_header=False,
                expand=True,
                box=None,
                padding=(0, 1),
            )
            table.add_column("check", no_wrap=True)
            table.add_column("status", no_wrap=True, min_width=len("NOT_APPLICABLE"))
            # Full ARNs matter to an auditor: fold long words instead of cutting them.
            table.add_column("message", ratio=1, overflow="fold")
            for f in listed:
                status = Text(f.status.value, style=status_style(f.status))
                if f.status in (Status.FAIL, Status.ERROR):
                    status.append(f" {f.severity.value.lower()}", style="dim")
                message = Text(printable(f.message))
                if f.suppressed is not None:
                    status.append(" suppressed", style="yellow")
                    note = f" [suppressed until {f.suppressed.expires}: {f.suppressed.reason}]"
                    message.append(printable(note), style="yellow")
                check = (labels or {}).get(f.check_id, f.check_id)
                # Text(): AWS messages may contain "[...]", which rich would read as markup.
                table.add_row(Text(printable(check)), status, message)
            console.print(table)
            console.print()


def _render_totals(report: Report, console: Console) -> None:
    from rich.text import Text

    counts = report.counts()
    style = "bold red" if counts[Status.FAIL] or counts[Status.ERROR] else "bold green"
    console.print(Text(summary_line(report), style=style))
    if counts[Status.FAIL] or counts[Status.ERROR]:
        console.print("`trailwarden explain TWxxx` tells why a check matters and how to fix it.")
    stats = report.stats
    if stats.api_calls:
        calls = count(stats.api_calls, "AWS API call")
        console.print(Text(f"{calls} in {stats.duration_s:.2f} s", style="dim"))
