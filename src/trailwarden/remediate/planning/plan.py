"""Planning: findings + inventory → :class:`~trailwarden.remediate.model.Plan` (pure).

The steps are built by their changes (:mod:`trailwarden.remediate.changes`, one module
per action, whose docstring gives its target and the keys of its ``before`` / ``after``).
What is planned for each check is in :mod:`.integration` (TW001–TW003), :mod:`.planner`
(TW004–TW007) and :mod:`.monitoring` (TW101–TW115). Nothing here calls AWS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trailwarden.arns import LogGroupRef
from trailwarden.errors import UsageError
from trailwarden.findings import Finding
from trailwarden.inventory import Inventory, Trail
from trailwarden.remediate.model import Plan
from trailwarden.remediate.planning.options import FixOptions
from trailwarden.remediate.planning.planner import Planner
from trailwarden.remediate.policies import default_log_group_name, role_name

__all__ = ["FixOptions", "Wanted", "desired_names", "make_plan", "wanted_resources"]


@dataclass(frozen=True)
class Wanted:
    """Resources the plan would create or reuse that the inventory does not describe yet:
    look them up (a record with ``exists=False`` when absent) and plan again."""

    log_groups: tuple[LogGroupRef, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()  # (role ARN, role name)
    topics: tuple[str, ...] = ()  # SNS topic ARNs the monitoring fix would create or reuse

    @property
    def is_empty(self) -> bool:
        return not (self.log_groups or self.roles or self.topics)


def desired_names(trail: Trail, options: FixOptions) -> tuple[str, str]:
    """(log group name, role name) trailwarden would create for ``trail``; the role gets
    ``-2`` instead when that name is taken by a role it must not change."""
    return options.log_group_name or default_log_group_name(trail), role_name(trail)


def wanted_resources(
    inventory: Inventory, findings: Sequence[Finding], options: FixOptions
) -> Wanted:
    """What to look up before :func:`make_plan`; one round of lookups is enough."""
    planner = _planner(inventory, findings, options)
    planner.run()
    return Wanted(
        tuple(planner.missing_groups.values()),
        tuple(planner.missing_roles.items()),
        tuple(planner.missing_topics),
    )


def make_plan(inventory: Inventory, findings: Sequence[Finding], options: FixOptions) -> Plan:
    """The plan that makes the failing findings pass; the same inputs give the same plan.

    A resource the plan needs but the inventory does not describe is taken not to exist
    (see :func:`wanted_resources`).
    """
    return _planner(inventory, findings, options).run()


def _planner(inventory: Inventory, findings: Sequence[Finding], options: FixOptions) -> Planner:
    if options.trails is not None:
        known = {t.name for t in inventory.trails} | {t.arn for t in inventory.trails}
        if unknown := sorted(options.trails - known):
            names = ", ".join(sorted({t.name for t in inventory.trails})) or "none"
            raise UsageError(
                f"No trail {', '.join(unknown)} in account {inventory.account_id} "
                f"(its trails: {names})."
            )
    return Planner(inventory, findings, options)
