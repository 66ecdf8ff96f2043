"""``trailwarden explain``: a check's rationale, evaluation and fix, for people.

Prose is rendered as Markdown and wraps to the terminal. Commands and policy documents
(the fenced blocks of the registry's text) are printed as they are, one line per line,
never wrapped or padded, so that they can be copied and pasted at any terminal width.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from trailwarden.checks.registry import CheckSpec

__all__ = ["render_check", "render_check_list", "split_blocks"]

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$\n?", re.M | re.S)


def split_blocks(markdown: str) -> Iterator[tuple[bool, str]]:
    """(is_code, text) pieces of ``markdown``, in order; code without its fences."""
    end = 0
    for match in _FENCE.finditer(markdown):
        if prose := markdown[end : match.start()].strip():
            yield False, prose
        yield True, match.group(1).rstrip("\n")
        end = match.end()
    if prose := markdown[end:].strip():
        yield False, prose


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
        for is_code, text in split_blocks(body):
            if is_code:
                console.print()
                for line in text.splitlines():
                    # soft_wrap: no wrapping and no padding; the terminal shows long lines
                    # as it will, and copying gives the command back unchanged.
                    console.print(Text(line, style="cyan"), soft_wrap=True)
                console.print()
            else:
                console.print(Markdown(text))
    from trailwarden.checks.compliance import references

    if mapped := references(spec.id):
        console.print()
        console.print(Text("Evidences (compliance mapping)", style="bold underline"))
        for mapping in mapped:
            console.print(Text(f"- {mapping}"), soft_wrap=True)
    if spec.references:
        console.print()
        console.print(Text("References", style="bold underline"))
        for ref in spec.references:
            console.print(Text(f"- {ref}"), soft_wrap=True)


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
