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
from trailwarden.inventory import ApiError, JsonDict

__all__ = [
    "EXISTED",
    "MISSING",
    "NOT_OURS",
    "Call",
    "Decision",
    "Refused",
    "UndoOutcome",
    "already_existed",
    "ask",
]

T = TypeVar("T")
MISSING = "it does not exist (never created, or already deleted)"
EXISTED = "it existed before the apply, so it is never deleted"
NOT_OURS = (
    "it does not carry this apply's tags (created-by=trailwarden and trailwarden-journal-id "
    "= this journal's id), so someone else, or another apply, made it: kept"
)


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
    # Left in place on purpose (a used log group, a change since, what a step that could
    # not be undone still uses): see the note. Revisited when rollback runs again.
    KEPT = "kept"
    ALREADY_UNDONE = "already undone"  # by an earlier rollback of this journal
    FAILED = "not undone"  # AWS refused the undo (or a read it needed): see the note


# The undo call to make; or why none is made; or the read that failed.
Decision = Call | tuple[UndoOutcome, str] | ApiError


def already_existed(error: JsonDict | None) -> bool:
    """Whether a create step's recorded failure says that its target already existed
    (logs: ResourceAlreadyExistsException, IAM: EntityAlreadyExists): then the call made
    nothing, and what is there now belongs to someone else."""
    return error is not None and "AlreadyExists" in str(error.get("code", ""))


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
