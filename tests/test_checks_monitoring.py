"""TW101–TW115: filter → metric → alarm → SNS, judged by what the filter matches."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factories import denied, make_inventory, make_trail
from monitoring_factories import TOPIC_ARN, make_alarm, make_topic, monitored
from trailwarden.checks import CHECKS, CheckOptions, evaluate
from trailwarden.filterpattern import compile_pattern
from trailwarden.findings import Finding, Status
from trailwarden.inventory import Inventory
from trailwarden.monitoring import CLASSES, corpus

IDS = [c.id for c in CLASSES]
CIS_41_AND = (
    '{ ($.errorCode = "*UnauthorizedOperation") && ($.errorCode = "AccessDenied*") && '
    '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }'
)
CIS_41_V14 = (
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || '
    '($.sourceIPAddress != "delivery.logs.amazonaws.com") || ($.eventName != "HeadBucket") }'
)
CIS_41_REORDERED = (
    '{ ($.eventName != "HeadBucket") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") '
    '&& (($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation")) }'
)
CIS_43_TWO_SPACES = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT  EXISTS && '
    '$.eventType != "AwsServiceEvent" }'
)

MONITORING = CheckOptions(monitoring=True)


def finding(inventory: Inventory, check_id: str) -> Finding:
    [found] = [f for f in evaluate(inventory, MONITORING) if f.check_id == check_id]
    return found


@pytest.mark.parametrize("class_id", IDS)
def test_corpus_self_test_corrected_pattern_matches_every_positive_and_no_negative(class_id):
    cls = next(c for c in CLASSES if c.id == class_id)
    pattern, samples = compile_pattern(cls.pattern), corpus(class_id)
    assert samples.positives and samples.negatives
    assert [s.label for s in samples.positives if not pattern.matches(s.record)] == []
    assert [s.label for s in samples.negatives if pattern.matches(s.record)] == []
    names = {s.record["eventName"] for s in samples.positives}
    assert set(cls.event_names) <= names  # every event name of every CIS version


@pytest.mark.parametrize("class_id", IDS)
def test_each_class_passes_with_corrected_pattern_alarm_and_confirmed_topic(class_id):
    f = finding(monitored(), class_id)
    assert f.status is Status.PASS, f.message
    assert (f.region, f.resource_type) == ("us-east-1", "AWS::::Account")
    assert f.resource_id == "AWS::::Account:111111111111"
    assert "noisy" not in f.message
    assert f.evidence["topic"] == TOPIC_ARN


def test_corpus_covers_identity_types_regions_and_cis_additions():
    records = [s.record for c in CLASSES for s in corpus(c.id).positives]
    assert {r["userIdentity"]["type"] for r in records} >= {
        "IAMUser",
        "AssumedRole",
        "Root",
        "FederatedUser",
    }
    assert len({r["awsRegion"] for r in records}) >= 4
    assert "ModifySecurityGroupRules" in {s.record["eventName"] for s in corpus("TW110").positives}
    codes = {s.record.get("errorCode") for s in corpus("TW101").positives}
    assert {"Client.UnauthorizedOperation", "UnauthorizedOperation", "AccessDenied"} <= codes
    assert "AccessDeniedException" in codes


def test_and_joined_unauthorized_pattern_never_fires_and_fails_with_a_missed_positive():
    f = finding(monitored(patterns={"TW101": CIS_41_AND}), "TW101")
    assert f.status is Status.FAIL
    # The filter aimed at the class is named (not TW103's, which catches root's denial).
    assert "the closest, unauthorized_api_calls_metric" in f.message
    assert "misses 8 of 8" in f.message
    assert "ec2.amazonaws.com RunInstances (Client.UnauthorizedOperation)" in f.message
    assert "aws logs put-metric-filter" in f.remediation
    assert "aws cloudwatch put-metric-alarm" in f.remediation


def test_reordered_clauses_pass():
    assert finding(monitored(patterns={"TW101": CIS_41_REORDERED}), "TW101").status is Status.PASS


def test_not_exists_with_two_spaces_passes_root_usage():
    assert finding(monitored(patterns={"TW103": CIS_43_TWO_SPACES}), "TW103").status is Status.PASS


def test_v14_pattern_that_ors_everything_passes_but_is_noisy_naming_a_negative():
    f = finding(monitored(patterns={"TW101": CIS_41_V14}), "TW101")
    assert f.status is Status.PASS
    assert "noisy" in f.message
    assert "s3.amazonaws.com HeadBucket (AccessDenied)" in f.message


def test_missing_an_event_name_fails_naming_it():
    sg = CLASSES[9]
    old = sg.pattern.replace(" || ($.eventName = ModifySecurityGroupRules)", "")
    f = finding(monitored(patterns={"TW110": old}), "TW110")
    assert f.status is Status.FAIL
    assert "misses 1 of 7, first ec2.amazonaws.com ModifySecurityGroupRules" in f.message


def test_invalid_pattern_with_a_notifying_alarm_is_an_error_naming_filter_and_reason():
    # More in test_checks_monitoring_unevaluable.py.
    f = finding(monitored(patterns={"TW105": "{ $.eventName = "}), "TW105")
    assert f.status is Status.ERROR
    assert "Metric filter cloudtrail_cfg_changes_metric" in f.message
    assert "cannot be evaluated: position 16: expected '}' at the end" in f.message


@pytest.mark.parametrize(
    ("alarm", "topic", "needle"),
    [
        (None, None, "no alarm in us-east-1 watches that metric"),
        (make_alarm("TW104", namespace="Custom"), None, "another namespace"),
        (make_alarm("TW104", actions_enabled=False), None, "actions disabled"),
        (make_alarm("TW104", alarm_actions=()), None, "no alarm action to an SNS topic"),
        (
            make_alarm("TW104", alarm_actions=("arn:aws:automate:us-east-1:ec2:stop",)),
            None,
            "no alarm action to an SNS topic",
        ),
        (
            make_alarm("TW104"),
            make_topic(confirmed_subscriptions=0, pending_subscriptions=2),
            "no confirmed subscription (2 pending confirmation)",
        ),
        (make_alarm("TW104"), make_topic(exists=False), "does not exist"),
    ],
)
def test_each_broken_link_fails_with_its_message(alarm, topic, needle):
    f = finding(monitored(alarms={"TW104": alarm}, topic=topic), "TW104")
    assert f.status is Status.FAIL
    assert needle in f.message
    assert "aws sns create-topic" in f.remediation


def test_metric_math_alarm_that_reads_the_metric_counts():
    query = {
        "Id": "m1",
        "MetricStat": {
            "Metric": {"Namespace": "CISBenchmark", "MetricName": "iam_changes_metric"},
            "Period": 300,
            "Stat": "Sum",
        },
    }
    alarm = make_alarm("TW104", metric_name=None, namespace=None, metrics=(query,))
    assert finding(monitored(alarms={"TW104": alarm}), "TW104").status is Status.PASS


def test_alarm_in_another_region_does_not_count():
    alarm = make_alarm("TW104", region="eu-west-1")
    inventory = monitored(alarms={"TW104": None})
    inventory = replace(
        inventory,
        alarms=(
            *inventory.alarms,
            replace(inventory.alarms[0], region="eu-west-1", alarms=(alarm,)),
        ),
    )
    assert finding(inventory, "TW104").status is Status.FAIL


def test_no_qualifying_trail_fails_and_depends_on_tw010():
    base = make_inventory((make_trail(multi_region=False),))
    f = finding(monitored(base=base), "TW101")
    assert (f.status, f.region) == (Status.FAIL, "global")
    assert "TW010" in f.message


def test_tw010_error_gives_error():
    base = make_inventory(errors=(denied("cloudtrail:ListTrails"),), trails=())
    assert finding(monitored(base=base), "TW101").status is Status.ERROR


@pytest.mark.parametrize(
    ("inventory", "needle"),
    [
        (make_inventory(), "not collected"),
        (
            monitored(filters_error=denied("logs:DescribeMetricFilters")),
            "logs:DescribeMetricFilters",
        ),
        (monitored(alarms_error=denied("cloudwatch:DescribeAlarms")), "cloudwatch:DescribeAlarms"),
        (
            monitored(topic=make_topic(error=denied("sns:ListSubscriptionsByTopic"))),
            "sns:ListSubscriptionsByTopic",
        ),
    ],
)
def test_unreadable_facts_give_error_naming_action_and_code(inventory, needle):
    f = finding(inventory, "TW107")
    assert f.status is Status.ERROR
    assert needle in f.message
    assert "AccessDeniedException" in f.message or needle == "not collected"


def test_topic_not_collected_is_error():
    f = finding(
        monitored(topic=make_topic(arn="arn:aws:sns:us-east-1:111111111111:other")), "TW101"
    )
    assert f.status is Status.ERROR


def test_registry_and_only_option():
    for cls in CLASSES:
        spec = CHECKS[cls.id]
        assert spec.scope == "account" and cls.pattern in spec.remediation
    found = evaluate(monitored(), CheckOptions(only=frozenset({"tw103"})))
    assert [f.check_id for f in found] == ["TW103"]
    assert [f.check_id for f in evaluate(monitored(), MONITORING)][-16:] == ["TW010", *IDS]
    assert [f.check_id for f in evaluate(monitored())][-16:] == ["TW010", *IDS]  # by default
    trail_only = evaluate(monitored(), CheckOptions(monitoring=False))
    assert not any(f.check_id in IDS for f in trail_only)
