"""Real-shaped CloudTrail inputs for the backtest tests, built to AWS's documented shapes.

- records: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
- S3 delivery files: ``{"Records":[...]}``, compact, gzipped
- ``aws logs filter-log-events`` / ``aws cloudtrail lookup-events`` output: the CLI's
  pretty-printed JSON (4-space indent)
- CloudWatch Logs subscription payloads (DATA_MESSAGE / CONTROL_MESSAGE) and the Lambda
  event that carries them: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html
- EventBridge "AWS API Call via CloudTrail" events:
  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
"""

from __future__ import annotations

import base64
import gzip
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

ACCOUNT = "123456789012"
STOP = '{ $.eventName = "StopLogging" }'


def record(
    name: str = "StopLogging",
    time: str = "2024-05-01T10:15:00Z",
    source: str = "cloudtrail.amazonaws.com",
    **extra: Any,
) -> dict[str, Any]:
    """A management-event record as CloudTrail writes it."""
    return {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEUSERID0001",
            "arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
            "accountId": ACCOUNT,
            "accessKeyId": "AKIAEXAMPLEACCESSKEY",
            "userName": "alice",
        },
        "eventTime": time,
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.9",
        "userAgent": "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0",
        "requestParameters": {"name": "management-events"},
        "responseElements": None,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": name.startswith(("Describe", "Get", "List")),
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": "cloudtrail.us-east-1.amazonaws.com",
        },
        **extra,
    }


def records(count: int, stop_every: int = 0) -> list[dict[str, Any]]:
    """``count`` records; every ``stop_every``-th one (if any) is a StopLogging."""
    return [
        record("StopLogging" if stop_every and i % stop_every == 0 else "DescribeTrails")
        for i in range(count)
    ]


def s3_body(batch: list[dict[str, Any]]) -> bytes:
    """One S3 delivery file's content (CloudTrail writes it compact, on one line)."""
    return orjson.dumps({"Records": batch})


def write(path: Path, data: bytes, gz: bool = False) -> Path:
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _millis(time: str) -> int:
    return int(datetime.strptime(time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()) * 1000


def filter_log_events(batch: list[dict[str, Any]]) -> bytes:
    """``aws logs filter-log-events --log-group-name CloudTrail/logs`` output."""
    events = [
        {
            "logStreamName": f"{ACCOUNT}_CloudTrail_us-east-1",
            "timestamp": _millis(r["eventTime"]),
            "message": orjson.dumps(r).decode(),
            "ingestionTime": _millis(r["eventTime"]) + 60_000,
            "eventId": f"{37_000_000 + i:056d}",
        }
        for i, r in enumerate(batch)
    ]
    return json.dumps({"events": events, "searchedLogStreams": []}, indent=4).encode()


def subscription_payload(
    batch: list[dict[str, Any]], message_type: str = "DATA_MESSAGE"
) -> dict[str, Any]:
    """What a CloudWatch Logs subscription delivers (before base64 and gzip)."""
    if message_type == "CONTROL_MESSAGE":
        return {
            "messageType": "CONTROL_MESSAGE",
            "owner": "CloudwatchLogs",
            "logGroup": "",
            "logStream": "",
            "subscriptionFilters": [],
            "logEvents": [
                {
                    "id": "",
                    "timestamp": 1714558500000,
                    "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose.",
                }
            ],
        }
    return {
        "messageType": message_type,
        "owner": ACCOUNT,
        "logGroup": "aws-cloudtrail-logs/org-events",
        "logStream": f"{ACCOUNT}_CloudTrail_us-east-1",
        "subscriptionFilters": ["to-firehose"],
        "logEvents": [
            {
                "id": f"{31_953_106_606_966 + i:056d}",
                "timestamp": _millis(r["eventTime"]),
                "message": orjson.dumps(r).decode(),
            }
            for i, r in enumerate(batch)
        ],
    }


def lambda_event(payload: dict[str, Any]) -> bytes:
    """The event a Lambda subscription target receives."""
    data = base64.b64encode(gzip.compress(orjson.dumps(payload))).decode()
    return json.dumps({"awslogs": {"data": data}}, indent=2).encode()


def lookup_events(batch: list[dict[str, Any]]) -> bytes:
    """``aws cloudtrail lookup-events`` output: each record as a JSON string."""
    events = [
        {
            "EventId": r["eventID"],
            "EventName": r["eventName"],
            "ReadOnly": str(r["readOnly"]).lower(),
            "AccessKeyId": "AKIAEXAMPLEACCESSKEY",
            "EventTime": r["eventTime"].replace("Z", "+00:00"),
            "EventSource": r["eventSource"],
            "Username": "alice",
            "Resources": [
                {
                    "ResourceType": "AWS::CloudTrail::Trail",
                    "ResourceName": "management-events",
                }
            ],
            "CloudTrailEvent": orjson.dumps(r).decode(),
        }
        for r in batch
    ]
    return json.dumps({"Events": events}, indent=4).encode()


def eventbridge(
    detail: dict[str, Any], detail_type: str = "AWS API Call via CloudTrail"
) -> dict[str, Any]:
    """An EventBridge event as a rule target receives it."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "aws.cloudtrail",
        "account": ACCOUNT,
        "time": detail.get("eventTime", "2024-05-01T10:15:00Z"),
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }


_MEASURED = """\
import re, runpy, sys
try:
    runpy.run_module("trailwarden", run_name="__main__")
finally:
    with open("/proc/self/status") as status:
        print(re.search(r"VmHWM:\\s*(\\d+) kB", status.read()).group(1), file=sys.stderr)
"""


def run_measured(
    *args: str, timeout: float = 300
) -> tuple[subprocess.CompletedProcess[str], float]:
    """The CLI in its own process, and that process's peak RSS in MB.

    VmHWM is the peak of the process's own memory since it started its program; getrusage's
    ru_maxrss would include the test runner's size at fork.
    """
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc (Linux)")
    done = subprocess.run([sys.executable, "-c", _MEASURED, *args], capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip
    lines = done.stderr.splitlines()
    return done, int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("inf")
