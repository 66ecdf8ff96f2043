"""What rollback decides for one step: an undo call, or why none (:class:`UndoOutcome`),
or the read that failed; and the helpers the deciders share."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TypeVar

from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.inventory import ApiError
from trailwarden.remediate.calls import Call
from trailwarden.remediate.policies import TAGS

__all__ = [
    "EXISTED",
    "MISSING",
    "NOT_OURS",
    "Decision",
    "Refused",
    "UndoOutcome",
    "ask",
    "ours",
]

T = TypeVar("T")
MISSING = "it does not exist (never created, or already deleted)"
EXISTED = "it existed before the apply, so it is never deleted"
NOT_OURS = "it is not tagged created-by=trailwarden, so someone else made it: kept"


class UndoOutcome(enum.Enum):
    UNDONE = "undone"
    NOTHING_TO_DO = "nothing to do"  # the call never took effect, or it is not ours
    KEPT = "kept"  # left in place on purpose (used log group, changed since): see the note
    ALREADY_UNDONE = "already undone"  # by an earlier rollback of this journal


# The undo call to make; or why none is made; or the read that failed.
Decision = Call | tuple[UndoOutcome, str] | ApiError


def ours(tags: dict[str, str]) -> bool:
    return all(tags.get(k) == v for k, v in TAGS.items())


class Refused(Exception):
    """A read that rollback needed failed: the undo cannot be decided."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.describe())
        self.error = error


def ask(action: str, region: str | None, call: Callable[[], T]) -> T:
    try:
        return call()
    except AwsCallError as exc:
        raise Refused(api_error(exc, action, region)) from exc
