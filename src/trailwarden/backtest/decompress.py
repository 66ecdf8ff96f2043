"""The bytes of one log file, decompressed as a stream, never more than a cap.

A 2 MB ``.json.gz`` can expand to 2 GB (a gzip bomb), so a file is never decompressed
whole: it is read and inflated in chunks of at most :data:`CHUNK` bytes, and reading
stops once the file has expanded to ``max_bytes``. Gzip files may hold several members
(``cat a.gz b.gz > c.gz`` is a valid gzip file; so are Firehose objects); every member is
read. A UTF-8 byte-order mark is left to the document splitter; UTF-16 text (what
Windows PowerShell's ``>`` writes) is converted to UTF-8.
"""

from __future__ import annotations

import codecs
import zlib
from collections.abc import Iterator
from typing import BinaryIO

__all__ = ["CHUNK", "DecompressedStream", "format_size"]

CHUNK = 1 << 20  # bytes decompressed (and held) at a time
_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def format_size(size: int) -> str:
    """``268435456`` -> ``256 MiB`` (exact binary units when they fit, else bytes)."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


class DecompressedStream:
    """``chunks()`` yields the file's content (gunzipped if it is gzip) in pieces.

    When reading stops early, ``stopped`` says why (the file expands beyond
    ``max_bytes``, the gzip data is truncated or corrupt, a read error) and the chunks
    simply end; ``size`` is the number of bytes yielded.
    """

    def __init__(self, raw: BinaryIO, max_bytes: int) -> None:
        self._raw = raw
        self._max = max_bytes
        self.size = 0
        self.gzipped = False
        self.stopped: str | None = None

    def chunks(self) -> Iterator[bytes]:
        try:
            first = self._raw.read(CHUNK)
            self.gzipped = first[:2] == _GZIP_MAGIC
            pieces = self._gunzip(first) if self.gzipped else self._plain(first)
            yield from self._capped(_utf8(pieces))
        except zlib.error as exc:
            self.stopped = f"the gzip data is corrupt ({exc}); the rest of the file was not read"
        except OSError as exc:
            self.stopped = f"a read error ({exc.strerror or exc}); the rest was not read"

    def _capped(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            room = self._max - self.size
            if len(piece) > room:
                if room:
                    self.size += room
                    yield piece[:room]
                self.stopped = (
                    f"the file expands beyond {format_size(self._max)} (--max-file-bytes); "
                    "the rest was not read"
                )
                return
            self.size += len(piece)
            yield piece

    def _plain(self, first: bytes) -> Iterator[bytes]:
        data = first
        while data:
            yield data
            data = self._raw.read(CHUNK)

    def _gunzip(self, first: bytes) -> Iterator[bytes]:
        # zlib checks each member's CRC-32 and length (wbits=31: gzip framing).
        inflater = zlib.decompressobj(31)
        data = first
        while True:
            while data:
                if inflater.eof:
                    data = data.lstrip(b"\x00")  # zero padding after the last member
                    if not data:
                        break
                    if data[:2] != _GZIP_MAGIC:
                        self.stopped = (
                            "data after the end of the gzip stream is not gzip; it was not read"
                        )
                        return
                    inflater = zlib.decompressobj(31)
                out = inflater.decompress(data, CHUNK)
                data = inflater.unconsumed_tail or inflater.unused_data
                if out:
                    yield out
            data = self._raw.read(CHUNK)
            if not data:
                break
        while not inflater.eof:  # output still held back by max_length
            out = inflater.decompress(b"", CHUNK)
            if not out:
                self.stopped = "the gzip data ends early (a truncated file?); the rest was not read"
                return
            yield out


def _utf8(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """UTF-16 text (recognised by its byte-order mark) re-encoded as UTF-8."""
    for first in pieces:
        if not first.startswith(_UTF16_BOMS):
            yield first
            yield from pieces
            return
        decoder = codecs.getincrementaldecoder("utf-16")()
        yield decoder.decode(first).encode("utf-8", "surrogatepass")
        for piece in pieces:
            yield decoder.decode(piece).encode("utf-8", "surrogatepass")
        yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")
        return
