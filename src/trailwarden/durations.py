"""Parsing of human durations such as ``24h``, ``90m``, ``2d`` or ``1d12h``."""

from __future__ import annotations

from datetime import timedelta

from trailwarden.errors import UsageError

__all__ = ["format_duration", "parse_duration"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """Parse ``<number><unit>…`` (units s, m, h, d, w); a bare number means hours."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned.isdigit():
        return timedelta(hours=int(cleaned))
    total = 0
    number = ""
    for ch in cleaned:
        if ch.isdigit():
            number += ch
        elif ch in _UNITS and number:
            total += int(number) * _UNITS[ch]
            number = ""
        else:
            number = "?"
            break
    if number or total <= 0:
        raise UsageError(
            f"'{text}' is not a duration; write it like 24h, 90m, 2d or 1d12h "
            "(a bare number means hours)."
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
