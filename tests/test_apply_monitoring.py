"""Applying the monitoring fix (TW101–TW115) against moto's server over HTTP, with
hand-built plans: exactly the filter, topic, subscription and alarm the plan names, in the
step's region; nothing when the target changed since the plan."""

from __future__ import annotations

from dataclasses import replace

from conftest import MAIN_ACCOUNT
from remediation import (
    EMAIL,
    REGION,
    TAGS,
    alarm_step,
    create_topic_step,
    enable_actions_step,
    filter_step,
    plan_of,
    subscribe_step,
    topic_arn,
    transformation,
    user_alarm,
)
from trailwarden.remediate import Action, ApplyStatus, apply_plan, read_journal

GROUP = "cis-logs"
METRIC = "ConsoleSignInWithoutMfa"


def full_plan(seed):
    seed.log_group(GROUP, REGION)
    topic = topic_arn()
    return plan_of(
        create_topic_step(),
        subscribe_step(topic),
        filter_step(GROUP, "trailwarden-cis-tw102", METRIC),
        alarm_step("trailwarden-cis-tw102-mfa", METRIC, topic),
    )


def test_apply_creates_exactly_the_filter_topic_subscription_and_alarm(
    seed, factory, aws, journal, fake
):
    plan = full_plan(seed)
    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)
    assert result.ok, result.summary()

    logs = aws.client(MAIN_ACCOUNT, "logs", REGION)
    (f,) = logs.describe_metric_filters(logGroupName=GROUP)["metricFilters"]
    assert f["filterName"] == "trailwarden-cis-tw102"
    assert f["filterPattern"] == plan.steps[2].after["filter_pattern"]
    assert f["metricTransformations"] == [
        {"metricName": METRIC, "metricNamespace": "CISBenchmark", "metricValue": "1"}
    ]
    sns = aws.client(MAIN_ACCOUNT, "sns", REGION)
    assert [t["TopicArn"] for t in sns.list_topics()["Topics"]] == [topic_arn()]
    tags = sns.list_tags_for_resource(ResourceArn=topic_arn())["Tags"]
    journal_id = read_journal(journal).journal_id
    assert {t["Key"]: t["Value"] for t in tags} == {**TAGS, "trailwarden-journal-id": journal_id}
    (sub,) = sns.list_subscriptions_by_topic(TopicArn=topic_arn())["Subscriptions"]
    assert (sub["Protocol"], sub["Endpoint"]) == ("email", EMAIL)
    (alarm,) = aws.client(MAIN_ACCOUNT, "cloudwatch", REGION).describe_alarms()["MetricAlarms"]
    assert alarm["AlarmName"] == "trailwarden-cis-tw102-mfa"
    assert (alarm["MetricName"], alarm["Namespace"], alarm["Statistic"]) == (
        METRIC,
        "CISBenchmark",
        "Sum",
    )
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["Threshold"]) == (300, 1, 1.0)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["ActionsEnabled"] and alarm["AlarmActions"] == [topic_arn()]


def test_the_journal_records_each_state_and_the_subscription_arn(seed, factory, aws, journal, fake):
    plan = full_plan(seed)
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok

    state = read_journal(journal)
    assert [s.action for s in state.done] == [s.action for s in plan.steps]
    assert all(s.before is None for s in state.steps)
    sns = aws.client(MAIN_ACCOUNT, "sns", REGION)
    (sub,) = sns.list_subscriptions_by_topic(TopicArn=topic_arn())["Subscriptions"]
    assert state.steps[1].result == {"subscription_arn": sub["SubscriptionArn"]}


def test_a_filter_of_that_name_made_since_the_plan_is_not_overwritten(
    seed, factory, aws, journal, fake
):
    plan = full_plan(seed)
    logs = aws.client(MAIN_ACCOUNT, "logs", REGION)
    logs.put_metric_filter(
        logGroupName=GROUP,
        filterName="trailwarden-cis-tw102",
        filterPattern="ERROR",
        metricTransformations=[
            {"metricName": "Errors", "metricNamespace": "App", "metricValue": "1"}
        ],
    )

    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.status is ApplyStatus.FAILED and result.failed_step == plan.steps[2]
    assert result.error is not None and result.error.code == "StateChanged"
    assert "already exists" in result.error.message and not result.called
    (f,) = logs.describe_metric_filters(logGroupName=GROUP)["metricFilters"]
    assert f["filterPattern"] == "ERROR"
    assert "logs:PutMetricFilter" not in factory.call_counts()


def test_a_filter_and_alarm_of_its_names_are_replaced_when_still_as_the_plan_saw_them(
    seed, factory, aws, journal, fake
):
    # Someone changed trailwarden's filter and alarm; a user's own are never rewritten.
    seed.log_group(GROUP, REGION)
    logs = aws.client(MAIN_ACCOUNT, "logs", REGION)
    logs.put_metric_filter(
        logGroupName=GROUP,
        filterName="trailwarden-cis-tw102",
        filterPattern='{ $.eventName = "ConsoleLogin" }',
        metricTransformations=[
            {"metricName": METRIC, "metricNamespace": "CISBenchmark", "metricValue": "1"}
        ],
    )
    user_alarm(aws, "trailwarden-cis-tw102-mfa", METRIC, AlarmDescription="mine")
    # As the planner sees them (from the inventory): fewer settings than AWS keeps.
    filter_before = {
        "filter_pattern": '{ $.eventName = "ConsoleLogin" }',
        "metric_transformations": [transformation(METRIC)],
    }
    alarm_before = {"alarm_name": "trailwarden-cis-tw102-mfa", "period": 60, "alarm_actions": []}
    plan = plan_of(
        filter_step(GROUP, "trailwarden-cis-tw102", METRIC, before=filter_before),
        alarm_step("trailwarden-cis-tw102-mfa", METRIC, topic_arn("ops"), before=alarm_before),
    )

    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok

    (f,) = logs.describe_metric_filters(logGroupName=GROUP)["metricFilters"]
    assert f["filterPattern"] == plan.steps[0].after["filter_pattern"]
    (alarm,) = aws.client(MAIN_ACCOUNT, "cloudwatch", REGION).describe_alarms()["MetricAlarms"]
    assert alarm["Period"] == 300 and alarm["AlarmActions"] == [topic_arn("ops")]
    recorded = read_journal(journal).steps[1].before
    assert recorded is not None and recorded["alarm_description"] == "mine"


def test_alarm_actions_are_enabled_unless_someone_enabled_them_since(
    seed, factory, aws, journal, fake, tmp_path
):
    user_alarm(aws, "root-alarm", "RootUsage", enabled=False)
    plan = plan_of(enable_actions_step("root-alarm"))
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok
    cloudwatch = aws.client(MAIN_ACCOUNT, "cloudwatch", REGION)
    assert cloudwatch.describe_alarms()["MetricAlarms"][0]["ActionsEnabled"]

    again = apply_plan(plan, factory, tmp_path / "2.jsonl", sleep=fake.sleep, clock=fake.clock)
    assert again.error is not None and again.error.code == "StateChanged"
    assert "actions_enabled is now True" in again.error.message


def test_each_call_is_made_in_the_steps_region(seed, factory, aws, journal, fake):
    seed.log_group(GROUP, "us-west-2")
    west = "us-west-2"
    topic = replace(create_topic_step(), target=topic_arn(region=west), region=west)
    group_filter = filter_step(GROUP, "trailwarden-cis-tw102", METRIC)
    group_filter = replace(
        group_filter, target=group_filter.target.replace(REGION, west), region=west
    )
    plan = plan_of(topic, group_filter)

    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok

    sns = aws.client(MAIN_ACCOUNT, "sns", west)
    assert [t["TopicArn"] for t in sns.list_topics()["Topics"]] == [topic.target]
    assert aws.client(MAIN_ACCOUNT, "sns", REGION).list_topics()["Topics"] == []
    logs = aws.client(MAIN_ACCOUNT, "logs", west)
    assert len(logs.describe_metric_filters(logGroupName=GROUP)["metricFilters"]) == 1
    assert read_journal(journal).steps[0].action is Action.CREATE_TOPIC
