"""`trailwarden explain`: why a check matters, how it is judged, how to fix it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from trailwarden.cli.common import handle_errors

if TYPE_CHECKING:
    pass

__all__ = ["explain"]


@click.command()
@click.argument("check_id", required=False)
@handle_errors
def explain(check_id: str | None) -> None:
    """Explain a check: why it matters, how it is evaluated, how to fix it."""
    from rich.console import Console

    from trailwarden.checks import CHECKS, get_check
    from trailwarden.formats.explain import render_check, render_check_list

    console = Console()
    if check_id is None:
        render_check_list(list(CHECKS.values()), console)
        return
    render_check(get_check(check_id), console)
