"""The apply journal: JSON Lines, write-ahead, signed, locked, one fsync per record.

A step's ``begin`` record is on disk before its API call is made and its ``done`` record
after the call succeeded, so a journal always tells which calls may have been made: every
step with a ``begin``. A process killed mid-write leaves at most a truncated last line,
which the reader ignores (and :meth:`Journal.reopen` removes before appending). Rollback
appends ``undo-*`` records, so it can be re-run after an interruption.

Every line is signed (:mod:`.journal_seal`, with the key of :mod:`.journal_key`) and the
file is created with mode 0600 and written only with ``O_APPEND``. An apply or rollback
holds an exclusive ``flock`` on the journal from its first read to its last write; a
second one on the same journal is refused at once with a sentence, never interleaved.

Records (the remediation contract; ``begin`` also carries the step's action, target,
region and planned ``after``, so that rollback needs nothing but the journal)::

    {"type": "header", "journal_version": 2, "journal_id", "key_id", "tool": {...},
     "account_id", "started_at", "plan"}
    {"type": "begin", "step", "at", "action", "target", "region", "before", "after"}
    {"type": "done", "step", "at", "after"[, "result"]}
    {"type": "failed", "step", "at", "error": {"action", "code", "message"}}
    {"type": "end", "at", "status": "complete" | "failed"}
    {"type": "undo-begin", "step", "at", "action"}   (before an undo call)
    {"type": "undo-done", "step", "at"}
    {"type": "undo-skipped", "step", "at", "reason", "kept"}   (kept: left in place; revisited)
    {"type": "undo-failed", "step", "at", "error": {...}}

each followed, on its line, by ``"mac"`` (:mod:`.journal_seal`).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from trailwarden.errors import JournalError
from trailwarden.inventory import ApiError, JsonDict
from trailwarden.remediate.engine.journal_key import JournalKey, load_key
from trailwarden.remediate.engine.journal_read import (
    JOURNAL_VERSION,
    MAX_JOURNAL_BYTES,
    read_records,
)
from trailwarden.remediate.engine.journal_seal import GENESIS, seal
from trailwarden.remediate.engine.journal_state import JournalState

__all__ = ["JOURNAL_VERSION", "Journal", "JournalState", "default_journal_path", "read_journal"]


def default_journal_path(now: datetime | None = None) -> Path:
    """``./trailwarden-journal-<UTC YYYYmmddTHHMMSSZ>.jsonl``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(f"trailwarden-journal-{stamp}.jsonl")


def read_journal(path: Path, key: JournalKey | None = None) -> JournalState:
    """What the journal at ``path`` says happened, once its signatures and contents are
    verified (``key``: the default journal key); :class:`JournalError` if it cannot tell."""
    return read_records(_read(path), path, (lambda: key) if key else load_key)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _error(error: ApiError) -> JsonDict:
    return {"action": error.action, "code": error.code, "message": error.message}


class Journal:
    """An open, locked journal; every record is on disk (fsynced) when a method returns."""

    def __init__(
        self, path: Path, fd: int, key: JournalKey, last_mac: str, journal_id: str
    ) -> None:
        self.path, self.journal_id = path, journal_id
        self._fd, self._key, self._last_mac = fd, key, last_mac

    @classmethod
    def create(cls, path: Path, account_id: str, plan: JsonDict, key: JournalKey) -> Journal:
        """A new journal with its header; never overwrites an existing file."""
        from trailwarden.version import __version__

        try:
            # O_EXCL: two applies never share (or clobber) a journal, and a symlink planted
            # at the path is refused; 0600: a journal describes the account's resources.
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | _CLOEXEC
            fd = os.open(path, flags, 0o600)
        except FileExistsError as exc:
            raise JournalError(
                f"The journal {path} already exists; pass a new file name with --journal."
            ) from exc
        except OSError as exc:
            raise JournalError(
                f"Cannot create the journal {path}: {exc.strerror or exc}; "
                "choose a writable path with --journal."
            ) from exc
        journal = cls(path, fd, key, GENESIS, secrets.token_hex(16))
        try:
            _lock(fd, path)
        except BaseException:
            journal.close()
            raise
        _fsync_directory(path)
        journal._write(
            {
                "type": "header",
                "journal_version": JOURNAL_VERSION,
                "journal_id": journal.journal_id,
                "key_id": key.key_id,
                "tool": {"name": "trailwarden", "version": __version__},
                "account_id": account_id,
                "started_at": _now(),
                "plan": plan,
            }
        )
        return journal

    @classmethod
    def reopen(cls, path: Path, key: JournalKey) -> tuple[Journal, JournalState]:
        """An existing journal, locked, to append to, and what it says (read under the
        lock). A truncated last line is dropped first: its record never counted."""
        try:
            fd = os.open(path, os.O_RDWR | os.O_APPEND | _CLOEXEC)
        except OSError as exc:
            raise JournalError(
                f"Cannot open the journal {path}: {exc.strerror or exc}; "
                "check the path and make the file writable."
            ) from exc
        try:
            _lock(fd, path)
            raw = _read_fd(fd, path)
            state = read_records(raw, path, lambda: key)
            if state.truncated:
                os.ftruncate(fd, raw.rindex(b"\n") + 1)
            elif state.unterminated:
                os.write(fd, b"\n")
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            raise JournalError(
                f"Cannot append to the journal {path}: {exc.strerror or exc}; "
                "make it writable and run again."
            ) from exc
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, key, state.last_mac, state.journal_id), state

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file, which releases the lock."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def fileno(self) -> int:
        return self._fd

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
        # One signed line per record, appended, then fsync: once this returns, the record
        # survives a crash of the process or the machine.
        body = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        line, mac = seal(self._key, self._last_mac, body)
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(self._fd, view) :]
            os.fsync(self._fd)
        except OSError as exc:
            raise JournalError(
                f"Cannot write to the journal {self.path}: {exc.strerror or exc}; the last "
                "change may not be recorded — check the disk, then run trailwarden rollback "
                f"{self.path}."
            ) from exc
        self._last_mac = mac


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _lock(fd: int, path: Path) -> None:
    """An exclusive lock on the journal, or :class:`JournalError` at once if another
    trailwarden holds it (flock locks belong to the open file, so two threads with their
    own opens exclude each other too)."""
    if sys.platform == "win32":  # pragma: no cover - POSIX only
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        raise JournalError(
            f"The journal {path} is in use by another trailwarden (an apply or a rollback "
            "of it is running); wait until it has finished, then run this command again."
        ) from exc


def _read(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | _CLOEXEC)
    except OSError as exc:
        raise JournalError(
            f"Cannot read the journal {path}: {exc.strerror or exc}; check the path."
        ) from exc
    try:
        return _read_fd(fd, path)
    finally:
        os.close(fd)


def _read_fd(fd: int, path: Path) -> bytes:
    chunks: list[bytes] = []
    size = offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        offset += len(chunk)
        if size > MAX_JOURNAL_BYTES:
            raise JournalError(
                f"{path} is larger than {MAX_JOURNAL_BYTES >> 20} MiB, which no trailwarden "
                "journal is; pass the journal that fix --apply wrote."
            )


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
