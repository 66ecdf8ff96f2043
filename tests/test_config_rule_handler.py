"""The Config rule's handler against moto's server over HTTP: realistic AWS Config events in,
the evaluations AWS Config received (recorded by the simulated AWS) out."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from clihelpers import healthy_account, healthy_trail
from config_events import CAPTURED_AT, NOTIFIED_AT, RULE_NAME, changed, oversized, scheduled
from conftest import MAIN_ACCOUNT, MEMBER_ACCOUNT, delivery_policy
from trailwarden.config_rule.handler import RULE_NAME_ENV, handle
from trailwarden.config_rule.triggers import EventError
from trailwarden.demo import moto_config


def reported(token: str = "token-1") -> list[dict[str, Any]]:
    """What AWS Config received for the run with ``token``: (type, id) → evaluation."""
    calls = [r for r in moto_config.reported_evaluations() if r.result_token == token]
    return [e for call in calls for e in call.evaluations]


def verdicts(token: str = "token-1") -> dict[tuple[str, str], str]:
    return {
        (e["ComplianceResourceType"], e["ComplianceResourceId"]): e["ComplianceType"]
        for e in reported(token)
    }


def annotation(resource_id: str, token: str = "token-1") -> str:
    return next(
        e["Annotation"] for e in reported(token) if e["ComplianceResourceId"] == resource_id
    )


def ordering_times(token: str = "token-1") -> set[datetime]:
    """The OrderingTimestamps AWS Config received (moto hands them over parsed)."""
    out = set()
    for e in reported(token):
        value = e["OrderingTimestamp"]
        value = value if isinstance(value, datetime) else datetime.fromtimestamp(float(value))
        out.add(value if value.tzinfo else value.replace(tzinfo=UTC))
    return out


def stopped_trail(seed: Any, name: str, region: str) -> str:
    group = seed.log_group(f"aws-cloudtrail-logs/{name}", region, retention_days=365)
    role = seed.role(f"{name}-role", inline={"deliver": delivery_policy(group)})
    return seed.trail(
        name,
        region,
        log_group_arn=group,
        role_arn=role,
        logging=False,
        delivered_at=datetime.now(UTC),
    )


def test_a_periodic_run_reports_each_trail_of_the_region_and_the_account(aws, seed, factory):
    trail = healthy_account(seed)  # every check passes, monitoring included
    result = handle(scheduled(MAIN_ACCOUNT, token="token-1"), factory)
    assert verdicts() == {
        ("AWS::CloudTrail::Trail", trail): "COMPLIANT",
        ("AWS::::Account", MAIN_ACCOUNT): "COMPLIANT",
    }
    assert result["putEvaluationsCalls"] == 1 and not result["testMode"]
    # The same collection as a scan: monitoring included.
    assert factory.call_counts()["cloudwatch:DescribeAlarms"] == 1


def test_evaluations_carry_the_events_time(aws, seed, factory):
    healthy_trail(seed)
    handle(scheduled(MAIN_ACCOUNT, token="token-1"), factory)
    assert ordering_times() == {datetime.fromisoformat(NOTIFIED_AT)}


def test_only_trails_homed_in_the_rules_region_are_reported_there(aws, seed, factory):
    east = healthy_trail(seed)
    west = stopped_trail(seed, "eu-app", "eu-west-1")
    handle(scheduled(MAIN_ACCOUNT, "eu-west-1", token="token-1"), factory)
    found = verdicts()
    assert found[("AWS::CloudTrail::Trail", west)] == "NON_COMPLIANT"
    assert ("AWS::CloudTrail::Trail", east) not in found
    assert annotation(west).startswith("FAIL TW006 — TW006: ")


def test_a_failing_monitoring_check_makes_the_account_non_compliant(aws, seed, factory):
    healthy_trail(seed)  # no metric filter at all: TW101–TW115 fail
    handle(scheduled(MAIN_ACCOUNT, token="token-1"), factory)
    assert verdicts()[("AWS::::Account", MAIN_ACCOUNT)] == "NON_COMPLIANT"
    assert annotation(MAIN_ACCOUNT).startswith("FAIL TW101–TW115 — TW101: ")


def test_monitoring_false_judges_the_trail_checks_alone(aws, seed, factory):
    healthy_trail(seed)
    event = scheduled(MAIN_ACCOUNT, token="token-1", parameters={"Monitoring": "false"})
    handle(event, factory)
    assert verdicts()[("AWS::::Account", MAIN_ACCOUNT)] == "COMPLIANT"
    assert "cloudwatch:DescribeAlarms" not in factory.call_counts()


def test_rule_parameters_are_the_scans_thresholds(aws, seed, factory):
    trail = healthy_trail(seed)  # retention 365 days
    event = scheduled(MAIN_ACCOUNT, token="token-1", parameters={"MinRetentionDays": "400"})
    handle(event, factory)
    assert verdicts()[("AWS::CloudTrail::Trail", trail)] == "NON_COMPLIANT"
    assert annotation(trail).startswith("FAIL TW007")


def test_a_misconfigured_rule_says_so_on_the_account_and_reads_nothing(aws, seed, factory):
    healthy_trail(seed)
    event = scheduled(MAIN_ACCOUNT, token="token-1", parameters={"MinRetention": "400"})
    handle(event, factory)
    assert verdicts() == {("AWS::::Account", MAIN_ACCOUNT): "NON_COMPLIANT"}
    assert annotation(MAIN_ACCOUNT).startswith(
        "could not evaluate: the rule is misconfigured: The rule has no parameter 'MinRetention'"
    )
    assert set(factory.call_counts()) == {"config:PutEvaluations"}


def test_a_denied_read_fails_closed(aws, seed, factory):
    trail = healthy_trail(seed)
    aws.deny("cloudtrail:GetTrailStatus", account_id=MAIN_ACCOUNT)
    handle(scheduled(MAIN_ACCOUNT, token="token-1"), factory)
    assert verdicts()[("AWS::CloudTrail::Trail", trail)] == "NON_COMPLIANT"
    assert annotation(trail).startswith(
        "ERROR TW004–TW006 — TW004: could not evaluate: AccessDeniedException on "
        "cloudtrail:GetTrailStatus"
    )


def test_a_change_reports_that_trail_under_config_s_id_and_the_account(aws, seed, factory):
    trail = healthy_account(seed)
    stopped_trail(seed, "other", "us-east-1")
    handle(changed(MAIN_ACCOUNT, "org-events", token="token-1"), factory)
    # The configuration item's resourceId, so that AWS Config files it under that trail.
    assert verdicts() == {
        ("AWS::CloudTrail::Trail", "org-events"): "COMPLIANT",
        ("AWS::::Account", MAIN_ACCOUNT): "COMPLIANT",
    }
    assert trail.endswith(":trail/org-events")
    assert ordering_times() == {datetime.fromisoformat(CAPTURED_AT)}


def test_an_oversized_change_is_evaluated_from_the_live_trail(aws, seed, factory):
    stopped_trail(seed, "big", "us-east-1")
    handle(oversized(MAIN_ACCOUNT, "big", token="token-1"), factory)
    assert verdicts()[("AWS::CloudTrail::Trail", "big")] == "NON_COMPLIANT"
    assert annotation("big").startswith("FAIL TW006")


@pytest.mark.parametrize(
    ("status", "left_scope", "why"),
    [
        ("ResourceDeleted", False, "the trail is ResourceDeleted"),
        ("ResourceNotRecorded", False, "the trail is ResourceNotRecorded"),
        ("OK", True, "the trail left the rule's scope"),
    ],
)
def test_a_deleted_or_out_of_scope_trail_is_not_applicable(
    aws, factory, status: str, left_scope: bool, why: str
):
    event = changed(MAIN_ACCOUNT, "gone", status=status, left_scope=left_scope, token="token-1")
    handle(event, factory)
    assert verdicts() == {("AWS::CloudTrail::Trail", "gone"): "NOT_APPLICABLE"}
    assert annotation("gone") == why
    assert set(factory.call_counts()) == {"config:PutEvaluations"}  # nothing else read


def test_a_change_of_a_trail_deleted_since_is_not_applicable(aws, seed, factory):
    healthy_trail(seed)
    handle(changed(MAIN_ACCOUNT, "vanished", token="token-1"), factory)
    assert verdicts()[("AWS::CloudTrail::Trail", "vanished")] == "NOT_APPLICABLE"
    assert annotation("vanished") == "the trail no longer exists"


def test_test_mode_is_honoured(aws, seed, factory):
    healthy_trail(seed)
    handle(scheduled(MAIN_ACCOUNT, token="TESTMODE"), factory)
    calls = [r for r in moto_config.reported_evaluations() if r.result_token == "TESTMODE"]
    assert [c.test_mode for c in calls] == [True]


def organization(aws: Any, seed: Any) -> str:
    trail = healthy_trail(seed)
    aws.client(MAIN_ACCOUNT, "cloudtrail").update_trail(Name=trail, IsOrganizationTrail=True)
    aws.register_organization(MAIN_ACCOUNT, [MEMBER_ACCOUNT])
    return trail


def test_an_organization_trail_is_evaluated_where_it_is_owned(aws, seed, factory):
    trail = organization(aws, seed)
    handle(scheduled(MAIN_ACCOUNT, token="token-1"), factory)
    assert verdicts()[("AWS::CloudTrail::Trail", trail)] == "COMPLIANT"


def test_a_member_account_reports_no_evaluation_for_the_organization_trail(
    aws, seed, member_factory
):
    trail = organization(aws, seed)
    handle(scheduled(MEMBER_ACCOUNT, token="token-1"), member_factory)
    found = verdicts()
    assert ("AWS::CloudTrail::Trail", trail) not in found
    # As `scan` in a member account: TW010 cannot read the owner's trail, and says so.
    assert found[("AWS::::Account", MEMBER_ACCOUNT)] == "NON_COMPLIANT"
    assert f"managed by account {MAIN_ACCOUNT}" in annotation(MEMBER_ACCOUNT)


def test_a_change_of_the_organization_trail_in_a_member_is_not_applicable(
    aws, seed, member_factory
):
    organization(aws, seed)
    event = changed(MAIN_ACCOUNT, "org-events", token="token-1")
    event["accountId"] = MEMBER_ACCOUNT
    handle(event, member_factory)
    assert verdicts()[("AWS::CloudTrail::Trail", "org-events")] == "NOT_APPLICABLE"
    assert annotation("org-events") == (
        f"organization trail of account {MAIN_ACCOUNT}, evaluated there"
    )


def test_a_function_invoked_for_another_account_refuses(aws, seed, member_factory):
    healthy_trail(seed)
    with pytest.raises(EventError, match="deploy it in every account"):
        handle(scheduled(MAIN_ACCOUNT, token="token-1"), member_factory)
    assert reported() == []


# Drift: EventBridge → StartConfigRulesEvaluation.
def drift_event(name: str = "StopLogging", error: str | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "eventSource": "cloudtrail.amazonaws.com",
        "eventName": name,
        "awsRegion": "us-east-1",
        "requestParameters": {"name": "org-events"},
        "eventType": "AwsApiCall",
    }
    if error:
        detail["errorCode"] = error
    return {
        "version": "0",
        "id": "6f4a4cd8-1b4c-4c4a-9c0e-7d3a2b1c0d9e",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.cloudtrail",
        "account": MAIN_ACCOUNT,
        "time": "2025-03-14T12:03:11Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }


def test_a_drift_event_starts_a_re_evaluation_of_the_rule(aws, factory, monkeypatch):
    monkeypatch.setenv(RULE_NAME_ENV, RULE_NAME)
    result = handle(drift_event(), factory)
    assert moto_config.started_evaluations() == [RULE_NAME]
    assert result == {
        "drift": True,
        "eventName": "StopLogging",
        "rule": RULE_NAME,
        "evaluation": "started",
    }


def test_a_throttled_re_evaluation_is_retried(aws, factory, monkeypatch):
    monkeypatch.setenv(RULE_NAME_ENV, RULE_NAME)
    aws.deny("config:StartConfigRulesEvaluation", code="LimitExceededException", times=1)
    assert handle(drift_event(), factory)["evaluation"] == "started"
    assert moto_config.started_evaluations() == [RULE_NAME]


def test_a_re_evaluation_already_running_is_not_an_error(aws, monkeypatch):
    monkeypatch.setenv(RULE_NAME_ENV, RULE_NAME)
    moto_config.set_evaluation_running(True)
    # One attempt: botocore's own backoff on LimitExceededException is not under test.
    result = handle(drift_event(), aws.factory(MAIN_ACCOUNT, max_attempts=1))
    assert result["evaluation"] == "already running"
    assert moto_config.started_evaluations() == []


def test_a_failed_call_starts_nothing(aws, factory, monkeypatch):
    monkeypatch.setenv(RULE_NAME_ENV, RULE_NAME)
    result = handle(drift_event(error="AccessDenied"), factory)
    assert result == {"drift": False, "eventName": "StopLogging"}
    assert moto_config.started_evaluations() == []


def test_a_drift_event_without_the_rules_name_is_refused(aws, factory, monkeypatch):
    monkeypatch.delenv(RULE_NAME_ENV, raising=False)
    with pytest.raises(EventError, match=RULE_NAME_ENV):
        handle(drift_event(), factory)


def test_an_unknown_event_is_refused(factory):
    with pytest.raises(EventError, match="neither from AWS Config"):
        handle(json.loads('{"hello": "world"}'), factory)
