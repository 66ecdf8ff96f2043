"""Validating a whole journal's contents, independently of its signatures.

Rollback must do only what trailwarden did. So before any AWS call:

- the plan in the header is a plan trailwarden makes: every step in the journal's account,
  partition and a known AWS region, its target of its action's kind, its ``before`` and
  ``after`` what that change plans (``Change.problem``);
- every ``begin`` is the next step of that plan, with the plan's action, target, region
  and ``after``, and a ``before`` — the state the apply read from AWS, the only values
  rollback ever writes back — consistent with what the plan saw;
- every other record comes in the order an apply and its rollbacks write them, for a step
  that began, with the values trailwarden writes (a ``done`` repeats its ``after``; an
  ``undo-begin`` names a call that undoing that step makes).

Anything else is a :class:`JournalError` naming the line, and nothing is undone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from trailwarden.arns import parse_arn
from trailwarden.collect.regions import known_regions
from trailwarden.errors import JournalError
from trailwarden.inventory import JsonDict
from trailwarden.remediate.changes import CHANGES
from trailwarden.remediate.engine.journal_schema import fields_problem
from trailwarden.remediate.engine.journal_state import JournalState
from trailwarden.remediate.model import Plan, Step, StepRecord, UndoState
from trailwarden.remediate.render.json import PlanFormatError, plan_from_dict

__all__ = ["check_records", "step_problem"]

_CHECK_ID = re.compile(r"TW[0-9]{3}")
_APPLY = ("begin", "done", "failed", "end")


def check_records(records: list[tuple[int, JsonDict]], path: Path) -> JournalState:
    """The state of a journal whose parsed records are ``records`` (line number, record)."""
    n, header = records[0]
    if (problem := fields_problem(header)) is not None:
        raise _refused(path, n, problem)
    try:
        plan = plan_from_dict(header["plan"])
    except PlanFormatError as exc:
        raise _refused(path, n, f"its plan is not a trailwarden plan ({exc})") from exc
    account = header["account_id"]
    if plan.account_id != account:
        raise _refused(path, n, f"its plan is for account {plan.account_id}, not {account}")
    for i, step in enumerate(plan.steps, start=1):
        if step.id != str(i):
            raise _refused(path, n, f"its plan's step {i} is numbered {step.id[:12]!r}")
        if (problem := step_problem(step, account)) is not None:
            raise _refused(path, n, f"step {step.id} of its plan {problem}")
    fold = _Fold(plan)
    for n, record in records[1:]:
        problem = fields_problem(record) or fold.add(record)
        if problem is not None:
            raise _refused(path, n, problem)
    return JournalState(
        path=path,
        account_id=account,
        journal_id=header["journal_id"],
        started_at=header["started_at"],
        tool_version=header["tool"]["version"],
        plan=plan,
        steps=tuple(fold.steps.values()),
        refused=fold.refused,
        status=fold.status,
    )


def step_problem(step: Step, account: str) -> str | None:
    """Why ``step`` is not a step trailwarden plans for ``account``, or None."""
    texts = (step.target, step.region, step.account_id, step.trail_arn, step.reason)
    lists = (*step.permissions, *step.fixes)
    if not all(isinstance(t, str) and len(t) <= 4096 for t in (*texts, *lists)):
        return "has a field that is not a string of at most 4096 characters"
    if not isinstance(step.after, dict) or not (
        step.before is None or isinstance(step.before, dict)
    ):
        return "has a before or after that is not an object"
    change = CHANGES[step.action]
    partition = known_regions().get(step.region)
    if partition is None:
        return f"names {step.region[:40]!r}, which is not an AWS region"
    if step.account_id != account:
        return f"is for account {step.account_id[:20]!r}, not the journal's {account}"
    arn = parse_arn(step.target)
    service = step.action.value.split(":", 1)[0]
    region = "" if service == "iam" else step.region  # IAM is global: no region in its ARNs
    if arn is None or (arn.partition, arn.service, arn.region) != (partition, service, region):
        return f"targets {step.target[:80]!r}, not a {service} resource in {step.region}"
    if arn.account_id != account:
        return f"targets a resource of account {arn.account_id[:20]!r}, not of {account}"
    trail = parse_arn(step.trail_arn)
    if trail is None or (trail.partition, trail.service, trail.account_id) != (
        partition,
        "cloudtrail",
        account,
    ):
        return f"is for {step.trail_arn[:80]!r}, not a trail of account {account}"
    if step.permissions != change.permissions:
        return f"lists other permissions than {step.action.value} needs"
    if not step.fixes or not all(_CHECK_ID.fullmatch(c) for c in step.fixes):
        return "does not name the checks it fixes"
    if (problem := change.problem(step)) is not None:
        return f"is not a step trailwarden plans ({problem})"
    return None


def _refused(path: Path, n: int, problem: str) -> JournalError:
    return JournalError(
        f"{path} line {n} cannot be rolled back: {problem}; trailwarden rolls back only "
        "what its own apply did, as its journal recorded it."
    )


@dataclass
class _Fold:
    """The journal so far; :meth:`add` says why the next record cannot follow, or None."""

    plan: Plan
    steps: dict[str, StepRecord] = field(default_factory=dict)
    refused: tuple[str, JsonDict] | None = None
    status: str | None = None
    failure: bool = False  # the apply stopped on a failed step
    undoing: bool = False  # a rollback has written to the journal

    def add(self, record: JsonDict) -> str | None:
        kind = record["type"]
        if kind in _APPLY and (self.undoing or self.status is not None):
            return f"a {kind} record follows the end of the apply"
        if kind == "end":
            return self._end(record["status"])
        step_id = record["step"]
        if kind == "begin":
            return self._begin(record)
        if kind == "failed":
            return self._failed(step_id, record["error"])
        step = self.steps.get(step_id)
        if step is None:
            return f"the {kind} record is about step {step_id}, which never began"
        if kind == "done":
            return self._done(step, record)
        self.undoing = True
        return self._undo(step, record)

    def _begin(self, record: JsonDict) -> str | None:
        step_id = str(len(self.steps) + 1)
        last = list(self.steps.values())[-1] if self.steps else None
        if self.failure or (last is not None and not last.done):
            return "a step begins after the apply stopped on a step that did not finish"
        if record["step"] != step_id or int(step_id) > len(self.plan.steps):
            return f"it begins step {record['step']}, but the apply's next step is {step_id}"
        planned = self.plan.steps[int(step_id) - 1]
        change = CHANGES[planned.action]
        for key, value in (("action", planned.action.value), ("target", planned.target)):
            if record[key] != value:
                return f"its {key} is not that of step {step_id} of the journal's plan"
        if record["region"] != planned.region or record["after"] != planned.after:
            return f"its region or after differs from step {step_id} of the journal's plan"
        before = record["before"]
        if not change.matches(planned.before, before):
            return f"its before is not the state the plan saw for step {step_id}"
        if (problem := change.problem(replace(planned, before=before))) is not None:
            return f"the state it records before step {step_id} is not one it reads ({problem})"
        self.steps[step_id] = StepRecord(
            id=step_id,
            action=planned.action,
            target=planned.target,
            region=planned.region,
            before=before,
            after=planned.after,
        )
        return None

    def _done(self, step: StepRecord, record: JsonDict) -> str | None:
        if step.done or step.error is not None or self.failure:
            return f"step {step.id} is marked done twice, or after it failed"
        if record["after"] != step.after:
            return f"its after differs from the begin record of step {step.id}"
        result = record.get("result")
        if result is not None and (
            problem := CHANGES[step.action].result_problem(step.target, result)
        ):
            return problem
        self.steps[step.id] = replace(step, done=True, result=result)
        return None

    def _failed(self, step_id: str, error: JsonDict) -> str | None:
        if self.failure:
            return "a second step fails after the apply stopped"
        self.failure = True
        step = self.steps.get(step_id)
        if step is not None and not step.done:  # its call was made and refused
            self.steps[step_id] = replace(step, error=error)
            return None
        after_done = all(s.done for s in self.steps.values())
        next_step = step_id == str(len(self.steps) + 1) and int(step_id) <= len(self.plan.steps)
        if step is None and next_step and after_done:  # refused before its call
            self.refused = (step_id, error)
            return None
        return f"it records a failure of step {step_id}, which the apply was not running"

    def _end(self, status: str) -> str | None:
        every_step_done = len(self.steps) == len(self.plan.steps) and all(
            s.done for s in self.steps.values()
        )
        complete = every_step_done and not self.failure
        if (status == "complete" and not complete) or (status == "failed" and not self.failure):
            return f"the apply ended {status!r}, which its records contradict"
        self.status = status
        return None

    def _undo(self, step: StepRecord, record: JsonDict) -> str | None:
        kind, change = record["type"], CHANGES[step.action]
        if step.undo.final:
            return f"it records more rollback of step {step.id}, which was already undone"
        if kind == "undo-begin":
            if record["action"] not in change.undo_permissions:
                return f"undoing step {step.id} never calls {record['action'][:60]!r}"
            self.steps[step.id] = replace(step, undo=UndoState.STARTED, undo_note="")
        elif kind == "undo-done":
            if step.undo is not UndoState.STARTED:
                return f"step {step.id} is marked undone, but no undo call began"
            self.steps[step.id] = replace(step, undo=UndoState.DONE, undo_note="")
        elif kind == "undo-skipped":
            undo = UndoState.KEPT if record["kept"] else UndoState.SKIPPED
            self.steps[step.id] = replace(step, undo=undo, undo_note=record["reason"])
        else:  # undo-failed
            error = record["error"]
            note = f"{error['code']} on {error['action']}"
            self.steps[step.id] = replace(step, undo=UndoState.FAILED, undo_note=note)
        return None
