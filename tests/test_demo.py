"""`trailwarden demo`: the real scan over HTTP against the seeded simulated accounts."""

from __future__ import annotations

from collections import defaultdict

import pytest

from trailwarden.checks import CHECKS
from trailwarden.collect.aws import collect_account
from trailwarden.demo.account import MAIN, SANDBOX, TRAILS
from trailwarden.demo.run import DemoResult, run_demo, seeded_simulation
from trailwarden.findings import Report, Status


@pytest.fixture(scope="module")
def demo(moto_server) -> DemoResult:
    # run_demo starts its own server; the session's server must not be reset under it.
    return run_demo()


@pytest.fixture(scope="module")
def report(demo) -> Report:
    return demo.report


def test_every_check_passes_somewhere_and_fails_somewhere(report):
    seen: dict[str, set[Status]] = defaultdict(set)
    for finding in report.findings:
        seen[finding.check_id].add(finding.status)
    # The monitoring checks (TW101–TW115) have one log group to judge per account, so
    # each passes or fails there; as a group they must show both (demo/monitoring.py).
    monitoring = {c for c in CHECKS if c.startswith("TW1")}
    for check_id in set(CHECKS) - monitoring:
        assert {Status.PASS, Status.FAIL} <= seen[check_id], check_id
    main = {f.status for f in report.findings if f.check_id in monitoring and f.account_id == MAIN}
    assert {Status.PASS, Status.FAIL} <= main


def test_demo_covers_at_least_six_trails_over_three_regions(report):
    trails = {f.resource_id for f in report.findings if f.resource_type == "AWS::CloudTrail::Trail"}
    regions = {f.region for f in report.findings if f.region != "global"}
    assert len(trails) == len(TRAILS) >= 6
    assert len(regions) >= 3
    assert report.accounts == (MAIN, SANDBOX)


def test_demo_findings_have_no_errors_and_every_trail_is_reported_once_per_check(report):
    assert report.counts()[Status.ERROR] == 0
    keys = [(f.check_id, f.resource_id) for f in report.findings]
    assert len(keys) == len(set(keys))


def test_demo_main_account_takes_fewer_calls_than_prowler(moto_server):
    # Prowler makes about 30 calls for its single CloudWatch check on an account of six
    # trails over four regions (the demo's main account).
    # That compares trail checks: measured without the monitoring reads (TW101–TW115).
    with seeded_simulation() as aws:
        factory = aws.factory(MAIN)
        collect_account(factory, monitoring=False)
        full = aws.factory(MAIN)
        collect_account(full, monitoring=True)
    trail_calls = factory.call_counts()
    assert sum(trail_calls.values()) < 30
    assert trail_calls["cloudtrail:ListTrails"] == 1
    assert trail_calls["cloudtrail:DescribeTrails"] == 4  # one per home region
    # Monitoring adds one log group's filters, one region's alarms and its two topics.
    assert sum(full.call_counts().values()) == sum(trail_calls.values()) + 4


def test_demo_plans_a_fix_for_every_failing_main_account_trail_check(demo):
    failing = {
        (f.resource_id, f.check_id)
        for f in demo.report.findings
        if f.status is Status.FAIL and f.account_id == MAIN and f.check_id in FIXABLE
    }
    fixed = {(s.trail_arn, check) for s in demo.plan.steps for check in s.fixes}
    assert failing and failing <= fixed
    assert demo.plan.account_id == MAIN


FIXABLE = {"TW001", "TW002", "TW003", "TW006", "TW007"}
