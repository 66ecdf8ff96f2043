"""Collecting the monitoring facts (metric filters, alarms, SNS topics) over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import MAIN_ACCOUNT, AccountSeeder
from trailwarden.collect.aws import collect_account
from trailwarden.inventory import Inventory

CIS_ROOT = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS  '
    '&& $.eventType != "AwsServiceEvent" }'
)
MONITORING_ACTIONS = {
    "logs:DescribeMetricFilters",
    "cloudwatch:DescribeAlarms",
    "sns:ListSubscriptionsByTopic",
}


def integrated(seed: AccountSeeder, name: str, region: str, *, multi: bool = True) -> str:
    """A trail delivering to a new log group of the same name; returns the group's name."""
    group = f"aws-cloudtrail-logs/{name}"
    seed.trail(
        name,
        region,
        multi_region=multi,
        log_group_arn=seed.log_group(group, region),
        role_arn=seed.role(f"{name}-role"),
    )
    return group


def metric_filter(
    seed: AccountSeeder, group: str, region: str, name: str, pattern: str, **extra: Any
) -> None:
    seed.client("logs", region).put_metric_filter(
        logGroupName=group,
        filterName=name,
        filterPattern=pattern,
        metricTransformations=[
            {"metricName": name, "metricNamespace": "CISBenchmark", "metricValue": "1", **extra}
        ],
    )


def alarm(seed: AccountSeeder, region: str, metric: str, *actions: str, **extra: Any) -> None:
    seed.client("cloudwatch", region).put_metric_alarm(
        AlarmName=f"{metric}-alarm",
        MetricName=metric,
        Namespace="CISBenchmark",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=list(actions),
        **extra,
    )


def topic(seed: AccountSeeder, name: str, *emails: str, region: str = "us-east-1") -> str:
    sns = seed.client("sns", region)
    arn: str = sns.create_topic(Name=name)["TopicArn"]
    for email in emails:
        sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=email)
    return arn


def group_key(group: str, region: str) -> str:
    return f"arn:aws:logs:{region}:{MAIN_ACCOUNT}:log-group:{group}"


def monitoring_calls(factory: Any) -> dict[str, int]:
    return {a: n for a, n in factory.call_counts().items() if a in MONITORING_ACTIONS}


def test_filters_of_multi_region_trails_log_groups_are_collected_verbatim(seed, factory):
    east = integrated(seed, "org-wide", "us-east-1")
    dublin = integrated(seed, "eu-copy", "eu-west-1")
    local = integrated(seed, "local", "us-west-2", multi=False)
    metric_filter(seed, east, "us-east-1", "RootUsage", CIS_ROOT, defaultValue=0)
    metric_filter(seed, east, "us-east-1", "Noise", "ERROR")
    metric_filter(seed, local, "us-west-2", "NotCollected", "ERROR")

    inventory = collect_account(factory)

    by_key = {g.log_group_key: g for g in inventory.metric_filters}
    # A single-region trail cannot be TW010's trail: its log group is not read.
    assert set(by_key) == {group_key(east, "us-east-1"), group_key(dublin, "eu-west-1")}
    root = next(f for f in by_key[group_key(east, "us-east-1")].filters if f.name == "RootUsage")
    assert root.pattern == CIS_ROOT  # two spaces before && kept
    assert root.region == "us-east-1"
    (transformation,) = root.transformations
    assert (transformation.metric_name, transformation.metric_namespace) == (
        "RootUsage",
        "CISBenchmark",
    )
    assert transformation.metric_value == "1" and transformation.default_value == 0
    assert by_key[group_key(dublin, "eu-west-1")].filters == ()
    assert monitoring_calls(factory)["logs:DescribeMetricFilters"] == 2


def test_log_groups_that_cannot_receive_the_trail_are_not_read(seed, factory):
    seed.trail(  # the log group was deleted (or never created)
        "ghost",
        "us-east-1",
        multi_region=True,
        log_group_arn=seed.log_group_arn("gone", "us-east-1"),
        role_arn=seed.role("ghost-role"),
    )
    seed.trail(  # a log group in another region than the trail's home: never delivered to
        "elsewhere",
        "us-east-1",
        multi_region=True,
        log_group_arn=seed.log_group("elsewhere", "eu-west-1"),
        role_arn=seed.role("elsewhere-role"),
    )

    inventory = collect_account(factory)

    assert inventory.metric_filters == inventory.alarms == inventory.topics == ()
    assert monitoring_calls(factory) == {}


def test_metric_alarms_are_collected_once_per_region_of_a_monitored_log_group(seed, factory):
    integrated(seed, "mgmt", "us-east-1")
    integrated(seed, "mgmt-copy", "us-east-1")
    integrated(seed, "dublin", "eu-west-1")
    alarm(seed, "us-east-1", "RootUsage", ActionsEnabled=False)
    seed.client("cloudwatch", "us-east-1").put_metric_alarm(
        AlarmName="math",
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        Metrics=[
            {"Id": "e1", "Expression": "m1 * 2", "ReturnData": True},
            {
                "Id": "m1",
                "MetricStat": {
                    "Metric": {"MetricName": "IamChanges", "Namespace": "CISBenchmark"},
                    "Period": 300,
                    "Stat": "Sum",
                },
                "ReturnData": False,
            },
        ],
    )
    alarm(seed, "us-west-2", "NotCollected")

    inventory = collect_account(factory)

    assert [r.region for r in inventory.alarms] == ["eu-west-1", "us-east-1"]
    east = {a.name: a for a in inventory.alarms[1].alarms}
    assert set(east) == {"RootUsage-alarm", "math"}
    root = east["RootUsage-alarm"]
    assert (root.metric_name, root.namespace, root.actions_enabled) == (
        "RootUsage",
        "CISBenchmark",
        False,
    )
    assert (root.statistic, root.comparison_operator, root.threshold) == (
        "Sum",
        "GreaterThanOrEqualToThreshold",
        1.0,
    )
    assert (root.period, root.evaluation_periods, root.state) == (300, 1, "OK")
    assert root.arn.endswith(":alarm:RootUsage-alarm")
    assert east["math"].metric_name is None
    assert east["math"].metrics[1]["MetricStat"]["Metric"]["MetricName"] == "IamChanges"
    assert inventory.alarms[0].alarms == ()
    assert monitoring_calls(factory)["cloudwatch:DescribeAlarms"] == 2


def test_topics_of_alarms_on_filter_metrics_are_read_with_confirmed_and_pending_counts(
    seed, factory, aws
):
    group = integrated(seed, "mgmt", "us-east-1")
    metric_filter(seed, group, "us-east-1", "RootUsage", CIS_ROOT)
    metric_filter(seed, group, "us-east-1", "S3Policy", '{ $.eventSource = "s3.amazonaws.com" }')
    metric_filter(seed, group, "us-east-1", "Gone", '{ $.eventName = "DeleteTrail" }')
    confirmed = topic(seed, "security-alerts", "soc@example.com", "oncall@example.com")
    pending = topic(seed, "unconfirmed", "nobody@example.com")
    sns = seed.client("sns")
    for sub in sns.list_subscriptions_by_topic(TopicArn=pending)["Subscriptions"]:
        aws.set_pending_confirmation(sub["SubscriptionArn"])
    deleted = topic(seed, "deleted")
    sns.delete_topic(TopicArn=deleted)
    unrelated = topic(seed, "billing", "finance@example.com")
    autoscaling = (
        f"arn:aws:autoscaling:us-east-1:{MAIN_ACCOUNT}:scalingPolicy:"
        "1a2b3c4d-0000-1111-2222-333344445555:autoScalingGroupName/web:policyName/up"
    )
    alarm(seed, "us-east-1", "RootUsage", confirmed, autoscaling)
    alarm(seed, "us-east-1", "S3Policy", pending, confirmed)
    alarm(seed, "us-east-1", "Gone", deleted)
    alarm(seed, "us-east-1", "EstimatedCharges", unrelated)  # no filter publishes it

    inventory = collect_account(factory)

    topics = {t.arn: t for t in inventory.topics}
    assert set(topics) == {confirmed, pending, deleted}
    assert (topics[confirmed].confirmed_subscriptions, topics[confirmed].pending_subscriptions) == (
        2,
        0,
    )
    assert topics[confirmed].protocols == ("email",)
    assert topics[confirmed].region == "us-east-1" and topics[confirmed].exists
    assert (topics[pending].confirmed_subscriptions, topics[pending].pending_subscriptions) == (
        0,
        1,
    )
    assert topics[deleted].exists is False and topics[deleted].error is None
    assert monitoring_calls(factory)["sns:ListSubscriptionsByTopic"] == 3  # each topic once


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ("logs:DescribeMetricFilters", "metric_filters"),
        ("cloudwatch:DescribeAlarms", "alarms"),
        ("sns:ListSubscriptionsByTopic", "topics"),
    ],
)
def test_denied_monitoring_reads_are_recorded_as_errors(seed, factory, aws, action, field):
    group = integrated(seed, "mgmt", "us-east-1")
    metric_filter(seed, group, "us-east-1", "RootUsage", CIS_ROOT)
    alarm(seed, "us-east-1", "RootUsage", topic(seed, "alerts", "soc@example.com"))
    aws.deny(action)

    inventory: Inventory = collect_account(factory)

    (denied,) = getattr(inventory, field)
    assert denied.error is not None
    assert denied.error.action == action
    assert denied.error.code.startswith("AccessDenied")
    assert denied.error.region == "us-east-1"
    assert inventory.errors == ()


def test_nothing_about_monitoring_is_read_when_not_asked(seed, factory):
    group = integrated(seed, "mgmt", "us-east-1")
    metric_filter(seed, group, "us-east-1", "RootUsage", CIS_ROOT)
    alarm(seed, "us-east-1", "RootUsage", topic(seed, "alerts", "soc@example.com"))

    inventory = collect_account(factory, monitoring=False)

    assert inventory.metric_filters == inventory.alarms == inventory.topics == ()
    assert monitoring_calls(factory) == {}
    assert len(inventory.log_groups) == 1
