"""The rule's invocations and parameters, parsed (pure): what AWS Config sends, read exactly;
anything else refused in one sentence."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config_events import changed, oversized, scheduled
from trailwarden.config_rule.parameters import (
    RuleParameterError,
    RuleParameters,
    parse_rule_parameters,
)
from trailwarden.config_rule.triggers import EventError, MessageType, parse_config_event
from trailwarden.errors import Error

ACCOUNT = "111111111111"
NOTIFIED = datetime(2025, 3, 14, 12, 0, 0, 125000, tzinfo=UTC)
CAPTURED = datetime(2025, 3, 14, 11, 58, 2, 731000, tzinfo=UTC)


def test_a_periodic_event_is_ordered_by_its_notification_time() -> None:
    event = parse_config_event(scheduled(ACCOUNT, "eu-west-1"), None)
    assert event.message_type is MessageType.SCHEDULED
    assert event.ordering_time == NOTIFIED
    assert (event.account_id, event.region, event.item) == (ACCOUNT, "eu-west-1", None)
    assert event.test_mode


def test_a_change_is_ordered_by_its_items_capture_time() -> None:
    event = parse_config_event(changed(ACCOUNT, "main", token="abc"), None)
    assert event.message_type is MessageType.CHANGE
    assert event.ordering_time == CAPTURED
    assert event.item is not None
    assert (event.item.resource_type, event.item.resource_id) == ("AWS::CloudTrail::Trail", "main")
    assert event.item.arn == f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main"
    assert event.item.present
    assert not event.test_mode


def test_an_oversized_change_is_read_from_its_summary() -> None:
    event = parse_config_event(oversized(ACCOUNT, "main"), None)
    assert event.message_type is MessageType.OVERSIZED
    assert event.ordering_time == CAPTURED
    assert event.item is not None and event.item.resource_id == "main"


@pytest.mark.parametrize(
    ("status", "left_scope", "present"),
    [
        ("OK", False, True),
        ("ResourceDiscovered", False, True),
        ("ResourceDeleted", False, False),
        ("ResourceDeletedNotRecorded", False, False),
        ("ResourceNotRecorded", False, False),
        ("OK", True, False),
    ],
)
def test_only_a_recorded_trail_in_scope_is_evaluated(
    status: str, left_scope: bool, present: bool
) -> None:
    event = parse_config_event(changed(ACCOUNT, "main", status=status, left_scope=left_scope), None)
    assert event.item is not None and event.item.present is present


@pytest.mark.parametrize(
    ("mutate", "says"),
    [
        (lambda e: e.pop("invokingEvent"), "invokingEvent"),
        (lambda e: e.update(invokingEvent="{not json"), "not JSON"),
        (lambda e: e.update(invokingEvent=json.dumps({"messageType": "Nope"})), "'Nope'"),
        (lambda e: e.pop("resultToken"), "resultToken"),
        (lambda e: e.pop("accountId"), "accountId"),
        (
            lambda e: e.update(
                invokingEvent=json.dumps(
                    {"messageType": "ScheduledNotification", "notificationCreationTime": "soon"}
                )
            ),
            "'soon'",
        ),
        (
            lambda e: e.update(
                invokingEvent=json.dumps({"messageType": "ConfigurationItemChangeNotification"})
            ),
            "configurationItem",
        ),
    ],
)
def test_an_event_that_is_not_aws_configs_is_refused_in_one_sentence(
    mutate: object, says: str
) -> None:
    event = scheduled(ACCOUNT)
    mutate(event)  # type: ignore[operator]
    with pytest.raises(EventError, match=None) as raised:
        parse_config_event(event, "us-east-1")
    assert says in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_rules_region_comes_from_its_arn_else_the_functions() -> None:
    event = scheduled(ACCOUNT, "ap-south-1")
    event.pop("configRuleArn")
    assert parse_config_event(event, "ca-central-1").region == "ca-central-1"


# Parameters: the defaults are `trailwarden scan`'s.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, RuleParameters()),
        ("{}", RuleParameters()),
        ('{"MinRetentionDays": "400"}', RuleParameters(min_retention_days=400)),
        ('{"MinRetentionDays": 90}', RuleParameters(min_retention_days=90)),
        ('{"MaxDeliveryAge": "6h"}', RuleParameters(max_delivery_age=timedelta(hours=6))),
        ('{"MaxDeliveryAge": "1d12h"}', RuleParameters(max_delivery_age=timedelta(hours=36))),
        ('{"Monitoring": "FALSE"}', RuleParameters(monitoring=False)),
        # The console leaves a cleared value as "": the default.
        ('{"MinRetentionDays": "", "Monitoring": " "}', RuleParameters()),
    ],
)
def test_rule_parameters(text: str | None, expected: RuleParameters) -> None:
    assert parse_rule_parameters(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"MinRetention": "365"}', "no parameter 'MinRetention'"),
        ('{"MinRetentionDays": "a year"}', "MinRetentionDays must be a whole number"),
        ('{"MinRetentionDays": "0"}', "from 1 to 3653"),
        ('{"MinRetentionDays": "4000"}', "from 1 to 3653"),
        ('{"MaxDeliveryAge": "soon"}', "MaxDeliveryAge must be a duration"),
        ('{"MaxDeliveryAge": "999999999999"}', "MaxDeliveryAge must be a duration"),
        ('{"MaxDeliveryAge": "400d"}', "from 1s to 365d"),
        ('{"Monitoring": "yes"}', "'true' or 'false'"),
        ('{"Monitoring": true}', "must be a string"),
        ("[1]", "JSON object"),
        ("{oops", "not JSON"),
        ({"Monitoring": "true"}, "must be a JSON string"),
    ],
)
def test_a_bad_rule_parameter_is_named(text: object, says: str) -> None:
    with pytest.raises(RuleParameterError) as raised:
        parse_rule_parameters(text)
    assert says in str(raised.value)


@given(
    st.dictionaries(
        st.sampled_from(["MinRetentionDays", "MaxDeliveryAge", "Monitoring", "x"]),
        st.one_of(
            st.text(max_size=12),
            st.from_regex(r"\A[0-9]{1,25}[smhdw]?\Z"),
            st.integers(),
            st.booleans(),
            st.none(),
        ),
    )
)
def test_any_parameters_give_options_or_an_error_sentence(raw: dict[str, object]) -> None:
    try:
        parsed = parse_rule_parameters(json.dumps(raw))
    except Error as exc:
        assert isinstance(exc, RuleParameterError)
        assert str(exc).endswith(".")
    else:
        parsed.check_options()  # valid options for the checks, never a crash later
