"""The monitoring fix (TW101–TW115), pure: each broken link of a class's chain gets its step."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factories import make_inventory, make_trail
from monitoring_factories import GROUP_KEY, TOPIC_ARN, make_alarm, make_topic, monitored
from trailwarden.checks import CheckOptions, evaluate
from trailwarden.errors import UsageError
from trailwarden.inventory import Inventory
from trailwarden.remediate import (
    Action,
    FixOptions,
    Plan,
    make_plan,
    plan_from_dict,
    plan_to_dict,
    wanted_resources,
)

OURS = "arn:aws:sns:us-east-1:111111111111:trailwarden-cis-alarms"
MON = CheckOptions(monitoring=True)


def plan(inventory: Inventory, **options: object) -> Plan:
    return make_plan(inventory, evaluate(inventory, MON), FixOptions(**options))  # type: ignore[arg-type]


def kinds(p: Plan) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(s.action.name, s.target.rsplit(":", 1)[-1], s.fixes) for s in p.steps]


def test_monitored_account_needs_nothing() -> None:
    assert plan(monitored()).steps == ()


def test_missing_filter_gets_ours_feeding_the_alarm_on_its_metric() -> None:
    p = plan(monitored(patterns={"TW105": "{ $.eventName = Nothing }"}))
    (filt,) = p.steps
    assert filt.action is Action.PUT_METRIC_FILTER and filt.before is None
    assert filt.target == f"{GROUP_KEY}:metric-filter:trailwarden-cis-tw105"
    assert filt.after["filter_name"] == "trailwarden-cis-tw105"
    (t,) = filt.after["metric_transformations"]
    assert t["metric_value"] == "1" and t["metric_namespace"] == "CISBenchmark"
    # The CIS metric is already watched by an alarm notifying a confirmed subscriber, so our
    # filter completes the chain: no alarm of ours is needed.


def test_users_broken_filter_is_left_alone_with_a_new_one_of_ours() -> None:
    broken = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) }"
    p = plan(monitored(patterns={"TW105": broken}))
    (step, *_) = p.steps
    assert step.action is Action.PUT_METRIC_FILTER and step.fixes == ("TW105",)
    assert "leaves user filters as they are" in step.reason
    assert all(s.target.endswith("trailwarden-cis-tw105") for s in p.steps)


def test_no_alarm_gets_our_alarm_on_a_new_topic_and_email_subscribes() -> None:
    p = plan(monitored(alarms={"TW102": None}), alarm_email="sec@example.com")
    assert [s.action for s in p.steps] == [
        Action.CREATE_TOPIC,
        Action.SUBSCRIBE,
        Action.PUT_METRIC_ALARM,
    ]
    topic, sub, alarm = p.steps
    assert topic.target == OURS and topic.after["tags"] == {"created-by": "trailwarden"}
    assert sub.after == {"protocol": "email", "endpoint": "sec@example.com"}
    assert alarm.after["alarm_actions"] == [OURS] and alarm.after["metric_name"]
    assert ":alarm:trailwarden-cis-tw102-" in alarm.target
    assert alarm.permissions == ("cloudwatch:PutMetricAlarm", "cloudwatch:TagResource")
    assert any("PendingConfirmation" in d for d in p.diagnoses)


def test_without_email_the_plan_says_nobody_will_hear() -> None:
    p = plan(monitored(alarms={"TW102": None}))
    assert [s.action for s in p.steps] == [Action.CREATE_TOPIC, Action.PUT_METRIC_ALARM]
    assert any("notify nobody" in d and "--alarm-email" in d for d in p.diagnoses)


def test_alarm_topic_arn_is_reused() -> None:
    p = plan(monitored(alarms={"TW102": None}), alarm_topic_arn=TOPIC_ARN)
    (alarm,) = p.steps
    assert alarm.action is Action.PUT_METRIC_ALARM and alarm.after["alarm_actions"] == [TOPIC_ARN]


def test_alarm_topic_in_another_region_is_refused() -> None:
    other = TOPIC_ARN.replace("us-east-1", "eu-west-1")
    with pytest.raises(UsageError, match="region"):
        plan(monitored(alarms={"TW102": None}), alarm_topic_arn=other)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"alarm_topic_arn": "arn:aws:sqs:us-east-1:111111111111:q"}, "SNS topic ARN"),
        ({"alarm_topic_arn": "topic"}, "SNS topic ARN"),
        ({"alarm_email": "not-an-address"}, "email address"),
        ({"alarm_email": "a@b"}, "email address"),
    ],
)
def test_invalid_alarm_options(options: dict[str, str], match: str) -> None:
    with pytest.raises(UsageError, match=match):
        FixOptions(**options)  # type: ignore[arg-type]


def test_disabled_actions_are_enabled() -> None:
    p = plan(monitored(alarms={"TW103": make_alarm("TW103", actions_enabled=False)}))
    (step,) = p.steps
    assert step.action is Action.ENABLE_ALARM_ACTIONS and step.fixes == ("TW103",)
    assert (step.before, step.after) == ({"actions_enabled": False}, {"actions_enabled": True})


def test_alarm_without_sns_action_gets_a_new_alarm_of_ours() -> None:
    user = make_alarm("TW104", alarm_actions=())
    p = plan(monitored(alarms={"TW104": user}), alarm_topic_arn=TOPIC_ARN)
    (step,) = p.steps
    assert step.action is Action.PUT_METRIC_ALARM and step.target != user.arn


def test_unconfirmed_topic_with_email_subscribes_else_diagnoses() -> None:
    inv = monitored(topic=make_topic(confirmed_subscriptions=0, pending_subscriptions=1))
    with_email = plan(inv, alarm_email="a@example.com")
    (sub,) = with_email.steps
    assert sub.action is Action.SUBSCRIBE and sub.target == TOPIC_ARN and len(sub.fixes) == 15
    without = plan(inv)
    assert without.steps == ()
    assert any("confirm the pending subscription" in d for d in without.diagnoses)


def test_tw010_failing_skips_every_class() -> None:
    inv = monitored(base=make_inventory((make_trail(multi_region=False),)))
    p = plan(inv)
    assert {s.check_id for s in p.skipped} >= {f"TW{100 + n}" for n in range(1, 16)}
    assert all("fix TW010 first" in s.reason for s in p.skipped if s.check_id != "TW010")


def test_check_scope_limits_the_classes() -> None:
    inv = monitored(alarms={"TW102": None, "TW103": None})
    p = make_plan(inv, evaluate(inv, MON), FixOptions(checks=frozenset({"TW103"})))
    assert {f for s in p.steps for f in s.fixes} == {"TW103"}


def test_step_order_and_determinism() -> None:
    inv = monitored(
        patterns={"TW101": "{ $.errorCode = Nope }"},
        alarms={"TW102": None, "TW103": make_alarm("TW103", actions_enabled=False)},
    )
    first = plan(inv, alarm_email="a@example.com")
    assert first == plan(inv, alarm_email="a@example.com")
    order = [s.action for s in first.steps]
    rank = [Action.CREATE_TOPIC, Action.SUBSCRIBE, Action.PUT_METRIC_FILTER]
    rank += [Action.PUT_METRIC_ALARM, Action.ENABLE_ALARM_ACTIONS]
    assert order == sorted(order, key=rank.index)
    assert [s.id for s in first.steps] == [str(i) for i in range(1, len(first.steps) + 1)]


def test_json_round_trip() -> None:
    p = plan(monitored(alarms={"TW102": None}), alarm_email="a@example.com")
    assert p.steps and plan_from_dict(plan_to_dict(p)) == p


def test_wanted_resources_names_the_topic_to_look_up() -> None:
    inv = monitored(alarms={"TW102": None})
    wanted = wanted_resources(inv, evaluate(inv, MON), FixOptions())
    assert wanted.topics == (OURS,)


def test_existing_topic_of_ours_is_not_created_again() -> None:
    inv = monitored(alarms={"TW102": None})
    inv = replace(inv, topics=(*inv.topics, replace(make_topic(), arn=OURS)))
    assert [s.action for s in plan(inv).steps] == [Action.PUT_METRIC_ALARM]


def test_every_class_gets_its_own_filter_even_where_another_catches_its_events() -> None:
    # With no filter at all (the alarms are there), TW102's corrected pattern (sign-ins
    # without MFA) catches TW106's failed sign-ins too; TW106 still gets its own filter,
    # as CIS has. (Without alarms, its own alarm too: tests/test_cli_selection.py.)
    inventory = monitored()
    inventory = replace(
        inventory, metric_filters=(replace(inventory.metric_filters[0], filters=()),)
    )
    p = plan(inventory)
    filters = {s.after["filter_name"]: s.fixes for s in p.steps}
    assert [s.action for s in p.steps] == [Action.PUT_METRIC_FILTER] * 15
    assert filters["trailwarden-cis-tw106"] == ("TW106",)
    assert filters["trailwarden-cis-tw102"] == ("TW102",)


def test_a_log_group_of_another_account_gets_no_step() -> None:
    # TW010's trail is an organization trail whose log group is the management account's:
    # only that account can add filters there.
    from trailwarden.findings import Status

    inventory = monitored(patterns={"TW103": "{ $.errorCode = Nope }"})
    findings = evaluate(inventory, MON)
    other = "222222222222"
    moved = replace(inventory, account_id=other)
    relabelled = [
        replace(f, resource_id=f"AWS::::Account:{other}", account_id=other)
        if f.resource_id.startswith("AWS::::Account:")
        else f
        for f in findings
    ]
    assert any(f.check_id == "TW010" and f.status is Status.PASS for f in relabelled)

    p = make_plan(moved, relabelled, FixOptions())

    assert not [s for s in p.steps if s.account_id != other]
    (skip,) = [s for s in p.skipped if s.check_id == "TW103"]
    assert "belongs to account 111111111111" in skip.reason


def test_a_filter_trailwarden_cannot_evaluate_never_crashes_the_plan() -> None:
    """An account filter written by anyone with logs:PutMetricFilter: when its alarm
    notifies someone, the class may be monitored (ERROR), so the plan changes nothing for
    it and says why; when nothing it feeds notifies anyone, our filter is planned."""
    from test_checks_monitoring_unevaluable import INVALID, with_extra_filter, without_class

    alarmed = plan(with_extra_filter(without_class(monitored(), "TW112"), INVALID, alarmed=True))
    assert not any("TW112" in s.fixes for s in alarmed.steps)
    (skip,) = [s for s in alarmed.skipped if s.check_id == "TW112"]
    assert "could not be evaluated" in skip.reason and "extra_metric" in skip.reason
    silent = plan(with_extra_filter(without_class(monitored(), "TW112"), INVALID, alarmed=False))
    (step, *_) = [s for s in silent.steps if "TW112" in s.fixes]
    assert step.action is Action.PUT_METRIC_FILTER
    assert step.target.endswith("trailwarden-cis-tw112")
