"""`trailwarden demo`: the real organization scan, over HTTP, against a simulated organization."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trailwarden.demo.account import LEGACY, MANAGEMENT

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.demo.simulated_aws import SimulatedAws
    from trailwarden.findings import Report
    from trailwarden.remediate import Plan

__all__ = ["DemoResult", "run_demo", "seeded_simulation"]


@dataclass(frozen=True)
class DemoResult:
    report: Report  # every account of the organization
    plan: Plan  # `trailwarden fix` for the member with broken trails of its own (not applied)


@contextmanager
def seeded_simulation(now: datetime | None = None) -> Iterator[SimulatedAws]:
    """moto's server on loopback, seeded with the demo organization; stopped on exit."""
    from trailwarden.demo.account import seed_trails
    from trailwarden.demo.organization import seed_organization
    from trailwarden.demo.simulated_aws import (
        SimulatedAws,
        set_delivery,
        set_pending_confirmation,
    )

    now = now or datetime.now(UTC)
    with SimulatedAws() as aws:
        seed_organization(aws, now)
        seed_trails(aws.client, set_delivery, set_pending_confirmation, now)
        yield aws


def run_demo(options: CheckOptions | None = None) -> DemoResult:
    """Seed the simulated organization, scan it as ``trailwarden scan --org`` would from the
    management account, and plan the fix of the member with broken trails of its own.

    Like a scan, it evaluates every check, the monitoring ones (TW101–TW115) included,
    unless ``options`` says otherwise.
    """
    from trailwarden.checks import CheckOptions
    from trailwarden.checks.registry import MONITORING_CHECK_IDS
    from trailwarden.collect.org_collect import OrgRequest
    from trailwarden.fix import plan_fix
    from trailwarden.org_scan import scan_organization
    from trailwarden.remediate import FixOptions

    options = options or CheckOptions()
    # The member's monitoring is the organization's (its alarms are on the organization
    # trail's log group, in the management account): its plan fixes its own trails.
    only = None if options.only is None else options.only - MONITORING_CHECK_IDS
    own_trails = replace(options, monitoring=False, only=only)
    with seeded_simulation() as aws:
        report = scan_organization(aws.factory(MANAGEMENT), OrgRequest(), options).report
        plan = plan_fix(aws.factory(LEGACY), FixOptions(), check_options=own_trails).plan
    return DemoResult(report=report, plan=plan)
