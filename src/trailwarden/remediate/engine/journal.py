"""The apply journal: JSON Lines, write-ahead, one fsync per record.

A step's ``begin`` record is on disk before its API call is made and its ``done`` record
after the call succeeded, so a journal always tells which calls may have been made: every
step with a ``begin``. A process killed mid-write leaves at most a truncated last line,
which :func:`read_journal` ignores (and :meth:`Journal.reopen` removes before appending).
Rollback appends ``undo-*`` records, so it can be re-run after an interruption.

Records (the remediation contract; ``begin`` also carries the step's action, target,
region and planned ``after``, so that rollback needs nothing but the journal)::

    {"type": "header", "journal_version": 1, "tool": {...}, "account_id", "started_at", "plan"}
    {"type": "begin", "step", "at", "action", "target", "region", "before", "after"}
    {"type": "done", "step", "at", "after"}
    {"type": "failed", "step", "at", "error": {"action", "code", "message"}}
    {"type": "end", "at", "status": "complete" | "failed"}
    {"type": "undo-begin", "step", "at", "action"}   (before an undo call)
    {"type": "undo-done", "step", "at"}
    {"type": "undo-skipped", "step", "at", "reason", "kept"}   (kept: left in place; revisited)
    {"type": "undo-failed", "step", "at", "error": {...}}
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from trailwarden.errors import JournalError
from trailwarden.inventory import ApiError, JsonDict
from trailwarden.remediate.engine.journal_state import JOURNAL_VERSION, JournalState, parse_records

__all__ = ["JOURNAL_VERSION", "Journal", "JournalState", "default_journal_path", "read_journal"]


def default_journal_path(now: datetime | None = None) -> Path:
    """``./trailwarden-journal-<UTC YYYYmmddTHHMMSSZ>.jsonl``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(f"trailwarden-journal-{stamp}.jsonl")


def read_journal(path: Path) -> JournalState:
    """What the journal at ``path`` says happened; :class:`JournalError` if it cannot tell."""
    return parse_records(_read(path), path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _error(error: ApiError) -> JsonDict:
    return {"action": error.action, "code": error.code, "message": error.message}


class Journal:
    """An open journal; every record is on disk (flushed and fsynced) when a method returns."""

    def __init__(self, path: Path, file: IO[str]) -> None:
        self.path = path
        self._file = file

    @classmethod
    def create(cls, path: Path, account_id: str, plan: JsonDict) -> Journal:
        """A new journal with its header; never overwrites an existing file."""
        from trailwarden.version import __version__

        try:
            # "x": exclusive create, so two applies can never share (or clobber) a journal.
            file = path.open("x", encoding="utf-8")
        except FileExistsError as exc:
            raise JournalError(
                f"The journal {path} already exists; pass a new file name with --journal."
            ) from exc
        except OSError as exc:
            raise JournalError(
                f"Cannot create the journal {path}: {exc.strerror or exc}; "
                "choose a writable path with --journal."
            ) from exc
        journal = cls(path, file)
        _fsync_directory(path)
        journal._write(
            {
                "type": "header",
                "journal_version": JOURNAL_VERSION,
                "tool": {"name": "trailwarden", "version": __version__},
                "account_id": account_id,
                "started_at": _now(),
                "plan": plan,
            }
        )
        return journal

    @classmethod
    def reopen(cls, path: Path) -> Journal:
        """An existing journal, to append to; a truncated last line is dropped first (its
        record was never completely written, so it never counted)."""
        raw = _read(path)
        tail = raw[raw.rfind(b"\n") + 1 :]
        try:
            file = path.open("r+", encoding="utf-8")
            if tail:
                if _is_record(tail):
                    file.seek(0, os.SEEK_END)
                    file.write("\n")
                else:
                    file.truncate(len(raw) - len(tail))
                file.flush()
                os.fsync(file.fileno())
            file.seek(0, os.SEEK_END)
        except OSError as exc:
            raise JournalError(
                f"Cannot append to the journal {path}: {exc.strerror or exc}; "
                "make it writable and run again."
            ) from exc
        return cls(path, file)

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._file.close()

    def begin(
        self, step_id: str, action: str, target: str, region: str, before: Any, after: JsonDict
    ) -> None:
        self._write(
            {
                "type": "begin",
                "step": step_id,
                "at": _now(),
                "action": action,
                "target": target,
                "region": region,
                "before": before,
                "after": after,
            }
        )

    def done(self, step_id: str, after: JsonDict, result: JsonDict | None = None) -> None:
        """``result``: what rollback needs of the call's answer (a subscription's ARN)."""
        record = {"type": "done", "step": step_id, "at": _now(), "after": after}
        self._write({**record, "result": result} if result else record)

    def failed(self, step_id: str, error: ApiError) -> None:
        self._write({"type": "failed", "step": step_id, "at": _now(), "error": _error(error)})

    def end(self, status: str) -> None:
        self._write({"type": "end", "at": _now(), "status": status})

    def undo_begin(self, step_id: str, action: str) -> None:
        self._write({"type": "undo-begin", "step": step_id, "at": _now(), "action": action})

    def undo_done(self, step_id: str) -> None:
        self._write({"type": "undo-done", "step": step_id, "at": _now()})

    def undo_skipped(self, step_id: str, reason: str, *, kept: bool) -> None:
        record = {"type": "undo-skipped", "step": step_id, "at": _now()}
        self._write({**record, "reason": reason, "kept": kept})

    def undo_failed(self, step_id: str, error: ApiError) -> None:
        self._write({"type": "undo-failed", "step": step_id, "at": _now(), "error": _error(error)})

    def _write(self, record: JsonDict) -> None:
        # One write per line, then flush + fsync: once this returns, the record survives a
        # crash of the process or the machine.
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            self._file.write(line)
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise JournalError(
                f"Cannot write to the journal {self.path}: {exc.strerror or exc}; the last "
                "change may not be recorded — check the disk, then run trailwarden rollback "
                f"{self.path}."
            ) from exc


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise JournalError(
            f"Cannot read the journal {path}: {exc.strerror or exc}; check the path."
        ) from exc


def _is_record(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _fsync_directory(path: Path) -> None:
    """Make the new file's directory entry durable too (POSIX; a no-op elsewhere)."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:
        return
    try:
        fd = os.open(path.parent if str(path.parent) else ".", os.O_RDONLY | flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
