"""Drift within minutes: the API calls that break the chain, as an EventBridge pattern.

A periodic run sees a broken alarm chain hours later; these calls are seen as they
happen. EventBridge delivers each management API call as an "AWS API Call via CloudTrail"
event (only while a trail logs in that region: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html),
and the rule below sends the ones that can break trail → log group → metric filter →
alarm → topic → subscriber to the function, which asks AWS Config to re-evaluate
(``StartConfigRulesEvaluation``). IAM is a global service: its events reach EventBridge
in us-east-1 only, so only the stack in us-east-1 sees delivery-role changes.
Calls that failed (``errorCode`` set: AccessDenied, a missing resource) changed nothing
and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["DETAIL_TYPE", "DRIFT_CALLS", "EVENT_PATTERN", "is_drift_event"]

DETAIL_TYPE = "AWS API Call via CloudTrail"

# EventBridge source → the calls of that service that can break the chain.
DRIFT_CALLS: dict[str, tuple[str, ...]] = {
    # The trail: stopped, deleted, repointed, or its management events deselected.
    "aws.cloudtrail": ("StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"),
    # The log group and its filters; DeleteRetentionPolicy makes retention "never
    # expire", which TW007 fails.
    "aws.logs": (
        "DeleteLogGroup",
        "PutRetentionPolicy",
        "DeleteRetentionPolicy",
        "DeleteMetricFilter",
        "PutMetricFilter",
    ),
    # The alarms (CloudWatch's EventBridge source is aws.monitoring).
    "aws.monitoring": ("DeleteAlarms", "DisableAlarmActions", "PutMetricAlarm"),
    # The topics and their subscribers.
    "aws.sns": ("Unsubscribe", "DeleteTopic"),
    # The delivery role: its trust, its policies, its boundary, itself.
    "aws.iam": (
        "UpdateAssumeRolePolicy",
        "PutRolePolicy",
        "DeleteRolePolicy",
        "AttachRolePolicy",
        "DetachRolePolicy",
        "DeleteRole",
        "PutRolePermissionsBoundary",
        "DeleteRolePermissionsBoundary",
    ),
}

_NAMES = tuple(name for calls in DRIFT_CALLS.values() for name in calls)

# One rule over the five sources; no two services share a call name, so one list of names
# is as exact as a pattern per source. Successful calls only.
EVENT_PATTERN: dict[str, Any] = {
    "source": list(DRIFT_CALLS),
    "detail-type": [DETAIL_TYPE],
    "detail": {"eventName": list(_NAMES), "errorCode": [{"exists": False}]},
}


def is_drift_event(event: Mapping[str, Any]) -> bool:
    """Whether ``event`` is one :data:`EVENT_PATTERN` matches (the handler's own check of
    what EventBridge sent it)."""
    detail = event.get("detail")
    if event.get("detail-type") != DETAIL_TYPE or not isinstance(detail, Mapping):
        return False
    if "errorCode" in detail:
        return False
    return event.get("source") in DRIFT_CALLS and detail.get("eventName") in _NAMES
