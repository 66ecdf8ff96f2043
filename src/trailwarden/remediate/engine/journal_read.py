"""Reading a journal back: its signatures first, then every record's contents, all before
rollback makes a single AWS call.

1. Every line must carry the HMAC chain of :mod:`.journal_seal` under the journal key:
   a line changed, added, dropped or moved after trailwarden wrote it is refused, naming
   the line. A last line cut short (the process was killed while writing it) is
   ignored: its record was never complete, so it never counted.
2. Independently of the signatures (they prove who wrote a journal, not that it makes
   sense), :mod:`.journal_check` validates the whole journal — record shapes and sizes,
   their order, each step against the plan in the header — so that rollback only ever
   undoes steps of that plan, with values the apply read from AWS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from trailwarden.errors import JournalError
from trailwarden.remediate.engine.journal_check import check_records
from trailwarden.remediate.engine.journal_key import JournalKey
from trailwarden.remediate.engine.journal_schema import parse_record
from trailwarden.remediate.engine.journal_seal import GENESIS, unseal, verified
from trailwarden.remediate.engine.journal_state import JournalState

__all__ = ["JOURNAL_VERSION", "MAX_JOURNAL_BYTES", "read_records"]

JOURNAL_VERSION = 2  # what this release writes and reads: signed records
MAX_JOURNAL_BYTES = 64 << 20  # a plan of hundreds of trails is a few MiB
_WRITTEN_BY = "pass the journal file that trailwarden fix --apply wrote"


def read_records(raw: bytes, path: Path, get_key: Callable[[], JournalKey]) -> JournalState:
    """The :class:`JournalState` of a journal's bytes, verified with the key ``get_key``
    returns (asked for only once the file looks like a journal: a file that is not one
    is named as such, whether or not there is a key)."""
    if len(raw) > MAX_JOURNAL_BYTES:
        raise JournalError(f"{path} is too large to be a trailwarden journal; {_WRITTEN_BY}.")
    *complete, tail = raw.split(b"\n")
    if not complete:
        _no_complete_line(path, tail)
    key, previous = _header_mac(path, complete[0], get_key)
    bodies = [(1, unseal(complete[0]))]
    for n, line in enumerate(complete[1:], start=2):
        checked = verified(key, previous, line)
        if checked is None:
            raise JournalError(
                f"{path} line {n} was changed, added or removed after trailwarden wrote it (it "
                "does not carry the journal's signature chain), so trailwarden refuses to roll "
                "this journal back; use the journal exactly as fix --apply wrote it."
            )
        bodies.append((n, checked))
        previous = checked[1]
    truncated = unterminated = False
    if tail:
        checked = verified(key, previous, tail)
        if checked is None:
            truncated = True
        else:
            bodies.append((len(complete) + 1, checked))
            previous, unterminated = checked[1], True
    records = []
    for n, parts in bodies:
        assert parts is not None
        try:
            records.append((n, parse_record(parts[0])))
        except ValueError as exc:
            raise JournalError(f"{path} line {n} cannot be rolled back: {exc}.") from exc
    state = check_records(records, path)
    return replace(state, truncated=truncated, unterminated=unterminated, last_mac=previous)


def _no_complete_line(path: Path, tail: bytes) -> None:
    if tail.startswith(b'{"type":"header"'):
        raise JournalError(
            f"{path} holds only part of a journal header: the apply was stopped while "
            "starting, before any change, so there is nothing to roll back."
        )
    raise JournalError(f"{path} is not a trailwarden journal; {_WRITTEN_BY}.")


def _header_mac(
    path: Path, line: bytes, get_key: Callable[[], JournalKey]
) -> tuple[JournalKey, str]:
    """The key and the header's MAC, once the header is known to be signed with it."""
    parts = unseal(line)
    try:
        header = parse_record(parts[0] if parts else line)
    except ValueError:
        header = {}
    if header.get("type") != "header":
        raise JournalError(
            f"{path} is not a trailwarden journal (its first line is not a journal header); "
            f"{_WRITTEN_BY}."
        )
    version = header.get("journal_version")
    if parts is None or version != JOURNAL_VERSION:
        shown = version if type(version) is int else "unknown"
        raise JournalError(
            f"{path} is a version {shown} journal, but this trailwarden rolls back only "
            f"signed version {JOURNAL_VERSION} journals; use the trailwarden that wrote it."
        )
    key = get_key()
    if header.get("key_id") != key.key_id:
        raise JournalError(
            f"{path} was signed with another journal key (id {str(header.get('key_id'))[:16]}) "
            f"than {key.path} (id {key.key_id}); pass the key of the user and machine that ran "
            "the apply with --journal-key."
        )
    checked = verified(key, GENESIS, line)
    if checked is None:
        raise JournalError(
            f"{path} line 1 was changed after trailwarden wrote it (its signature does not "
            "match), so trailwarden refuses to roll this journal back."
        )
    return key, checked[1]
