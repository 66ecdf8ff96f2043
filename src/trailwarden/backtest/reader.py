"""Stream CloudTrail records out of log files, accounting for every piece of input.

Each file is opened only if it is a regular file (:mod:`.inputs`), decompressed as a
stream under ``--max-file-bytes`` (:mod:`.decompress`), split into JSON documents under
``--max-document-bytes`` (:mod:`.documents`), and each document's records are picked out
whatever its shape (:mod:`.shapes`). Nothing is dropped silently: a file that yields no
record is *skipped* with the reason, and what a file holds besides records (a line that
is not JSON, an EventBridge event of another detail-type, ...) is *left out* and counted
per file and reason. Memory holds one document at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from trailwarden.errors import Error

from .decompress import DecompressedStream
from .documents import Document, split_documents
from .inputs import (
    STDIN,
    Discovery,
    LogFile,
    NotRegularFileError,
    Skipped,
    find_log_files,
    open_log_file,
)
from .shapes import LeftOut, records_in

__all__ = [
    "DEFAULT_LIMITS",
    "BacktestInputError",
    "LeftOutItems",
    "Limits",
    "LogReader",
    "Skipped",
]

_MAX_LISTED = 100  # files listed by path with their reasons; beyond that only counted


class BacktestInputError(Error):
    """Inputs of ``trailwarden backtest`` from which no CloudTrail event could be read."""


@dataclass(frozen=True)
class Limits:
    """How far one file is read.

    ``max_file_bytes``: what one file may expand to, decompressed. ``max_document_bytes``:
    the largest JSON document held in memory and parsed at once (an S3 delivery file, a
    line, a pretty-printed document).
    """

    # CloudTrail's S3 files are typically well under a few hundred MB uncompressed and
    # each record is at most 256 KB (event version 1.05+: "total event size limit of
    # 256 KB", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/
    # WhatIsCloudTrail-Limits.html), so these leave room for concatenated files while
    # bounding what a gzip bomb can cost.
    max_file_bytes: int = 1 << 30
    max_document_bytes: int = 128 << 20


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class LeftOutItems:
    """What a file held besides records: ``count`` items, the first at ``line``."""

    path: str
    reason: str
    count: int
    line: int | None


@dataclass
class _FileAccount:
    records: int = 0
    documents: int = 0
    stopped: str | None = None
    # reason -> [count, first line]
    left_out: dict[str, list[Any]] = field(default_factory=dict)

    def leave_out(self, reason: str, line: int | None) -> None:
        entry = self.left_out.get(reason)
        if entry is None:
            self.left_out[reason] = [1, line]
        else:
            entry[0] += 1


def _located(reason: str, line: int | None, count: int = 1) -> str:
    where = reason if line is None else f"line {line}: {reason}"
    return where if count == 1 else f"{where} ({count:,} such items)"


def _why_no_records(account: _FileAccount, notes: list[tuple[str, list[Any]]]) -> str:
    """One line saying why a file gave no record."""
    parts = [] if account.stopped is None else [account.stopped]
    parts += [_located(reason, line, count) for reason, (count, line) in notes[:2]]
    if len(notes) > 2:
        parts.append(f"and {len(notes) - 2} other kinds of content that are not records")
    if not parts:
        parts.append(
            "no JSON in it, only whitespace"
            if account.documents == 0
            else "no CloudTrail record in it (an empty list of records)"
        )
    return "; ".join(parts)


@dataclass
class LogReader:
    """The records of ``inputs`` (files, directories, ``-``), streamed in file order.

    ``records()`` yields each record as a parsed dict; the counters, ``skipped`` files and
    ``left_out`` items are filled in as it goes. ``on_file(bytes)`` is called after each
    file (for progress).
    """

    inputs: Sequence[str]
    limits: Limits = DEFAULT_LIMITS
    discovery: Discovery = field(init=False)
    files_read: int = 0
    records_read: int = 0
    skipped_count: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    left_out_count: int = 0
    left_out: list[LeftOutItems] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.discovery = find_log_files([str(path) for path in self.inputs])
        for entry in self.discovery.skipped:
            self._skip(entry.path, entry.reason)

    @property
    def files(self) -> list[LogFile]:
        return self.discovery.files

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.discovery.files)

    def _skip(self, path: str, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < _MAX_LISTED:
            self.skipped.append(Skipped(path, reason))

    def records(self, on_file: Callable[[int], None] | None = None) -> Iterator[Any]:
        for log_file in self.discovery.files:
            account = _FileAccount()
            yield from self._read(log_file, account)
            self._settle(log_file.path, account)
            if on_file is not None:
                on_file(log_file.size)

    def _read(self, log_file: LogFile, account: _FileAccount) -> Iterator[Any]:
        try:
            raw = open_log_file(log_file.path)
        except NotRegularFileError as exc:
            account.stopped = str(exc.strerror)
            return
        except OSError as exc:
            account.stopped = f"cannot be opened: {exc.strerror or exc}"
            return
        try:
            stream = DecompressedStream(raw, self.limits.max_file_bytes)
            max_document = self.limits.max_document_bytes
            for item in split_documents(stream.chunks(), max_document):
                if not isinstance(item, Document):
                    account.leave_out(item.reason, item.line)
                    continue
                account.documents += 1
                for record in records_in(item.value, max_document):
                    if isinstance(record, LeftOut):
                        account.leave_out(record.reason, item.line)
                    else:
                        account.records += 1
                        yield record
            if stream.stopped is not None:
                account.stopped = stream.stopped
            elif stream.size == 0:
                account.stopped = "an empty file"
        finally:
            if log_file.path != STDIN:
                raw.close()

    def _settle(self, path: str, account: _FileAccount) -> None:
        """Count the file as read (it gave records) or skipped, with what it left out."""
        notes = sorted(account.left_out.items(), key=lambda item: item[1][1] or 0)
        if account.records == 0:
            self._skip(path, _why_no_records(account, notes))
            return
        self.files_read += 1
        self.records_read += account.records
        for reason, (count, line) in notes:
            self._leave_out(path, reason, count, line)
        if account.stopped is not None:
            self._leave_out(path, account.stopped, 1, None)

    def _leave_out(self, path: str, reason: str, count: int, line: int | None) -> None:
        self.left_out_count += count
        if len(self.left_out) < _MAX_LISTED:
            self.left_out.append(LeftOutItems(path, reason, count, line))
