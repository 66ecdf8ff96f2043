"""Remediation: plan → apply (with a write-ahead journal) → rollback, and renderers.

The layers, each a folder; each imports only those below it::

    engine/     runs against AWS: lookups for the planner, apply + journal, rollback
    planning/   findings + inventory → Plan (pure)     render/  Plan → text, JSON, CLI, IaC
    changes/    one module per kind of change (Action): build, show, read, do, undo it;
                registered in CHANGES, through which the layers above dispatch
    model.py, policies.py   the data that crosses them; trailwarden's names and documents

The API, imported lazily so that ``import trailwarden.remediate`` costs nothing::

    from trailwarden.remediate import FixOptions, make_plan, apply_plan, rollback

Journals are signed with the user's journal key (:func:`load_key`; see
:mod:`trailwarden.remediate.engine.journal_key`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "MACHINE_FORMATS",
    "Action",
    "ApplyResult",
    "ApplyStatus",
    "FixOptions",
    "JournalKey",
    "JournalState",
    "Plan",
    "PlanFormatError",
    "RollbackResult",
    "RollbackStatus",
    "Skip",
    "Step",
    "StepRecord",
    "UndoOutcome",
    "UndoState",
    "Wanted",
    "apply_plan",
    "complete_inventory",
    "default_journal_path",
    "key_path",
    "load_key",
    "make_plan",
    "plan_from_dict",
    "plan_to_dict",
    "read_journal",
    "render_machine",
    "render_text",
    "rollback",
    "rollback_command",
    "wanted_resources",
]

if TYPE_CHECKING:
    from trailwarden.remediate.changes.outcome import UndoOutcome
    from trailwarden.remediate.engine.apply import (
        ApplyResult,
        ApplyStatus,
        apply_plan,
        rollback_command,
    )
    from trailwarden.remediate.engine.journal import (
        JournalState,
        default_journal_path,
        read_journal,
    )
    from trailwarden.remediate.engine.journal_key import JournalKey, key_path, load_key
    from trailwarden.remediate.engine.lookup import complete_inventory
    from trailwarden.remediate.engine.rollback import RollbackResult, RollbackStatus, rollback
    from trailwarden.remediate.model import Action, Plan, Skip, Step, StepRecord, UndoState
    from trailwarden.remediate.planning.options import FixOptions
    from trailwarden.remediate.planning.plan import Wanted, make_plan, wanted_resources
    from trailwarden.remediate.render import MACHINE_FORMATS, render_machine, render_text
    from trailwarden.remediate.render.json import PlanFormatError, plan_from_dict, plan_to_dict

_LAZY = {
    "UndoOutcome": "trailwarden.remediate.changes.outcome",
    "ApplyResult": "trailwarden.remediate.engine.apply",
    "ApplyStatus": "trailwarden.remediate.engine.apply",
    "apply_plan": "trailwarden.remediate.engine.apply",
    "rollback_command": "trailwarden.remediate.engine.apply",
    "JournalKey": "trailwarden.remediate.engine.journal_key",
    "key_path": "trailwarden.remediate.engine.journal_key",
    "load_key": "trailwarden.remediate.engine.journal_key",
    "JournalState": "trailwarden.remediate.engine.journal",
    "default_journal_path": "trailwarden.remediate.engine.journal",
    "read_journal": "trailwarden.remediate.engine.journal",
    "complete_inventory": "trailwarden.remediate.engine.lookup",
    "RollbackResult": "trailwarden.remediate.engine.rollback",
    "RollbackStatus": "trailwarden.remediate.engine.rollback",
    "rollback": "trailwarden.remediate.engine.rollback",
    "Action": "trailwarden.remediate.model",
    "Plan": "trailwarden.remediate.model",
    "Skip": "trailwarden.remediate.model",
    "Step": "trailwarden.remediate.model",
    "StepRecord": "trailwarden.remediate.model",
    "UndoState": "trailwarden.remediate.model",
    "FixOptions": "trailwarden.remediate.planning.options",
    "Wanted": "trailwarden.remediate.planning.plan",
    "make_plan": "trailwarden.remediate.planning.plan",
    "wanted_resources": "trailwarden.remediate.planning.plan",
    "MACHINE_FORMATS": "trailwarden.remediate.render",
    "render_machine": "trailwarden.remediate.render",
    "render_text": "trailwarden.remediate.render",
    "PlanFormatError": "trailwarden.remediate.render.json",
    "plan_from_dict": "trailwarden.remediate.render.json",
    "plan_to_dict": "trailwarden.remediate.render.json",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'trailwarden.remediate' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
