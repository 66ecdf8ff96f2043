"""Suppressions: the file's strict validation (file:line), matching, expiry, unused entries."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailwarden.checks import CHECKS
from trailwarden.errors import Error
from trailwarden.findings import Finding, Report, Severity, Status
from trailwarden.suppressions import (
    SuppressionsFileError,
    apply_suppressions,
    parse_suppressions,
)

ARN = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/legacy-app"
KNOWN = frozenset(CHECKS)


def finding(check_id: str = "TW007", status: Status = Status.FAIL, **changes) -> Finding:
    base = Finding(
        check_id=check_id,
        title="t",
        status=status,
        severity=Severity.LOW,
        account_id="123456789012",
        region="eu-west-1",
        resource_type="AWS::CloudTrail::Trail",
        resource_id=ARN,
        message="m",
        remediation="",
    )
    return replace(base, **changes)


def report(*findings: Finding) -> Report:
    return Report(("123456789012",), datetime(2026, 1, 1, tzinfo=UTC), tuple(findings))


def parse(text: str):
    return parse_suppressions(textwrap.dedent(text), ".trailwarden.yaml", KNOWN)


ONE = """\
suppressions:
  - check: TW007
    account: "123456789012"
    resource: "arn:aws:cloudtrail:*:123456789012:trail/legacy-*"
    reason: Legacy trail, retired in Q2 (JIRA SEC-12)
    expires: 2026-06-30
"""


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_a_matching_entry_suppresses_keeps_the_status_and_clears_the_exit_code():
    result = apply_suppressions(report(finding()), parse(ONE), at("2026-03-01"))
    [f] = result.report.findings
    assert f.status is Status.FAIL
    assert f.suppressed is not None
    assert f.suppressed.reason.startswith("Legacy trail")
    assert f.suppressed.expires == date(2026, 6, 30)
    assert f.suppressed.source == ".trailwarden.yaml:2"
    assert result.report.exit_code == 0
    assert result.expired == () and result.unused == ()


@pytest.mark.parametrize(
    ("now", "applies"),
    [
        (at("2026-06-30", 0), True),
        (datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC), True),  # through the end of that day
        (datetime(2026, 7, 1, 0, 0, 0, tzinfo=UTC), False),
        (datetime(2026, 6, 30, 22, 0, tzinfo=UTC).astimezone(), True),  # compared in UTC
    ],
)
def test_expiry_is_inclusive_through_the_end_of_the_day_utc(now, applies):
    result = apply_suppressions(report(finding()), parse(ONE), now)
    assert (result.report.findings[0].suppressed is not None) is applies
    assert (len(result.expired) == 1) is not applies
    assert result.report.exit_code == (0 if applies else 1)


@pytest.mark.parametrize(
    "other",
    [
        finding("TW006"),  # another check
        finding(account_id="999999999999"),  # another account
        finding(resource_id=ARN.replace("legacy-app", "app")),  # resource outside the glob
        finding(resource_id=ARN.upper()),  # globs are case-sensitive
    ],
)
def test_an_entry_that_matches_nothing_is_reported_unused(other):
    result = apply_suppressions(report(other), parse(ONE), at("2026-03-01"))
    assert result.report.findings[0].suppressed is None
    assert [e.source for e in result.unused] == [".trailwarden.yaml:2"]


def test_passing_findings_are_not_suppressed_and_leave_the_entry_unused():
    result = apply_suppressions(report(finding(status=Status.PASS)), parse(ONE), at("2026-03-01"))
    assert result.report.findings[0].suppressed is None
    assert len(result.unused) == 1


def test_account_star_and_exact_resource_and_errors_are_suppressed():
    rules = parse("""\
        suppressions:
          - check: tw007
            account: "*"
            resource: arn:aws:cloudtrail:eu-west-1:123456789012:trail/legacy-app
            reason: accepted
            expires: 2026-12-31
        """)
    result = apply_suppressions(report(finding(status=Status.ERROR)), rules, at("2026-03-01"))
    assert result.report.findings[0].suppressed is not None
    assert rules[0].check == "TW007"


def test_unquoted_account_keeps_its_leading_zero():
    rules = parse(ONE.replace('"123456789012"', "012345678901"))
    assert rules[0].account == "012345678901"


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("suppressions: [", ".trailwarden.yaml:1", "not valid YAML"),
        ("- check: TW007\n", ".trailwarden.yaml:1", "a mapping with the key 'suppressions'"),
        ("suppressions: {}\n", ".trailwarden.yaml:1", "a list"),
        (ONE.replace("    reason: Legacy trail, retired in Q2 (JIRA SEC-12)\n", ""),
         ".trailwarden.yaml:2", "reason"),
        (ONE.replace("    expires: 2026-06-30\n", ""), ".trailwarden.yaml:2", "expires"),
        (ONE.replace("2026-06-30", "30/06/2026"), ".trailwarden.yaml:6", "YYYY-MM-DD"),
        (ONE.replace("2026-06-30", "2026-02-30"), ".trailwarden.yaml:6", "YYYY-MM-DD"),
        (ONE.replace("TW007", "TW999"), ".trailwarden.yaml:2", "TW999"),
        (ONE.replace('"123456789012"', "1234"), ".trailwarden.yaml:3", "12 digits"),
        (ONE.replace("Legacy trail, retired in Q2 (JIRA SEC-12)", '""'),
         ".trailwarden.yaml:5", "reason"),
        (ONE + "    owner: me\n", ".trailwarden.yaml:7", "owner"),
        (ONE + "    reason: twice\n", ".trailwarden.yaml:7", "twice"),
        (ONE.replace("resource: ", "resource: [a, b] #"), ".trailwarden.yaml:4", "text"),
    ],
)  # fmt: skip
def test_a_malformed_file_is_an_error_naming_file_and_line(text, where, says):
    with pytest.raises(SuppressionsFileError) as caught:
        parse(text)
    assert isinstance(caught.value, Error)
    message = str(caught.value)
    assert message.startswith(where + ":")
    assert says in message
    assert "\n" not in message


@given(st.text(max_size=300))
def test_any_text_parses_or_raises_the_one_error(text):
    try:
        parse_suppressions(text, "s.yaml", KNOWN)
    except SuppressionsFileError as e:
        assert str(e).startswith("s.yaml")
