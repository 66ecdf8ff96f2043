"""Findings → AWS Config evaluations (pure): the mapping, fail-closed ERRORs, annotations
within AWS's 256 characters, PutEvaluations batches of 100."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import ACCOUNT, denied, make_inventory, make_log_group, make_trail, trail_arn
from monitoring_factories import monitored
from trailwarden.checks import CheckOptions, evaluate
from trailwarden.config_rule.evaluations import (
    MAX_ANNOTATION,
    Compliance,
    Evaluation,
    account_evaluation,
    annotate,
    batches,
    not_applicable,
    trail_evaluation,
    unevaluated,
)
from trailwarden.findings import Status

AT = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
TRAIL = trail_arn()


def trail_verdict(*trail_changes: object, **inventory_changes: object) -> Evaluation:
    trail = make_trail(**trail_changes[0]) if trail_changes else make_trail()  # type: ignore[arg-type]
    inventory = make_inventory((trail,), **inventory_changes)  # type: ignore[arg-type]
    return trail_evaluation(trail.arn, evaluate(inventory, CheckOptions(monitoring=False)), AT)


@pytest.mark.parametrize(
    ("trail", "inventory", "compliance", "named"),
    [
        # Every trail check passes.
        ({}, {}, Compliance.COMPLIANT, ""),
        # TW001 fails; TW002–TW005 and TW007 do not apply: only TW001 is named.
        ({"log_group_arn": None}, {}, Compliance.NON_COMPLIANT, "FAIL TW001 — TW001: "),
        # TW006 fails alone.
        ({"is_logging": False}, {}, Compliance.NON_COMPLIANT, "FAIL TW006 — TW006: "),
        # Retention 30 days < 365: TW007 (low severity) still makes the trail NON_COMPLIANT.
        (
            {},
            {"log_groups": (make_log_group(retention_in_days=30),)},
            Compliance.NON_COMPLIANT,
            "FAIL TW007 — TW007: ",
        ),
        # GetTrailStatus denied: TW004–TW006 are ERROR, and ERROR fails closed.
        (
            {"status_error": denied()},
            {},
            Compliance.NON_COMPLIANT,
            "ERROR TW004–TW006 — TW004: could not evaluate: AccessDeniedException on "
            "cloudtrail:GetTrailStatus",
        ),
    ],
)
def test_a_trail_is_compliant_only_when_tw001_to_tw007_pass_or_do_not_apply(
    trail: dict[str, object], inventory: dict[str, object], compliance: Compliance, named: str
) -> None:
    evaluation = trail_verdict(trail, **inventory)
    assert (evaluation.resource_type, evaluation.resource_id) == ("AWS::CloudTrail::Trail", TRAIL)
    assert evaluation.compliance is compliance
    assert evaluation.annotation.startswith(named)
    assert evaluation.ordering_timestamp == AT


def test_only_the_trails_own_trail_checks_count() -> None:
    ok, broken = make_trail("ok"), make_trail("broken", is_logging=False, multi_region=False)
    findings = evaluate(make_inventory((ok, broken)), CheckOptions(monitoring=False))
    assert trail_evaluation(ok.arn, findings, AT).compliance is Compliance.COMPLIANT
    assert trail_evaluation(broken.arn, findings, AT).compliance is Compliance.NON_COMPLIANT


def test_the_account_names_each_failing_account_check() -> None:
    # Monitoring set up except the alarm of TW103 and the one of TW110–TW112.
    inventory = monitored(alarms={"TW103": None, "TW110": None, "TW111": None, "TW112": None})
    evaluation = account_evaluation(ACCOUNT, evaluate(inventory), AT)
    assert (evaluation.resource_type, evaluation.resource_id) == ("AWS::::Account", ACCOUNT)
    assert evaluation.compliance is Compliance.NON_COMPLIANT
    assert evaluation.annotation.startswith("FAIL TW103, TW110–TW112 — TW103: ")


def test_an_account_with_every_check_passing_is_compliant() -> None:
    evaluation = account_evaluation(ACCOUNT, evaluate(monitored()), AT)
    assert evaluation.compliance is Compliance.COMPLIANT
    assert evaluation.annotation == "TW010 and TW101–TW115 pass or do not apply."


def test_an_account_whose_trails_could_not_be_listed_is_non_compliant() -> None:
    listing = denied("cloudtrail:ListTrails")
    findings = evaluate(make_inventory((), errors=(listing,)))
    evaluation = account_evaluation(ACCOUNT, findings, AT)
    assert evaluation.compliance is Compliance.NON_COMPLIANT
    assert evaluation.annotation.startswith("ERROR TW010, TW101–TW115 — TW010: could not evaluate:")
    assert "cloudtrail:ListTrails" in evaluation.annotation


def test_an_account_judged_without_monitoring_names_tw010_alone() -> None:
    findings = evaluate(make_inventory(), CheckOptions(monitoring=False))
    evaluation = account_evaluation(ACCOUNT, findings, AT)
    assert (evaluation.compliance, evaluation.annotation) == (
        Compliance.COMPLIANT,
        "TW010 passes or does not apply.",
    )


def test_no_finding_is_never_compliant() -> None:
    assert trail_evaluation(TRAIL, (), AT).compliance is Compliance.NON_COMPLIANT


def test_unevaluated_and_not_applicable_say_why() -> None:
    bad = unevaluated("AWS::::Account", ACCOUNT, "the rule is misconfigured", AT)
    assert (bad.compliance, bad.annotation) == (
        Compliance.NON_COMPLIANT,
        "could not evaluate: the rule is misconfigured",
    )
    gone = not_applicable("AWS::CloudTrail::Trail", "main", "the trail is ResourceDeleted", AT)
    assert gone.compliance is Compliance.NOT_APPLICABLE


def test_the_api_form_is_what_put_evaluations_takes() -> None:
    evaluation = trail_verdict()
    assert evaluation.to_api() == {
        "ComplianceResourceType": "AWS::CloudTrail::Trail",
        "ComplianceResourceId": TRAIL,
        "ComplianceType": "COMPLIANT",
        "Annotation": "TW001–TW007 pass or do not apply.",
        "OrderingTimestamp": AT,
    }


def test_a_long_annotation_is_cut_at_a_word() -> None:
    words = [f"w{i:04d}" for i in range(100)]  # 6 characters each: no cut lands on a space
    text = "FAIL TW001 — TW001: " + " ".join(words)
    cut = annotate(text)
    assert len(cut) <= MAX_ANNOTATION
    assert cut.endswith("…")
    kept = cut.removesuffix("…")
    assert text.startswith(kept)
    assert kept.split()[-1] in words  # the last word is whole


def test_outside_text_in_an_annotation_is_made_inert() -> None:
    assert annotate("trail evil\x1b[2J\nname") == "trail evil\\x1b[2J name"


def test_a_cut_never_splits_an_escape() -> None:
    cut = annotate("x" * 250 + "\x1b" * 10)
    assert len(cut) <= MAX_ANNOTATION
    assert not cut.removesuffix("…").endswith(("\\", "\\x", "\\x1"))


@given(st.text(max_size=2000))
def test_every_annotation_is_one_line_of_1_to_256_characters(text: str) -> None:
    cut = annotate(text)
    assert 1 <= len(cut) <= MAX_ANNOTATION
    assert "\n" not in cut and "\x1b" not in cut


@pytest.mark.parametrize(
    ("count", "sizes"), [(1, [1]), (100, [100]), (101, [100, 1]), (250, [100, 100, 50])]
)
def test_evaluations_are_sent_100_at_a_time(count: int, sizes: list[int]) -> None:
    one = trail_verdict()
    many = [replace(one, resource_id=f"trail-{i}") for i in range(count)]
    sent = list(batches(many))
    assert [len(b) for b in sent] == sizes
    assert [e for b in sent for e in b] == many


def test_every_status_maps_to_a_compliance_aws_config_accepts() -> None:
    # FAIL and ERROR are NON_COMPLIANT, PASS and NOT_APPLICABLE COMPLIANT: AWS Config takes
    # nothing else from a custom rule.
    expected = {
        Status.PASS: Compliance.COMPLIANT,
        Status.NOT_APPLICABLE: Compliance.COMPLIANT,
        Status.FAIL: Compliance.NON_COMPLIANT,
        Status.ERROR: Compliance.NON_COMPLIANT,
    }
    base = evaluate(make_inventory(), CheckOptions(monitoring=False))
    for status in Status:
        findings = [replace(f, status=status) if f.check_id == "TW006" else f for f in base]
        assert trail_evaluation(TRAIL, findings, AT).compliance is expected[status]
