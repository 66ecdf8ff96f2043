"""``--format junit``: JUnit XML for CI dashboards, written with junitparser.

One test suite per account (named ``<account id> <account name>``), one test case per
(check, resource): name ``<check> <resource>``, classname ``trailwarden.<check>``. A FAIL
is a ``<failure>``, an ERROR an ``<error>`` (the check could not be evaluated), a
NOT_APPLICABLE and a suppressed finding ``<skipped>`` (with why), a PASS a passing case.
Text from outside is written with control characters escaped: XML 1.0 cannot hold them.
"""

from __future__ import annotations

from itertools import groupby

from trailwarden.findings import Finding, Report, Status
from trailwarden.formats.base import RenderContext
from trailwarden.textsafe import printable

__all__ = ["render_junit"]


def render_junit(report: Report, context: RenderContext) -> bytes:
    from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

    names = {a.account_id: a.name for a in report.account_details if a.name}
    xml = JUnitXml("trailwarden")
    by_account = sorted(report.findings, key=lambda f: f.account_id)
    for account, findings in groupby(by_account, key=lambda f: f.account_id):
        name = f"{account} {names[account]}" if account in names else account
        suite = TestSuite(printable(name))
        suite.timestamp = report.generated_at.isoformat()
        for f in findings:
            case = TestCase(printable(f"{f.check_id} {f.resource_id}"), f"trailwarden.{f.check_id}")
            message = printable(f.message)
            if f.suppressed is not None and f.status in (Status.FAIL, Status.ERROR):
                reason = printable(f.suppressed.reason)
                case.result = [Skipped(f"suppressed until {f.suppressed.expires}: {reason}")]
            elif f.status is Status.FAIL:
                case.result = [Failure(message, f"{f.check_id} {f.severity.value}")]
            elif f.status is Status.ERROR:
                case.result = [Error(message, f"{f.check_id} ERROR")]
            elif f.status is Status.NOT_APPLICABLE:
                case.result = [Skipped(message)]
            case.system_out = _details(f)
            # append, not add_testcase: that recounts the whole suite on every case.
            suite.append(case)
        suite.update_statistics()
        xml.append(suite)  # add_testsuite compares it with every suite already there
    xml.update_statistics()
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + bytes(xml.tostring()) + b"\n"


def _details(f: Finding) -> str:
    lines = [
        f"status: {f.status.value}",
        f"severity: {f.severity.value}",
        f"account: {f.account_id}",
        f"region: {f.region}",
        f"resource: {f.resource_id}",
        f"message: {f.message}",
    ]
    if f.remediation:
        lines.append(f"remediation: {f.remediation}")
    return "\n".join(printable(line) for line in lines)
