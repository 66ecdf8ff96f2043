"""Rolling back the monitoring fix (TW101–TW115) against moto's server over HTTP: the
metric filters, alarms, topics and subscriptions come back exactly as they were, after a
complete apply, a failed one or one killed mid-step; a pending subscription is reported,
never a failure; nothing someone changed since is overwritten."""

from __future__ import annotations

import pytest

from conftest import MAIN_ACCOUNT
from remediation import (
    EMAIL,
    REGION,
    Killed,
    alarm_step,
    create_topic_step,
    enable_actions_step,
    filter_step,
    monitoring_snapshot,
    plan_of,
    subscribe_step,
    topic_arn,
    transformation,
    user_alarm,
)
from trailwarden.demo.moto_denials import clear_denials
from trailwarden.demo.moto_semantics import set_pending_confirmation
from trailwarden.remediate import (
    Action,
    ApplyStatus,
    Plan,
    UndoOutcome,
    apply_plan,
    read_journal,
    rollback,
)

GROUP = "cis-logs"
MFA, ROOT = "ConsoleSignInWithoutMfa", "RootAccountUsage"
# A filter and an alarm under trailwarden's names that someone set up their own way: the
# plan replaces them (trailwarden never rewrites filters and alarms of other names).
MFA_FILTER, MFA_ALARM = "trailwarden-cis-tw102", "trailwarden-cis-tw102-mfa"
USER_PATTERN = '{ $.eventName = "ConsoleLogin" }'


def seed_account(seed, aws) -> str:
    """The user's log group with a filter (under trailwarden's name, set up their way), their
    topic ``ops`` (confirmed subscription), a disabled alarm on root usage that notifies it
    and an alarm (under trailwarden's name) on the filter's metric."""
    seed.log_group(GROUP, REGION)
    aws.client(MAIN_ACCOUNT, "logs", REGION).put_metric_filter(
        logGroupName=GROUP,
        filterName=MFA_FILTER,
        filterPattern=USER_PATTERN,
        metricTransformations=[
            {
                "metricName": MFA,
                "metricNamespace": "CISBenchmark",
                "metricValue": "1",
                "unit": "Count",
            }
        ],
    )
    sns = aws.client(MAIN_ACCOUNT, "sns", REGION)
    ops = sns.create_topic(Name="ops")["TopicArn"]
    sns.subscribe(TopicArn=ops, Protocol="email", Endpoint="ops@example.com")
    user_alarm(aws, "root-alarm", ROOT, enabled=False, AlarmActions=[ops])
    user_alarm(
        aws,
        MFA_ALARM,
        MFA,
        AlarmDescription="mine",
        OKActions=[ops],
        DatapointsToAlarm=1,
        TreatMissingData="breaching",
    )
    return ops


def create_plan(seed, aws) -> Plan:
    """A new topic + subscription, a new filter and alarm, the user's alarm enabled."""
    seed_account(seed, aws)
    topic = topic_arn()
    return plan_of(
        create_topic_step(),
        subscribe_step(topic),
        filter_step(GROUP, "trailwarden-cis-tw103", ROOT),
        alarm_step("trailwarden-cis-tw103-root", ROOT, topic),
        enable_actions_step("root-alarm"),
    )


def replace_plan(seed, aws) -> Plan:
    """The user's filter and alarm replaced (as the plan saw them), their topic subscribed."""
    ops = seed_account(seed, aws)
    filter_before = {
        "filter_pattern": USER_PATTERN,
        "metric_transformations": [transformation(MFA)],
    }
    alarm_before = {"alarm_name": MFA_ALARM, "period": 60, "alarm_actions": []}
    return plan_of(
        subscribe_step(ops),
        filter_step(GROUP, MFA_FILTER, MFA, before=filter_before),
        alarm_step(MFA_ALARM, MFA, ops, before=alarm_before),
    )


PLANS = {"create": (create_plan, 5), "replace": (replace_plan, 3)}
EACH_STEP = [(kind, i) for kind, (_, n) in PLANS.items() for i in range(n)]


@pytest.mark.parametrize("kind", PLANS)
def test_rollback_restores_the_exact_prior_state(kind, seed, factory, aws, journal, fake):
    plan = PLANS[kind][0](seed, aws)
    before = monitoring_snapshot(aws)
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok
    assert monitoring_snapshot(aws) != before

    result = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert result.ok, result.summary()
    assert len(result.undone) == len(plan.steps)
    assert monitoring_snapshot(aws) == before


def test_the_users_filter_and_alarm_come_back_with_every_setting(seed, factory, aws, journal, fake):
    plan = replace_plan(seed, aws)
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok
    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok

    logs = aws.client(MAIN_ACCOUNT, "logs", REGION)
    (f,) = logs.describe_metric_filters(logGroupName=GROUP)["metricFilters"]
    assert f["filterPattern"] == USER_PATTERN
    assert f["metricTransformations"][0]["unit"] == "Count"
    cloudwatch = aws.client(MAIN_ACCOUNT, "cloudwatch", REGION)
    (alarm,) = cloudwatch.describe_alarms(AlarmNames=[MFA_ALARM])["MetricAlarms"]
    assert (alarm["AlarmDescription"], alarm["Period"], alarm["TreatMissingData"]) == (
        "mine",
        60,
        "breaching",
    )
    assert alarm["AlarmActions"] == [] and len(alarm["OKActions"]) == 1


@pytest.mark.parametrize(("kind", "index"), EACH_STEP)
def test_a_failure_at_any_step_leaves_a_journal_that_rolls_back(
    kind, index, seed, factory, aws, journal, fake
):
    plan = PLANS[kind][0](seed, aws)
    before = monitoring_snapshot(aws)
    failing = plan.steps[index]
    aws.deny(failing.action.value, account_id=MAIN_ACCOUNT)

    applied = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert applied.status is ApplyStatus.FAILED and applied.failed_step == failing
    assert applied.done == plan.steps[:index] and applied.called
    clear_denials()
    result = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)
    assert result.ok, result.summary()
    assert monitoring_snapshot(aws) == before


@pytest.mark.parametrize(("kind", "index"), EACH_STEP)
def test_a_process_killed_after_a_call_before_its_done_record_rolls_back(
    kind, index, seed, factory, aws, journal, fake
):
    plan = PLANS[kind][0](seed, aws)
    before = monitoring_snapshot(aws)

    def kill(step):
        if step is plan.steps[index]:
            raise Killed

    with pytest.raises(Killed):
        apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock, on_step=kill)

    state = read_journal(journal)
    assert state.status is None and not state.steps[-1].done
    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok
    assert monitoring_snapshot(aws) == before


def pend(aws):
    """An on_step hook: the subscription just made stays unconfirmed (nobody clicked)."""

    def hook(step):
        if step.action is Action.SUBSCRIBE:
            sns = aws.client(MAIN_ACCOUNT, "sns", REGION)
            for sub in sns.list_subscriptions_by_topic(TopicArn=step.target)["Subscriptions"]:
                if sub["Endpoint"] == EMAIL:
                    set_pending_confirmation(sub["SubscriptionArn"])

    return hook


def test_a_pending_subscription_on_our_topic_is_kept_and_goes_with_the_topic(
    seed, factory, aws, journal, fake
):
    plan = create_plan(seed, aws)
    before = monitoring_snapshot(aws)
    kw = {"sleep": fake.sleep, "clock": fake.clock}
    assert apply_plan(plan, factory, journal, on_step=pend(aws), **kw).ok

    result = rollback(journal, factory, **kw)

    assert result.ok, result.summary()
    (kept,) = result.kept
    assert kept.step.action is Action.SUBSCRIBE
    assert "goes away when the topic this apply created is deleted" in kept.note
    assert "sns:Unsubscribe" not in factory.call_counts()
    assert monitoring_snapshot(aws) == before
    again = rollback(journal, factory, **kw)  # the kept step is looked at again: gone now
    assert again.ok and not again.kept and not again.undone


def test_a_pending_subscription_on_the_users_topic_is_kept_with_a_note(
    seed, factory, aws, journal, fake
):
    plan = replace_plan(seed, aws)
    kw = {"sleep": fake.sleep, "clock": fake.clock}
    assert apply_plan(plan, factory, journal, on_step=pend(aws), **kw).ok

    result = rollback(journal, factory, **kw)

    assert result.ok, result.summary()
    (kept,) = result.kept
    assert "expires if nobody confirms it within 3 days" in kept.note
    assert [u.outcome for u in result.undos][:-1] == [UndoOutcome.UNDONE] * 2


def test_rolling_back_twice_is_a_no_op_the_second_time(seed, factory, aws, journal, fake):
    plan = create_plan(seed, aws)
    kw = {"sleep": fake.sleep, "clock": fake.clock}
    assert apply_plan(plan, factory, journal, **kw).ok
    assert rollback(journal, factory, **kw).ok
    after = monitoring_snapshot(aws)
    calls = dict(factory.call_counts())

    again = rollback(journal, factory, **kw)

    assert again.ok and {u.outcome for u in again.undos} == {UndoOutcome.ALREADY_UNDONE}
    assert monitoring_snapshot(aws) == after and factory.call_counts() == calls


def test_what_someone_changed_after_the_apply_is_left_as_it_is(seed, factory, aws, journal, fake):
    plan = create_plan(seed, aws)
    kw = {"sleep": fake.sleep, "clock": fake.clock}
    assert apply_plan(plan, factory, journal, **kw).ok
    cloudwatch = aws.client(MAIN_ACCOUNT, "cloudwatch", REGION)
    cloudwatch.disable_alarm_actions(AlarmNames=["trailwarden-cis-tw103-root"])
    sns = aws.client(MAIN_ACCOUNT, "sns", REGION)
    sns.subscribe(TopicArn=topic_arn(), Protocol="email", Endpoint="other@example.com")

    result = rollback(journal, factory, **kw)

    assert result.ok, result.summary()
    kept = {u.step.action: u.note for u in result.kept}
    assert set(kept) == {Action.PUT_METRIC_ALARM, Action.CREATE_TOPIC}
    assert "actions_enabled is now False" in kept[Action.PUT_METRIC_ALARM]
    assert "other@example.com" in kept[Action.CREATE_TOPIC]
    assert cloudwatch.describe_alarms(AlarmNames=["trailwarden-cis-tw103-root"])["MetricAlarms"]
    assert [t["TopicArn"] for t in sns.list_topics()["Topics"] if "cis" in t["TopicArn"]]


def test_a_topic_someone_else_created_under_the_same_name_is_not_deleted(
    seed, factory, aws, journal, fake
):
    plan = create_plan(seed, aws)
    aws.deny("sns:CreateTopic", account_id=MAIN_ACCOUNT)
    kw = {"sleep": fake.sleep, "clock": fake.clock}
    assert not apply_plan(plan, factory, journal, **kw).ok
    clear_denials()
    aws.client(MAIN_ACCOUNT, "sns", REGION).create_topic(Name="trailwarden-cis-alarms")

    result = rollback(journal, factory, **kw)

    assert result.ok and result.undos[0].outcome is UndoOutcome.NOTHING_TO_DO
    assert "does not carry this apply's tags" in result.undos[0].note
    assert "sns:DeleteTopic" not in factory.call_counts()


def test_end_to_end_monitored_scan_plan_apply_rescan_and_rollback(
    seed, factory, aws, journal, fake
):
    from datetime import UTC, datetime

    from conftest import delivery_policy
    from trailwarden.checks import CheckOptions
    from trailwarden.demo.moto_semantics import set_delivery
    from trailwarden.findings import Status
    from trailwarden.fix import plan_fix
    from trailwarden.remediate import FixOptions

    group = seed.log_group("aws-cloudtrail-logs/org", REGION)
    role = seed.role("org-role", inline={"deliver": delivery_policy(group)})
    trail = seed.trail("org", REGION, multi_region=True, log_group_arn=group, role_arn=role)
    set_delivery(trail, datetime.now(UTC), None)
    before = monitoring_snapshot(aws)
    options = CheckOptions(monitoring=True)
    planned = plan_fix(factory, FixOptions(alarm_email=EMAIL), check_options=options)
    actions = {s.action for s in planned.plan.steps}
    assert {Action.CREATE_TOPIC, Action.PUT_METRIC_FILTER, Action.PUT_METRIC_ALARM} <= actions

    result = apply_plan(planned.plan, factory, journal, sleep=fake.sleep, clock=fake.clock)
    assert result.ok, result.summary()
    again = plan_fix(factory, FixOptions(alarm_email=EMAIL), check_options=options)
    fixed = {c for s in planned.plan.steps for c in s.fixes if c.startswith("TW1")}
    status = {f.check_id: f.status for f in again.report.findings if f.check_id in fixed}
    assert fixed and set(status.values()) == {Status.PASS}, status

    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok
    assert monitoring_snapshot(aws) == before
