"""The interface every kind of change implements: :class:`Change`.

A kind of change (one :class:`~trailwarden.remediate.model.Action`) is one module beside
this one, holding every facet of it; :data:`trailwarden.remediate.changes.CHANGES`
registers it. The planner builds its steps (``build``: a class method of each change,
with that change's own arguments); the renderers ask it to ``describe``, ``cli`` and
``iac`` a step; apply ``read`` s the target, compares it with what the plan saw
(``matches``) and makes the call ``do`` returns; rollback asks ``undo`` what undoing a
journalled step takes, and ``relies_on`` what must stay while a step's effect does. The
journal reader asks ``problem`` whether a step is one this change plans. Nothing outside
a change's module dispatches on its action.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from trailwarden.inventory import ApiError, JsonDict, Trail
from trailwarden.remediate.changes.outcome import Call, Decision, UndoOutcome
from trailwarden.remediate.changes.support.compare import covers, difference
from trailwarden.remediate.model import Action, Step, StepRecord

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.changes.support.iac import Resources

__all__ = ["AttributeChange", "Change", "ReadWhole", "State", "UndoContext", "json_copy"]

# A target's state, keyed like the ``before`` of its change; None: it does not exist.
State = JsonDict | None


def json_copy(document: Any) -> Any:
    """A copy made of JSON types only (lists, not tuples): the plan owns its documents, and
    the journal's JSON copy of the plan compares equal to it."""
    return json.loads(json.dumps(document))


@dataclass(frozen=True)
class UndoContext:
    """What rollback knows when it decides how to undo one step."""

    factory: ClientFactory
    journal: tuple[StepRecord, ...]  # every step of the apply that began
    journal_id: str  # what the apply tagged the resources it created with
    delete_used_log_groups: bool = False


class Change(abc.ABC):
    """One kind of change: how to build, describe, do, undo and read back its steps."""

    action: ClassVar[Action]
    # The IAM permissions a step needs (the action's own first); Step.permissions.
    permissions: ClassVar[tuple[str, ...]]
    # The API actions read and undo may call: with ``permissions``, the IAM policy that
    # fix --apply and rollback need (policies/trailwarden-fix.json).
    reads: ClassVar[tuple[str, ...]]
    undo_permissions: ClassVar[tuple[str, ...]]
    subject: ClassVar[str]  # what its target is called in messages: "Log group" …

    @classmethod
    def make_step(
        cls,
        target: str,
        before: JsonDict | None,
        after: JsonDict,
        *,
        region: str,
        account_id: str,
        trail_arn: str,
        fixes: Iterable[str],
        reason: str,
    ) -> Step:
        """A step of this change; its id is given once the whole plan is known."""
        return Step(
            id="",
            action=cls.action,
            target=target,
            region=region,
            account_id=account_id,
            before=before,
            after=after,
            permissions=cls.permissions,
            fixes=tuple(sorted(set(fixes))),
            trail_arn=trail_arn,
            reason=reason,
        )

    @classmethod
    def for_trail(
        cls,
        trail: Trail,
        target: str,
        before: JsonDict | None,
        after: JsonDict,
        fixes: Iterable[str],
        reason: str,
    ) -> Step:
        """A step for ``trail``, in its home region. IAM is global; its steps carry that
        region too, so that renderers keep a trail's resources together (CloudFormation
        stacks are regional)."""
        return cls.make_step(
            target,
            before,
            after,
            region=trail.home_region,
            account_id=trail.account_id,
            trail_arn=trail.arn,
            fixes=fixes,
            reason=reason,
        )

    # -- for people and pipelines -------------------------------------------------------
    @abc.abstractmethod
    def describe(self, step: Step) -> tuple[str, list[str]]:
        """(headline, before → after lines) of the step, for the text plan."""

    @abc.abstractmethod
    def cli(self, step: Step) -> list[str]:
        """The step as AWS CLI v2 shell words, already quoted."""

    @abc.abstractmethod
    def iac(self, resources: Resources, step: Step) -> None:
        """Fold the step into the record of the resource it touches: Terraform and
        CloudFormation describe resources, not calls."""

    # -- the live state ----------------------------------------------------------------
    @abc.abstractmethod
    def read(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict
    ) -> State | ApiError:
        """What ``target`` looks like now, keyed like this change's ``before``."""

    @abc.abstractmethod
    def after_state(self, after: JsonDict) -> State:
        """The state :meth:`read` reads once the step's call has taken effect."""

    def matches(self, expected: State, found: State) -> bool:
        """Whether ``found`` is the ``expected`` state."""
        return expected == found

    def changed_keys(self, expected: JsonDict, found: JsonDict) -> list[str]:
        """The keys in which ``found`` differs from ``expected``."""
        keys = sorted(set(expected) | set(found))
        return [k for k in keys if expected.get(k) != found.get(k)]

    def describe_change(self, target: str, expected: State, found: State) -> str:
        """One sentence: how ``found`` differs from the ``expected`` state of ``target``."""
        what = f"{self.subject} {target}"
        if found is None:
            return f"{what} no longer exists (the plan saw it)."
        if expected is None:
            return f"{what} already exists (the plan expected to create it)."
        keys = self.changed_keys(expected, found)
        changes = [difference(key, expected.get(key), found.get(key)) for key in keys]
        return f"{what} changed since the plan: {'; '.join(changes)}."

    # -- the journal ----------------------------------------------------------------------
    @abc.abstractmethod
    def problem(self, step: Step) -> str | None:
        """Why ``step`` (its target, ``before`` and ``after``) is not a step of this kind
        that trailwarden plans, or None. The journal reader refuses a journal holding one:
        rollback writes back ``before`` values and deletes targets, so both must be what
        an apply of trailwarden's could have recorded."""

    def result_problem(self, target: str, result: JsonDict) -> str | None:
        """Why ``result`` is not what :meth:`recorded` keeps of this step's answer."""
        return f"trailwarden records no result of {self.action.value}"

    # -- apply --------------------------------------------------------------------------
    @abc.abstractmethod
    def do(
        self, factory: ClientFactory, target: str, region: str, after: JsonDict, journal_id: str
    ) -> Call:
        """The call that makes the step's change (``after``); what it creates is tagged
        with ``journal_id`` (:data:`~trailwarden.remediate.policies.APPLY_TAG`)."""

    def recorded(self, response: Any) -> JsonDict | None:
        """What the journal's ``done`` record keeps of the call's answer (for rollback)."""
        return None

    def needs_fresh(self, after: JsonDict) -> frozenset[str]:
        """Targets the call uses that an earlier step may have just created: AWS may need
        a moment before it can use them (IAM is eventually consistent)."""
        return frozenset()

    def not_yet_usable(self, error: ApiError) -> bool:
        """Whether ``error`` may only mean that such a fresh target is not usable yet."""
        return False

    def why_refused(self, record: StepRecord, error: ApiError) -> str:
        """What it means for people that AWS refused to undo ``record`` with ``error``
        ("" when the error says it all)."""
        return ""

    def relies_on(self, target: str, after: JsonDict) -> frozenset[str]:
        """The targets of other steps that this step's effect uses (a trail its role and
        log group): while it cannot be undone, rollback keeps them."""
        return frozenset()

    # -- rollback -----------------------------------------------------------------------
    @abc.abstractmethod
    def undo(self, context: UndoContext, record: StepRecord) -> Decision:
        """The call that undoes a journalled step, or why none is made, or the read that
        failed; decided from the target's current state."""


class ReadWhole(Change):
    """A target read whole, to be put back whole: a live state has every key AWS can
    return, so only the settings the expected state names are compared."""

    def matches(self, expected: State, found: State) -> bool:
        if expected is not None and found is not None:
            return covers(expected, found)
        return expected == found

    def changed_keys(self, expected: JsonDict, found: JsonDict) -> list[str]:
        return [k for k in sorted(expected) if not covers(expected[k], found.get(k))]


class AttributeChange(Change):
    """A change of a value (a retention, a policy, a trail's ARNs, a filter …): undone by
    putting the recorded prior value back, only if the target still has the value the
    apply set; changed by someone since, it is left as it is and reported."""

    # A put where there was nothing (a metric filter, an alarm) is undone by a delete.
    deleted_when_new: ClassVar[bool] = False

    @abc.abstractmethod
    def restore(self, factory: ClientFactory, target: str, region: str, before: JsonDict) -> Call:
        """The call that puts back the prior value ``before``."""

    def remove(self, factory: ClientFactory, target: str, region: str) -> Call:
        """The call that deletes what the step put where there was nothing."""
        raise ValueError(f"{self.action.value} is not undone by a delete")

    def undo(self, context: UndoContext, record: StepRecord) -> Decision:
        found = self.read(context.factory, record.target, record.region, record.after)
        if isinstance(found, ApiError):
            return found
        if found is None:
            return UndoOutcome.NOTHING_TO_DO, "it no longer exists"
        new = self.deleted_when_new and record.before is None
        if not new and (record.before is None or self.matches(record.before, found)):
            return UndoOutcome.NOTHING_TO_DO, "it is as it was before the apply"
        applied = self.after_state(record.after)
        if not self.matches(applied, found):
            change = self.describe_change(record.target, applied, found)
            return UndoOutcome.KEPT, "left as it is: " + change.replace("the plan", "the apply")
        if new:
            return self.remove(context.factory, record.target, record.region)
        assert record.before is not None
        return self.restore(context.factory, record.target, record.region, record.before)
