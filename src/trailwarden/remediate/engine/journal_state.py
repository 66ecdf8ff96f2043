"""Reading a journal back: what began, what is done, what failed, what was undone.

The record format is described in :mod:`.journal`; each step that began becomes a
:class:`~trailwarden.remediate.model.StepRecord`. A journal whose last line was cut short
(the process was killed while writing it) is read without that line: the record it would
have held was never complete, so it never counted. Any other malformed line is a
:class:`~trailwarden.errors.JournalError`: guessing what an edited journal means could make
rollback delete the wrong thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trailwarden.errors import JournalError
from trailwarden.inventory import JsonDict
from trailwarden.remediate.model import Action, StepRecord, UndoState

__all__ = ["JOURNAL_VERSION", "JournalState", "parse_records"]

_TYPES = ("header", "begin", "done", "failed", "end")
_UNDO_TYPES = ("undo-begin", "undo-done", "undo-skipped", "undo-failed")
JOURNAL_VERSION = 1  # what this release writes and reads


@dataclass(frozen=True)
class JournalState:
    path: Path
    account_id: str
    started_at: str
    tool_version: str
    plan: JsonDict
    steps: tuple[StepRecord, ...]  # every step that began, in journal order
    # A step that failed before its call (its state changed or could not be read).
    refused: tuple[str, JsonDict] | None = None
    status: str | None = None  # the "end" record's; None: the apply was interrupted
    truncated: bool = False  # a cut-short last line was ignored

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
        steps = self.plan.get("steps")
        return len(steps) if isinstance(steps, list) else len(self.steps)

    def describe(self) -> str:
        """A few lines for people: the apply's outcome and each step that began."""
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
        return "\n".join(lines)


def parse_records(raw: bytes, path: Path) -> JournalState:
    """The :class:`JournalState` of a journal's bytes."""
    *complete, tail = raw.split(b"\n")
    records: list[tuple[int, JsonDict]] = []
    for n, line in enumerate(complete, start=1):
        if line.strip():
            records.append((n, _record(line, n, path)))
    truncated = False
    if tail.strip():
        try:
            records.append((len(complete) + 1, _record(tail, len(complete) + 1, path)))
        except JournalError:
            truncated = True
    if not records or records[0][1]["type"] != "header":
        raise JournalError(
            f"{path} does not start with a trailwarden journal header; if the apply was "
            "killed while starting, it made no change and there is nothing to roll back."
        )
    header = records[0][1]
    if header.get("journal_version") != JOURNAL_VERSION:
        raise JournalError(
            f"{path} has journal_version {header.get('journal_version')!r}, but this "
            f"trailwarden reads version {JOURNAL_VERSION}; use the version that wrote it."
        )
    state = JournalState(
        path=path,
        account_id=_field(header, "account_id", str, 1, path),
        started_at=str(header.get("started_at", "")),
        tool_version=str((header.get("tool") or {}).get("version", "")),
        plan=_field(header, "plan", dict, 1, path),
        steps=(),
        truncated=truncated,
    )
    steps: dict[str, StepRecord] = {}
    for n, record in records[1:]:
        state = _apply(state, steps, record, n, path)
    return replace(state, steps=tuple(steps.values()))


def _apply(
    state: JournalState, steps: dict[str, StepRecord], rec: JsonDict, n: int, path: Path
) -> JournalState:
    kind = rec["type"]
    if kind == "header":
        raise JournalError(f"{path} line {n} is a second header; a journal holds one apply.")
    if kind == "end":
        return replace(state, status=_field(rec, "status", str, n, path))
    step_id = _field(rec, "step", str, n, path)
    if kind == "begin":
        try:
            action = Action(_field(rec, "action", str, n, path))
        except ValueError as exc:
            raise JournalError(f"{path} line {n} names an unknown action: {exc}.") from exc
        before = rec.get("before")
        steps[step_id] = StepRecord(
            id=step_id,
            action=action,
            target=_field(rec, "target", str, n, path),
            region=_field(rec, "region", str, n, path),
            before=before if isinstance(before, dict) else None,
            after=_field(rec, "after", dict, n, path),
        )
        return state
    step = steps.get(step_id)
    if kind == "failed" and step is None:
        return replace(state, refused=(step_id, _field(rec, "error", dict, n, path)))
    if step is None:
        raise JournalError(f"{path} line {n} is about step {step_id}, which never began.")
    if kind == "done":
        result = rec.get("result")
        steps[step_id] = replace(
            step, done=True, result=result if isinstance(result, dict) else None
        )
    elif kind == "failed":
        steps[step_id] = replace(step, error=_field(rec, "error", dict, n, path))
    elif kind == "undo-begin":
        steps[step_id] = replace(step, undo=UndoState.STARTED, undo_note="")
    elif kind == "undo-done":
        steps[step_id] = replace(step, undo=UndoState.DONE, undo_note="")
    elif kind == "undo-skipped":
        undo = UndoState.KEPT if rec.get("kept") else UndoState.SKIPPED
        steps[step_id] = replace(step, undo=undo, undo_note=str(rec.get("reason", "")))
    else:  # undo-failed
        error = _field(rec, "error", dict, n, path)
        note = f"{error.get('code')} on {error.get('action')}"
        steps[step_id] = replace(step, undo=UndoState.FAILED, undo_note=note)
    return state


def _record(line: bytes, n: int, path: Path) -> JsonDict:
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise JournalError(
            f"{path} line {n} is not JSON ({exc}); a journal must not be edited by hand."
        ) from exc
    if not isinstance(record, dict) or record.get("type") not in _TYPES + _UNDO_TYPES:
        raise JournalError(f"{path} line {n} is not a trailwarden journal record.")
    return record


def _field(record: JsonDict, key: str, kind: type[Any], n: int, path: Path) -> Any:
    value = record.get(key)
    if not isinstance(value, kind):
        raise JournalError(
            f"{path} line {n}: the {record.get('type')} record lacks a valid {key!r}."
        )
    return value
