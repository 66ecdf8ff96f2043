"""Applying a plan: for each step, check the target's state, journal, call, journal.

A step runs only if its target is still as the plan saw it (else: ``StateChanged``, no
call). Its ``begin`` record is on disk before the call and its ``done`` record after, so a
journal always says which calls may have been made (:mod:`.journal`). The first failure
stops the apply; AWS errors become the result, never an exception. What each step reads
and calls is its change's (``CHANGES[step.action]``); what it creates is tagged with the
journal's id, so that only this journal's rollback ever deletes it.
"""

from __future__ import annotations

import dataclasses
import enum
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.collect.identity import identify
from trailwarden.errors import UsageError
from trailwarden.inventory import ApiError
from trailwarden.remediate.changes import CHANGES
from trailwarden.remediate.changes.base import State
from trailwarden.remediate.engine.journal import Journal
from trailwarden.remediate.engine.journal_key import JournalKey, key_path, load_key
from trailwarden.remediate.engine.timing import Clock, Sleep, WritePacer, backoff, perform
from trailwarden.remediate.model import Plan, Step
from trailwarden.remediate.render.json import plan_to_dict
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["ApplyResult", "ApplyStatus", "apply_plan", "rollback_command"]


class ApplyStatus(enum.Enum):
    COMPLETE = "complete"
    FAILED = "failed"


def rollback_command(journal: Path, key: Path | None = None) -> str:
    """The command that undoes what the apply journalled in ``journal`` (naming the key
    when it is not where rollback looks by default)."""
    command = f"trailwarden rollback {shlex.quote(str(journal))}"
    if key is not None and key != key_path():
        command += f" --journal-key {shlex.quote(str(key))}"
    return command


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did: every step done, or the steps done before the one that failed."""

    status: ApplyStatus
    journal: Path
    done: tuple[Step, ...]
    key: Path | None = None  # the journal key, when not the default one
    failed_step: Step | None = None
    error: ApiError | None = None  # code "StateChanged" when the target changed since the plan
    called: bool = False  # whether the failed step's call was made (and refused by AWS)
    not_started: tuple[Step, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is ApplyStatus.COMPLETE

    @property
    def rollback_command(self) -> str:
        return rollback_command(self.journal, self.key)

    def summary(self) -> str:
        """Plain words, outside text escaped: what was changed, what failed with which AWS
        error, where the journal is, what to run."""
        return "\n".join(printable(line) for line in self._lines())

    def _lines(self) -> list[str]:
        if self.ok:
            what = (
                f"Applied {count(len(self.done), 'change')}" if self.done else "Nothing to change"
            )
            return [f"{what}; journal {self.journal}. To undo: {self.rollback_command}"]
        assert self.failed_step is not None and self.error is not None
        step, error = self.failed_step, self.error
        if error.code == "StateChanged":
            why = f"was not attempted: {error.message}"
        elif self.called:
            why = f"failed: {error.code} on {error.action}: {error.message}"
        else:
            why = f"was not attempted: {error.code} on {error.action}: {error.message}"
        lines = [f"Apply stopped. Step {step.id} ({step.action.value} {step.target}) {why}"]
        lines.append(
            "Done: "
            + (", ".join(f"{s.id} ({s.action.value})" for s in self.done) or "none")
            + "; not started: "
            + (", ".join(s.id for s in self.not_started) or "none")
            + "."
        )
        lines.append(f"Journal {self.journal}. To undo what was done: {self.rollback_command}")
        return lines


def apply_plan(
    plan: Plan,
    factory: ClientFactory,
    journal_path: Path,
    *,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
    on_step: Callable[[Step], None] | None = None,
    iam_propagation_timeout: float = 60.0,
    key: JournalKey | None = None,
) -> ApplyResult:
    """Make the plan's changes in order, journalling each to ``journal_path`` (a new file)
    signed with ``key`` (default: the user's journal key, created if there is none).

    Raises :class:`~trailwarden.errors.Error` only for user errors (journal exists, wrong
    account's credentials, unusable key); AWS failures stop the apply and are in the
    result. ``on_step`` is called after each successful call, before its ``done`` record
    (a test hook).
    """
    key = key or load_key(create=True)
    region = plan.steps[0].region if plan.steps else factory.region_name or "us-east-1"
    account, _ = identify(factory, region)
    if account != plan.account_id:
        raise UsageError(
            f"The plan is for account {plan.account_id}, but the credentials are for account "
            f"{account}; use credentials (--profile) for account {plan.account_id}."
        )
    run = _Run(factory, WritePacer(sleep, clock), sleep, clock, iam_propagation_timeout)
    named_key = key.path if key.path != key_path() else None
    with Journal.create(journal_path, plan.account_id, plan_to_dict(plan), key) as journal:
        for i, step in enumerate(plan.steps):
            failure = run.step(journal, step, on_step)
            if failure is not None:
                journal.end(ApplyStatus.FAILED.value)
                error, called = failure
                return ApplyResult(
                    ApplyStatus.FAILED,
                    journal_path,
                    plan.steps[:i],
                    key=named_key,
                    failed_step=step,
                    error=error,
                    called=called,
                    not_started=plan.steps[i + 1 :],
                )
        journal.end(ApplyStatus.COMPLETE.value)
    return ApplyResult(ApplyStatus.COMPLETE, journal_path, plan.steps, named_key)


class _Run:
    def __init__(
        self, factory: ClientFactory, pacer: WritePacer, sleep: Sleep, clock: Clock, timeout: float
    ) -> None:
        self.factory, self.pacer, self.sleep, self.clock = factory, pacer, sleep, clock
        self.timeout = timeout
        self.changed: set[str] = set()  # targets changed by this apply

    def step(
        self, journal: Journal, step: Step, on_step: Callable[[Step], None] | None
    ) -> tuple[ApiError, bool] | None:
        """None when done; else the error and whether the call was made."""
        change = CHANGES[step.action]
        found = self._read(step)
        if isinstance(found, ApiError):
            journal.failed(step.id, found)
            return found, False
        if not change.matches(step.before, found):
            message = change.describe_change(step.target, step.before, found)
            changed = ApiError(step.action.value, "StateChanged", message, step.region)
            journal.failed(step.id, changed)
            return changed, False
        journal.begin(step.id, step.action.value, step.target, step.region, found, step.after)
        error, response = self._call(step, journal.journal_id)
        if error is not None:
            journal.failed(step.id, error)
            return error, True
        self.changed.add(step.target)
        if on_step is not None:
            on_step(step)
        journal.done(step.id, step.after, change.recorded(response))
        return None

    def _read(self, step: Step) -> State | ApiError:
        change = CHANGES[step.action]
        found = change.read(self.factory, step.target, step.region, step.after)
        if step.target in self.changed:
            # IAM reads are eventually consistent too: a role created by an earlier step
            # may not be visible yet. Wait for it rather than report a change.
            retries = backoff(self.sleep, self.clock, self.timeout)
            while not isinstance(found, ApiError) and not change.matches(step.before, found):
                if next(retries, None) is None:
                    break
                found = change.read(self.factory, step.target, step.region, step.after)
        return found

    def _call(self, step: Step, journal_id: str) -> tuple[ApiError | None, Any]:
        """(None, the call's answer) when it succeeded; else (the error, None)."""
        change = CHANGES[step.action]
        call = change.do(self.factory, step.target, step.region, step.after, journal_id)
        fresh = change.needs_fresh(step.after) & self.changed
        # Only a role or log group this apply has just made can be "not usable yet"; for
        # any other the error is final.
        retries = backoff(self.sleep, self.clock, self.timeout if fresh else 0.0)
        started, tries = self.clock(), 0
        while True:
            tries += 1
            try:
                return None, perform(call, self.pacer)
            except AwsCallError as exc:
                error = api_error(exc, step.action.value, step.region)
            if not change.not_yet_usable(error):
                return error, None
            if next(retries, None) is None:
                if tries == 1:
                    return error, None
                waited = self.clock() - started
                note = f" (still refused after {tries} attempts over {waited:.0f} s)"
                return dataclasses.replace(error, message=error.message + note), None
