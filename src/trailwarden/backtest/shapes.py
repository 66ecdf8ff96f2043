"""Which CloudTrail records a JSON document holds, for every shape users hand over.

A CloudTrail record is a JSON object
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
Documents that hold records:

- CloudTrail's S3 delivery file ``{"Records": [record, ...]}``;
- ``aws logs filter-log-events`` / ``get-log-events`` output ``{"events": [{"message":
  "<record as JSON text>", ...}]}`` and a single such event;
- a CloudWatch Logs subscription payload ``{"messageType": "DATA_MESSAGE", "logEvents":
  [{"message": ...}]}`` (a ``CONTROL_MESSAGE`` holds no records), also still wrapped as
  the Lambda event ``{"awslogs": {"data": "<base64 of gzip>"}}``
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html);
- ``aws cloudtrail lookup-events`` output ``{"Events": [{"CloudTrailEvent": "<record as
  JSON text>", ...}]}`` and a single such entry;
- an EventBridge event whose ``detail-type`` is one CloudTrail sends ("AWS API Call via
  CloudTrail", "AWS Console Sign In via CloudTrail", "AWS Service Event via CloudTrail",
  ...: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html),
  the record being its ``detail``;
- a bare record (an object with ``eventVersion`` or ``eventName``), and a JSON array of
  any of the above.

Anything else is not a record and is reported as left out with what it is: a CloudTrail
digest file, an EventBridge event of another detail-type, a log message that is not a
JSON object, a number, ...
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from .memory import too_costly

__all__ = ["LeftOut", "records_in"]

_DIGEST_KEYS = ("digestStartTime", "digestEndTime", "digestS3Bucket")


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Something in a document that is not a CloudTrail record, and what it is."""

    reason: str


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), "a value")


def records_in(document: Any, max_bytes: int) -> Iterator[Any]:
    """The records ``document`` holds, each a dict, and a :class:`LeftOut` for the rest.

    ``max_bytes`` caps what a compressed Lambda payload may expand to.
    """
    if type(document) is list:
        for index, item in enumerate(document):
            if type(item) is list:
                yield LeftOut(f"element {index} of a JSON array is an array, not a record")
            else:
                yield from _one(item, max_bytes)
    else:
        yield from _one(document, max_bytes)


def _one(value: Any, max_bytes: int) -> Iterator[Any]:
    if type(value) is not dict:
        yield LeftOut(f"JSON that is not a CloudTrail record: {_kind(value)}")
        return
    records = value.get("Records")
    if type(records) is list:
        for index, record in enumerate(records):
            if type(record) is dict:
                yield record
            else:
                yield LeftOut(f"Records[{index}] is {_kind(record)}, not a record object")
        return
    if "eventVersion" in value or "eventName" in value:
        yield value
    elif any(key in value for key in _DIGEST_KEYS):
        yield LeftOut("a CloudTrail digest file: it holds hashes of log files, not records")
    elif "messageType" in value and "logEvents" in value:
        yield from _subscription(value)
    elif type(value.get("awslogs")) is dict:
        yield from _lambda_payload(value["awslogs"], max_bytes)
    elif type(value.get("events")) is list:
        yield from _log_events(value["events"], "events")
    elif type(value.get("Events")) is list:
        yield from _lookup_events(value["Events"])
    elif "detail-type" in value and "detail" in value:
        yield from _eventbridge(value)
    elif type(value.get("CloudTrailEvent")) is str:
        yield from _lookup_events([value])
    elif type(value.get("message")) is str:
        yield from _log_events([value], "log event")
    else:
        keys = ", ".join(sorted(value)[:5]) or "no keys"
        yield LeftOut(f"a JSON object that is not a CloudTrail record (keys: {keys})")


def _subscription(payload: dict[str, Any]) -> Iterator[Any]:
    events = payload["logEvents"]
    count = len(events) if type(events) is list else 1
    kind = payload["messageType"]
    if kind == "CONTROL_MESSAGE":
        # CloudWatch Logs checks that the destination is reachable with these.
        for _ in range(max(count, 1)):
            yield LeftOut("a CloudWatch Logs CONTROL_MESSAGE (a delivery check, not a record)")
    elif kind != "DATA_MESSAGE":
        yield LeftOut(f"a CloudWatch Logs payload of messageType {str(kind)[:40]!r}")
    elif type(events) is not list:
        yield LeftOut("a CloudWatch Logs payload whose logEvents is not a list")
    else:
        yield from _log_events(events, "logEvents")


def _lambda_payload(awslogs: dict[str, Any], max_bytes: int) -> Iterator[Any]:
    data = awslogs.get("data")
    if type(data) is not str:
        yield LeftOut('an "awslogs" object without a "data" string')
        return
    try:
        inflater = zlib.decompressobj(31)
        payload = inflater.decompress(base64.b64decode(data, validate=True), max_bytes)
    except (binascii.Error, zlib.error) as exc:
        yield LeftOut(f'an "awslogs" payload that is not base64 of gzip ({exc})')
        return
    if not inflater.eof:
        yield LeftOut('an "awslogs" payload that is truncated or expands beyond '
                      "--max-document-bytes")  # fmt: skip
        return
    costly = too_costly(payload, len(payload), max_bytes)
    if costly is not None:
        yield LeftOut(f'an "awslogs" payload that is {costly}')
        return
    document = _parse(payload)
    if isinstance(document, LeftOut):
        yield LeftOut(f'an "awslogs" payload that is {document.reason}')
    else:
        yield from _one(document, max_bytes)


def _log_events(events: list[Any], where: str) -> Iterator[Any]:
    for index, event in enumerate(events):
        message = event.get("message") if type(event) is dict else None
        if type(message) is not str:
            yield LeftOut(f"{where}[{index}] has no message string")
            continue
        record = _parse(message)
        if isinstance(record, LeftOut):
            yield LeftOut(f"a log event message that is {record.reason}")
        elif type(record) is not dict:
            yield LeftOut(f"a log event message that is {_kind(record)}, not a record object")
        else:
            yield record


def _lookup_events(events: list[Any]) -> Iterator[Any]:
    for index, event in enumerate(events):
        text = event.get("CloudTrailEvent") if type(event) is dict else None
        if type(text) is not str:
            yield LeftOut(f"Events[{index}] has no CloudTrailEvent string")
            continue
        record = _parse(text)
        if type(record) is dict:
            yield record
        elif isinstance(record, LeftOut):
            yield LeftOut(f"a CloudTrailEvent that is {record.reason}")
        else:
            yield LeftOut(f"a CloudTrailEvent that is {_kind(record)}, not a record object")


def _eventbridge(event: dict[str, Any]) -> Iterator[Any]:
    detail_type = event["detail-type"]
    if not (type(detail_type) is str and detail_type.endswith(" via CloudTrail")):
        shown = str(detail_type)[:80]
        yield LeftOut(f"an EventBridge event of detail-type {shown!r}, not one from CloudTrail")
    elif type(event["detail"]) is not dict:
        yield LeftOut("an EventBridge event whose detail is not a record object")
    else:
        yield event["detail"]


def _parse(text: str | bytes) -> Any:
    """A JSON text embedded in a document (a log message), or LeftOut saying why not."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        error = exc
    try:  # what orjson refuses and json reads: lone surrogate escapes, NaN
        return json.loads(text)
    except (ValueError, RecursionError):
        return LeftOut(f"not JSON ({error.msg} at character {error.pos + 1})")
