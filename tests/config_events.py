"""AWS Config invocations of a custom rule, shaped as AWS documents them.

https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html
``invokingEvent`` and ``ruleParameters`` are JSON strings inside the event.
"""

from __future__ import annotations

import json
from typing import Any

RULE_NAME = "trailwarden-cloudtrail-cloudwatch-logs"
CAPTURED_AT = "2025-03-14T11:58:02.731Z"
NOTIFIED_AT = "2025-03-14T12:00:00.125Z"


def _envelope(
    invoking: dict[str, Any],
    account: str,
    region: str,
    *,
    parameters: dict[str, Any] | None = None,
    token: str = "TESTMODE",
    left_scope: bool = False,
) -> dict[str, Any]:
    event = {
        "version": "1.0",
        "invokingEvent": json.dumps(invoking),
        "resultToken": token,
        "eventLeftScope": left_scope,
        "executionRoleArn": f"arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/"
        "AWSServiceRoleForConfig",
        "configRuleArn": f"arn:aws:config:{region}:{account}:config-rule/config-rule-a1b2c3",
        "configRuleName": RULE_NAME,
        "configRuleId": "config-rule-a1b2c3",
        "accountId": account,
    }
    if parameters is not None:
        event["ruleParameters"] = json.dumps(parameters)
    return event


def scheduled(account: str, region: str = "us-east-1", **extra: Any) -> dict[str, Any]:
    """A periodic invocation (ScheduledNotification)."""
    invoking = {
        "awsAccountId": account,
        "notificationCreationTime": NOTIFIED_AT,
        "messageType": "ScheduledNotification",
        "recordVersion": "1.0",
    }
    return _envelope(invoking, account, region, **extra)


def trail_item(
    account: str, name: str, region: str = "us-east-1", status: str = "OK"
) -> dict[str, Any]:
    """The configuration item AWS Config records for a trail."""
    arn = f"arn:aws:cloudtrail:{region}:{account}:trail/{name}"
    return {
        "relatedEvents": [],
        "relationships": [],
        "configuration": {
            "name": name,
            "s3BucketName": f"trails-{account}-{region}",
            "includeGlobalServiceEvents": True,
            "isMultiRegionTrail": True,
            "homeRegion": region,
            "trailARN": arn,
            "logFileValidationEnabled": False,
            "hasCustomEventSelectors": False,
            "isOrganizationTrail": False,
        }
        if status in ("OK", "ResourceDiscovered")
        else None,
        "supplementaryConfiguration": {},
        "tags": {},
        "configurationItemVersion": "1.3",
        "configurationItemCaptureTime": CAPTURED_AT,
        "configurationStateId": 1741953482731,
        "awsAccountId": account,
        "configurationItemStatus": status,
        "resourceType": "AWS::CloudTrail::Trail",
        "resourceId": name,
        "resourceName": name,
        "ARN": arn,
        "awsRegion": region,
        "availabilityZone": "Not Applicable",
        "configurationStateMd5Hash": "",
        "resourceCreationTime": "2025-03-01T09:00:00.000Z",
    }


def changed(
    account: str, name: str, region: str = "us-east-1", status: str = "OK", **extra: Any
) -> dict[str, Any]:
    """A ConfigurationItemChangeNotification for one trail."""
    invoking = {
        "configurationItemDiff": None,
        "configurationItem": trail_item(account, name, region, status),
        "notificationCreationTime": NOTIFIED_AT,
        "messageType": "ConfigurationItemChangeNotification",
        "recordVersion": "1.3",
    }
    return _envelope(invoking, account, region, **extra)


def oversized(account: str, name: str, region: str = "us-east-1", **extra: Any) -> dict[str, Any]:
    """An OversizedConfigurationItemChangeNotification: a summary instead of the item."""
    item = trail_item(account, name, region)
    summary = {
        k: item[k]
        for k in (
            "configurationItemCaptureTime",
            "configurationStateId",
            "awsAccountId",
            "configurationItemStatus",
            "resourceType",
            "resourceId",
            "resourceName",
            "ARN",
            "awsRegion",
            "availabilityZone",
            "configurationStateMd5Hash",
            "resourceCreationTime",
        )
    }
    invoking = {
        "configurationItemSummary": {"changeType": "UPDATE", **summary},
        "s3DeliverySummary": {"s3BucketLocation": "config-bucket/AWSLogs/oversized.json.gz"},
        "notificationCreationTime": NOTIFIED_AT,
        "messageType": "OversizedConfigurationItemChangeNotification",
        "recordVersion": "1.0",
    }
    return _envelope(invoking, account, region, **extra)
