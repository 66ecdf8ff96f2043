"""The report's shared fields: account details, account names, suppressions, code locations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import jsonschema
import orjson
import pytest

from trailwarden.findings import (
    AccountInfo,
    AccountStatus,
    Finding,
    Report,
    Severity,
    SourceLocation,
    Status,
    Suppression,
)
from trailwarden.formats.json import render_json, schema


def finding(status: Status, **extra: object) -> Finding:
    return Finding(
        check_id="TW001",
        title="CloudTrail trail is integrated with CloudWatch Logs",
        status=status,
        severity=Severity.HIGH,
        account_id="111111111111",
        region="us-east-1",
        resource_type="AWS::CloudTrail::Trail",
        resource_id="arn:aws:cloudtrail:us-east-1:111111111111:trail/t",
        message="m",
        remediation="r",
        **extra,  # type: ignore[arg-type]
    )


def report(*findings: Finding, details: tuple[AccountInfo, ...] = ()) -> Report:
    return Report(
        accounts=("111111111111",),
        generated_at=datetime(2026, 12, 1, tzinfo=UTC),
        findings=findings,
        account_details=details,
    )


def test_a_suppressed_failure_does_not_count_toward_the_exit_code() -> None:
    accepted = Suppression("accepted risk, ticket SEC-1", date(2027, 1, 1), ".trailwarden.yaml:3")
    assert report(finding(Status.FAIL, suppressed=accepted)).exit_code == 0
    assert report(finding(Status.FAIL, suppressed=accepted), finding(Status.ERROR)).exit_code == 1


def test_the_json_report_carries_account_details_names_suppressions_and_locations() -> None:
    details = (
        AccountInfo("111111111111", "management", "Root", AccountStatus.SCANNED),
        AccountInfo("222222222222", "old", "Root/Suspended", AccountStatus.SKIPPED, "suspended"),
    )
    accepted = Suppression("accepted", date(2027, 1, 1), "s.yaml:1")
    data = orjson.loads(
        render_json(
            report(
                finding(Status.FAIL, account_name="management", suppressed=accepted),
                finding(Status.PASS, location=SourceLocation("main.tf", 12)),
                details=details,
            )
        )
    )
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert data["account_details"][1] == {
        "account_id": "222222222222",
        "name": "old",
        "ou_path": "Root/Suspended",
        "status": "skipped",
        "reason": "suspended",
    }
    first, second = data["findings"]
    assert first["account_name"] == "management"
    expected = {"reason": "accepted", "expires": "2027-01-01", "source": "s.yaml:1"}
    assert first["suppressed"] == expected
    assert second["location"] == {"file": "main.tf", "line": 12}
    assert second["suppressed"] is None


def test_merged_reports_list_each_account_once() -> None:
    a = report(details=(AccountInfo("111111111111", "a"),))
    b = report(details=(AccountInfo("111111111111", "a"), AccountInfo("222222222222", "b")))
    assert [d.account_id for d in a.merged_with(b).account_details] == [
        "111111111111",
        "222222222222",
    ]


@pytest.mark.parametrize("size", [0, 1, 2, 255, 256, 257, 600])
def test_the_json_report_written_in_pieces_is_the_whole_document(size):
    """An organization's report is written finding by finding (its peak memory would
    otherwise double): the pieces joined are exactly what orjson makes of the whole."""
    from dataclasses import replace

    import orjson

    from format_samples import sample_report
    from trailwarden.formats.base import FORMATS, RenderContext
    from trailwarden.formats.json import report_to_dict

    sample = sample_report()
    findings = tuple(sample.findings[i % len(sample.findings)] for i in range(size))
    report = replace(sample, findings=findings)
    whole = orjson.dumps(
        report_to_dict(report, RenderContext()),
        option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE,
    )
    pieces = list(FORMATS["json"].pieces(report, RenderContext()))
    assert b"".join(pieces) == whole
    assert len(pieces) == (1 if size == 0 else 2 + -(-size // 256))
    assert len(orjson.loads(whole)["findings"]) == size
