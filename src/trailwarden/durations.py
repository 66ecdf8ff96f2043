"""Parsing of human durations such as ``24h``, ``90m``, ``2d`` or ``1d12h``."""

from __future__ import annotations

import re
from datetime import timedelta

from trailwarden.errors import UsageError
from trailwarden.textsafe import printable

__all__ = ["MAX_DURATION", "format_duration", "parse_duration"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


# Longer than any sensible delivery age; also keeps timedelta (at most 999,999,999 days)
# and the arithmetic on it from overflowing on a hostile value.
MAX_DURATION = timedelta(days=3650)
_PART = re.compile(r"([0-9]{1,12})([smhdw])")


def parse_duration(text: str) -> timedelta:
    """Parse ``<number><unit>…`` (units s, m, h, d, w); a bare number means hours.

    Only ASCII digits count (``"²"`` is not a number here), and at most ten years.
    """
    cleaned = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"[0-9]{1,12}", cleaned):
        total = int(cleaned) * _UNITS["h"]
    elif cleaned and re.fullmatch(r"(?:[0-9]{1,12}[smhdw])+", cleaned):
        total = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(cleaned))
    else:
        total = 0
    if total <= 0:
        raise UsageError(
            f"'{printable(text)}' is not a duration; write it like 24h, 90m, 2d or 1d12h "
            "(a bare number means hours)."
        )
    if total > MAX_DURATION.total_seconds():
        raise UsageError(
            f"'{printable(text)}' is longer than {MAX_DURATION.days} days; give a shorter "
            "duration, like 24h or 7d."
        )
    return timedelta(seconds=total)


def format_duration(delta: timedelta) -> str:
    """'3 days 4 hours', '5 minutes': the largest unit and the next one if it is not zero."""
    left = max(0, int(delta.total_seconds()))
    counts = []
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, left = divmod(left, size)
        counts.append((count, unit))
    first = next((i for i, (count, _) in enumerate(counts) if count), 3)
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in counts[first : first + 2] if n]
    return " ".join(words) or "0 seconds"
