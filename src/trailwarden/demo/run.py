"""`trailwarden demo`: the real scan, over HTTP, against a simulated pair of accounts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trailwarden.demo.account import MAIN, SANDBOX, seed_demo

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.demo.simulated_aws import SimulatedAws
    from trailwarden.findings import Report
    from trailwarden.remediate import Plan

__all__ = ["DEMO_ACCOUNTS", "DemoResult", "run_demo", "seeded_simulation"]

DEMO_ACCOUNTS = (MAIN, SANDBOX)


@dataclass(frozen=True)
class DemoResult:
    report: Report  # both accounts
    plan: Plan  # `trailwarden fix` for the main account (not applied)


@contextmanager
def seeded_simulation(now: datetime | None = None) -> Iterator[SimulatedAws]:
    """moto's server on loopback, seeded with the demo accounts; stopped on exit."""
    from trailwarden.demo.simulated_aws import (
        SimulatedAws,
        set_delivery,
        set_pending_confirmation,
    )

    with SimulatedAws() as aws:
        seed_demo(aws.client, set_delivery, set_pending_confirmation, now or datetime.now(UTC))
        yield aws


def run_demo(options: CheckOptions | None = None) -> DemoResult:
    """Seed the simulated accounts, scan each as a user would, plan the main account's fix.

    Like a scan, it evaluates every check, the monitoring ones (TW101–TW115) included,
    unless ``options`` says otherwise.
    """
    from trailwarden.checks import CheckOptions
    from trailwarden.fix import plan_fix
    from trailwarden.remediate import FixOptions
    from trailwarden.scan import scan_account

    options = options or CheckOptions()
    with seeded_simulation() as aws:
        reports = [
            scan_account(aws.factory(account), options=options).report for account in DEMO_ACCOUNTS
        ]
        plan = plan_fix(aws.factory(MAIN), FixOptions(), check_options=options).plan
    merged = reports[0]
    for report in reports[1:]:
        merged = merged.merged_with(report)
    return DemoResult(report=merged, plan=plan)
