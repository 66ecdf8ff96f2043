"""Reading orjson's complaints: where in the bytes it stopped, and whether Python's
:mod:`json` may still read what it refused (a lone surrogate escape, ``NaN``)."""

from __future__ import annotations

__all__ = ["byte_offset", "json_may_read"]


def json_may_read(message: str, buf: bytearray, position: int) -> bool:
    """Whether Python's json may read what orjson refused with ``message``."""
    if "surrogate" in message:
        return True
    # NaN, Infinity and -Infinity: orjson reports the character where they start (for
    # ASCII text the position is also the byte offset; otherwise this only costs a try).
    return bytes(buf[position : position + 1]) in (b"N", b"I", b"-")


def byte_offset(buf: bytearray, characters: int) -> int:
    """orjson reports positions in characters; the offset in bytes of ``characters``."""
    if buf[:characters].isascii():
        return characters
    # A character is 1 to 4 bytes of UTF-8.
    prefix = bytes(buf[: 4 * characters]).decode("utf-8", "surrogateescape")[:characters]
    return len(prefix.encode("utf-8", "surrogateescape"))
