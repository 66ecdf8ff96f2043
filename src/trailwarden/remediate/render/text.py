"""The plan for people: per trail, numbered steps with before → after, the permissions they
need and why; then what was skipped, the diagnoses, and one closing line.

Names, ARNs, patterns and messages in a plan come from the account (a metric filter's name
is whatever someone with logs:PutMetricFilter wrote): every line is escaped with
:func:`trailwarden.textsafe.printable` and drawn as :class:`rich.text.Text`, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailwarden.remediate.changes import CHANGES
from trailwarden.remediate.changes.support.wording import name_of
from trailwarden.remediate.model import Plan, Step
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["closing_line", "describe_step", "render_plan"]


def render_plan(plan: Plan, console: Console, *, applying: bool = False) -> None:
    """Draw ``plan``; ``applying``: it is about to be applied (the closing line says so)."""
    from rich.padding import Padding
    from rich.text import Text

    def indented(text: Text | str, indent: int = 5, style: str = "") -> None:
        line = text if isinstance(text, Text) else Text(printable(text), style=style)
        console.print(Padding(line, (0, 0, 0, indent), expand=False))  # wraps keep the indent

    trails = dict.fromkeys([s.trail_arn for s in plan.steps] + [k.trail_arn for k in plan.skipped])
    for arn in trails:
        account = arn.removeprefix("AWS::::Account:")  # account-wide skips (TW1xx)
        title = f"Account {account}" if account != arn else f"Trail {name_of(arn)}  {arn}"
        console.print(Text(printable(title), style="bold cyan"))
        for step in (s for s in plan.steps if s.trail_arn == arn):
            headline, changes = describe_step(step)
            indented(Text.assemble(f"{step.id}. ", (printable(headline), "bold")), 2)
            for change in changes:
                indented(change)
            indented(f"needs: {', '.join(step.permissions)}", style="dim")
            indented(f"why: {step.reason}", style="dim")
        reasons: dict[str, list[str]] = {}  # one line per reason, naming its checks
        for skip in (s for s in plan.skipped if s.trail_arn == arn):
            reasons.setdefault(skip.reason, []).append(skip.check_id)
        for reason, checks in reasons.items():
            head = Text.assemble(("skipped ", "yellow"), (", ".join(checks), "bold yellow"))
            indented(head.append(printable(f": {reason}")), 2)
        console.print()
    if plan.diagnoses:
        console.print(Text("Diagnoses", style="bold"))
        for line in plan.diagnoses:
            indented(f"- {line}", 2)
        console.print()
    console.print(Text(closing_line(plan, applying=applying), style="bold"))


def closing_line(plan: Plan, *, applying: bool = False) -> str:
    """What the plan amounts to, in one line: what it changes, or that failing checks
    remain that it cannot change (never "nothing to do" while any does)."""
    if plan.steps:
        planned = f"{count(len(plan.steps), 'change')} planned"
        if applying:
            return f"{planned}."
        return f"{planned}; nothing changed. Run with --apply to make them."
    left = sorted({s.check_id for s in plan.skipped})
    if left or plan.diagnoses:
        named = f" ({', '.join(left)})" if left else ""
        return (
            f"No change planned, but failing checks remain{named}: the skipped findings and "
            "diagnoses above say why each is left as it is."
        )
    return "Nothing to do: no selected check fails on the selected trails."


def describe_step(step: Step) -> tuple[str, list[str]]:
    """(headline, before → after lines) of one step, as its change describes it."""
    return CHANGES[step.action].describe(step)
