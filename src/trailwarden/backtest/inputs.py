"""Which files a backtest reads, and opening them safely.

Only regular files are read (and standard input, named ``-``): a FIFO would block the
run forever and a device such as ``/dev/zero`` never ends, so both are skipped with the
reason, before they are opened. Everything that cannot be read — a dangling symbolic
link, a link loop, a directory that cannot be listed — is skipped and reported, never
fatal: one bad entry in a copied bucket should not stop the replay of the others.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

__all__ = [
    "LOG_SUFFIXES",
    "STDIN",
    "Discovery",
    "LogFile",
    "NotRegularFileError",
    "Skipped",
    "find_log_files",
    "open_log_file",
]

LOG_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".gz")
STDIN = "-"


@dataclass(frozen=True)
class LogFile:
    """A file to read: its path as found (``-`` is standard input) and its size on disk."""

    path: str
    size: int


@dataclass(frozen=True)
class Skipped:
    """A file (or directory) that contributed nothing to the backtest, and why."""

    path: str
    reason: str


@dataclass
class Discovery:
    """What the inputs hold: files to read, entries skipped, other files not considered."""

    files: list[LogFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: int = 0  # files in searched directories without a log-file suffix


class NotRegularFileError(OSError):
    """Raised by :func:`open_log_file` for a FIFO, device, socket or directory."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def not_regular_reason(mode: int) -> str:
    return f"{_kind(mode)}, not a regular file: only regular files are read"


def _stat_failure(path: str, exc: OSError) -> str:
    """Why ``path`` cannot be examined, in words."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop: the link never reaches a file"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return "a dangling symbolic link: its target does not exist"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return f"cannot be examined: {exc.strerror or exc}"


def find_log_files(inputs: Sequence[str]) -> Discovery:
    """Every file named in ``inputs`` or found under a named directory, in a stable order.

    Files named directly are read whatever their suffix; directories are searched
    recursively (following links to directories, each directory once) for ``*.json``,
    ``*.json.gz``, ``*.jsonl``, ``*.jsonl.gz`` and ``*.gz``.
    """
    found = Discovery()
    visited: set[tuple[int, int]] = set()  # directories searched and files found
    for path in inputs:
        if path == STDIN:
            found.files.append(LogFile(STDIN, 0))
            continue
        try:
            info = os.stat(path)
        except OSError as exc:
            found.skipped.append(Skipped(path, _stat_failure(path, exc)))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, info, visited, found)
        elif stat.S_ISREG(info.st_mode):
            _add_file(path, info, visited, found)
        else:
            found.skipped.append(Skipped(path, not_regular_reason(info.st_mode)))
    return found


def _walk(root: str, info: os.stat_result, visited: set[tuple[int, int]], found: Discovery) -> None:
    pending: list[tuple[str, os.stat_result]] = [(root, info)]
    while pending:
        directory, dir_info = pending.pop()
        key = (dir_info.st_dev, dir_info.st_ino)
        if key in visited:
            # A link back to a directory already searched: reading it again would count
            # its files twice (or loop forever).
            reason = "a directory already searched (named twice, or a link to it)"
            found.skipped.append(Skipped(directory, reason))
            continue
        visited.add(key)
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            reason = f"a directory that cannot be listed: {exc.strerror or exc}"
            found.skipped.append(Skipped(directory, reason))
            continue
        subdirectories: list[tuple[str, os.stat_result]] = []
        for entry in entries:
            try:
                entry_info = os.stat(entry.path)
            except OSError as exc:
                if entry.name.endswith(LOG_SUFFIXES) or entry.is_symlink():
                    found.skipped.append(Skipped(entry.path, _stat_failure(entry.path, exc)))
                else:
                    found.ignored += 1
                continue
            if stat.S_ISDIR(entry_info.st_mode):
                subdirectories.append((entry.path, entry_info))
            elif not entry.name.endswith(LOG_SUFFIXES):
                found.ignored += 1
            elif stat.S_ISREG(entry_info.st_mode):
                _add_file(entry.path, entry_info, visited, found)
            else:
                found.skipped.append(Skipped(entry.path, not_regular_reason(entry_info.st_mode)))
        pending.extend(reversed(subdirectories))  # depth first, in name order


def _add_file(
    path: str, info: os.stat_result, visited: set[tuple[int, int]], found: Discovery
) -> None:
    key = (info.st_dev, info.st_ino)
    if key in visited:
        # Read once: a file named twice (or linked) would count its events twice.
        reason = "the same file as one already read (named twice, or a link to it)"
        found.skipped.append(Skipped(path, reason))
        return
    visited.add(key)
    found.files.append(LogFile(path, info.st_size))


def open_log_file(path: str) -> BinaryIO:
    """Open a regular file (or standard input for ``-``) for reading bytes.

    The file is opened without blocking and checked after opening, so a path that was
    swapped for a FIFO or a device since it was found is refused, not read. Raises
    :class:`NotRegularFileError` or another :class:`OSError`.
    """
    if path == STDIN:
        return sys.stdin.buffer
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(errno.EINVAL, not_regular_reason(mode))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb", buffering=0)
    except BaseException:
        os.close(descriptor)
        raise
