"""The plan as JSON (schema version 1), and back: the journal keeps the plan this way.

Stable for consumers: fields are only ever added within a schema version.
``plan_from_dict(plan_to_dict(plan)) == plan`` for every plan.
"""

from __future__ import annotations

from typing import Any

from trailwarden.errors import Error
from trailwarden.remediate.model import PLAN_SCHEMA_VERSION, Action, Plan, Skip, Step

__all__ = ["PlanFormatError", "plan_from_dict", "plan_to_dict", "render_plan_json"]


class PlanFormatError(Error):
    """A plan document that is not a trailwarden plan of a version this release reads."""


def step_to_dict(step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "action": step.action.value,
        "target": step.target,
        "region": step.region,
        "account_id": step.account_id,
        "before": step.before,
        "after": step.after,
        "permissions": list(step.permissions),
        "fixes": list(step.fixes),
        "trail_arn": step.trail_arn,
        "reason": step.reason,
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "schema_version": plan.schema_version,
        "account_id": plan.account_id,
        "steps": [step_to_dict(s) for s in plan.steps],
        "skipped": [
            {"check_id": s.check_id, "trail_arn": s.trail_arn, "reason": s.reason}
            for s in plan.skipped
        ],
        "diagnoses": list(plan.diagnoses),
    }


def render_plan_json(plan: Plan) -> bytes:
    import orjson

    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    return bytes(orjson.dumps(plan_to_dict(plan), option=option))


def plan_from_dict(data: Any) -> Plan:
    """The plan ``data`` describes; :class:`PlanFormatError` if it is not one."""
    try:
        if data["schema_version"] != PLAN_SCHEMA_VERSION:
            raise PlanFormatError(
                f"This plan has schema version {data['schema_version']!r}; this version of "
                f"trailwarden reads version {PLAN_SCHEMA_VERSION} only."
            )
        return Plan(
            account_id=str(data["account_id"]),
            steps=tuple(_step(s) for s in data["steps"]),
            skipped=tuple(
                Skip(s["check_id"], s["trail_arn"], s["reason"]) for s in data["skipped"]
            ),
            diagnoses=tuple(str(d) for d in data["diagnoses"]),
            schema_version=PLAN_SCHEMA_VERSION,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFormatError(
            f"This is not a trailwarden plan: {type(exc).__name__} {exc}."
        ) from exc


def _step(data: dict[str, Any]) -> Step:
    return Step(
        id=str(data["id"]),
        action=Action(data["action"]),
        target=data["target"],
        region=data["region"],
        account_id=data["account_id"],
        before=data["before"],
        after=data["after"],
        permissions=tuple(data["permissions"]),
        fixes=tuple(data["fixes"]),
        trail_arn=data["trail_arn"],
        reason=data["reason"],
    )
