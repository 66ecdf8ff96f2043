"""Applies and rollbacks that run at the same time, with real threads against moto's server.

- Two applies racing to create the same log group: the loser's CreateLogGroup fails with
  ResourceAlreadyExistsException, and its rollback must not delete the winner's group
  (what an apply creates carries its journal's id; a create refused as "already exists"
  created nothing).
- Two rollbacks of one journal at once: the second is refused with a sentence while the
  first holds the journal's lock; the journal stays whole and everything is undone once.

The races are made real, not mocked: a hook in the simulated AWS (the server thread that
answers the request) holds the requests until both are in flight, or until the other
side has started.
"""

from __future__ import annotations

import fcntl
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from conftest import MAIN_ACCOUNT
from remediation import REGION, Killed, group_key, integration_steps, plan_of, snapshot
from trailwarden.errors import JournalError
from trailwarden.remediate import (
    Action,
    ApplyStatus,
    UndoOutcome,
    apply_plan,
    read_journal,
    rollback,
)

GROUP = "aws-cloudtrail-logs/main"


@contextmanager
def held(backend: type, method: str, hook) -> Iterator[None]:
    """Run ``hook()`` in the server thread before ``backend.method`` answers."""
    original = backend.__dict__[method]

    def patched(self: Any, *args: Any, **kwargs: Any) -> Any:
        hook()
        return original(self, *args, **kwargs)

    setattr(backend, method, patched)
    try:
        yield
    finally:
        setattr(backend, method, original)


def in_threads(*calls) -> list[Any]:
    """Run ``calls`` in threads at once; their results, or the exceptions they raised."""
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except Exception as exc:  # the test asserts on it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_applies_racing_to_create_a_log_group_roll_back_only_their_own(
    seed, factory, aws, tmp_path, fake
):
    from moto.logs.models import LogsBackend

    trail = seed.trail("main", REGION)
    # Both plans were made while the group did not exist; both read it absent.
    plan = plan_of(*integration_steps(trail, "main")[:2])
    journals = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    both_in_flight = threading.Barrier(2, timeout=20)

    def apply(path):
        return lambda: apply_plan(plan, factory, path, sleep=fake.sleep, clock=fake.clock)

    with held(LogsBackend, "create_log_group", both_in_flight.wait):
        results = in_threads(*(apply(j) for j in journals))

    statuses = sorted(r.status.value for r in results)
    assert statuses == ["complete", "failed"], results
    winner, loser = sorted(zip(results, journals, strict=True), key=lambda r: r[0].ok, reverse=True)
    assert loser[0].failed_step.action is Action.CREATE_LOG_GROUP
    assert loser[0].error.code == "ResourceAlreadyExistsException" and loser[0].called
    logs = aws.client(MAIN_ACCOUNT, "logs", REGION)
    tags = logs.list_tags_log_group(logGroupName=GROUP)["tags"]
    assert tags["trailwarden-journal-id"] == read_journal(winner[1]).journal_id

    undone = rollback(loser[1], factory, sleep=fake.sleep, clock=fake.clock)

    assert undone.ok and [u.outcome for u in undone.undos] == [UndoOutcome.NOTHING_TO_DO]
    assert "ResourceAlreadyExistsException" in undone.undos[0].note
    assert "logs:DeleteLogGroup" not in factory.call_counts()
    assert logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"]  # the winner's

    assert rollback(winner[1], factory, sleep=fake.sleep, clock=fake.clock).ok
    assert logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"] == []


def test_a_group_created_by_another_apply_is_never_deleted_by_this_journals_rollback(
    seed, factory, aws, tmp_path, fake
):
    # This apply's create "began" and was cut off before its call; another apply created
    # the group (with its own journal's id) meanwhile.
    trail = seed.trail("main", REGION)
    plan = plan_of(integration_steps(trail, "main")[0])

    def kill(step):
        raise Killed

    with pytest.raises(Killed):
        apply_plan(plan, factory, tmp_path / "mine.jsonl", on_step=kill, **fake_time(fake))
    logs = aws.client(MAIN_ACCOUNT, "logs", REGION)
    logs.delete_log_group(logGroupName=GROUP)  # as if the call had never been made
    assert apply_plan(plan, factory, tmp_path / "other.jsonl", **fake_time(fake)).ok

    result = rollback(tmp_path / "mine.jsonl", factory, **fake_time(fake))

    assert result.ok and result.undos[0].outcome is UndoOutcome.NOTHING_TO_DO
    assert "another apply" in result.undos[0].note
    assert logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"]


def fake_time(fake) -> dict[str, Any]:
    return {"sleep": fake.sleep, "clock": fake.clock}


def test_two_rollbacks_of_one_journal_at_once_run_one_at_a_time(seed, factory, aws, journal, fake):
    from moto.cloudtrail.models import CloudTrailBackend

    trail = seed.trail("main", REGION, logging=False)
    before = snapshot(aws)
    plan = plan_of(*integration_steps(trail, "main", logging=False))
    assert apply_plan(plan, factory, journal, **fake_time(fake)).ok
    first_undoing, second_done = threading.Event(), threading.Event()

    def first_undo_call() -> None:  # StopLogging: the first undo call of the rollback
        first_undoing.set()
        second_done.wait(20)

    def first():
        return rollback(journal, factory, **fake_time(fake))

    def second():
        first_undoing.wait(20)
        try:
            return rollback(journal, factory, **fake_time(fake))
        finally:
            second_done.set()

    with held(CloudTrailBackend, "stop_logging", first_undo_call):
        results = in_threads(first, second)

    assert results[0].ok, results[0]
    assert isinstance(results[1], JournalError), results[1]
    assert "is in use by another trailwarden" in str(results[1])
    assert snapshot(aws) == before
    state = read_journal(journal)  # whole and signed: every line verifies
    assert state.undone == state.steps
    again = rollback(journal, factory, **fake_time(fake))
    assert {u.outcome for u in again.undos} == {UndoOutcome.ALREADY_UNDONE}


def test_an_apply_holds_its_journal_so_a_rollback_waits_for_it(seed, factory, aws, journal, fake):
    from moto.cloudtrail.models import CloudTrailBackend

    trail = seed.trail("main", REGION, logging=False)
    plan = plan_of(*integration_steps(trail, "main", logging=False))
    applying, rolled = threading.Event(), threading.Event()
    outcome: list[Any] = []

    def during_the_apply() -> None:  # StartLogging, the apply's last call
        applying.set()
        rolled.wait(20)

    def try_rollback() -> None:
        applying.wait(20)
        try:
            outcome.append(rollback(journal, factory, **fake_time(fake)))
        except JournalError as exc:
            outcome.append(exc)
        finally:
            rolled.set()

    with held(CloudTrailBackend, "start_logging", during_the_apply):
        thread = threading.Thread(target=try_rollback)
        thread.start()
        applied = apply_plan(plan, factory, journal, **fake_time(fake))
        thread.join(30)

    assert applied.status is ApplyStatus.COMPLETE
    assert isinstance(outcome[0], JournalError) and "in use" in str(outcome[0])
    assert read_journal(journal).status == "complete"


def test_journals_are_created_private_and_written_only_by_appending(seed, factory, journal, fake):
    from trailwarden.remediate import load_key
    from trailwarden.remediate.engine.journal import Journal
    from trailwarden.remediate.render.json import plan_to_dict

    trail = seed.trail("main", REGION)
    plan = plan_of(*integration_steps(trail, "main"))
    key = load_key(create=True)
    with Journal.create(journal, MAIN_ACCOUNT, plan_to_dict(plan), key) as created:
        assert fcntl.fcntl(created.fileno(), fcntl.F_GETFL) & os.O_APPEND
        assert stat.S_IMODE(os.fstat(created.fileno()).st_mode) == 0o600
    reopened, state = Journal.reopen(journal, key)  # as rollback opens it
    with reopened:
        assert fcntl.fcntl(reopened.fileno(), fcntl.F_GETFL) & os.O_APPEND
    assert state.planned_steps == len(plan.steps) and group_key(GROUP) in journal.read_text()
