"""`trailwarden demo`: the real organization scan over HTTP against the simulated organization."""

from __future__ import annotations

from collections import defaultdict

import pytest

from clihelpers import run
from trailwarden.checks import CHECKS
from trailwarden.collect.aws import collect_account
from trailwarden.demo.account import LEGACY, MANAGEMENT, SANDBOX, TRAILS
from trailwarden.demo.organization import ACCOUNTS, UNASSUMABLE
from trailwarden.demo.run import DemoResult, run_demo, seeded_simulation
from trailwarden.findings import AccountStatus, Report, Status


@pytest.fixture(scope="module")
def demo(moto_server) -> DemoResult:
    # run_demo starts its own server; the session's server must not be reset under it.
    return run_demo()


@pytest.fixture(scope="module")
def report(demo) -> Report:
    return demo.report


def test_every_trail_check_passes_somewhere_and_fails_somewhere(report):
    seen: dict[str, set[Status]] = defaultdict(set)
    for finding in report.findings:
        seen[finding.check_id].add(finding.status)
    for check_id in (f"TW00{i}" for i in range(1, 8)):
        assert {Status.PASS, Status.FAIL} <= seen[check_id], check_id
    # Every member is covered by the qualifying organization trail, so TW010 cannot fail
    # in this organization: it passes, and is ERROR where the audit role is missing.
    assert seen["TW010"] == {Status.PASS, Status.ERROR}
    monitoring = {c for c in CHECKS if c.startswith("TW1")}
    assert {Status.PASS, Status.FAIL} <= set().union(*(seen[c] for c in monitoring))


def test_members_pass_through_the_organization_trail(report):
    tw010 = {f.account_id: f for f in report.findings if f.check_id == "TW010"}
    for account in ("345678901234", "456789012345", SANDBOX):
        assert tw010[account].status is Status.PASS
        assert "Organization trail aws-controltower-BaselineCloudTrail" in tw010[account].message
    # Members have no trail of their own there: only TW010 and TW101–TW115.
    assert {f.check_id for f in report.findings if f.account_id == "345678901234"} == {
        "TW010",
        *(c for c in CHECKS if c.startswith("TW1")),
    }


def test_the_demo_covers_the_organization(report):
    assert set(report.accounts) == {MANAGEMENT, *(a.account_id for a in ACCOUNTS)}
    details = {d.account_id: d for d in report.account_details}
    assert details[UNASSUMABLE].status is AccountStatus.FAILED
    assert [d.status for d in details.values()].count(AccountStatus.SKIPPED) == 1
    trails = {f.resource_id for f in report.findings if f.resource_type == "AWS::CloudTrail::Trail"}
    regions = {f.region for f in report.findings if f.region != "global"}
    assert len(trails) == len(TRAILS) + 1 >= 7  # the organization trail, once
    assert len(regions) >= 3


def test_the_only_error_is_the_member_whose_role_cannot_be_assumed(report):
    errors = [f for f in report.findings if f.status is Status.ERROR]
    assert [(f.account_id, f.check_id) for f in errors] == [(UNASSUMABLE, "TW010")]
    keys = [(f.account_id, f.check_id, f.resource_id) for f in report.findings]
    assert len(keys) == len(set(keys))


def test_the_demo_table_starts_with_the_organization_summary():
    result = run(["demo", "--no-monitoring"], {"COLUMNS": "150"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Organization summary — the worst accounts first")
    assert LEGACY in lines[3]  # the worst account first
    assert "not scanned: AccessDenied on sts:AssumeRole" in result.stdout
    assert "trailwarden fix — the plan for account 234567890123's own trails" in result.stdout


def test_the_broken_member_takes_fewer_calls_than_prowler(moto_server):
    # Prowler makes about 30 calls for its single CloudWatch check on an account of six
    # trails over four regions (the demo's broken member, scanned alone). That compares
    # trail checks: measured without the monitoring reads (TW101–TW115).
    with seeded_simulation() as aws:
        factory = aws.factory(LEGACY)
        collect_account(factory, monitoring=False)
        full = aws.factory(LEGACY)
        collect_account(full, monitoring=True)
    trail_calls = factory.call_counts()
    assert sum(trail_calls.values()) < 30
    assert trail_calls["cloudtrail:ListTrails"] == 1
    assert trail_calls["cloudtrail:DescribeTrails"] == 4  # one per home region
    # Monitoring adds one log group's filters, one region's alarms and its two topics.
    assert sum(full.call_counts().values()) == sum(trail_calls.values()) + 4


def test_the_demo_plans_a_fix_for_every_failing_trail_check_of_the_broken_member(demo):
    failing = {
        (f.resource_id, f.check_id)
        for f in demo.report.findings
        if f.status is Status.FAIL and f.account_id == LEGACY and f.check_id in FIXABLE
    }
    fixed = {(s.trail_arn, check) for s in demo.plan.steps for check in s.fixes}
    assert failing and failing <= fixed
    assert demo.plan.account_id == LEGACY


FIXABLE = {"TW001", "TW002", "TW003", "TW006", "TW007"}
