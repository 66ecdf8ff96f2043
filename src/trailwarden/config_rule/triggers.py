"""The events AWS Config invokes a custom rule's Lambda function with, parsed (pure).

Event shape: https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html
— ``invokingEvent`` is a JSON *string* whose ``messageType`` says what triggered the rule:

- ``ScheduledNotification`` (periodic): ``notificationCreationTime``; every trail is judged.
- ``ConfigurationItemChangeNotification``: ``configurationItem`` — the changed resource,
  its ``configurationItemStatus`` (``OK``, ``ResourceDiscovered``, ``ResourceNotRecorded``,
  ``ResourceDeleted``, ``ResourceDeletedNotRecorded``) and ``configurationItemCaptureTime``.
- ``OversizedConfigurationItemChangeNotification``: the item was too large for the
  event, so only its ``configurationItemSummary`` (same identifying fields) is sent.

``eventLeftScope`` is true when the resource left the rule's scope. An evaluation's
``OrderingTimestamp`` must be the item's capture time for a change, the notification's
creation time for a periodic run (PutEvaluations reference:
https://docs.aws.amazon.com/config/latest/APIReference/API_Evaluation.html).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from trailwarden.arns import parse_arn
from trailwarden.errors import Error

__all__ = [
    "TEST_MODE_TOKEN",
    "ChangedItem",
    "ConfigEvent",
    "EventError",
    "MessageType",
    "parse_config_event",
]

# The result token with which the handler calls PutEvaluations in test mode (AWS's RDK
# convention): the evaluations are validated by AWS Config but not recorded.
TEST_MODE_TOKEN = "TESTMODE"
# The statuses of a resource that exists and is recorded: only these are evaluated.
_PRESENT = frozenset({"OK", "ResourceDiscovered"})


class EventError(Error):
    """An invocation the handler cannot read as an AWS Config event."""


class MessageType(enum.Enum):
    SCHEDULED = "ScheduledNotification"
    CHANGE = "ConfigurationItemChangeNotification"
    OVERSIZED = "OversizedConfigurationItemChangeNotification"


@dataclass(frozen=True)
class ChangedItem:
    """The resource a change notification is about (from the item or its summary)."""

    resource_type: str
    resource_id: str
    status: str  # configurationItemStatus
    arn: str | None = None
    resource_name: str | None = None
    left_scope: bool = False

    @property
    def present(self) -> bool:
        """Whether the resource exists, is recorded and is still in the rule's scope."""
        return self.status in _PRESENT and not self.left_scope


@dataclass(frozen=True)
class ConfigEvent:
    """One invocation of the rule by AWS Config."""

    message_type: MessageType
    ordering_time: datetime  # what every evaluation of this run carries as OrderingTimestamp
    result_token: str
    rule_name: str
    account_id: str
    region: str  # the rule's region (from configRuleArn)
    rule_parameters: str | None = None
    item: ChangedItem | None = None  # change notifications only

    @property
    def test_mode(self) -> bool:
        return self.result_token == TEST_MODE_TOKEN


def parse_config_event(event: Mapping[str, Any], default_region: str | None) -> ConfigEvent:
    """Read an AWS Config invocation; raises :class:`EventError` naming what is missing."""
    invoking = _invoking_event(event)
    try:
        message_type = MessageType(invoking.get("messageType"))
    except ValueError:
        raise EventError(
            f"The rule was invoked with messageType {str(invoking.get('messageType'))[:80]!r}; "
            f"it handles {', '.join(m.value for m in MessageType)}: check the rule's triggers."
        ) from None
    rule_arn = str(event.get("configRuleArn") or "")
    parsed = parse_arn(rule_arn)
    region = parsed.region if parsed and parsed.region else default_region
    if not region:
        raise EventError("The event has no configRuleArn and AWS_REGION is not set.")
    item: ChangedItem | None = None
    if message_type is MessageType.SCHEDULED:
        ordering = _time(invoking, "notificationCreationTime")
    else:
        key = "configurationItem"
        if message_type is MessageType.OVERSIZED:
            key = "configurationItemSummary"
        raw_item = invoking.get(key)
        if not isinstance(raw_item, Mapping):
            raise EventError(f"The {message_type.value} event has no {key}.")
        ordering = _time(raw_item, "configurationItemCaptureTime")
        item = ChangedItem(
            resource_type=str(raw_item.get("resourceType") or ""),
            resource_id=str(raw_item.get("resourceId") or ""),
            status=str(raw_item.get("configurationItemStatus") or ""),
            arn=raw_item.get("ARN") or None,
            resource_name=raw_item.get("resourceName") or None,
            left_scope=event.get("eventLeftScope") is True,
        )
        if not item.resource_type or not item.resource_id:
            raise EventError(f"The {message_type.value} event's {key} names no resource.")
    return ConfigEvent(
        message_type=message_type,
        ordering_time=ordering,
        result_token=_required(event, "resultToken"),
        rule_name=str(event.get("configRuleName") or ""),
        account_id=_required(event, "accountId"),
        region=region,
        rule_parameters=event.get("ruleParameters"),
        item=item,
    )


def _invoking_event(event: Mapping[str, Any]) -> Mapping[str, Any]:
    text = event.get("invokingEvent")
    try:
        invoking = json.loads(text) if isinstance(text, str | bytes) else text
    except json.JSONDecodeError as exc:
        raise EventError(f"The event's invokingEvent is not JSON ({exc.msg}).") from exc
    if not isinstance(invoking, Mapping):
        raise EventError("The event has no invokingEvent object; it is not from AWS Config.")
    return invoking


def _required(event: Mapping[str, Any], key: str) -> str:
    value = event.get(key)
    if not isinstance(value, str) or not value:
        raise EventError(f"The AWS Config event has no {key}.")
    return value


def _time(source: Mapping[str, Any], key: str) -> datetime:
    value = source.get(key)
    try:
        # AWS Config writes ISO 8601 with a Z: "2016-02-17T01:36:34.043Z".
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise EventError(f"The event's {key} is not a time: {str(value)[:40]!r}.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
