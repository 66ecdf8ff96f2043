"""--format ocsf: OCSF Compliance Findings, validated by py-ocsf-models."""

from __future__ import annotations

import orjson
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding

from format_samples import MAIN, sample_report
from trailwarden.findings import Status
from trailwarden.formats.base import FORMATS, finding_uid
from trailwarden.formats.ocsf import _model as ocsf_model


def events():
    report = sample_report()
    return report, orjson.loads(FORMATS["ocsf"].render(report))


def test_one_json_array_of_compliance_findings_that_round_trip_through_the_models():
    report, data = events()
    assert isinstance(data, list) and len(data) == len(report.findings)
    for event in data:
        ComplianceFinding.model_validate(event)  # the class's own model accepts it
        model = ocsf_model().model_validate(event)  # with the cloud profile: nothing lost
        assert model.model_dump(mode="json", exclude_none=True) == event
        assert event["class_uid"] == 2003 and event["type_uid"] == 200301
        assert event["metadata"]["version"].startswith("1.")


def test_status_severity_resource_and_compliance_are_filled():
    report, data = events()
    for f, event in zip(report.findings, data, strict=True):
        expected = {Status.PASS: 1, Status.FAIL: 3, Status.ERROR: 2, Status.NOT_APPLICABLE: 99}
        assert event["compliance"]["status_id"] == expected[f.status]
        assert event["compliance"]["checks"][0]["uid"] == f.check_id
        assert event["finding_info"]["uid"] == finding_uid(f)
        [resource] = event["resources"]
        assert resource["uid"] == f.resource_id and resource["type"] == f.resource_type
        assert event["cloud"]["account"]["uid"] == f.account_id
        assert event["unmapped"]["status"] == f.status.value
    tw103 = next(e for e in data if e["metadata"]["event_code"] == "TW103")
    assert "CIS AWS Foundations Benchmark v2.0.0/4.3" in tw103["compliance"]["requirements"]
    assert tw103["cloud"]["account"]["name"] == "prod"


def test_suppressed_findings_are_status_suppressed_with_reason_and_expiry():
    _, data = events()
    [event] = [
        e
        for e in data
        if e["resources"][0]["uid"].endswith(f"{MAIN}:trail/legacy")
        and e["metadata"]["event_code"] == "TW001"
    ]
    assert event["status_id"] == 3 and event["status"] == "Suppressed"
    assert event["unmapped"]["suppressed"]["expires"] == "2026-06-30"
    assert event["compliance"]["status_id"] == 3  # it still fails
