"""An organization's plan for people: per account (id, name, OU path), its plan as
``trailwarden fix`` shows it, or why it has none; then the totals per account.

Account names and OU paths come from AWS Organizations (anyone who may name an account
chooses them): they are escaped and drawn as :class:`rich.text.Text`, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailwarden.remediate.render.org import OrgPlan
from trailwarden.remediate.render.text import render_plan
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["org_totals", "render_org_text"]


def render_org_text(org: OrgPlan, console: Console, *, applying: bool = False) -> None:
    """Draw every account's plan, the management account first, then the totals."""
    from rich.rule import Rule
    from rich.text import Text

    for a in org.accounts:
        console.print(Rule(Text(printable(a.heading), style="bold"), align="left"))
        if a.plan is None:
            style = "yellow" if a.skipped else "bold red"
            label = "skipped" if a.skipped else "not planned"
            console.print(Text.assemble((label, style), printable(f": {a.problem}")))
            console.print()
            continue
        render_plan(a.plan, console, applying=applying)
        console.print()
    for line in org_totals(org, applying=applying):
        console.print(Text(printable(line), style="bold"))


def org_totals(org: OrgPlan, *, applying: bool = False) -> list[str]:
    """One line per account with changes or without a plan, and the organization's total."""
    lines = []
    for a in org.accounts:
        if a.changes:
            lines.append(f"  {a.account_id}: {count(a.changes, 'change')}")
        elif a.plan is None and not a.skipped:
            lines.append(f"  {a.account_id}: not planned ({a.problem})")
    head = f"{count(org.changes, 'change')} planned in {count(len(org.planned), 'account')}"
    if org.failed:
        head += f"; {count(len(org.failed), 'account')} could not be planned"
    if org.changes and not applying:
        head += "; nothing changed. Run with --apply to make them"
    return [f"{head}.", *lines]
