"""--format csv: one row per finding, documented columns, no formula from outside."""

from __future__ import annotations

import csv

from format_samples import sample_report
from trailwarden.formats.base import FORMATS
from trailwarden.formats.csv_ import COLUMNS


def rows():
    report = sample_report()
    text = FORMATS["csv"].render(report).decode("utf-8-sig")
    return report, list(csv.DictReader(text.splitlines()))


def test_one_row_per_finding_with_the_documented_columns():
    report, read = rows()
    assert len(read) == len(report.findings)
    assert tuple(read[0]) == COLUMNS
    for row, f in zip(read, report.findings, strict=True):
        assert (row["check_id"], row["status"], row["account_id"]) == (
            f.check_id, f.status.value, f.account_id,
        )  # fmt: skip
        assert row["suppressed"] == ("yes" if f.suppressed else "")
    assert any("CIS AWS Foundations Benchmark" in r["compliance"] for r in read)


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_made_text():
    _, read = rows()
    hostile = [r for r in read if "cmd|" in r["resource_id"]]
    assert hostile
    for row in hostile:
        assert not row["resource_id"].startswith("=")
        assert row["resource_id"].startswith("'") or not row["resource_id"].startswith("=")
    for row in read:
        assert all(not v.startswith(("=", "+", "-", "@")) for v in row.values())
