"""One entry point per output of ``trailwarden fix --format``: text for people, bytes else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailwarden.errors import UsageError
from trailwarden.remediate.render_text import render_plan as render_text

if TYPE_CHECKING:
    from trailwarden.inventory import Inventory
    from trailwarden.remediate.model import Plan

__all__ = ["MACHINE_FORMATS", "render_machine", "render_text"]

MACHINE_FORMATS = ("json", "cli", "terraform", "cloudformation")


def render_machine(plan: Plan, inventory: Inventory, fmt: str) -> bytes:
    """The plan as JSON, a bash script, Terraform, or CloudFormation (see each module)."""
    if fmt == "json":
        from trailwarden.remediate.render_json import render_plan_json

        return render_plan_json(plan)
    if fmt == "cli":
        from trailwarden.remediate.render_cli import render_cli

        return render_cli(plan).encode()
    if fmt == "terraform":
        from trailwarden.remediate.render_terraform import render_terraform

        return render_terraform(plan, inventory).encode()
    if fmt == "cloudformation":
        from trailwarden.remediate.render_cloudformation import render_cloudformation_json

        return render_cloudformation_json(plan, inventory)
    raise UsageError(f"Unknown plan format {fmt!r}; use one of text, {', '.join(MACHINE_FORMATS)}.")
