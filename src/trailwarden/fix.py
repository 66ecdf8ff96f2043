"""`trailwarden fix`: scan, plan the changes that make the failing checks pass, apply them.

Planning is pure (:mod:`trailwarden.remediate.planning`); this module only strings the layers
together: scan → look up what the plan would create or reuse → plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trailwarden.checks import CheckOptions

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.findings import Report
    from trailwarden.inventory import Inventory
    from trailwarden.remediate import FixOptions, Plan

__all__ = ["PlannedFix", "plan_fix"]


@dataclass(frozen=True)
class PlannedFix:
    """A fix plan, with the scan it answers and the inventory it was made from."""

    plan: Plan
    inventory: Inventory  # with the resources the plan would create or reuse looked up
    report: Report  # the scan the plan answers


def plan_fix(
    factory: ClientFactory,
    fix_options: FixOptions,
    *,
    regions: Sequence[str] | None = None,
    check_options: CheckOptions | None = None,
) -> PlannedFix:
    """Scan the account behind ``factory`` and plan the fix (no change is made).

    The monitoring checks TW101–TW115 are planned for unless ``check_options`` leaves them
    out (``monitoring=False``, or ``only`` naming none of them; ``only`` naming one must
    keep TW010 too).
    """
    from trailwarden.remediate import complete_inventory, make_plan, wanted_resources
    from trailwarden.scan import scan_account

    scanned = scan_account(factory, regions=regions, options=check_options or CheckOptions())
    findings = scanned.report.findings
    wanted = wanted_resources(scanned.inventory, findings, fix_options)
    inventory = complete_inventory(factory, scanned.inventory, wanted)
    plan = make_plan(inventory, findings, fix_options)
    return PlannedFix(plan=plan, inventory=inventory, report=scanned.report)
