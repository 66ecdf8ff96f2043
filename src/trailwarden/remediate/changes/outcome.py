"""What a change hands the engine: the API call to make, or why rollback makes none.

A :class:`Call` is built first and made by the engine, so that apply and rollback share
the pacing of CloudTrail writes and journal the API action before the call is made.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.inventory import ApiError

__all__ = [
    "EXISTED",
    "MISSING",
    "NOT_OURS",
    "Call",
    "Decision",
    "Refused",
    "UndoOutcome",
    "ask",
]

T = TypeVar("T")
MISSING = "it does not exist (never created, or already deleted)"
EXISTED = "it existed before the apply, so it is never deleted"
NOT_OURS = "it is not tagged created-by=trailwarden, so someone else made it: kept"


@dataclass(frozen=True)
class Call:
    """One API call, not made yet."""

    action: str  # the API action, e.g. "logs:DeleteLogGroup"
    run: Callable[[], Any]
    region: str
    paced: bool = False  # a CloudTrail write: at most one per second per region


class UndoOutcome(enum.Enum):
    UNDONE = "undone"
    NOTHING_TO_DO = "nothing to do"  # the call never took effect, or it is not ours
    KEPT = "kept"  # left in place on purpose (used log group, changed since): see the note
    ALREADY_UNDONE = "already undone"  # by an earlier rollback of this journal


# The undo call to make; or why none is made; or the read that failed.
Decision = Call | tuple[UndoOutcome, str] | ApiError


class Refused(Exception):
    """A read that rollback needed failed: the undo cannot be decided."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.describe())
        self.error = error


def ask(action: str, region: str | None, call: Callable[[], T]) -> T:
    """``call()``; an AWS error raises :class:`Refused` naming ``action``."""
    try:
        return call()
    except AwsCallError as exc:
        raise Refused(api_error(exc, action, region)) from exc
