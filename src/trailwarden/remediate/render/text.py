"""The plan for people: per trail, numbered steps with before → after, the permissions they
need and why; then what was skipped, the diagnoses, and one closing line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailwarden.remediate.changes import CHANGES
from trailwarden.remediate.changes.support.wording import name_of
from trailwarden.remediate.model import Plan, Step

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["closing_line", "describe_step", "render_plan"]


def render_plan(plan: Plan, console: Console) -> None:
    from rich.padding import Padding
    from rich.text import Text

    def indented(text: Text | str, indent: int = 5, style: str = "") -> None:
        line = text if isinstance(text, Text) else Text(text, style=style)
        console.print(Padding(line, (0, 0, 0, indent), expand=False))  # wraps keep the indent

    trails = dict.fromkeys([s.trail_arn for s in plan.steps] + [k.trail_arn for k in plan.skipped])
    for arn in trails:
        account = arn.removeprefix("AWS::::Account:")  # account-wide skips (TW1xx)
        title = f"Account {account}" if account != arn else f"Trail {name_of(arn)}  {arn}"
        console.print(Text(title, style="bold cyan"))
        for step in (s for s in plan.steps if s.trail_arn == arn):
            headline, changes = describe_step(step)
            indented(Text.assemble(f"{step.id}. ", (headline, "bold")), 2)
            for change in changes:
                indented(change)
            indented(f"needs: {', '.join(step.permissions)}", style="dim")
            indented(f"why: {step.reason}", style="dim")
        reasons: dict[str, list[str]] = {}  # one line per reason, naming its checks
        for skip in (s for s in plan.skipped if s.trail_arn == arn):
            reasons.setdefault(skip.reason, []).append(skip.check_id)
        for reason, checks in reasons.items():
            head = Text.assemble(("skipped ", "yellow"), (", ".join(checks), "bold yellow"))
            indented(head.append(f": {reason}"), 2)
        console.print()
    if plan.diagnoses:
        console.print(Text("Diagnoses", style="bold"))
        for line in plan.diagnoses:
            indented(f"- {line}", 2)
        console.print()
    console.print(Text(closing_line(plan), style="bold"))


def closing_line(plan: Plan) -> str:
    n = len(plan.steps)
    if n:
        plural = "s" if n != 1 else ""
        return f"{n} change{plural} planned; nothing changed. Run with --apply to make them."
    if plan.skipped:
        return (
            f"Nothing to do: no change can be planned ({len(plan.skipped)} finding"
            f"{'s' if len(plan.skipped) != 1 else ''} skipped, see above)."
        )
    return "Nothing to do: no selected check fails on the selected trails."


def describe_step(step: Step) -> tuple[str, list[str]]:
    """(headline, before → after lines) of one step, as its change describes it."""
    return CHANGES[step.action].describe(step)
