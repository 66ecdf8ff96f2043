"""Split a stream of bytes into JSON documents, however the user joined them.

Users hand over one JSON document per file (an S3 delivery file), one per line (JSON
lines, ``zcat *.json.gz``), several on one line without separators (``cat *.json`` of
files without a final newline), or pretty-printed over many lines (``aws logs
filter-log-events`` output). All are read with :func:`orjson.loads`, trying the
shortest plausible document first:

- the end of a document's first line (JSON lines: one parse per line);
- the end of a line that starts with ``}`` or ``]`` (pretty-printers close a top-level
  document at column 0), once the data has doubled since the last try;
- between ``}`` and ``{`` (compact documents joined without newlines);
- the end of the data read so far once it has doubled since the last try, and the end of
  the input.

When orjson finds content after a complete document, the document ends there and the
rest is the next one. When orjson refuses a document that Python's :mod:`json` reads
(a lone surrogate escape such as ``\\ud800``, ``NaN``), the latter's reading is used, as
:func:`trailwarden.filterpattern.pattern.json_document` does for ``test-pattern``.
Text that is not JSON is reported with its line and column, and reading resumes at the
next line that starts a document. A document larger than ``max_bytes`` is not held in
memory, nor one whose parsed objects would take too much of it (:mod:`.memory`): it is
reported and skipped the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from .decompress import format_size
from .json_positions import byte_offset, json_may_read
from .memory import too_costly

__all__ = ["Document", "Unreadable", "split_documents"]

_BOM = b"\xef\xbb\xbf"
_CONTENT = re.compile(rb"[^ \t\r\n]")  # JSON whitespace ends here
_HOLD = 16 << 20  # a file up to this size is held whole and parsed once
_FIRST_TRY = 64 << 20  # a line still being read is first tried at this size (then doubled)
_decoder = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed JSON document and the line it starts on (1-based)."""

    value: Any
    line: int


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Input that is not a JSON document: where it starts and why it was left out."""

    line: int
    reason: str


Item = Document | Unreadable


class _Splitter:
    def __init__(self, max_bytes: int, first_try: int) -> None:
        self.max = max_bytes
        self.first_try = first_try
        self.buf = bytearray()
        self.line = 1  # the line buf[0] is on
        self.tried = 0  # buf[:tried] is known to be the start of an incomplete document
        self.scan = 0  # lines starting before buf[scan] were considered as ends
        self.searched = 0  # buf[scan:searched] holds no newline
        self.joint = 0  # where to look for the next "}{"
        self.resuming: Unreadable | None = None  # skipping input after this problem
        self.skipped_lines = 0

    def feed(self, data: bytes, final: bool) -> Iterator[Item]:
        self.buf += data
        while True:
            if self.resuming is not None:
                problem = self._resume(final)
                if problem is None:
                    return
                yield problem
            self._strip()
            if not self.buf:
                return
            end = self._candidate(final)
            if (len(self.buf) if end is None else end) > self.max:
                self._fail(f"a JSON document larger than {format_size(self.max)} "
                           "(--max-document-bytes)")  # fmt: skip
                continue
            if end is None:
                return
            item = self._parse(end, final)
            if item is not None:
                yield item

    def _strip(self) -> None:
        while True:
            start = _CONTENT.search(self.buf)
            stripped = len(self.buf) if start is None else start.start()
            if stripped:
                self.line += self.buf.count(b"\n", 0, stripped)
                del self.buf[:stripped]
            if not self.buf.startswith(_BOM):
                return
            del self.buf[:3]

    def _consume(self, end: int) -> None:
        self.line += self.buf.count(b"\n", 0, end)
        del self.buf[:end]
        self.tried = self.scan = self.searched = self.joint = 0

    def _candidate(self, final: bool) -> int | None:
        """Where the document at buf[0] may end (see the module docstring), or None."""
        buf = self.buf
        while True:
            newline = buf.find(b"\n", max(self.scan, self.searched))
            if newline < 0:
                self.searched = len(buf)  # a long line: do not search it again
                break
            start, self.scan = self.scan, newline + 1
            if start == 0 and self.tried == 0:
                return newline + 1
            # Only once the data has doubled since the last try, so that a document whose
            # inner lines also start at column 0 is not parsed again for each of them.
            if buf[start] in b"}]" and newline + 1 >= 2 * self.tried:
                return newline + 1
        # Compact documents run together (`cat *.json`): "}{" is where one ends, unless it
        # is inside a string (then the document is incomplete there, and the next is tried).
        joint = buf.find(b"}{", max(self.joint, self.tried - 1))
        if joint >= 0:
            self.joint = joint + 1
            return joint + 1
        self.joint = max(len(buf) - 1, 0)
        if final:
            return len(buf)
        if len(buf) >= max(self.first_try, 2 * self.tried):
            return len(buf)
        return None

    def _parse(self, end: int, final: bool) -> Item | None:
        costly = too_costly(self.buf, end, self.max)
        if costly is not None:
            self._fail(costly)
            return None
        error: orjson.JSONDecodeError | None = None
        with memoryview(self.buf) as view, view[:end] as text:
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                error = exc
        if error is None:
            return self._found(value, end)
        message = error.msg
        if message.startswith("unexpected content after document"):
            stop = byte_offset(self.buf, error.pos)
            with memoryview(self.buf) as view, view[:stop] as text:
                value = orjson.loads(text)
            return self._found(value, stop)
        if message.startswith("unexpected end of data"):
            return self._incomplete(end, final)
        at_line_end = end == len(self.buf) or self.buf[end - 1] == 0x0A
        if not (at_line_end or final) and error.pos >= end - 64:
            # The error may be where the data read so far was cut (between the two
            # escapes of a surrogate pair): judge it once its line has ended.
            self.tried = end
            return None
        if json_may_read(message, self.buf, error.pos):
            return self._fallback(bytes(self.buf[:end]), end, final, error)
        line = "" if error.lineno == 1 else f"line {self.line + error.lineno - 1}, "
        self._fail(f"not JSON: {message} ({line}column {error.colno})")
        return None

    def _fallback(
        self, data: bytes, end: int, final: bool, error: orjson.JSONDecodeError
    ) -> Item | None:
        """Python's json reads what orjson refuses: lone surrogate escapes, NaN."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._fail(f"not UTF-8 text (byte {exc.start + 1} of the document)")
            return None
        try:
            value, stop = _decoder.raw_decode(text)
        except RecursionError:
            self._fail("JSON nested deeper than 1,024 levels")
            return None
        except json.JSONDecodeError as exc:
            if exc.pos >= len(text.rstrip()):
                return self._incomplete(end, final)
            line = "" if error.lineno == 1 else f"line {self.line + error.lineno - 1}, "
            self._fail(f"not JSON: {error.msg} ({line}column {error.colno})")
            return None
        return self._found(value, len(text[:stop].encode("utf-8", "surrogatepass")))

    def _found(self, value: Any, end: int) -> Document:
        document = Document(value, self.line)
        self._consume(end)
        return document

    def _incomplete(self, end: int, final: bool) -> Item | None:
        if final and end == len(self.buf):
            item = Unreadable(self.line, "an incomplete JSON document (the input ends inside it)")
            self._consume(end)
            return item
        self.tried = end
        return None

    def _fail(self, reason: str) -> None:
        """Leave out the document at buf[0]: skip to the next line that starts one."""
        self.resuming = Unreadable(self.line, reason)
        self.skipped_lines = 0

    def _resume(self, final: bool) -> Unreadable | None:
        """Drop input up to the next line that starts a document (None: need more)."""
        assert self.resuming is not None
        buf = self.buf
        lines = 0
        newline = buf.find(b"\n")  # memchr: fast even through a gigabyte of junk
        while newline >= 0:
            after = bytes(buf[newline + 1 : newline + 4])
            if after[:1] in (b"{", b"[") or after == _BOM:
                break
            if not final and len(after) < 3 and _BOM.startswith(after):
                self.skipped_lines += lines  # what follows this newline is not read yet
                del buf[:newline]
                return None
            lines += 1
            newline = buf.find(b"\n", newline + 1)
        if newline < 0 and not final:
            self.skipped_lines += lines
            del buf[:]
            return None
        drop = len(buf) if newline < 0 else newline + 1
        lines += self.skipped_lines + (newline >= 0)
        problem = self.resuming
        self.line += lines
        del buf[:drop]
        self.tried = self.scan = self.searched = self.joint = 0
        self.resuming = None
        more = f"; {lines} lines left out up to the next document" if lines > 1 else ""
        return Unreadable(problem.line, problem.reason + more)


def split_documents(
    chunks: Iterable[bytes], max_bytes: int, first_try: int = _FIRST_TRY
) -> Iterator[Item]:
    """The JSON documents in ``chunks`` (and what is not one), in input order.

    ``first_try``: the size at which a line still being read is first tried, and at most
    what is held whole before splitting (tests make it small to exercise the splitting).
    """
    splitter = _Splitter(max_bytes, first_try)
    hold = min(first_try, _HOLD, max_bytes)
    held: list[bytes] | None = []
    size = 0
    for chunk in chunks:
        if held is not None:
            # Most files are one document (an S3 delivery file): hold a small file whole
            # and parse it once, as bytes, before splitting anything.
            held.append(chunk)
            size += len(chunk)
            if size < hold:
                continue
            chunk, held = b"".join(held), None
        yield from splitter.feed(chunk, final=False)
    if held is None:
        yield from splitter.feed(b"", final=True)
        return
    data = b"".join(held)
    if too_costly(data, len(data), max_bytes) is None:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # several documents, or none: the splitter says which
        else:
            start = _CONTENT.search(data)
            yield Document(value, 1 if start is None else 1 + data.count(b"\n", 0, start.start()))
            return
    yield from splitter.feed(data, final=True)
