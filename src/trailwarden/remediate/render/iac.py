"""A plan regrouped per resource, for the infrastructure-as-code renderers.

A plan is a sequence of API calls; Terraform and CloudFormation describe resources. Each
step's change folds it into the record of the resource it touches (its ``iac`` facet).
"""

from __future__ import annotations

from trailwarden.inventory import Inventory, TrailConfig
from trailwarden.remediate.changes import CHANGES
from trailwarden.remediate.changes.support.iac import Resources
from trailwarden.remediate.model import Plan

__all__ = ["collect", "trail_facts"]


def collect(plan: Plan) -> Resources:
    """The resources the plan touches, each with its final state and its steps."""
    resources = Resources()
    for step in plan.steps:
        CHANGES[step.action].iac(resources, step)
    return resources


def trail_facts(inventory: Inventory, arn: str) -> tuple[TrailConfig | None, bool | None]:
    """The trail's configuration and whether it is logging, as the inventory knows them."""
    trail = next((t for t in inventory.trails if t.arn == arn), None)
    if trail is None:
        return None, None
    return trail.config, trail.status.is_logging if trail.status else None
