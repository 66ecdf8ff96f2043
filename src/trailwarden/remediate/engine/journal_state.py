"""What a verified journal says: what began, what is done, what failed, what was undone.

Read by :mod:`.journal_read` (signatures, then :mod:`.journal_check` for the contents);
each step that began becomes a :class:`~trailwarden.remediate.model.StepRecord`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trailwarden.inventory import JsonDict
from trailwarden.remediate.model import Plan, StepRecord
from trailwarden.textsafe import printable

__all__ = ["JournalState"]


@dataclass(frozen=True)
class JournalState:
    path: Path
    account_id: str
    journal_id: str  # random, in the header; what the apply tagged its creations with
    started_at: str
    tool_version: str
    plan: Plan
    steps: tuple[StepRecord, ...]  # every step that began, in journal order
    # A step that failed before its call (its state changed or could not be read).
    refused: tuple[str, JsonDict] | None = None
    status: str | None = None  # the "end" record's; None: the apply was interrupted
    truncated: bool = False  # a cut-short last line was ignored
    unterminated: bool = False  # the last record is whole but its newline is missing
    last_mac: str = ""  # the chain's head: what the next record is signed after

    @property
    def done(self) -> tuple[StepRecord, ...]:
        return tuple(s for s in self.steps if s.done)

    @property
    def failed(self) -> tuple[StepRecord, ...]:
        return tuple(s for s in self.steps if s.error is not None)

    @property
    def undone(self) -> tuple[StepRecord, ...]:
        return tuple(s for s in self.steps if s.undo.final)

    @property
    def planned_steps(self) -> int:
        return len(self.plan.steps)

    def describe(self) -> str:
        """A few lines for people (outside text escaped): the apply's outcome and each
        step that began."""
        ended = f"ended {self.status}" if self.status else "was interrupted (no end record)"
        lines = [
            f"Journal {self.path}: apply to account {self.account_id} started {self.started_at}, "
            f"{ended}; {len(self.steps)} of {self.planned_steps} planned steps began."
        ]
        lines += [f"  {s.describe()}" for s in self.steps]
        if self.refused is not None:
            step_id, error = self.refused
            lines.append(
                f"  {step_id}. not called: {error.get('code')} — {error.get('message', '')}"
            )
        if self.truncated:
            lines.append(
                "  (an incomplete last line, cut short when the process stopped, was ignored)"
            )
        return "\n".join(printable(line) for line in lines)
