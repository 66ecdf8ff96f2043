"""Which management events a trail's event selectors capture (TW010).

Basic selectors: ``IncludeManagementEvents`` and ``ReadWriteType``; advanced selectors,
when present, replace them: ``eventCategory = Management`` and ``readOnly``.
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trailwarden.inventory import EventSelectors, TrailConfig

__all__ = ["Coverage", "management_coverage"]


@dataclass(frozen=True)
class Coverage:
    """Which management events a trail's event selectors capture."""

    read: bool
    write: bool
    notes: tuple[str, ...] = ()


def management_coverage(config: TrailConfig, selectors: EventSelectors | None) -> Coverage | None:
    """None when the selectors are needed but unknown (GetEventSelectors failed)."""
    if selectors is None or not (selectors.basic or selectors.advanced):
        if not config.has_custom_event_selectors:
            # AWS's default selector logs all (read and write) management events.
            # https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
            return Coverage(True, True, ("default event selectors",))
        return None if selectors is None else Coverage(False, False, ("no event selectors",))
    read = write = False
    notes: list[str] = []
    for s in selectors.basic if not selectors.advanced else ():
        # IncludeManagementEvents and ReadWriteType default to true and All.
        if s.get("IncludeManagementEvents", True) is True:
            kind = s.get("ReadWriteType", "All")
            read, write = read or kind in ("All", "ReadOnly"), write or kind in ("All", "WriteOnly")
            notes += [f"excludes {src}" for src in s.get("ExcludeManagementEventSources") or ()]
    for sel in selectors.advanced:  # when present, they replace the basic selectors
        fields = {
            f.get("Field"): f for f in sel.get("FieldSelectors", ()) if isinstance(f, Mapping)
        }
        if "Management" not in _values(fields.get("eventCategory"), "Equals"):
            continue
        source = fields.get("eventSource") or {}
        others = sorted(
            str(k) for k in fields if k not in ("eventCategory", "readOnly", "eventSource")
        )
        if others or any(op in source for op in ("Equals", "StartsWith", "EndsWith")):
            notes.append(f"selector {sel.get('Name', '')!r} filters on {others or 'eventSource'}")
            continue
        notes += [f"excludes {src}" for op in source if op != "Field" for src in source[op]]
        r, w = _read_write(fields.get("readOnly"))
        read, write = read or r, write or w
    return Coverage(read, write, tuple(notes))


def _values(field: Mapping[str, Any] | None, op: str) -> Sequence[Any]:
    value = (field or {}).get(op)
    return value if isinstance(value, list) else ()


def _read_write(field: Mapping[str, Any] | None) -> tuple[bool, bool]:
    """What a ``readOnly`` field selector lets through: (read events, write events)."""
    if field is None:
        return True, True
    equals, not_equals = _values(field, "Equals"), _values(field, "NotEquals")
    if equals:
        return "true" in equals, "false" in equals
    if not_equals:
        return "true" not in not_equals, "false" not in not_equals
    return False, False  # another operator: not something we count on
