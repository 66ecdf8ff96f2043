"""Applying a plan against moto's server over HTTP: what is changed, journalled, refused."""

from __future__ import annotations

import json

import pytest

from conftest import MAIN_ACCOUNT, MEMBER_ACCOUNT
from remediation import (
    REGION,
    group_key,
    integration_steps,
    plan_of,
    role_arn,
    role_policy,
    snapshot,
    start_logging_step,
    trust,
    update_trail_step,
)
from trailwarden.arns import parse_log_group_arn
from trailwarden.checks import evaluate
from trailwarden.collect.aws import collect_account
from trailwarden.errors import JournalError, UsageError
from trailwarden.findings import Status
from trailwarden.fix import plan_fix
from trailwarden.inventory import LogGroup
from trailwarden.remediate import (
    ApplyStatus,
    FixOptions,
    Wanted,
    apply_plan,
    complete_inventory,
    read_journal,
    rollback,
)

PROPAGATING = "InvalidCloudWatchLogsRoleArnException"


def test_apply_creates_and_updates_exactly_what_the_plan_says(seed, factory, aws, journal, fake):
    trail = seed.trail("main", REGION, logging=False)
    plan = plan_of(*integration_steps(trail, "main", logging=False))

    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.status is ApplyStatus.COMPLETE and result.ok
    assert [s.id for s in result.done] == ["1", "2", "3", "4", "5", "6"]
    logs, iam = aws.client(MAIN_ACCOUNT, "logs", REGION), aws.client(MAIN_ACCOUNT, "iam")
    (group,) = logs.describe_log_groups(logGroupNamePrefix="aws-cloudtrail-logs/")["logGroups"]
    assert (group["logGroupName"], group["retentionInDays"]) == ("aws-cloudtrail-logs/main", 365)
    # Tagged as trailwarden's, and as this apply's (its journal's id).
    ours = {"created-by": "trailwarden", "trailwarden-journal-id": read_journal(journal).journal_id}
    tags = logs.list_tags_log_group(logGroupName="aws-cloudtrail-logs/main")["tags"]
    assert tags == ours
    role = iam.get_role(RoleName="trailwarden-cwl-main")["Role"]
    assert role["AssumeRolePolicyDocument"] == trust(trail)
    assert {t["Key"]: t["Value"] for t in role["Tags"]} == ours
    policy = iam.get_role_policy(
        RoleName="trailwarden-cwl-main", PolicyName=plan.steps[3].after["policy_name"]
    )
    assert policy["PolicyDocument"] == role_policy("aws-cloudtrail-logs/main")
    assert snapshot(aws)["trails"][trail] == (
        f"{group_key('aws-cloudtrail-logs/main')}:*",
        role_arn("trailwarden-cwl-main"),
        True,
    )
    # UpdateTrail and StartLogging went to the trail's home region, by ARN.
    calls = factory.calls_by_region()
    assert calls[("cloudtrail:UpdateTrail", REGION)] == 1
    assert calls[("cloudtrail:StartLogging", REGION)] == 1


def test_journal_records_each_step_before_and_after_its_call(seed, factory, journal, fake):
    trail = seed.trail("main", REGION, logging=False)
    plan = plan_of(*integration_steps(trail, "main", logging=False))

    apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    records = [json.loads(line) for line in journal.read_text().splitlines()]
    assert records[0]["type"] == "header" and records[0]["account_id"] == MAIN_ACCOUNT
    assert [s["id"] for s in records[0]["plan"]["steps"]] == [s.id for s in plan.steps]
    kinds = [(r["type"], r.get("step")) for r in records[1:]]
    expected = [(kind, s.id) for s in plan.steps for kind in ("begin", "done")]
    assert kinds == [*expected, ("end", None)]
    assert records[-1]["status"] == "complete"
    begins = [r for r in records if r["type"] == "begin"]
    assert [r["before"] for r in begins] == [s.before for s in plan.steps]
    state = read_journal(journal)
    assert state.status == "complete" and len(state.done) == 6 and not state.failed


def test_rescan_after_apply_passes_tw001_to_tw003_tw006_tw007(seed, factory, journal, fake):
    trail = seed.trail("main", REGION, logging=False)
    apply_plan(
        plan_of(*integration_steps(trail, "main", logging=False)),
        factory,
        journal,
        sleep=fake.sleep,
        clock=fake.clock,
    )

    findings = evaluate(collect_account(factory))

    status = {f.check_id: f.status for f in findings if f.resource_id == trail}
    for check in ("TW001", "TW002", "TW003", "TW006", "TW007"):
        assert status[check] is Status.PASS, check


def test_fix_end_to_end_applies_the_planners_plan_and_a_second_plan_is_empty(
    seed, factory, aws, journal, fake
):
    trail = seed.trail("main", REGION, logging=False)
    before = snapshot(aws)
    planned = plan_fix(factory, FixOptions())
    assert not planned.plan.is_empty

    result = apply_plan(planned.plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.ok, result.summary()
    again = plan_fix(factory, FixOptions())
    assert again.plan.is_empty
    status = {f.check_id: f.status for f in again.report.findings if f.resource_id == trail}
    assert {status[c] for c in ("TW001", "TW002", "TW003", "TW006", "TW007")} == {Status.PASS}
    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok
    assert snapshot(aws) == before


def test_state_changed_when_the_trail_is_modified_between_plan_and_apply(
    seed, factory, aws, journal, fake
):
    trail = seed.trail("main", REGION)
    plan = plan_of(*integration_steps(trail, "main"))
    other_group = seed.log_group("someone-elses", REGION)
    other_role = seed.role("someone-elses-role")
    cloudtrail = aws.client(MAIN_ACCOUNT, "cloudtrail", REGION)
    cloudtrail.update_trail(
        Name=trail, CloudWatchLogsLogGroupArn=other_group, CloudWatchLogsRoleArn=other_role
    )

    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.status is ApplyStatus.FAILED and not result.called
    assert result.failed_step is plan.steps[4]
    assert result.error is not None and result.error.code == "StateChanged"
    assert "cloud_watch_logs_log_group_arn is now" in result.error.message
    assert "cloudtrail:UpdateTrail" not in factory.call_counts()
    assert snapshot(aws)["trails"][trail][:2] == (other_group, other_role)
    state = read_journal(journal)
    assert state.status == "failed" and state.refused is not None
    assert state.refused[1]["code"] == "StateChanged"
    assert f"trailwarden rollback {journal}" in result.summary()


def test_state_changed_when_the_log_group_to_create_now_exists(seed, factory, journal, fake):
    trail = seed.trail("main", REGION)
    plan = plan_of(*integration_steps(trail, "main"))
    seed.log_group("aws-cloudtrail-logs/main", REGION)

    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.error is not None and result.error.code == "StateChanged"
    assert "already exists" in result.error.message
    assert result.done == () and "logs:CreateLogGroup" not in factory.call_counts()
    assert read_journal(journal).steps == ()


def test_a_read_that_fails_stops_the_apply_before_the_call(seed, factory, aws, journal, fake):
    trail = seed.trail("main", REGION)
    plan = plan_of(*integration_steps(trail, "main"))
    aws.deny("logs:DescribeLogGroups", account_id=MAIN_ACCOUNT)

    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.error is not None and result.error.action == "logs:DescribeLogGroups"
    assert result.error.code == "AccessDeniedException" and not result.called
    assert "logs:CreateLogGroup" not in factory.call_counts()


def test_an_aws_failure_is_reported_with_action_code_state_and_rollback_command(
    seed, factory, aws, journal, fake
):
    trail = seed.trail("main", REGION)
    plan = plan_of(*integration_steps(trail, "main"))
    aws.deny("iam:CreateRole", resource="trailwarden-cwl-main")

    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.status is ApplyStatus.FAILED and result.called
    assert [s.id for s in result.done] == ["1", "2"]
    assert [s.id for s in result.not_started] == ["4", "5"]
    assert result.error is not None and (result.error.action, result.error.code) == (
        "iam:CreateRole",
        "AccessDenied",
    )
    summary = result.summary()
    assert "Step 3 (iam:CreateRole" in summary and "AccessDenied on iam:CreateRole" in summary
    assert "Done: 1 (logs:CreateLogGroup), 2 (logs:PutRetentionPolicy)" in summary
    assert result.rollback_command == f"trailwarden rollback {journal}"
    state = read_journal(journal)
    assert state.status == "failed" and [s.id for s in state.failed] == ["3"]


def test_update_trail_is_retried_while_a_new_role_propagates(seed, factory, aws, journal, fake):
    trail = seed.trail("main", REGION)
    plan = plan_of(*integration_steps(trail, "main"))
    aws.deny("cloudtrail:UpdateTrail", resource=trail, code=PROPAGATING, times=2)

    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.ok, result.summary()
    assert factory.attempt_counts()["cloudtrail:UpdateTrail"] == 3
    assert fake.sleeps == [1.0, 2.0]  # exponential backoff, injected sleep


def test_update_trail_retries_give_up_at_the_propagation_timeout(seed, factory, aws, journal, fake):
    trail = seed.trail("main", REGION)
    plan = plan_of(*integration_steps(trail, "main"))
    aws.deny("cloudtrail:UpdateTrail", resource=trail, code=PROPAGATING)

    result = apply_plan(
        plan, factory, journal, sleep=fake.sleep, clock=fake.clock, iam_propagation_timeout=20
    )

    assert result.error is not None and result.error.code == PROPAGATING and result.called
    assert fake.sleeps == [1.0, 2.0, 4.0, 8.0] and sum(fake.sleeps) <= 20
    assert "still refused after 5 attempts over 15 s" in result.error.message


def test_update_trail_is_not_retried_for_a_role_the_apply_did_not_make(
    seed, factory, aws, journal, fake
):
    group = seed.log_group("existing", REGION, retention_days=365)
    role = seed.role("existing-role")
    trail = seed.trail("main", REGION)
    plan = plan_of(update_trail_step(trail, None, None, group, role))
    aws.deny("cloudtrail:UpdateTrail", resource=trail, code=PROPAGATING)

    result = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert result.error is not None and result.error.code == PROPAGATING
    assert fake.sleeps == [] and factory.attempt_counts()["cloudtrail:UpdateTrail"] == 1


def test_cloudtrail_writes_are_at_least_a_second_apart_per_region(seed, factory, journal, fake):
    dublin = seed.trail("dublin", REGION, logging=False)
    oregon = seed.trail("oregon", "us-west-2", logging=False)
    group, role = seed.log_group("shared", REGION), seed.role("shared-role")
    group_west, role_west = seed.log_group("shared", "us-west-2"), seed.role("west-role")
    plan = plan_of(
        update_trail_step(dublin, None, None, group, role),
        update_trail_step(oregon, None, None, group_west, role_west, "us-west-2"),
        start_logging_step(dublin),
        start_logging_step(oregon, "us-west-2"),
    )
    writes: list[tuple[str, str, float]] = []
    for region in (REGION, "us-west-2"):
        client = factory.client("cloudtrail", region)
        for op in ("UpdateTrail", "StartLogging"):
            client.meta.events.register(
                f"before-send.cloudtrail.{op}",
                lambda op=op, region=region, **_: writes.append((region, op, fake.now)),
            )

    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok

    start = writes[0][2]
    assert [(r, op, t - start) for r, op, t in writes] == [
        (REGION, "UpdateTrail", 0.0),
        ("us-west-2", "UpdateTrail", 0.0),  # another region: no wait
        (REGION, "StartLogging", 1.0),  # a second after the last write in its region
        ("us-west-2", "StartLogging", 1.0),  # already a second later: no further wait
    ]
    assert fake.sleeps == [1.0]


def test_an_existing_journal_is_never_overwritten(seed, factory, journal, fake):
    trail = seed.trail("main", REGION)
    journal.write_text("precious\n")

    with pytest.raises(JournalError, match="already exists"):
        apply_plan(plan_of(*integration_steps(trail, "main")), factory, journal)

    assert journal.read_text() == "precious\n"
    assert "logs:CreateLogGroup" not in factory.call_counts()


def test_credentials_of_another_account_are_refused(seed, member_factory, journal):
    trail = seed.trail("main", REGION)

    with pytest.raises(UsageError, match=f"credentials are for account {MEMBER_ACCOUNT}"):
        apply_plan(plan_of(*integration_steps(trail, "main")), member_factory, journal)

    assert not journal.exists()


def test_complete_inventory_looks_up_the_wanted_log_groups_and_roles(seed, factory):
    seed.trail("main", REGION)
    seed.log_group("aws-cloudtrail-logs/main", REGION, retention_days=30)
    allow = {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}
    taken = seed.role(
        "trailwarden-cwl-main", inline={"p": {"Version": "2012-10-17", "Statement": [allow]}}
    )
    inventory = collect_account(factory)
    present = parse_log_group_arn(group_key("aws-cloudtrail-logs/main"))
    absent = parse_log_group_arn(group_key("nothing-here"))
    assert present is not None and absent is not None
    wanted = Wanted(
        log_groups=(present, absent),
        roles=((taken, "trailwarden-cwl-main"), (role_arn("free"), "free")),
    )

    completed = complete_inventory(factory, inventory, wanted)

    found = completed.log_group(present.key)
    assert isinstance(found, LogGroup) and found.exists and found.retention_in_days == 30
    assert completed.log_group(absent.key) == LogGroup(
        absent.key, "nothing-here", REGION, MAIN_ACCOUNT, exists=False
    )
    role = completed.role(taken)
    assert role is not None and role.exists and [p.name for p in role.policies] == ["p"]
    free = completed.role(role_arn("free"))
    assert free is not None and free.exists is False
    assert completed.trails == inventory.trails
