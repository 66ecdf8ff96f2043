"""The plan for people and pipelines: one module per output of ``trailwarden fix --format``
(text, JSON, AWS CLI, Terraform, CloudFormation); what each step contributes comes from
its change (``CHANGES[step.action]``). This module is their one entry point."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailwarden.errors import UsageError
from trailwarden.remediate.render.text import render_plan as render_text

if TYPE_CHECKING:
    from trailwarden.inventory import Inventory
    from trailwarden.remediate.model import Plan
    from trailwarden.remediate.render.org import OrgPlan

__all__ = ["MACHINE_FORMATS", "render_machine", "render_org", "render_text"]

MACHINE_FORMATS = ("json", "cli", "terraform", "cloudformation")


def render_machine(plan: Plan, inventory: Inventory, fmt: str) -> bytes:
    """The plan as JSON, a bash script, Terraform, or CloudFormation (see each module)."""
    if fmt == "json":
        from trailwarden.remediate.render.json import render_plan_json

        return render_plan_json(plan)
    if fmt == "cli":
        from trailwarden.remediate.render.cli import render_cli

        return render_cli(plan).encode()
    if fmt == "terraform":
        from trailwarden.remediate.render.terraform import render_terraform

        return render_terraform(plan, inventory).encode()
    if fmt == "cloudformation":
        from trailwarden.remediate.render.cloudformation import render_cloudformation_json

        return render_cloudformation_json(plan, inventory)
    raise UsageError(f"Unknown plan format {fmt!r}; use one of text, {', '.join(MACHINE_FORMATS)}.")


def render_org(org: OrgPlan, fmt: str) -> bytes:
    """An organization's plan (``fix --org``) as one JSON document, one bash script, one
    Terraform file, or CloudFormation templates keyed ``"<account>/<region>"``."""
    if fmt == "json":
        import orjson

        from trailwarden.remediate.render.org import org_plan_to_dict

        option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        return bytes(orjson.dumps(org_plan_to_dict(org), option=option))
    if fmt == "cli":
        from trailwarden.remediate.render.org_cli import render_org_cli

        return render_org_cli(org).encode()
    if fmt == "terraform":
        from trailwarden.remediate.render.org_iac import render_org_terraform

        return render_org_terraform(org).encode()
    if fmt == "cloudformation":
        from trailwarden.remediate.render.org_iac import render_org_cloudformation_json

        return render_org_cloudformation_json(org)
    raise UsageError(f"Unknown plan format {fmt!r}; use one of text, {', '.join(MACHINE_FORMATS)}.")
