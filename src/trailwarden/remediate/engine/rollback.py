"""Rollback: undo exactly what one apply did, in reverse order, and nothing else.

The journal is read, verified and validated — under its lock — before any AWS call
(:mod:`.journal_read`). Every step with a ``begin`` record is then looked at, done or not
(a killed process may have made the call); what undoing it takes is decided by its change
(``CHANGES[action].undo``, see each module of :mod:`trailwarden.remediate.changes`) from
its target's current state: nothing that existed before the apply is ever deleted, nothing
another apply created is, and nothing changed by someone else since is overwritten.

When AWS refuses an undo (CloudTrail will not point a trail back at a role that was
deleted since, say), rollback does not stop: it keeps every resource whose step the
refused one still uses (``Change.relies_on``: the trail keeps the role and log group the
apply gave it, so they are not deleted under it), undoes every independent step, and
ends with what is left and why.

Undo records are appended to the journal: an interrupted or incomplete rollback can be
run again and skips what is undone; rolling back twice is a no-op the second time.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.collect.identity import identify
from trailwarden.errors import UsageError
from trailwarden.inventory import ApiError
from trailwarden.remediate.changes import CHANGES
from trailwarden.remediate.changes.base import UndoContext
from trailwarden.remediate.changes.outcome import (
    Call,
    Decision,
    Refused,
    UndoOutcome,
    already_existed,
)
from trailwarden.remediate.engine.apply import rollback_command
from trailwarden.remediate.engine.journal import Journal
from trailwarden.remediate.engine.journal_key import JournalKey, key_path, load_key
from trailwarden.remediate.engine.journal_state import JournalState
from trailwarden.remediate.engine.timing import Clock, Sleep, WritePacer, perform
from trailwarden.remediate.model import StepRecord
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["RollbackResult", "RollbackStatus", "Undo", "UndoOutcome", "rollback"]


class RollbackStatus(enum.Enum):
    COMPLETE = "complete"
    FAILED = "failed"  # at least one undo was refused: see the undos NOT undone


@dataclass(frozen=True)
class Undo:
    step: StepRecord
    outcome: UndoOutcome
    note: str  # the undo's API action, or why nothing was done
    error: ApiError | None = None  # why it was not undone (outcome FAILED)


@dataclass(frozen=True)
class RollbackResult:
    status: RollbackStatus
    journal: Path
    undos: tuple[Undo, ...]  # in the order they were considered: the reverse of the apply's
    key: Path | None = None  # the journal key, when not the default one

    @property
    def ok(self) -> bool:
        return self.status is RollbackStatus.COMPLETE

    def _of(self, outcome: UndoOutcome) -> tuple[Undo, ...]:
        return tuple(u for u in self.undos if u.outcome is outcome)

    @property
    def undone(self) -> tuple[Undo, ...]:
        return self._of(UndoOutcome.UNDONE)

    @property
    def kept(self) -> tuple[Undo, ...]:
        return self._of(UndoOutcome.KEPT)

    @property
    def failures(self) -> tuple[Undo, ...]:
        return self._of(UndoOutcome.FAILED)

    @property
    def failed_step(self) -> StepRecord | None:
        """The first step that could not be undone."""
        return self.failures[0].step if self.failures else None

    @property
    def error(self) -> ApiError | None:
        return self.failures[0].error if self.failures else None

    def summary(self) -> str:
        """Plain words, outside text escaped: what was undone, what is left and why."""
        undone = count(len(self.undone), "change")
        if self.failures:
            left = len(self.failures) + len(self.kept)
            head = (
                f"Rollback incomplete (journal {self.journal}): {undone} undone; "
                f"{count(left, 'change')} left in place, as listed below with why."
            )
        elif not self.undone and not self.kept:
            head = f"Nothing to roll back (journal {self.journal})."
        else:
            head = f"Rolled back {undone} (journal {self.journal})."
        lines = [head]
        for u in self.undos:
            note = f" — {u.note}" if u.note else ""
            lines.append(
                f"  {u.step.id}. {u.step.action.value} {u.step.target}: {u.outcome.value}{note}"
            )
        if self.failures:
            lines.append(
                f"Fix the cause, then run {rollback_command(self.journal, self.key)} again: it "
                "skips what is already undone."
            )
        return "\n".join(printable(line) for line in lines)


def rollback(
    journal_path: Path,
    factory: ClientFactory,
    *,
    delete_used_log_groups: bool = False,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
    key: JournalKey | None = None,
) -> RollbackResult:
    """Undo what the apply journalled in ``journal_path`` (see the module docstring),
    verifying the journal with ``key`` (default: the user's journal key).

    Raises :class:`~trailwarden.errors.Error` for a journal that cannot be read, verified
    or trusted, one in use by another trailwarden, and credentials of another account;
    refused undos are in the result.
    """
    key = key or load_key()
    named_key = key.path if key.path != key_path() else None
    journal, state = Journal.reopen(journal_path, key)
    with journal:
        steps = tuple(reversed(state.steps))
        pending = [s for s in steps if not s.undo.final]
        undos = [Undo(s, UndoOutcome.ALREADY_UNDONE, s.undo_note) for s in steps if s.undo.final]
        if pending:
            _check_account(factory, state, pending[0].region)
            context = UndoContext(factory, state.steps, state.journal_id, delete_used_log_groups)
            undos += _undo_all(journal, context, pending, WritePacer(sleep, clock))
    order = {s.id: i for i, s in enumerate(steps)}
    done = tuple(sorted(undos, key=lambda u: order[u.step.id]))
    failed = any(u.outcome is UndoOutcome.FAILED for u in done)
    status = RollbackStatus.FAILED if failed else RollbackStatus.COMPLETE
    return RollbackResult(status, journal_path, done, named_key)


def _undo_all(
    journal: Journal, context: UndoContext, pending: list[StepRecord], pacer: WritePacer
) -> list[Undo]:
    """Undo ``pending`` (newest first); a step that cannot be undone holds what it uses."""
    undos: list[Undo] = []
    held: dict[str, str] = {}  # target → why it stays
    for step in pending:
        why = held.get(step.target)
        if why is not None:
            journal.undo_skipped(step.id, why, kept=True)
            undos.append(Undo(step, UndoOutcome.KEPT, why))
            _hold(held, step, why)  # what it uses stays too
            continue
        undo = _carry_out(journal, step, _decide(context, step), pacer)
        undos.append(undo)
        if undo.outcome is UndoOutcome.FAILED:
            _hold(held, step, f"step {step.id} could not be undone and still uses it")
    return undos


def _hold(held: dict[str, str], step: StepRecord, why: str) -> None:
    uses = CHANGES[step.action].relies_on(step.target, step.after) | {step.target}
    for target in uses:
        held.setdefault(target, why)


def _check_account(factory: ClientFactory, state: JournalState, region: str) -> None:
    account, _ = identify(factory, region)
    if account != state.account_id:
        raise UsageError(
            f"The journal {state.path} is of account {state.account_id}, but the credentials "
            f"are for account {account}; use credentials (--profile) for {state.account_id}."
        )


def _decide(context: UndoContext, step: StepRecord) -> Decision:
    if already_existed(step.error):
        code = (step.error or {}).get("code")
        return UndoOutcome.NOTHING_TO_DO, (
            f"its call failed with {code}: it existed already, so this apply created nothing "
            "and leaves it alone"
        )
    try:
        return CHANGES[step.action].undo(context, step)
    except Refused as refused:
        return refused.error


def _carry_out(journal: Journal, step: StepRecord, decision: Decision, pacer: WritePacer) -> Undo:
    """Journal the decision; make the undo call between undo-begin and undo-done."""
    if isinstance(decision, ApiError):
        return _failed(journal, step, decision)
    if not isinstance(decision, Call):
        outcome, note = decision
        journal.undo_skipped(step.id, note, kept=outcome is UndoOutcome.KEPT)
        return Undo(step, outcome, note)
    journal.undo_begin(step.id, decision.action)
    try:
        perform(decision, pacer)
    except AwsCallError as exc:
        return _failed(journal, step, api_error(exc, decision.action, decision.region))
    journal.undo_done(step.id)
    return Undo(step, UndoOutcome.UNDONE, decision.action)


def _failed(journal: Journal, step: StepRecord, error: ApiError) -> Undo:
    journal.undo_failed(step.id, error)
    why = CHANGES[step.action].why_refused(step, error)
    note = f"{error.describe().rstrip('.')}{f'; {why}' if why else ''}"
    return Undo(step, UndoOutcome.FAILED, note, error)
