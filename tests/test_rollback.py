"""Rolling back a journal against moto's server over HTTP: the exact prior state comes back,
after a complete apply, a failed one, or one killed mid-step; and nothing else is touched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import MAIN_ACCOUNT, MEMBER_ACCOUNT
from remediation import (
    REGION,
    FakeTime,
    Killed,
    denied_resource,
    integration_steps,
    plan_of,
    seed_repairable,
    snapshot,
)
from trailwarden.demo.moto_denials import clear_denials
from trailwarden.errors import JournalError, UsageError
from trailwarden.remediate import (
    Action,
    ApplyStatus,
    Plan,
    RollbackStatus,
    UndoOutcome,
    UndoState,
    apply_plan,
    default_journal_path,
    read_journal,
    rollback,
)
from trailwarden.remediate.engine.journal import Journal
from trailwarden.remediate.engine.journal_key import load_key
from trailwarden.remediate.render.json import plan_to_dict

GROUP = "aws-cloudtrail-logs/main"
WRITES = (
    "cloudtrail:UpdateTrail",
    "cloudtrail:StopLogging",
    "logs:DeleteLogGroup",
    "logs:DeleteRetentionPolicy",
    "logs:PutRetentionPolicy",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
)


def fix_plan(seed) -> Plan:
    """TW001 + TW006 for a trail with no integration that is not logging (6 steps)."""
    trail = seed.trail("main", REGION, logging=False)
    return plan_of(*integration_steps(trail, "main", logging=False))


def repair_plan(seed) -> Plan:
    """Existing role and log group repaired in place; logging started (4 steps)."""
    return plan_of(*seed_repairable(seed)[1])


PLANS = {"create": (fix_plan, 6), "repair": (repair_plan, 4)}
EACH_STEP = [(kind, i) for kind, (_, n) in PLANS.items() for i in range(n)]


def writes(factory) -> dict[str, int]:
    return {a: n for a, n in factory.call_counts().items() if a in WRITES}


def test_rollback_restores_the_exact_prior_state(seed, factory, aws, journal, fake):
    plan = fix_plan(seed)
    before = snapshot(aws)
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok
    assert snapshot(aws) != before
    updates = factory.calls_by_region()[("cloudtrail:UpdateTrail", REGION)]

    result = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert result.status is RollbackStatus.COMPLETE and result.ok
    assert snapshot(aws) == before
    assert [u.step.id for u in result.undos] == ["6", "5", "4", "3", "2", "1"]  # reverse order
    assert {u.outcome for u in result.undos} == {UndoOutcome.UNDONE}
    # The trail is restored by UpdateTrail in its home region.
    assert factory.calls_by_region()[("cloudtrail:UpdateTrail", REGION)] == updates + 1
    assert read_journal(journal).undone == read_journal(journal).steps


def test_rollback_of_an_in_place_repair_restores_prior_values_and_deletes_nothing(
    seed, factory, aws, journal, fake
):
    plan = repair_plan(seed)
    before = snapshot(aws)
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok

    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok

    assert snapshot(aws) == before  # retention 30, old policy and trust, not logging
    assert "iam:DeleteRole" not in factory.call_counts()
    assert "logs:DeleteLogGroup" not in factory.call_counts()


@pytest.mark.parametrize(("kind", "index"), EACH_STEP)
def test_a_failure_at_any_step_leaves_a_journal_that_rolls_back(
    kind, index, seed, factory, aws, journal, fake
):
    plan = PLANS[kind][0](seed)
    before = snapshot(aws)
    failing = plan.steps[index]
    aws.deny(failing.action.value, account_id=MAIN_ACCOUNT, resource=denied_resource(failing))

    applied = apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)

    assert applied.status is ApplyStatus.FAILED and applied.failed_step == failing
    assert applied.done == plan.steps[:index] and applied.called
    state = read_journal(journal)
    assert state.status == "failed" and [s.id for s in state.failed] == [failing.id]
    clear_denials()
    result = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)
    assert result.ok, result.summary()
    assert snapshot(aws) == before


@pytest.mark.parametrize(("kind", "index"), EACH_STEP)
def test_a_process_killed_after_a_call_before_its_done_record_rolls_back(
    kind, index, seed, factory, aws, journal, fake
):
    plan = PLANS[kind][0](seed)
    before = snapshot(aws)

    def kill(step):
        if step is plan.steps[index]:
            raise Killed

    with pytest.raises(Killed):
        apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock, on_step=kill)

    state = read_journal(journal)
    assert state.status is None  # no end record
    assert len(state.steps) == index + 1 and not state.steps[-1].done
    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok
    assert snapshot(aws) == before


def test_a_journal_cut_short_mid_line_is_read_and_rolled_back(seed, factory, aws, journal, fake):
    plan = fix_plan(seed)
    before = snapshot(aws)

    def kill(step):
        if step.action is Action.UPDATE_TRAIL:
            raise Killed

    with pytest.raises(Killed):
        apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock, on_step=kill)
    with journal.open("a") as f:
        f.write('{"type": "done", "step": "5", "at": "2026-')  # killed while writing

    state = read_journal(journal)
    assert state.truncated and [s.id for s in state.steps] == ["1", "2", "3", "4", "5"]
    assert not state.steps[-1].done
    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok
    assert snapshot(aws) == before
    after = read_journal(journal)  # the partial line was dropped before appending
    assert not after.truncated and after.undone == after.steps


def test_rolling_back_twice_is_a_no_op_the_second_time(seed, factory, aws, journal, fake):
    plan = fix_plan(seed)
    apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)
    rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)
    state, text, counted = snapshot(aws), journal.read_bytes(), writes(factory)

    again = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert again.ok and {u.outcome for u in again.undos} == {UndoOutcome.ALREADY_UNDONE}
    assert writes(factory) == counted and journal.read_bytes() == text
    assert snapshot(aws) == state
    assert again.summary().startswith("Nothing to roll back")


def test_a_created_log_group_that_received_events_is_kept_unless_asked(
    seed, factory, aws, journal, fake
):
    plan = fix_plan(seed)
    before = snapshot(aws)
    apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)
    logs = aws.client(MAIN_ACCOUNT, "logs", REGION)
    stream = f"{MAIN_ACCOUNT}_CloudTrail_{REGION}"
    logs.create_log_stream(logGroupName=GROUP, logStreamName=stream)
    event = {"timestamp": int(time.time() * 1000), "message": "{}"}
    logs.put_log_events(logGroupName=GROUP, logStreamName=stream, logEvents=[event])

    kept = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert kept.ok and [u.step.action for u in kept.kept] == [Action.CREATE_LOG_GROUP]
    assert "--delete-used-log-groups" in kept.kept[0].note
    assert "received events" in kept.summary()
    now = snapshot(aws)
    assert (REGION, GROUP) in now["log_groups"]
    assert now["trails"] == before["trails"] and now["roles"] == before["roles"]
    assert read_journal(journal).steps[0].undo is UndoState.KEPT

    deleted = rollback(
        journal, factory, delete_used_log_groups=True, sleep=fake.sleep, clock=fake.clock
    )

    assert deleted.ok and [u.step.id for u in deleted.undone] == ["1"]
    assert snapshot(aws) == before


def test_a_value_changed_by_someone_after_the_apply_is_left_as_it_is(
    seed, factory, aws, journal, fake
):
    plan = repair_plan(seed)
    apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)
    logs = aws.client(MAIN_ACCOUNT, "logs", REGION)
    logs.put_retention_policy(logGroupName="repair-logs", retentionInDays=90)

    result = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert result.ok and [u.step.id for u in result.kept] == ["1"]
    assert "retention_in_days is now 90" in result.kept[0].note
    (group,) = logs.describe_log_groups(logGroupNamePrefix="repair-logs")["logGroups"]
    assert group["retentionInDays"] == 90
    assert [u.step.id for u in result.undone] == ["4", "3", "2"]


def test_a_log_group_someone_else_created_under_the_same_name_is_not_deleted(
    seed, factory, aws, journal, fake
):
    # The apply wrote "begin" for CreateLogGroup and died before the call; then someone
    # created a group with that name. It is not trailwarden's: rollback must keep it.
    trail = seed.trail("main", REGION)
    plan = plan_of(integration_steps(trail, "main")[0])
    step = plan.steps[0]
    with Journal.create(journal, MAIN_ACCOUNT, plan_to_dict(plan), load_key(create=True)) as j:
        j.begin("1", step.action.value, step.target, REGION, None, step.after)
    seed.log_group(GROUP, REGION)

    result = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert result.ok and result.undos[0].outcome is UndoOutcome.NOTHING_TO_DO
    assert "does not carry this apply's tags" in result.undos[0].note
    assert (REGION, GROUP) in snapshot(aws)["log_groups"]


def test_a_refused_undo_leaves_its_step_and_a_second_rollback_finishes(
    seed, factory, aws, journal, fake
):
    plan = fix_plan(seed)
    before = snapshot(aws)
    apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)
    aws.deny("iam:DeleteRole", account_id=MAIN_ACCOUNT)

    stopped = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert stopped.status is RollbackStatus.FAILED and stopped.failed_step is not None
    assert stopped.failed_step.action is Action.CREATE_ROLE
    assert stopped.error is not None and stopped.error.code == "AccessDenied"
    assert "run trailwarden rollback" in stopped.summary()
    # The trail was restored first; the log group, which no longer serves it, is deleted
    # too: only the role stays.
    assert [u.step.id for u in stopped.undone] == ["6", "5", "4", "2", "1"]
    now = snapshot(aws)
    assert now["trails"] == before["trails"] and now["log_groups"] == before["log_groups"]
    assert set(now["roles"]) - set(before["roles"]) == {"trailwarden-cwl-main"}
    clear_denials()

    resumed = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert resumed.ok and [u.step.id for u in resumed.undone] == ["3"]
    assert snapshot(aws) == before


def test_rollback_writes_are_paced_like_apply(seed, factory, journal, fake):
    plan = fix_plan(seed)
    apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock)
    undo_time = FakeTime()

    rollback(journal, factory, sleep=undo_time.sleep, clock=undo_time.clock)

    # StopLogging, then UpdateTrail in the same region: one second apart.
    assert undo_time.sleeps == [1.0]


def test_credentials_of_another_account_are_refused(seed, factory, member_factory, journal, fake):
    apply_plan(fix_plan(seed), factory, journal, sleep=fake.sleep, clock=fake.clock)

    with pytest.raises(UsageError, match=f"credentials are for account {MEMBER_ACCOUNT}"):
        rollback(journal, member_factory)


def test_unreadable_or_malformed_journals_are_user_errors(tmp_path):
    with pytest.raises(JournalError, match="Cannot read the journal"):
        read_journal(tmp_path / "missing.jsonl")
    not_ours = tmp_path / "other.jsonl"
    not_ours.write_text('{"hello": 1}\n')
    with pytest.raises(JournalError, match="is not a trailwarden journal"):
        read_journal(not_ours)
    edited = tmp_path / "edited.jsonl"
    with Journal.create(edited, MAIN_ACCOUNT, plan_to_dict(Plan(MAIN_ACCOUNT)), load_key()) as j:
        j.end("complete")
    edited.write_text(edited.read_text() + "garbage\n" + '{"type": "end", "status": "failed"}\n')
    with pytest.raises(JournalError, match="line 3 was changed, added or removed"):
        read_journal(edited)
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"type":"header","journal_')
    with pytest.raises(JournalError, match="before any change"):
        read_journal(empty)


def test_default_journal_path_is_timestamped_in_the_current_directory():
    from datetime import UTC, datetime

    path = default_journal_path(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))

    assert path == Path("trailwarden-journal-20260304T050607Z.jsonl")
