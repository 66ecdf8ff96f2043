"""Comparing a target's live state with the state a plan or an apply expected, in words."""

from __future__ import annotations

from typing import Any

__all__ = ["covers", "difference"]


def covers(expected: Any, found: Any) -> bool:
    """Whether ``found`` has every value ``expected`` names (dicts: the keys of
    ``expected``, recursively; lists: element by element; else equality)."""
    if isinstance(expected, dict):
        return isinstance(found, dict) and all(covers(v, found.get(k)) for k, v in expected.items())
    if isinstance(expected, list | tuple):
        return (
            isinstance(found, list | tuple)
            and len(found) == len(expected)
            and all(covers(e, f) for e, f in zip(expected, found, strict=True))
        )
    return bool(expected == found)


def difference(key: str, expected: Any, found: Any) -> str:
    """How one key of a state differs, for people."""
    if isinstance(expected, dict) and isinstance(found, dict):  # policy documents
        return f"{key} is not the document the plan saw"
    if isinstance(expected, list) or isinstance(found, list):
        return f"{key} is not what the plan saw"
    return f"{key} is now {_show(found)} (the plan saw {_show(expected)})"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a policy document"
    return "unset" if value is None else repr(value)
