"""Rollback: undo exactly what one apply did, in reverse order, and nothing else.

Every step with a ``begin`` record is looked at, done or not (a killed process may have
made the call); what undoing it takes is decided by its change (``CHANGES[action].undo``,
see each module of :mod:`trailwarden.remediate.changes`) from its target's current state:
nothing that existed before the apply is ever deleted, and nothing changed by someone
else since is overwritten. The first failure stops the rollback, so that a trail is never
left pointing at a role or log group that was deleted under it.

Undo records are appended to the journal: an interrupted rollback can be run again and
skips what is undone; rolling back twice is a no-op the second time.
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
from trailwarden.remediate.changes.outcome import Call, Decision, Refused, UndoOutcome
from trailwarden.remediate.engine.journal import Journal, read_journal
from trailwarden.remediate.engine.journal_state import JournalState
from trailwarden.remediate.engine.timing import Clock, Sleep, WritePacer, perform
from trailwarden.remediate.model import StepRecord

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["RollbackResult", "RollbackStatus", "Undo", "UndoOutcome", "rollback"]


class RollbackStatus(enum.Enum):
    COMPLETE = "complete"
    FAILED = "failed"


@dataclass(frozen=True)
class Undo:
    step: StepRecord
    outcome: UndoOutcome
    note: str  # the undo's API action, or why nothing was done


@dataclass(frozen=True)
class RollbackResult:
    status: RollbackStatus
    journal: Path
    undos: tuple[Undo, ...]  # in the order they were considered: the reverse of the apply's
    failed_step: StepRecord | None = None
    error: ApiError | None = None

    @property
    def ok(self) -> bool:
        return self.status is RollbackStatus.COMPLETE

    @property
    def undone(self) -> tuple[Undo, ...]:
        return tuple(u for u in self.undos if u.outcome is UndoOutcome.UNDONE)

    @property
    def kept(self) -> tuple[Undo, ...]:
        return tuple(u for u in self.undos if u.outcome is UndoOutcome.KEPT)

    def summary(self) -> str:
        """Plain words: what was undone, what was kept and why, what failed."""
        if self.failed_step is not None and self.error is not None:
            step = self.failed_step
            head = (
                f"Rollback stopped at step {step.id} ({step.action.value} {step.target}): "
                f"{self.error.describe()}. Fix the cause and run trailwarden rollback "
                f"{self.journal} again: it skips what is already undone."
            )
        elif not self.undone and not self.kept:
            head = f"Nothing to roll back (journal {self.journal})."
        else:
            head = f"Rolled back {len(self.undone)} changes (journal {self.journal})."
        lines = [head]
        for u in self.undos:
            note = f" — {u.note}" if u.note else ""
            lines.append(
                f"  {u.step.id}. {u.step.action.value} {u.step.target}: {u.outcome.value}{note}"
            )
        return "\n".join(lines)


def rollback(
    journal_path: Path,
    factory: ClientFactory,
    *,
    delete_used_log_groups: bool = False,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
) -> RollbackResult:
    """Undo what the apply journalled in ``journal_path`` (see the module docstring).

    Raises :class:`~trailwarden.errors.Error` for a journal that cannot be read and for
    credentials of another account; AWS failures stop the rollback and are in the result.
    """
    state = read_journal(journal_path)
    steps = tuple(reversed(state.steps))
    pending = [s for s in steps if not s.undo.final]
    undos = [Undo(s, UndoOutcome.ALREADY_UNDONE, s.undo_note) for s in steps if s.undo.final]
    if not pending:
        return RollbackResult(RollbackStatus.COMPLETE, journal_path, tuple(undos))
    _check_account(factory, state, pending[0].region)
    context = UndoContext(factory, state.steps, delete_used_log_groups)
    pacer = WritePacer(sleep, clock)
    order = {s.id: i for i, s in enumerate(steps)}
    with Journal.reopen(journal_path) as journal:
        for step in pending:
            outcome = _carry_out(journal, step, _decide(context, step), pacer)
            if isinstance(outcome, ApiError):
                journal.undo_failed(step.id, outcome)
                done = tuple(sorted(undos, key=lambda u: order[u.step.id]))
                return RollbackResult(RollbackStatus.FAILED, journal_path, done, step, outcome)
            undos.append(outcome)
    done = tuple(sorted(undos, key=lambda u: order[u.step.id]))
    return RollbackResult(RollbackStatus.COMPLETE, journal_path, done)


def _check_account(factory: ClientFactory, state: JournalState, region: str) -> None:
    account, _ = identify(factory, region)
    if account != state.account_id:
        raise UsageError(
            f"The journal {state.path} is of account {state.account_id}, but the credentials "
            f"are for account {account}; use credentials (--profile) for {state.account_id}."
        )


def _decide(context: UndoContext, step: StepRecord) -> Decision:
    try:
        return CHANGES[step.action].undo(context, step)
    except Refused as refused:
        return refused.error


def _carry_out(
    journal: Journal, step: StepRecord, decision: Decision, pacer: WritePacer
) -> Undo | ApiError:
    """Journal the decision; make the undo call between undo-begin and undo-done."""
    if isinstance(decision, ApiError):
        return decision
    if not isinstance(decision, Call):
        outcome, note = decision
        journal.undo_skipped(step.id, note, kept=outcome is UndoOutcome.KEPT)
        return Undo(step, outcome, note)
    journal.undo_begin(step.id, decision.action)
    try:
        perform(decision, pacer)
    except AwsCallError as exc:
        return api_error(exc, decision.action, decision.region)
    journal.undo_done(step.id)
    return Undo(step, UndoOutcome.UNDONE, decision.action)
