"""--format asff: every finding what BatchImportFindings accepts (botocore's model)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import botocore.session
import orjson
import pytest
from botocore.validate import ParamValidator

from format_samples import MAIN, MEMBER, sample_report
from trailwarden.findings import Status
from trailwarden.formats.asff import asff_finding
from trailwarden.formats.base import FORMATS, RenderContext

# What AWS documents as required to import a finding (a superset of botocore's model).
# https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html
REQUIRED = {
    "AwsAccountId", "CreatedAt", "Description", "GeneratorId", "Id", "ProductArn",
    "Resources", "SchemaVersion", "Severity", "Title", "Types", "UpdatedAt",
}  # fmt: skip


def rendered(region="eu-west-1"):
    report = sample_report()
    context = RenderContext(security_hub_region=region)
    return report, orjson.loads(FORMATS["asff"].render(report, context))


def test_every_finding_validates_against_the_batch_import_findings_input_shape():
    _, findings = rendered()
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    for start in range(0, len(findings), 100):  # the API takes 100 per request
        report = ParamValidator().validate({"Findings": findings[start : start + 100]}, shape)
        assert not report.has_errors(), report.generate_report()
    for f in findings:
        assert f.keys() >= REQUIRED
        assert len(f["Title"]) <= 256 and len(f["Description"]) <= 1024
        assert len(f["Compliance"]["RelatedRequirements"]) <= 32


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.PASS, "PASSED"),
        (Status.FAIL, "FAILED"),
        (Status.ERROR, "WARNING"),
        (Status.NOT_APPLICABLE, "NOT_AVAILABLE"),
    ],
)
def test_compliance_status_mapping(status, expected):
    report = sample_report()
    f = replace(report.findings[0], status=status)
    assert asff_finding(f, report.generated_at)["Compliance"]["Status"] == expected


def test_ids_are_stable_across_runs_and_product_arn_is_the_owners_default_product():
    report, first = rendered()
    later = replace(report, generated_at=report.generated_at + timedelta(days=1))
    second = orjson.loads(
        FORMATS["asff"].render(later, RenderContext(security_hub_region="eu-west-1"))
    )
    assert [f["Id"] for f in first] == [f["Id"] for f in second]
    assert len({f["Id"] for f in first}) == len(first)
    assert first[0]["UpdatedAt"] != second[0]["UpdatedAt"]
    for f in first:
        account = f["AwsAccountId"]
        assert account in (MAIN, MEMBER)
        assert (
            f["ProductArn"] == f"arn:aws:securityhub:eu-west-1:{account}:product/{account}/default"
        )
        assert f["GeneratorId"] == "trailwarden/" + f["ProductFields"]["trailwarden/CheckId"]


def test_an_account_findings_id_does_not_change_with_the_region_of_its_verdict():
    report = sample_report()
    f = next(f for f in report.findings if f.check_id == "TW103")
    moved = replace(f, region="global", status=Status.FAIL)
    assert (
        asff_finding(f, report.generated_at)["Id"] == asff_finding(moved, report.generated_at)["Id"]
    )


def test_related_requirements_and_suppression_are_carried():
    _, findings = rendered()
    root = next(
        f for f in findings if f["GeneratorId"] == "trailwarden/TW103" and f["AwsAccountId"] == MAIN
    )
    assert "CIS AWS Foundations Benchmark v1.2.0/3.3" in root["Compliance"]["RelatedRequirements"]
    assert "PCI DSS v3.2.1/7.2.1" in root["Compliance"]["RelatedRequirements"]
    suppressed = [f for f in findings if f["ProductFields"].get("trailwarden/Suppressed")]
    assert suppressed and all(
        f["ProductFields"]["trailwarden/SuppressedExpires"] for f in suppressed
    )
    passed = [f for f in findings if f["Compliance"]["Status"] == "PASSED"]
    assert {f["Severity"]["Label"] for f in passed} == {"INFORMATIONAL"}
