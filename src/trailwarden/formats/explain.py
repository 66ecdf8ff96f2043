"""``trailwarden explain``: a check's rationale, evaluation and fix, for people."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from trailwarden.checks.registry import CheckSpec

__all__ = ["render_check", "render_check_list"]


def render_check(spec: CheckSpec, console: Console) -> None:
    from rich.markdown import Markdown
    from rich.text import Text

    console.print(Text(f"{spec.id}  {spec.title}", style="bold"))
    console.print(Text(f"severity {spec.severity.value.lower()} · scope {spec.scope}", style="dim"))
    for heading, body in (
        ("Why it matters", spec.rationale),
        ("How trailwarden evaluates it", spec.how_evaluated),
        ("How to fix it", spec.remediation),
    ):
        console.print()
        console.print(Text(heading, style="bold underline"))
        console.print(Markdown(body))
    if spec.references:
        console.print()
        console.print(Text("References", style="bold underline"))
        for ref in spec.references:
            console.print(f"- {ref}", soft_wrap=True)


def render_check_list(specs: Sequence[CheckSpec], console: Console) -> None:
    from rich.table import Table

    table = Table(title="trailwarden checks (run `trailwarden explain TWxxx` for details)")
    table.add_column("id", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("scope", no_wrap=True)
    table.add_column("title")
    for spec in specs:
        table.add_row(spec.id, spec.severity.value.lower(), spec.scope, spec.title)
    console.print(table)
