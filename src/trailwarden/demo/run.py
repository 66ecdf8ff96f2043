"""`trailwarden demo`: the real scan, over HTTP, against a simulated pair of accounts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trailwarden.demo.account import MAIN, SANDBOX, seed_demo

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.demo.simulated_aws import SimulatedAws
    from trailwarden.findings import Report

__all__ = ["DEMO_ACCOUNTS", "run_demo", "seeded_simulation"]

DEMO_ACCOUNTS = (MAIN, SANDBOX)


@contextmanager
def seeded_simulation(now: datetime | None = None) -> Iterator[SimulatedAws]:
    """moto's server on loopback, seeded with the demo accounts; stopped on exit."""
    from trailwarden.demo.simulated_aws import SimulatedAws, set_delivery

    with SimulatedAws() as aws:
        seed_demo(aws.client, set_delivery, now or datetime.now(UTC))
        yield aws


def run_demo(options: CheckOptions | None = None) -> Report:
    """Seed the simulated accounts, scan each as a user would, return one report."""
    from trailwarden.scan import scan_account

    with seeded_simulation() as aws:
        reports = [
            scan_account(aws.factory(account), options=options).report for account in DEMO_ACCOUNTS
        ]
    merged = reports[0]
    for report in reports[1:]:
        merged = merged.merged_with(report)
    return merged
