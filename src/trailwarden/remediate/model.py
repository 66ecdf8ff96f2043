"""The data that crosses remediation's layers.

A fix is data: a :class:`Plan` of :class:`Step` s, each saying what it will do, to what,
the state before and after, and the IAM permissions it needs (planning → the engine and
the renderers). A journal holds a :class:`StepRecord` for every step that began (the
journal reader → rollback → each change's undo). What each :class:`Action` does is in
its module under :mod:`trailwarden.remediate.changes`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PLAN_SCHEMA_VERSION",
    "Action",
    "JsonDict",
    "Plan",
    "Skip",
    "Step",
    "StepRecord",
    "UndoState",
]

PLAN_SCHEMA_VERSION = 1

JsonDict = dict[str, Any]


class Action(enum.Enum):
    """Every change trailwarden can make; the value is the API action it calls (and what
    plans and journals hold). The order is the plan's order within a trail: what a step
    needs exists before it runs. Each member has its module in :mod:`.changes`."""

    CREATE_LOG_GROUP = "logs:CreateLogGroup"
    PUT_RETENTION_POLICY = "logs:PutRetentionPolicy"
    CREATE_ROLE = "iam:CreateRole"
    PUT_ROLE_POLICY = "iam:PutRolePolicy"
    UPDATE_ASSUME_ROLE_POLICY = "iam:UpdateAssumeRolePolicy"
    UPDATE_TRAIL = "cloudtrail:UpdateTrail"
    START_LOGGING = "cloudtrail:StartLogging"
    # The monitoring checks TW101–TW115: filters, alarms and the topic they notify.
    PUT_METRIC_FILTER = "logs:PutMetricFilter"
    CREATE_TOPIC = "sns:CreateTopic"
    SUBSCRIBE = "sns:Subscribe"
    PUT_METRIC_ALARM = "cloudwatch:PutMetricAlarm"
    ENABLE_ALARM_ACTIONS = "cloudwatch:EnableAlarmActions"


@dataclass(frozen=True)
class Step:
    """One change.

    ``target`` is the ARN of the resource changed (for a role policy: the role ARN; the
    policy name is in ``after``). ``before`` is the state the plan saw (None: the
    resource or attribute does not exist); ``after`` the state the step leaves.
    The keys of ``before``/``after`` are documented in the module of the action's change.
    """

    id: str  # "1", "2", … in plan order
    action: Action
    target: str
    region: str
    account_id: str
    before: JsonDict | None
    after: JsonDict
    permissions: tuple[str, ...]  # the change's (CHANGES[action].permissions)
    fixes: tuple[str, ...]  # check ids this step contributes to, e.g. ("TW001",)
    trail_arn: str  # the trail this step is for
    reason: str  # one sentence for people


@dataclass(frozen=True)
class Skip:
    """A finding the plan leaves alone, and why (org trail from a member, ERROR, …)."""

    check_id: str
    trail_arn: str
    reason: str


@dataclass(frozen=True)
class Plan:
    account_id: str
    steps: tuple[Step, ...] = ()
    skipped: tuple[Skip, ...] = ()
    # TW004/TW005: what the plan believes the cause is and which steps address it.
    diagnoses: tuple[str, ...] = ()
    schema_version: int = field(default=PLAN_SCHEMA_VERSION)

    @property
    def is_empty(self) -> bool:
        return not self.steps


class UndoState(enum.Enum):
    """Where rollback is with a step that began, as its journal says."""

    NONE = "none"  # rollback has not looked at this step
    STARTED = "started"  # an undo call began; whether it was made is unknown
    DONE = "done"
    SKIPPED = "skipped"  # nothing to undo (e.g. the call never took effect)
    KEPT = "kept"  # deliberately left in place (e.g. a used log group); revisited on re-run
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in (UndoState.DONE, UndoState.SKIPPED)


@dataclass(frozen=True)
class StepRecord:
    """A step that began: its call may have been made, so rollback must look at it."""

    id: str
    action: Action
    target: str
    region: str
    before: JsonDict | None  # read from AWS just before the call
    after: JsonDict
    done: bool = False
    error: JsonDict | None = None  # the "failed" record's error
    undo: UndoState = UndoState.NONE
    undo_note: str = ""
    result: JsonDict | None = None  # the "done" record's (e.g. {"subscription_arn": …})

    def describe(self) -> str:
        if self.done:
            state = "done"
        elif self.error is not None:
            state = f"failed ({self.error.get('code')})"
        else:
            state = "began, not confirmed done: the call may have been made"
        undo = "" if self.undo is UndoState.NONE else f"; rollback: {self.undo.value}"
        note = f" ({self.undo_note})" if self.undo_note else ""
        return f"{self.id}. {self.action.value} {self.target} — {state}{undo}{note}"
