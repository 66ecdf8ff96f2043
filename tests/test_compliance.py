"""Compliance mappings, --framework selection and Security Hub's verdict next to ours."""

from __future__ import annotations

import pytest

from monitoring_factories import monitored
from test_checks_monitoring import CIS_41_REORDERED
from trailwarden.checks import CHECKS, CheckOptions, evaluate
from trailwarden.checks.compliance import (
    FRAMEWORKS,
    checks_in,
    control_label,
    get_framework,
    references,
    security_hub_control,
)
from trailwarden.checks.monitoring import filter_verdict
from trailwarden.checks.security_hub_text import (
    EXACT_TEXTS,
    cis_exact_pattern,
    differs_from_security_hub,
)
from trailwarden.errors import UsageError
from trailwarden.findings import Status
from trailwarden.monitoring import CLASSES_BY_ID


@pytest.mark.parametrize(
    ("framework", "check_id", "label"),
    [
        ("cis-1.2", "TW001", "2.4"),
        ("cis-1.2", "TW103", "3.3"),
        ("cis-1.4", "TW001", "3.4"),
        ("cis-2.0", "TW010", "3.1, 3.4"),
        ("cis-2.0", "TW115", "4.15"),
        ("cis-3.0", "TW103", "4.3"),
        ("cis-5.0", "TW114", "4.14"),
        ("cis-6.0", "TW101", "5.1"),
        ("aws-securityhub", "TW103", "CloudWatch.1"),
        ("aws-securityhub", "TW101", "CloudWatch.2"),
        ("aws-securityhub", "TW102", "CloudWatch.3"),
        ("aws-securityhub", "TW114", "CloudWatch.14"),
        ("aws-securityhub", "TW001", "CloudTrail.5"),
        ("aws-securityhub", "TW007", "CloudWatch.16"),
    ],
)
def test_each_check_is_labelled_with_the_frameworks_number(framework, check_id, label):
    assert control_label(FRAMEWORKS[framework], check_id) == label


@pytest.mark.parametrize(
    ("framework", "absent"),
    [
        ("cis-1.2", "TW115"),  # v1.2 has no Organizations control
        ("cis-3.0", "TW001"),  # the integration control was removed in v3.0
        ("cis-6.0", "TW001"),
        ("aws-securityhub", "TW115"),  # no Security Hub control for 4.15
        ("cis-2.0", "TW007"),  # CIS asks for no retention
    ],
)
def test_checks_outside_a_framework_are_not_in_it(framework, absent):
    assert absent not in checks_in(FRAMEWORKS[framework])


def test_every_check_names_what_it_evidences():
    for check_id in CHECKS:
        assert references(check_id), check_id


def test_security_hub_related_requirements_are_those_aws_lists():
    requirements = [r.requirement for r in references("TW103")]
    assert "NIST.800-171.r2 3.14.6" in requirements
    assert "PCI DSS v3.2.1/7.2.1" in requirements
    assert "CIS AWS Foundations Benchmark v1.2.0/3.3" in requirements
    assert "NIST.800-53.r5 AU-11" in [r.requirement for r in references("TW007")]
    assert security_hub_control("TW115") is None


def test_unknown_framework_is_a_usage_error_listing_the_valid_ones():
    with pytest.raises(UsageError, match="cis-2.0"):
        get_framework("cis-9.9")


@pytest.mark.parametrize("check_id", sorted(EXACT_TEXTS))
def test_security_hub_accepts_the_cis_text_whatever_its_spacing(check_id):
    text = cis_exact_pattern(check_id)
    assert text is not None
    assert not differs_from_security_hub(check_id, text.replace(" ", "   "))


def test_reordered_filter_passes_here_and_says_security_hub_will_fail_it():
    found = [
        f
        for f in evaluate(monitored(patterns={"TW101": CIS_41_REORDERED}), CheckOptions())
        if f.check_id == "TW101"
    ][0]
    assert found.status is Status.PASS
    assert "Security Hub CloudWatch.2 will still report FAILED" in found.message
    assert found.evidence["security_hub"] == {"control": "CloudWatch.2", "text_matches": False}


def test_filter_in_cis_text_passes_without_a_security_hub_note():
    found = [
        f
        for f in evaluate(monitored(patterns={"TW103": EXACT_TEXTS["TW103"][0]}), CheckOptions())
        if f.check_id == "TW103"
    ][0]
    assert found.status is Status.PASS
    assert "Security Hub" not in found.message
    assert found.evidence["security_hub"] == {"control": "CloudWatch.1", "text_matches": True}


def test_cis_exact_texts_that_are_wrong_are_known_to_the_engine():
    # CIS v1.4's 4.10 text misses ModifySecurityGroupRules (added to 4.10 in CIS v4.0).
    missed, _ = filter_verdict(EXACT_TEXTS["TW110"][0], "TW110")
    assert {s.record["eventName"] for s in missed} == {"ModifySecurityGroupRules"}
    for check_id in sorted(set(EXACT_TEXTS) - {"TW110"}):
        missed, _ = filter_verdict(EXACT_TEXTS[check_id][0], check_id)
        assert missed == (), check_id
    assert CLASSES_BY_ID["TW110"].pattern != EXACT_TEXTS["TW110"][0]


def test_explain_prints_what_the_check_evidences():
    from clihelpers import run

    result = run(["explain", "TW103"])
    assert result.exit_code == 0
    assert "Evidences (compliance mapping)" in result.stdout
    for ref in ("CIS AWS Foundations Benchmark v1.2.0 3.3", "AWS Security Hub CloudWatch.1",
                "PCI DSS v3.2.1 7.2.1", "CIS AWS Foundations Benchmark v6.0.0 5.3"):  # fmt: skip
        assert ref in result.stdout
