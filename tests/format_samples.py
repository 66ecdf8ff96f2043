"""A realistic two-account report for the format tests, built from the factories.

Account 111111111111 ("prod", Root/Workloads) has a healthy multi-region trail with CIS
monitoring, a second trail never integrated (FAIL, and NOT_APPLICABLE for TW002–TW005) and
a third whose status could not be read (ERROR); one FAIL is suppressed. Account
222222222222 ("sandbox") has one single-region trail, so TW010 and the monitoring checks
fail there. Account 333333333333 could not be scanned. A hostile trail name carries markup,
a formula and control characters, as an attacker with cloudtrail:CreateTrail could write.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from factories import denied, make_inventory, make_trail
from monitoring_factories import monitored
from trailwarden.checks import CHECKS, CheckOptions, evaluate
from trailwarden.findings import AccountInfo, AccountStatus, Report, SourceLocation, Stats
from trailwarden.suppressions import apply_suppressions, parse_suppressions

MAIN, MEMBER, BROKEN = "111111111111", "222222222222", "333333333333"
HOSTILE = '=cmd|"/c calc"!A1<script>alert(1)</script>\x1b[2J\u202e'
GENERATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

SUPPRESSIONS = f"""\
suppressions:
  - check: TW001
    account: "{MAIN}"
    resource: "arn:aws:cloudtrail:us-east-1:{MAIN}:trail/legacy*"
    reason: Legacy trail, deleted in Q2 (SEC-12)
    expires: 2026-06-30
  - check: TW005
    account: "*"
    resource: "*trail/main"
    reason: matches nothing that fails
    expires: 2026-06-30
  - check: TW007
    account: "*"
    resource: "*"
    reason: expired already
    expires: 2026-01-31
"""


def sample_report() -> Report:
    main_trails = (
        make_trail("main"),
        make_trail("legacy", multi_region=False, log_group_arn=None, role_arn=None),
        make_trail("unreadable", multi_region=False, status_error=denied()),
        make_trail(HOSTILE, multi_region=False, log_group_arn=None, role_arn=None),
    )
    main = monitored(base=make_inventory(main_trails))
    member = make_inventory(
        (make_trail("sandbox", account_id=MEMBER, multi_region=False),), account_id=MEMBER
    )
    findings = evaluate(main, CheckOptions()) + evaluate(member, CheckOptions())
    findings = tuple(
        replace(f, account_name={MAIN: "prod", MEMBER: "sandbox"}[f.account_id]) for f in findings
    )
    # An IaC finding's code location, as `trailwarden iac` will set it.
    findings = findings[:-1] + (replace(findings[-1], location=SourceLocation("main.tf", 12)),)
    report = Report(
        accounts=(MAIN, MEMBER, BROKEN),
        generated_at=GENERATED,
        findings=findings,
        stats=Stats(api_calls=40, api_calls_by_action={"cloudtrail:ListTrails": 2}),
        account_details=(
            AccountInfo(MAIN, "prod", "Root/Workloads"),
            AccountInfo(MEMBER, "sandbox", "Root/Sandbox"),
            AccountInfo(
                BROKEN, "broken", "Root", AccountStatus.FAILED, "AccessDenied on sts:AssumeRole."
            ),
        ),
    )
    return suppressed_result(report).report


def suppressed_result(report: Report):
    rules = parse_suppressions(SUPPRESSIONS, ".trailwarden.yaml", frozenset(CHECKS))
    return apply_suppressions(report, rules, GENERATED)
