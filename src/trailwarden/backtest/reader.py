"""Stream CloudTrail records out of log files, one file in memory at a time.

Two layouts: CloudTrail's S3 delivery files (``{"Records": [...]}``, usually gzipped,
a few MB each: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/
cloudtrail-log-file-examples.html) are parsed whole; JSON-lines files (one record per
line, gzipped or not) are read line by line, so they may be any size. A file that cannot
be read or parsed is skipped and reported, never fatal: one bad object in a bucket copy
should not stop the replay of the others.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from trailwarden.errors import Error

__all__ = ["LOG_SUFFIXES", "BacktestInputError", "LogReader", "Skipped", "discover"]

LOG_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".gz")
_GZIP_MAGIC = b"\x1f\x8b"
_MAX_REASONS = 100  # skipped files listed by path; beyond that only counted


class BacktestInputError(Error):
    """A FILE or DIR argument of ``trailwarden backtest`` that cannot be read."""


@dataclass(frozen=True)
class Skipped:
    """A file (or JSON-lines line) that was not replayed, and why."""

    path: str
    reason: str


def _is_log_file(name: str) -> bool:
    return name.endswith(LOG_SUFFIXES)


def discover(inputs: Sequence[Path]) -> list[tuple[Path, int]]:
    """Every log file named or under a named directory, with its size, in a stable order.

    Files given by name are read whatever their suffix; directories are searched
    recursively for ``*.json``, ``*.json.gz``, ``*.jsonl``, ``*.jsonl.gz`` and ``*.gz``.
    """
    found: list[tuple[Path, int]] = []
    for path in inputs:
        try:
            if path.is_dir():
                found.extend(_walk(path))
            else:
                found.append((path, path.stat().st_size))
        except OSError as exc:
            raise BacktestInputError(
                f"Cannot read {path}: {exc.strerror or exc}; pass CloudTrail log files "
                "or directories that hold them."
            ) from exc
    return found


def _walk(root: Path) -> Iterator[tuple[Path, int]]:
    def fail(exc: OSError) -> None:
        raise exc

    for directory, dirs, files in os.walk(root, onerror=fail):
        dirs.sort()
        for name in sorted(files):
            if _is_log_file(name):
                path = Path(directory, name)
                yield path, path.stat().st_size


def _records_of(document: Any) -> list[Any] | None:
    """The records a parsed file holds, or None when it is not CloudTrail records."""
    if isinstance(document, dict):
        records = document.get("Records")
        if isinstance(records, list):
            return records
        if "eventName" in document or "eventVersion" in document:
            return [document]  # a single record (one-line JSON-lines file)
        return None  # e.g. a CloudTrail-Digest file
    if isinstance(document, list) and all(isinstance(item, dict) for item in document):
        return document
    return None


@dataclass
class LogReader:
    """The records of ``inputs`` (files and directories), streamed in file order.

    ``records()`` yields each record as a parsed dict; counters and the skipped files are
    filled in as it goes. ``on_file(bytes)`` is called after each file (for progress).
    """

    inputs: Sequence[Path]
    files: list[tuple[Path, int]] = field(init=False)
    files_read: int = 0
    records_read: int = 0
    skipped_count: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.files = discover(self.inputs)

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.files)

    def _skip(self, path: Path, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < _MAX_REASONS:
            self.skipped.append(Skipped(str(path), reason))

    def records(self, on_file: Callable[[int], None] | None = None) -> Iterator[Any]:
        for path, size in self.files:
            if path.name.endswith((".jsonl", ".jsonl.gz")):
                yield from self._lines(path)
            else:
                yield from self._whole(path)
            self.files_read += 1
            if on_file is not None:
                on_file(size)

    def _whole(self, path: Path) -> Iterator[Any]:
        try:
            data = path.read_bytes()
            if data[:2] == _GZIP_MAGIC:
                data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            self._skip(path, f"cannot read: {exc}")
            return
        try:
            records = _records_of(orjson.loads(data))
        except orjson.JSONDecodeError:
            # Several JSON documents: JSON-lines without the .jsonl suffix.
            yield from self._parse_lines(path, data.splitlines())
            return
        if records is None:
            self._skip(path, 'not CloudTrail records (no "Records" list)')
            return
        self.records_read += len(records)
        yield from records

    def _lines(self, path: Path) -> Iterator[Any]:
        try:
            with path.open("rb") as raw:
                gzipped = raw.read(2) == _GZIP_MAGIC
            with gzip.open(path, "rb") if gzipped else path.open("rb") as stream:
                yield from self._parse_lines(path, stream)
        except (OSError, EOFError, zlib.error) as exc:
            self._skip(path, f"cannot read: {exc}")

    def _parse_lines(self, path: Path, lines: Any) -> Iterator[Any]:
        bad = good = 0
        for line in lines:
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                bad += 1
                continue
            if not isinstance(record, dict):
                bad += 1
                continue
            good += 1
            self.records_read += 1
            yield record
        if bad:
            # A partly readable JSON-lines file is replayed and reported; an unreadable
            # one (not JSON at all) is only reported.
            reason = f"{bad} malformed line(s) left out" if good else "not JSON CloudTrail records"
            self._skip(path, reason)
