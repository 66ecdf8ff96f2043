"""The drift rule's EventBridge pattern, matched by EventBridge's TestEventPattern (moto's
pattern engine over HTTP) against CloudTrail API-call events as EventBridge delivers them."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from conftest import MAIN_ACCOUNT
from trailwarden.config_rule.drift import DRIFT_CALLS, EVENT_PATTERN, is_drift_event
from trailwarden.monitoring.corpus import corpus

# eventSource (in the CloudTrail record) → source (in the EventBridge event).
SOURCES = {
    "cloudtrail.amazonaws.com": "aws.cloudtrail",
    "logs.amazonaws.com": "aws.logs",
    "monitoring.amazonaws.com": "aws.monitoring",
    "sns.amazonaws.com": "aws.sns",
    "iam.amazonaws.com": "aws.iam",
    "s3.amazonaws.com": "aws.s3",
    "ec2.amazonaws.com": "aws.ec2",
}


def record(
    event_source: str,
    event_name: str,
    parameters: dict[str, Any] | None = None,
    *,
    error_code: str | None = None,
    read_only: bool = False,
    region: str = "eu-west-1",
) -> dict[str, Any]:
    """A CloudTrail management-event record of one API call."""
    out: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLEID:mallory",
            "arn": f"arn:aws:sts::{MAIN_ACCOUNT}:assumed-role/Admin/mallory",
            "accountId": MAIN_ACCOUNT,
            "sessionContext": {"attributes": {"mfaAuthenticated": "false"}},
        },
        "eventTime": "2025-03-14T12:03:11Z",
        "eventSource": event_source,
        "eventName": event_name,
        "awsRegion": "us-east-1" if event_source == "iam.amazonaws.com" else region,
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79",
        "requestParameters": parameters or {},
        "responseElements": None,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": MAIN_ACCOUNT,
        "eventCategory": "Management",
    }
    if error_code is not None:
        out["errorCode"] = error_code
        out["errorMessage"] = f"User is not authorized to perform {event_name}"
    return out


def delivered(detail: dict[str, Any]) -> dict[str, Any]:
    """The record as EventBridge delivers it ("AWS API Call via CloudTrail")."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "AWS API Call via CloudTrail",
        "source": SOURCES[detail["eventSource"]],
        "account": MAIN_ACCOUNT,
        "time": detail["eventTime"],
        "region": detail["awsRegion"],
        "resources": [],
        "detail": detail,
    }


def matches(aws: Any, event: dict[str, Any]) -> bool:
    client = aws.client(MAIN_ACCOUNT, "events")
    result = client.test_event_pattern(
        EventPattern=json.dumps(EVENT_PATTERN), Event=json.dumps(event)
    )["Result"]
    assert result is is_drift_event(event)  # the handler's own check agrees with EventBridge
    return bool(result)


BREAKING = [
    record("cloudtrail.amazonaws.com", "StopLogging", {"name": "org-events"}),
    record("cloudtrail.amazonaws.com", "DeleteTrail", {"name": "org-events"}),
    record(
        "cloudtrail.amazonaws.com",
        "UpdateTrail",
        {"name": "org-events", "cloudWatchLogsLogGroupArn": "", "cloudWatchLogsRoleArn": ""},
    ),
    record(
        "cloudtrail.amazonaws.com",
        "PutEventSelectors",
        {"trailName": "org-events", "eventSelectors": [{"readWriteType": "ReadOnly"}]},
    ),
    record("logs.amazonaws.com", "DeleteLogGroup", {"logGroupName": "aws-cloudtrail-logs/x"}),
    record("logs.amazonaws.com", "PutRetentionPolicy", {"logGroupName": "x", "retentionInDays": 1}),
    record("logs.amazonaws.com", "DeleteRetentionPolicy", {"logGroupName": "x"}),
    record("logs.amazonaws.com", "DeleteMetricFilter", {"logGroupName": "x", "filterName": "f"}),
    record("logs.amazonaws.com", "PutMetricFilter", {"logGroupName": "x", "filterName": "f"}),
    record("monitoring.amazonaws.com", "DeleteAlarms", {"alarmNames": ["cis-root-usage"]}),
    record("monitoring.amazonaws.com", "DisableAlarmActions", {"alarmNames": ["cis"]}),
    record("monitoring.amazonaws.com", "PutMetricAlarm", {"alarmName": "cis", "actionsEnabled": 0}),
    record("sns.amazonaws.com", "Unsubscribe", {"subscriptionArn": "arn:aws:sns:eu-west-1:1:t:s"}),
    record("sns.amazonaws.com", "DeleteTopic", {"topicArn": "arn:aws:sns:eu-west-1:1:t"}),
    record("iam.amazonaws.com", "UpdateAssumeRolePolicy", {"roleName": "CloudTrail_CWL"}),
    record("iam.amazonaws.com", "PutRolePolicy", {"roleName": "CloudTrail_CWL"}),
    record("iam.amazonaws.com", "DeleteRolePolicy", {"roleName": "CloudTrail_CWL"}),
    record("iam.amazonaws.com", "AttachRolePolicy", {"roleName": "CloudTrail_CWL"}),
    record("iam.amazonaws.com", "DetachRolePolicy", {"roleName": "CloudTrail_CWL"}),
    record("iam.amazonaws.com", "DeleteRole", {"roleName": "CloudTrail_CWL"}),
    record("iam.amazonaws.com", "PutRolePermissionsBoundary", {"roleName": "CloudTrail_CWL"}),
    record("iam.amazonaws.com", "DeleteRolePermissionsBoundary", {"roleName": "CloudTrail_CWL"}),
]


@pytest.mark.parametrize("detail", BREAKING, ids=lambda d: d["eventName"])
def test_a_call_that_breaks_the_chain_starts_a_re_evaluation(aws: Any, detail: dict) -> None:
    assert matches(aws, delivered(detail))


def test_every_listed_call_has_a_breaking_sample() -> None:
    listed = {(s, n) for s, names in DRIFT_CALLS.items() for n in names}
    sampled = {(SOURCES[d["eventSource"]], d["eventName"]) for d in BREAKING}
    assert sampled == listed


HARMLESS = [
    # Reads, and calls that change nothing on the chain.
    record("cloudtrail.amazonaws.com", "DescribeTrails", read_only=True),
    record("cloudtrail.amazonaws.com", "StartLogging", {"name": "org-events"}),
    record("logs.amazonaws.com", "CreateLogStream", {"logGroupName": "x"}),
    record("monitoring.amazonaws.com", "EnableAlarmActions", {"alarmNames": ["cis"]}),
    record("sns.amazonaws.com", "Subscribe", {"topicArn": "t", "protocol": "email"}),
    # Other IAM calls than a role's: users and groups are not delivery roles.
    record("iam.amazonaws.com", "PutUserPolicy", {"userName": "alice"}),
    record("iam.amazonaws.com", "DeleteGroupPolicy", {"groupName": "ops"}),
    # Same names from other services never match.
    record("s3.amazonaws.com", "DeleteBucketPolicy", {"bucketName": "trails"}),
    record("ec2.amazonaws.com", "DeleteSecurityGroup", {"groupId": "sg-1"}),
    # Failed calls changed nothing.
    record("cloudtrail.amazonaws.com", "StopLogging", {"name": "t"}, error_code="AccessDenied"),
    record("logs.amazonaws.com", "DeleteLogGroup", error_code="ResourceNotFoundException"),
    record("iam.amazonaws.com", "DeleteRole", error_code="DeleteConflict"),
]


@pytest.mark.parametrize(
    "detail", HARMLESS, ids=lambda d: d["eventName"] + ("-failed" if "errorCode" in d else "")
)
def test_a_call_that_breaks_nothing_is_left_out(aws: Any, detail: dict) -> None:
    assert not matches(aws, delivered(detail))


def test_other_detail_types_are_left_out(aws: Any) -> None:
    event = delivered(record("cloudtrail.amazonaws.com", "StopLogging", {"name": "t"}))
    event["detail-type"] = "AWS Console Signin via CloudTrail"
    assert not matches(aws, event)


@pytest.mark.parametrize("class_id", ["TW104", "TW105"])
def test_the_cis_corpus_records_match_exactly_the_listed_calls(aws: Any, class_id: str) -> None:
    # Realistic records of IAM policy changes (TW104) and CloudTrail changes (TW105): each
    # matches exactly when it is one of the listed calls (CreateTrail, PutGroupPolicy … not).
    names = {n for calls in DRIFT_CALLS.values() for n in calls}
    for sample in corpus(class_id).positives:
        detail = dict(sample.record)
        if "errorCode" in detail:
            continue
        assert matches(aws, delivered(detail)) is (detail["eventName"] in names), sample.note
