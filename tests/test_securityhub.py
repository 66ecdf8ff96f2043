"""scan --security-hub against moto's Security Hub over HTTP: import, update in place,
archive what no longer occurs, dry run, failures per finding and per account."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from clihelpers import healthy_account, run
from conftest import MAIN_ACCOUNT, MEMBER_ACCOUNT
from trailwarden.collect.securityhub import MAX_BATCH_BYTES, batches, import_findings
from trailwarden.findings import AccountInfo, AccountStatus
from trailwarden.integrations.securityhub import import_report

REGION = "us-east-1"
PRODUCT = f"arn:aws:securityhub:{REGION}:{MAIN_ACCOUNT}:product/{MAIN_ACCOUNT}/default"


def hub_findings(seed) -> dict[str, dict]:
    client = seed.client("securityhub", REGION)
    found = client.get_findings(MaxResults=100)["Findings"]
    return {f["Id"]: f for f in found}


@pytest.fixture
def hub(seed):
    seed.client("securityhub", REGION).enable_security_hub()
    return seed


def scan(env, *args):
    return run(["scan", "--format", "json", "--security-hub", *args], env)


def test_import_creates_one_finding_per_check_and_resource_with_stable_ids(hub, env):
    healthy_account(hub)
    first = scan(env)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    imported = hub_findings(hub)
    assert len(imported) == len(report["findings"])
    assert {f["ProductArn"] for f in imported.values()} == {PRODUCT}
    assert {f["AwsAccountId"] for f in imported.values()} == {MAIN_ACCOUNT}
    assert (
        f"{len(report['findings'])} of {len(report['findings'])} findings imported" in first.stderr
    )
    again = scan(env)
    assert again.exit_code == 0, again.output
    after = hub_findings(hub)
    assert after.keys() == imported.keys()  # updated in place, not duplicated
    assert all(after[i]["CreatedAt"] == imported[i]["CreatedAt"] for i in after)
    assert "(0 new)" in again.stderr


def test_findings_that_no_longer_occur_are_archived_and_others_stay_active(hub, env):
    healthy_account(hub)
    assert scan(env).exit_code == 0
    hub.client("cloudtrail").delete_trail(Name="org-events")
    result = scan(env)
    imported = hub_findings(hub)
    archived = [f for f in imported.values() if f["RecordState"] == "ARCHIVED"]
    active = [f for f in imported.values() if f["RecordState"] == "ACTIVE"]
    assert archived and all("trail/org-events" in f["Resources"][0]["Id"] for f in archived)
    assert {f["GeneratorId"] for f in active} >= {"trailwarden/TW010"}
    assert f"{len(archived)} archived" in result.stderr


def test_a_scan_of_some_checks_archives_no_finding_of_the_others(hub, env):
    healthy_account(hub)
    assert scan(env).exit_code == 0
    result = scan(env, "--check", "TW001")
    assert result.exit_code == 0, result.output
    assert {f["RecordState"] for f in hub_findings(hub).values()} == {"ACTIVE"}


def test_regions_limited_scan_archives_nothing_and_says_why(hub, env):
    healthy_account(hub)
    assert scan(env).exit_code == 0
    hub.client("cloudtrail").delete_trail(Name="org-events")
    result = scan(env, "--regions", "eu-west-1")
    assert "nothing is archived" in result.stderr
    assert {f["RecordState"] for f in hub_findings(hub).values()} == {"ACTIVE"}


def test_dry_run_imports_nothing_and_says_what_it_would_do(hub, env):
    healthy_account(hub)
    result = scan(env, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would import" in result.stderr and "would archive 0" in result.stderr
    assert hub_findings(hub) == {}


def test_dry_run_without_security_hub_is_a_usage_error(env):
    result = run(["scan", "--dry-run"], env)
    assert result.exit_code == 2 and "--dry-run applies to --security-hub" in result.stderr


def test_per_finding_failures_are_reported_and_exit_2(hub, env, monkeypatch):
    from trailwarden.collect import securityhub

    real = securityhub.import_findings

    def half_failing(factory, region, findings):
        outcome = real(factory, region, findings[1:])
        bad = securityhub.ImportFailure(findings[0]["Id"], "InvalidInput", "Finding is too big")
        return securityhub.ImportOutcome(outcome.imported, (bad, *outcome.failures))

    monkeypatch.setattr("trailwarden.integrations.securityhub.import_findings", half_failing)
    healthy_account(hub)
    result = scan(env)
    assert result.exit_code == 2
    assert "not imported: trailwarden/" in result.stderr and "InvalidInput" in result.stderr
    assert "Some findings were not imported into Security Hub" in result.stderr


def test_an_account_that_denies_the_import_is_reported_with_the_action_and_code(seed, env):
    from trailwarden.demo.simulated_aws import deny

    healthy_account(seed)
    deny("securityhub:GetFindings", account_id=MAIN_ACCOUNT)
    result = scan(env)
    assert result.exit_code == 2
    assert "securityhub:GetFindings" in result.stderr and "AccessDenied" in result.stderr


def test_batches_hold_at_most_100_findings_and_240_kb():
    small = [{"Id": str(i), "Description": "x"} for i in range(250)]
    assert [len(b) for b in batches(small)] == [100, 100, 50]
    big = [{"Id": str(i), "Description": "x" * 100_000} for i in range(5)]
    sizes = [len(json.dumps(b)) for b in batches(big)]
    assert all(size <= MAX_BATCH_BYTES for size in sizes) and len(sizes) == 3


def test_accounts_that_failed_to_scan_are_not_archived_and_members_use_their_own_session(
    aws, seed, member_seed, factory, member_factory
):
    """An organization report: each owner is reached with its own factory; an account
    that could not be scanned keeps its earlier findings active."""
    from dataclasses import replace

    from format_samples import sample_report

    for s in (seed, member_seed):
        s.client("securityhub", REGION).enable_security_hub()
    report = sample_report()
    report = replace(
        report,
        findings=tuple(
            replace(
                f,
                account_id={"111111111111": MAIN_ACCOUNT, "222222222222": MEMBER_ACCOUNT}[
                    f.account_id
                ],
            )
            for f in report.findings
        ),
        accounts=(MAIN_ACCOUNT, MEMBER_ACCOUNT),
        account_details=(
            AccountInfo(MAIN_ACCOUNT),
            AccountInfo(MEMBER_ACCOUNT, status=AccountStatus.FAILED, reason="AccessDenied"),
        ),
    )
    factories = {MAIN_ACCOUNT: factory, MEMBER_ACCOUNT: member_factory}
    result = import_report(
        report, factories.__getitem__, REGION, evaluated={"TW001"}, now=datetime.now(UTC)
    )
    by_account = {a.account_id: a for a in result.accounts}
    assert by_account[MAIN_ACCOUNT].ok and by_account[MAIN_ACCOUNT].imported > 0
    assert "was not scanned" in (by_account[MEMBER_ACCOUNT].error or "")
    assert not result.ok
    outcome = import_findings(member_factory, REGION, [])
    assert outcome.imported == 0


def test_org_scan_imports_each_members_findings_into_its_own_security_hub(aws, env):
    """scan --org --security-hub: BatchImportFindings accepts a finding only from the
    account it is about, so each member's go in through the role assumed in it; a member
    whose role cannot be assumed keeps nothing imported, is named, and the run exits 2."""
    from org_helpers import make_organization

    org = make_organization(aws)
    aws.deny("sts:AssumeRole", resource=org.role_arn("sandbox"))
    for name in ("prod", "dev"):
        org.seed(name).client("securityhub", REGION).enable_security_hub()
    org.seed(MAIN_ACCOUNT).client("securityhub", REGION).enable_security_hub()
    result = run(["scan", "--org", "--format", "json", "--security-hub"], env)
    assert result.exit_code == 2, result.output  # the sandbox member was not scanned
    report = json.loads(result.stdout)
    for name in ("prod", "dev"):
        account = org.accounts[name]
        found = org.seed(name).client("securityhub", REGION).get_findings(MaxResults=100)
        mine = [f for f in report["findings"] if f["account_id"] == account]
        assert len(found["Findings"]) == len(mine) > 0
        assert {f["AwsAccountId"] for f in found["Findings"]} == {account}
    main = org.seed(MAIN_ACCOUNT).client("securityhub", REGION).get_findings()
    assert {f["AwsAccountId"] for f in main["Findings"]} == {MAIN_ACCOUNT}
    assert f"account {org.accounts['sandbox']}" in result.stderr
    assert "was not scanned" in result.stderr
