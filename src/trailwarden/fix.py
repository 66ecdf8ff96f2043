"""`trailwarden fix`: scan, plan the changes that make the failing checks pass, apply them.

Planning is pure (:mod:`trailwarden.remediate.plan`); this module only strings the layers
together: scan → look up what the plan would create or reuse → plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trailwarden.checks import CheckOptions

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.findings import Finding, Report
    from trailwarden.inventory import Inventory
    from trailwarden.remediate.model import Plan
    from trailwarden.remediate.plan import FixOptions

__all__ = ["PlannedFix", "plan_fix"]


@dataclass(frozen=True)
class PlannedFix:
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
    """Scan the account behind ``factory`` and plan the fix (no change is made)."""
    from trailwarden.remediate.lookup import complete_inventory
    from trailwarden.remediate.plan import make_plan, wanted_resources
    from trailwarden.scan import scan_account

    scanned = scan_account(factory, regions=regions, options=check_options or CheckOptions())
    findings = scanned.report.findings
    wanted = wanted_resources(scanned.inventory, findings, fix_options)
    inventory = complete_inventory(factory, scanned.inventory, wanted)
    plan = _note_unfixable(make_plan(inventory, findings, fix_options), findings)
    return PlannedFix(plan=plan, inventory=inventory, report=scanned.report)


def _note_unfixable(plan: Plan, findings: tuple[Finding, ...]) -> Plan:
    """Say which failing monitoring checks the plan does not (yet) fix, rather than be silent."""
    from dataclasses import replace

    from trailwarden.checks.registry import MONITORING_CHECK_IDS
    from trailwarden.findings import Status

    failing = sorted(
        {f.check_id for f in findings if f.check_id in MONITORING_CHECK_IDS}
        & {f.check_id for f in findings if f.status in (Status.FAIL, Status.ERROR)}
    )
    if not failing:
        return plan
    note = (
        f"{', '.join(failing)}: trailwarden fix does not create metric filters, alarms or SNS "
        "topics yet; `trailwarden explain <check>` prints the AWS CLI commands."
    )
    return replace(plan, diagnoses=(*plan.diagnoses, note))
