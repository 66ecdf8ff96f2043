"""What parsing a JSON document will cost in memory, known before parsing it.

A parsed document takes several times its size: about 7× for CloudTrail records, but
some 35× for text such as ``[{"":0},{"":0},...]`` (each 7 bytes become a dict of ~230),
so a 130 KB gzip file of that would take gigabytes under a size cap alone. Documents are
therefore also refused when their estimated parsed size exceeds :data:`MEMORY_FACTOR` ×
``--max-document-bytes``, which CloudTrail records (estimated at about 7.5×) do not
reach. Counting braces, brackets and quotes runs at memory speed, and only documents
large enough to matter are counted.
"""

from __future__ import annotations

__all__ = ["MEMORY_FACTOR", "too_costly"]

MEMORY_FACTOR = 10
_PER_CONTAINER = 200  # bytes of a small dict or list and its slot in its parent
_PER_QUOTE = 50  # half a string object and its slot
_WORST_RATIO = 50  # no JSON text parses to more than this many times its size


def too_costly(data: bytes | bytearray, end: int, max_bytes: int) -> str | None:
    """Why ``data[:end]`` should not be parsed (None when it may be)."""
    budget = MEMORY_FACTOR * max_bytes
    if end * _WORST_RATIO <= budget:
        return None
    containers = data.count(b"{", 0, end) + data.count(b"[", 0, end)
    estimate = end + _PER_CONTAINER * containers + _PER_QUOTE * data.count(b'"', 0, end)
    if estimate <= budget:
        return None
    return (
        f"a JSON document that would take about {_approximate(estimate)} of memory to read "
        f"(more than {MEMORY_FACTOR} times --max-document-bytes)"
    )


def _approximate(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20)):
        if size >= factor:
            return f"{size / factor:,.1f} {unit}"
    return f"{size / 1024:,.1f} KiB"
