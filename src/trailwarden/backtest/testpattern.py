"""``trailwarden test-pattern``: the local ``aws logs test-metric-filter``.

Like the API, each event is one raw log message; unlike it, every event is reported (not
only the matches), with its 0-based index in input order.

Input is read as bytes, one message per line (LF or CRLF), from a file or standard input,
and decoded the same way for both: UTF-8, each invalid byte sequence replaced by U+FFFD.
That is what CloudWatch Logs does with the messages of PutLogEvents ("byte-sequences which
are not valid UTF-8 encodings are normalized to the Unicode replacement character U+FFFD",
https://github.com/moby/moby/pull/37986, Docker's awslogs driver accounting for it). A
byte-order mark at the start of the input is an editor's, not part of a message: dropped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from trailwarden.errors import FilterPatternError, UsageError
from trailwarden.filterpattern import FilterPatternUnsupportedError
from trailwarden.textsafe import printable

from .sources import compile_named

__all__ = [
    "PatternTest",
    "decode_messages",
    "match_messages",
    "read_event_file",
    "read_stream",
    "render_json",
    "render_table",
]

_SHOWN = 100  # characters of a message shown in the table
_BOM = "\ufeff"
# Only a regular file is read: a FIFO would block until a writer comes, a directory or a
# device is no list of messages.
_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True)
class PatternTest:
    """Which messages a pattern matched, in input order."""

    pattern: str
    messages: tuple[str, ...]
    matched: tuple[bool, ...]


def decode_messages(lines: Iterable[bytes]) -> list[str]:
    """One message per line, line ends removed (a blank line is an empty message), decoded
    as CloudWatch Logs decodes PutLogEvents messages (see the module doc)."""
    messages = [line.rstrip(b"\r\n").decode("utf-8", "replace") for line in lines]
    if messages and messages[0].startswith(_BOM):
        messages[0] = messages[0][1:]
    return messages


def read_event_file(path: str) -> list[str]:
    """The messages of the regular file at ``path``; UsageError (one sentence) otherwise."""
    shown = printable(path)
    try:
        # O_NONBLOCK: opening a FIFO that has no writer returns at once instead of waiting.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UsageError(f"Cannot read {shown}: {exc.strerror or exc}; check the path.") from exc
    mode = os.fstat(fd).st_mode
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), None)
    if kind is not None:
        os.close(fd)
        raise UsageError(
            f"{shown} is {kind}, not a file of log messages; give a regular file, "
            "or pipe the messages in on standard input."
        )
    with open(fd, "rb") as file:
        try:
            return decode_messages(file)
        except OSError as exc:
            raise UsageError(f"Cannot read {shown}: {exc.strerror or exc}.") from exc


def read_stream(stream: IO[bytes]) -> list[str]:
    """The messages of a binary stream such as standard input."""
    return decode_messages(stream)


def match_messages(pattern: str, messages: Iterable[str]) -> PatternTest:
    """Match each raw message against ``pattern``; raises InvalidPatternError, or
    FilterPatternError for a pattern trailwarden cannot evaluate."""
    try:
        compiled = compile_named("the pattern", pattern).pattern
    except FilterPatternUnsupportedError as exc:
        raise FilterPatternError(f"Cannot test the pattern: {exc}.") from exc
    shown = tuple(messages)
    return PatternTest(pattern, shown, tuple(compiled.matches(m) for m in shown))


def to_json(result: PatternTest) -> dict[str, Any]:
    return {"matches": [{"index": i, "matched": hit} for i, hit in enumerate(result.matched)]}


def render_json(result: PatternTest) -> bytes:
    return bytes(orjson.dumps(to_json(result))) + b"\n"


def render_table(result: PatternTest, console: Console) -> None:
    hits = sum(result.matched)
    table = Table(
        title=f"{hits} of {len(result.messages)} events matched", title_justify="left", expand=True
    )
    # The message gives way (cut with an ellipsis), never the index or the verdict.
    table.add_column("index", justify="right", no_wrap=True, min_width=5)
    table.add_column("matched", no_wrap=True, min_width=7)
    table.add_column("message", overflow="ellipsis", no_wrap=True, ratio=1)
    for index, (message, hit) in enumerate(zip(result.messages, result.matched, strict=True)):
        # Log content is outside text: control characters are escaped, never sent raw.
        text = printable(message)
        text = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
        table.add_row(str(index), Text("yes", "green") if hit else Text("no"), Text(text))
    console.print(table)
