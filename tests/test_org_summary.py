"""The organization summary at the top of the table: the worst accounts first, the failing
checks named compactly, outside text inert."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from trailwarden.findings import AccountInfo, AccountStatus, Finding, Report, Severity, Status
from trailwarden.formats.org_summary import account_rows, check_ranges
from trailwarden.formats.table import render_table

HOSTILE = "evil\x1b[2J\nTW001  PASS  [bold red]forged[/]\u202e"


def finding(account: str, check: str, status: Status) -> Finding:
    return Finding(
        check_id=check,
        title="t",
        status=status,
        severity=Severity.HIGH,
        account_id=account,
        region="global",
        resource_type="AWS::::Account",
        resource_id=f"AWS::::Account:{account}",
        message="m",
        remediation="r",
    )


def report(*findings: Finding, details: tuple[AccountInfo, ...]) -> Report:
    return Report(
        accounts=tuple(d.account_id for d in details),
        account_details=details,
        generated_at=datetime(2026, 12, 1, tzinfo=UTC),
        findings=findings,
    )


A, B, C, D = "111111111111", "222222222222", "333333333333", "444444444444"
DETAILS = (
    AccountInfo(A, "management", "Root"),
    AccountInfo(B, "old", "Root", AccountStatus.SKIPPED, "suspended"),
    AccountInfo(
        C, "sandbox", "Root/Sandbox", AccountStatus.FAILED, "AccessDenied on sts:AssumeRole"
    ),
    AccountInfo(D, "dev", "Root/Dev"),
)
FINDINGS = (
    finding(A, "TW010", Status.PASS),
    finding(C, "TW010", Status.ERROR),
    finding(D, "TW010", Status.FAIL),
    finding(D, "TW101", Status.FAIL),
)


def test_the_worst_accounts_come_first_and_skipped_ones_last():
    rows = account_rows(report(*FINDINGS, details=DETAILS))
    assert [r.info.account_id for r in rows] == [D, C, A, B]
    assert [(r.passed, r.failed, r.errors) for r in rows] == [
        (0, 2, 0),
        (0, 0, 1),
        (1, 0, 0),
        (0, 0, 0),
    ]
    assert rows[0].failing == ("TW010", "TW101")


@pytest.mark.parametrize(
    ("ids", "text"),
    [
        ((), ""),
        (("TW010",), "TW010"),
        (("TW101", "TW102", "TW103", "TW110"), "TW101–TW103, TW110"),
        (("TW001", "TW002", "TW010", "TW101", "TW115"), "TW001–TW002, TW010, TW101, TW115"),
    ],
)
def test_failing_checks_are_named_as_ranges(ids, text):
    assert check_ranges(ids) == text


def rendered(r: Report) -> str:
    console = Console(file=io.StringIO(), width=160, record=True)
    render_table(r, console)
    return console.export_text()


def test_outside_text_in_the_summary_is_inert():
    details = (AccountInfo(A, HOSTILE, HOSTILE), AccountInfo(D, "dev", "Root/Dev"))
    text = rendered(report(finding(A, "TW010", Status.PASS), details=details))
    assert "\x1b" not in text and "\u202e" not in text
    assert "[bold red]forged[/]" in text  # shown as text, not read as markup
    assert "\\x1b[2J" in text


def test_the_summary_appears_only_for_an_organization():
    single = report(finding(A, "TW010", Status.PASS), details=(AccountInfo(A),))
    assert "Organization summary" not in rendered(single)
    text = rendered(report(*FINDINGS, details=DETAILS))
    assert text.index("Organization summary") < text.index(f"account {D} (dev · Root/Dev)")
    assert "No finding: suspended." in text  # the skipped account's section
