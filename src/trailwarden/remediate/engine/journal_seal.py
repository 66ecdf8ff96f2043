"""Signed journal lines: each record ends with the HMAC of its own bytes and of the MAC of
the record before it (a chain that starts at the header, which holds a random journal id).

A line is the record's compact JSON with one last member added, ``"mac": "<64 hex>"``; the
MAC is computed over the line's bytes without that member. The exact bytes written are
the ones verified — nothing is re-serialised — and a line is verified before it is parsed,
so an edited line is refused before its contents are even looked at.
"""

from __future__ import annotations

import hmac
import re

from trailwarden.remediate.engine.journal_key import JournalKey

__all__ = ["GENESIS", "seal", "unseal", "verified"]

GENESIS = ""  # what the header's MAC chains from
_MAC = re.compile(rb',"mac":"([0-9a-f]{64})"\}\Z')


def seal(key: JournalKey, previous: str, body: bytes) -> tuple[bytes, str]:
    """(the line to write, newline included; its MAC) for a record's compact JSON ``body``."""
    if not (body.startswith(b"{") and body.endswith(b"}")) or len(body) < 3:
        raise ValueError("a journal record is a non-empty JSON object")
    mac = key.mac(previous, body)
    return body[:-1] + b',"mac":"' + mac.encode("ascii") + b'"}\n', mac


def unseal(line: bytes) -> tuple[bytes, str] | None:
    """(the record's bytes, the MAC it carries), or None when the line carries none."""
    found = _MAC.search(line)
    if found is None:
        return None
    return line[: found.start()] + b"}", found.group(1).decode("ascii")


def verified(key: JournalKey, previous: str, line: bytes) -> tuple[bytes, str] | None:
    """(the record's bytes, its MAC) when ``line`` is signed with ``key`` and follows the
    record whose MAC is ``previous``; else None."""
    parts = unseal(line)
    if parts is None:
        return None
    body, mac = parts
    return parts if hmac.compare_digest(key.mac(previous, body), mac) else None
