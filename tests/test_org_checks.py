"""Organization trails, evaluated once and credited to members (pure: inventories in,
findings out). Members never repeat the organization trail's findings; their TW010 and
TW101–TW115 are judged from their owner's evaluation of it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factories import MEMBER_ACCOUNT, make_trail
from org_factories import (
    MANAGEMENT,
    OTHER_MEMBER,
    failed,
    management_inventory,
    member,
    member_inventory,
    org_trail,
    organization,
)
from trailwarden.checks import CheckOptions
from trailwarden.checks.organization import evaluate_organization
from trailwarden.findings import Finding, Status
from trailwarden.inventory import ApiError
from trailwarden.org_inventory import OuListingError

ORG_ARN = org_trail().arn


def findings_of(org, account: str, check: str | None = None, **options) -> list[Finding]:
    found = evaluate_organization(org, CheckOptions(**options))
    return [f for f in found if f.account_id == account and check in (None, f.check_id)]


def one(org, account: str, check: str, **options) -> Finding:
    (finding,) = findings_of(org, account, check, **options)
    return finding


def test_a_member_covered_by_a_qualifying_organization_trail_passes_tw010_naming_it():
    result = one(organization(), MEMBER_ACCOUNT, "TW010")
    assert result.status is Status.PASS
    assert result.message.startswith(
        f"Organization trail org of management account {MANAGEMENT} is multi-region, logging"
    )
    assert result.evidence["qualifying"] == [ORG_ARN]
    assert result.evidence["organization_trails"] == [
        {"trail_arn": ORG_ARN, "owner_account_id": MANAGEMENT, "qualifies": True}
    ]


def test_the_organization_trail_is_evaluated_once_in_its_owner_account():
    found = evaluate_organization(organization(), CheckOptions())
    on_trail = [f for f in found if f.resource_id == ORG_ARN]
    assert sorted(f.check_id for f in on_trail) == [f"TW00{i}" for i in range(1, 8)]
    assert {f.account_id for f in on_trail} == {MANAGEMENT}
    assert {f.account_name for f in on_trail} == {"management"}


def test_a_member_is_credited_with_the_organization_trails_failure_and_told_where_to_fix_it():
    broken = management_inventory(org_trail(is_logging=False))
    result = one(organization(management=broken), MEMBER_ACCOUNT, "TW010")
    assert result.status is Status.FAIL
    assert result.message == (
        f"No trail qualifies: organization trail org of management account {MANAGEMENT} is "
        "multi-region but is not logging."
    )
    assert result.remediation.startswith(
        f"From account {MANAGEMENT}, which owns this organization trail: aws cloudtrail "
        "start-logging --name org"
    )


def test_a_members_own_qualifying_trail_passes_when_the_organization_trail_does_not():
    broken = management_inventory(org_trail(is_logging=False))
    own = make_trail("own", account_id=MEMBER_ACCOUNT)
    org = organization(member(member_inventory(MEMBER_ACCOUNT, own)), management=broken)
    result = one(org, MEMBER_ACCOUNT, "TW010")
    assert (result.status, result.message.startswith("Trail own is")) == (Status.PASS, True)


def test_a_members_own_broken_trail_is_reported_and_the_organization_trail_still_covers_it():
    own = make_trail("own", account_id=MEMBER_ACCOUNT, is_logging=False)
    org = organization(member(member_inventory(MEMBER_ACCOUNT, own)))
    assert one(org, MEMBER_ACCOUNT, "TW010").status is Status.PASS
    tw006 = one(org, MEMBER_ACCOUNT, "TW006")
    assert (tw006.resource_id, tw006.status) == (own.arn, Status.FAIL)


def test_a_member_cannot_be_credited_when_the_owner_could_not_be_scanned():
    org = organization(member(member_inventory()))
    org = replace(org, accounts=(failed(MANAGEMENT, "management"), *org.accounts[1:]))
    result = one(org, MEMBER_ACCOUNT, "TW010")
    assert result.status is Status.ERROR
    assert (
        f"organization trail org of management account {MANAGEMENT}: its owner, account "
        f"{MANAGEMENT}, could not be scanned: AccessDenied on sts:AssumeRole"
    ) in result.message


def test_a_member_cannot_be_credited_when_the_owner_is_not_part_of_the_run():
    org = organization(member(member_inventory()))
    org = replace(org, accounts=org.accounts[1:], management_account_id=None)
    result = one(org, MEMBER_ACCOUNT, "TW010")
    assert result.status is Status.ERROR
    assert f"its owner, account {MANAGEMENT}, is not part of this run" in result.message
    assert f"Scan account {MANAGEMENT} in the same run" in result.remediation


def test_a_members_monitoring_is_judged_on_the_organization_trails_log_group():
    result = one(organization(), MEMBER_ACCOUNT, "TW103")
    assert result.status is Status.PASS
    assert result.message.startswith(f"In management account {MANAGEMENT} (organization trail):")
    assert result.evidence["account_id"] == MANAGEMENT
    assert result.evidence["log_group"].startswith(f"arn:aws:logs:us-east-1:{MANAGEMENT}:")
    assert result.evidence["alarm"].startswith(f"arn:aws:cloudwatch:us-east-1:{MANAGEMENT}:")


def test_a_members_monitoring_fix_is_made_in_the_owner_account():
    missing = management_inventory(patterns={"TW104": '{ $.eventName = "Nothing" }'})
    result = one(organization(management=missing), MEMBER_ACCOUNT, "TW104")
    assert result.status is Status.FAIL
    assert result.remediation.startswith(
        f"In account {MANAGEMENT}, which owns the organization trail: aws logs put-metric-filter"
    )


def test_crediting_holds_when_only_tw010_is_selected():
    result = one(organization(), MEMBER_ACCOUNT, "TW010", only=frozenset({"TW010"}))
    assert result.status is Status.PASS
    assert not findings_of(organization(), MEMBER_ACCOUNT, "TW001", only=frozenset({"TW010"}))


def test_an_account_that_could_not_be_scanned_has_exactly_one_error_finding_whatever_is_selected():
    org = organization(member(member_inventory()), failed(OTHER_MEMBER))
    for only in (None, frozenset({"TW003"})):
        (result,) = findings_of(org, OTHER_MEMBER, only=only)
        assert (result.check_id, result.status) == ("TW010", Status.ERROR)
        assert result.resource_id == f"AWS::::Account:{OTHER_MEMBER}"
        assert result.message.startswith(
            f"Could not scan account {OTHER_MEMBER} (sandbox): AccessDenied on sts:AssumeRole "
            f"for arn:aws:iam::{OTHER_MEMBER}:role/OrganizationAccountAccessRole — not authorized"
        )
        assert result.account_name == "sandbox"


def test_a_skipped_account_has_no_finding():
    from trailwarden.findings import AccountStatus
    from trailwarden.org_inventory import OrgAccount

    skipped = OrgAccount(OTHER_MEMBER, "old", "Root", AccountStatus.SKIPPED, "suspended")
    assert findings_of(organization(member(member_inventory()), skipped), OTHER_MEMBER) == []


def test_an_account_read_only_as_an_owner_is_not_reported():
    org = organization(member(member_inventory()))
    owner = replace(org.accounts[0], in_scope=False)
    org = replace(org, accounts=(owner, *org.accounts[1:]))
    assert findings_of(org, MANAGEMENT) == []
    assert one(org, MEMBER_ACCOUNT, "TW010").status is Status.PASS


def test_an_ou_that_could_not_be_listed_is_an_error():
    error = ApiError("organizations:ListAccountsForParent", "TooManyRequestsException", "slow down")
    org = organization(listing_errors=(OuListingError("ou-ab12-cdefgh34", "Root/Prod", error),))
    (result,) = [
        f
        for f in evaluate_organization(org, CheckOptions())
        if f.resource_type.startswith("AWS::Organizations")
    ]
    assert result.status is Status.ERROR
    assert result.message.startswith(
        "Could not list the accounts under Root/Prod (ou-ab12-cdefgh34): TooManyRequestsException "
        "on organizations:ListAccountsForParent"
    )


@pytest.mark.parametrize("name", [None, "prod"])
def test_every_finding_carries_its_accounts_name(name):
    org = organization(member(member_inventory(), name=name))
    assert {f.account_name for f in findings_of(org, MEMBER_ACCOUNT)} == {name}


def test_a_single_account_scan_of_a_member_still_says_it_cannot_see_the_organization_trail():
    from factories import make_inventory
    from test_checks_account import ORG_GROUP, ORG_ROLE, ORG_TRAIL
    from trailwarden.checks import evaluate

    alone = make_inventory(
        (ORG_TRAIL,), account_id=MEMBER_ACCOUNT, log_groups=(ORG_GROUP,), roles=(ORG_ROLE,)
    )
    (result,) = [f for f in evaluate(alone) if f.check_id == "TW010"]
    assert result.status is Status.ERROR
    assert "managed by account" in result.message
