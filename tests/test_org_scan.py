"""`scan --org` against moto's server over HTTP: an organization with OUs, a suspended
member, a member whose role cannot be assumed, the organization trail seen from members."""

from __future__ import annotations

import pytest

from conftest import MAIN_ACCOUNT
from org_helpers import ORG_TRAIL, make_organization, own_trail
from trailwarden.collect.org_collect import OrgRequest
from trailwarden.errors import UsageError
from trailwarden.findings import AccountStatus, Status
from trailwarden.org_scan import scan_organization


def scan(aws, request: OrgRequest | None = None, **options):
    from trailwarden.checks import CheckOptions

    return scan_organization(
        aws.factory(MAIN_ACCOUNT), request or OrgRequest(), CheckOptions(**options)
    )


def by_account(report, check: str):
    return {f.account_id: f for f in report.findings if f.check_id == check}


def test_every_account_is_listed_with_its_name_ou_path_and_status(aws):
    org = make_organization(aws)
    report = scan(aws).report
    details = {d.account_id: d for d in report.account_details}
    assert set(report.accounts) == set(details) == {MAIN_ACCOUNT, *org.accounts.values()}
    prod, old = details[org.accounts["prod"]], details[org.accounts["old"]]
    assert (prod.name, prod.ou_path, prod.status) == (
        "prod",
        "Root/Workloads/Prod",
        AccountStatus.SCANNED,
    )
    assert (old.name, old.ou_path, old.status) == ("old", "Root", AccountStatus.SKIPPED)
    assert old.reason is not None and "suspended" in old.reason
    assert not [f for f in report.findings if f.account_id == org.accounts["old"]]
    assert report.account_details[0].account_id == MAIN_ACCOUNT  # the management account first


def test_members_pass_tw010_through_the_organization_trail_which_is_evaluated_once(aws):
    org = make_organization(aws)
    report = scan(aws).report
    tw010 = by_account(report, "TW010")
    for name in ("prod", "dev", "sandbox"):
        finding = tw010[org.accounts[name]]
        assert finding.status is Status.PASS, finding.message
        assert (
            f"Organization trail {ORG_TRAIL} of management account {MAIN_ACCOUNT}"
            in finding.message
        )
        assert finding.account_name == name
    on_trail = [f for f in report.findings if f.resource_id == org.trail_arn]
    assert len(on_trail) == 7 and {f.account_id for f in on_trail} == {MAIN_ACCOUNT}


def test_members_monitoring_is_judged_on_the_organization_trails_log_group(aws):
    org = make_organization(aws)
    report = scan(aws).report
    for check in ("TW101", "TW115"):
        finding = by_account(report, check)[org.accounts["dev"]]
        assert finding.status is Status.PASS, finding.message
        assert finding.evidence["account_id"] == MAIN_ACCOUNT


def test_a_member_whose_role_cannot_be_assumed_is_one_error_and_the_run_goes_on(aws):
    org = make_organization(aws)
    aws.deny("sts:AssumeRole", resource=org.role_arn("sandbox"))
    result = scan(aws)
    sandbox = org.accounts["sandbox"]
    (finding,) = [f for f in result.report.findings if f.account_id == sandbox]
    assert (finding.check_id, finding.status) == ("TW010", Status.ERROR)
    assert finding.message.startswith(
        f"Could not scan account {sandbox} (sandbox): AccessDenied on sts:AssumeRole for "
        f"{org.role_arn('sandbox')} — "
    )
    details = {d.account_id: d for d in result.report.account_details}
    assert details[sandbox].status is AccountStatus.FAILED
    assert by_account(result.report, "TW010")[org.accounts["prod"]].status is Status.PASS
    assert result.report.exit_code == 1


def test_a_member_without_a_trail_costs_assume_role_and_list_trails_only(aws):
    make_organization(aws, {"a": "", "b": "", "c": ""}, closed=(), monitoring=False)
    stats = scan(aws).report.stats
    calls = stats.api_calls_by_action
    assert calls["sts:AssumeRole"] == 3
    assert calls["cloudtrail:ListTrails"] == 4  # the management account's and one per member
    # Only the management account describes its (organization) trail.
    assert calls["cloudtrail:DescribeTrails"] == calls["cloudtrail:GetTrailStatus"] == 1
    assert calls["sts:GetCallerIdentity"] == 1


def test_a_members_own_broken_trail_is_reported_under_it(aws):
    org = make_organization(aws)
    trail = own_trail(org.seed("dev"), "dev-trail")
    org.seed("dev").client("cloudtrail").stop_logging(Name="dev-trail")
    report = scan(aws).report
    dev = org.accounts["dev"]
    (tw006,) = [f for f in report.findings if f.resource_id == trail and f.check_id == "TW006"]
    assert (tw006.account_id, tw006.status, tw006.account_name) == (dev, Status.FAIL, "dev")
    assert by_account(report, "TW010")[dev].status is Status.PASS  # the organization trail


def test_ou_scoping_is_recursive_and_still_credits_the_organization_trail(aws):
    org = make_organization(aws)
    report = scan(aws, OrgRequest(ous=(org.ous["Workloads"],))).report
    assert set(report.accounts) == {org.accounts["prod"], org.accounts["dev"]}
    assert {d.ou_path for d in report.account_details} == {"Root/Workloads", "Root/Workloads/Prod"}
    assert by_account(report, "TW010")[org.accounts["prod"]].status is Status.PASS
    assert not [f for f in report.findings if f.account_id == MAIN_ACCOUNT]


def test_accounts_and_exclude_accounts_narrow_the_run(aws):
    org = make_organization(aws)
    wanted = frozenset({org.accounts["prod"], org.accounts["dev"]})
    request = OrgRequest(include=wanted, exclude=frozenset({org.accounts["dev"]}))
    assert scan(aws, request).report.accounts == (org.accounts["prod"],)


def test_accounts_naming_an_account_outside_the_organization_is_a_usage_error(aws):
    make_organization(aws)
    with pytest.raises(UsageError, match="--accounts names 999999999999, not in the organization"):
        scan(aws, OrgRequest(include=frozenset({"999999999999"})))


def test_a_caller_outside_any_organization_is_told_to_drop_org(aws):
    with pytest.raises(UsageError, match="not in an AWS Organization"):
        scan(aws)


def test_a_delegated_administrator_scans_its_own_account_directly_and_the_rest_by_role(aws):
    org = make_organization(aws)
    aws.client(MAIN_ACCOUNT, "organizations").register_delegated_administrator(
        AccountId=org.accounts["dev"], ServicePrincipal="config-multiaccountsetup.amazonaws.com"
    )
    from moto.sts.models import sts_backends

    result = scan_organization(aws.factory(org.accounts["dev"]), OrgRequest())
    report = result.report
    assert result.inventory.management_account_id == MAIN_ACCOUNT
    assert result.inventory.caller_account_id == org.accounts["dev"]
    assumed = {a for a in org.accounts.values() if sts_backends[a]["aws"].assumed_roles}
    assumed |= {MAIN_ACCOUNT} if sts_backends[MAIN_ACCOUNT]["aws"].assumed_roles else set()
    assert assumed == {MAIN_ACCOUNT, org.accounts["prod"], org.accounts["sandbox"]}
    tw010 = by_account(report, "TW010")
    assert tw010[org.accounts["dev"]].status is Status.PASS  # credited from the management scan
    assert report.account_details[0].account_id == MAIN_ACCOUNT


def test_an_ou_that_cannot_be_listed_is_an_error_and_the_rest_is_scanned(aws):
    org = make_organization(aws)
    aws.deny("organizations:ListAccountsForParent", resource=org.ous["Sandbox"])
    report = scan(aws).report
    (finding,) = [f for f in report.findings if f.resource_id == org.ous["Sandbox"]]
    assert (finding.status, finding.resource_type) == (
        Status.ERROR,
        "AWS::Organizations::OrganizationalUnit",
    )
    assert finding.message.startswith(
        f"Could not list the accounts under Root/Sandbox ({org.ous['Sandbox']}): "
        "AccessDeniedException on organizations:ListAccountsForParent"
    )
    assert org.accounts["sandbox"] not in report.accounts
    assert org.accounts["prod"] in report.accounts and report.exit_code == 1


def test_an_unknown_ou_is_a_usage_error(aws):
    make_organization(aws)
    with pytest.raises(UsageError, match="--ou ou-abcd-12345678 is not an organizational unit"):
        scan(aws, OrgRequest(ous=("ou-abcd-12345678",)))
