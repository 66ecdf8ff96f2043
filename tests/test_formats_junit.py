"""--format junit: junitparser reads it back; suites per account, a case per (check, resource)."""

from __future__ import annotations

from junitparser import Error, Failure, JUnitXml, Skipped

from format_samples import MAIN, MEMBER, sample_report
from trailwarden.findings import Status
from trailwarden.formats.base import FORMATS


def test_suites_per_account_with_failures_and_errors_as_such(tmp_path):
    report = sample_report()
    path = tmp_path / "trailwarden.junit.xml"
    path.write_bytes(FORMATS["junit"].render(report))
    xml = JUnitXml.fromfile(str(path))
    suites = {s.name.split()[0]: s for s in xml}
    assert set(suites) == {MAIN, MEMBER}
    assert suites[MAIN].name == f"{MAIN} prod"
    cases = [c for s in xml for c in s]
    assert len(cases) == len(report.findings)
    results = [type(c.result[0]) if c.result else None for c in cases]
    bad = [f for f in report.findings if f.suppressed is None]
    assert results.count(Failure) == sum(1 for f in bad if f.status is Status.FAIL)
    assert results.count(Error) == sum(1 for f in bad if f.status is Status.ERROR)
    suppressed = sum(1 for f in report.findings if f.suppressed is not None)
    na = sum(1 for f in report.findings if f.status is Status.NOT_APPLICABLE)
    assert results.count(Skipped) == suppressed + na
    assert xml.failures == results.count(Failure) and xml.errors == results.count(Error)


def test_control_characters_from_outside_cannot_break_the_xml():
    data = FORMATS["junit"].render(sample_report())
    assert b"\x1b" not in data
    JUnitXml.fromstring(data.decode("utf-8").split("\n", 1)[1])
