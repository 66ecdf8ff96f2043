"""--accounts-file: c7n-org's accounts.yml, read strictly (yaml.safe_load, every problem
named by entry and field), and scanned without any Organizations access."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import MAIN_ACCOUNT
from org_helpers import make_organization
from trailwarden.collect.accounts_file import AccountEntry, parse_accounts
from trailwarden.collect.org_collect import OrgRequest
from trailwarden.errors import UsageError
from trailwarden.findings import AccountStatus, Status
from trailwarden.org_scan import scan_organization

# As c7n-org's orgaccounts.py writes it (email, path tags), plus the keys people add.
C7N_ORG = """
vars:
  charge_code: xyz
accounts:
- account_id: '123456789012'
  email: prod@example.com
  name: prod
  regions:
  - us-east-1
  - eu-west-1
  role: arn:aws:iam::123456789012:role/OrganizationAccountAccessRole
  tags:
  - path:/Workloads
  - path:/Workloads/Prod
  - env:prod
  vars:
    owner: team-a
- account_id: "210987654321"
  role: TrailwardenAudit
  external_id: audit-2026
  tags: {env: dev, tier: 2}
- account_id: "012345678901"
"""


def test_a_c7n_org_accounts_file_is_read_as_c7n_org_means_it():
    prod, dev, bare = parse_accounts(C7N_ORG, "accounts.yml")
    assert prod == AccountEntry(
        account_id="123456789012",
        name="prod",
        role="arn:aws:iam::123456789012:role/OrganizationAccountAccessRole",
        regions=("us-east-1", "eu-west-1"),
        tags=(("path", "/Workloads"), ("path", "/Workloads/Prod"), ("env", "prod")),
        ou_path="/Workloads/Prod",
    )
    assert (dev.role, dev.external_id, dev.tags) == (
        "TrailwardenAudit",
        "audit-2026",
        (("env", "dev"), ("tier", "2")),
    )
    assert bare == AccountEntry("012345678901")


BAD = [
    ("- 123456789012\n", "the file: expected a mapping with an 'accounts' list"),
    ("subscriptions: []\n", "(subscriptions are c7n-org's Azure, GCP or OCI entries)"),
    ("accounts: []\n", "accounts: the list is empty"),
    ("accounts: [{}]\nother: 1\n", "other: not a key of an accounts file"),
    (
        "accounts: ['123456789012']\n",
        "accounts[0]: expected a mapping with an account_id, got a string",
    ),
    (
        "accounts: [{account_id: 123456789012}]\n",
        "accounts[0].account_id: 123456789012 must be quoted",
    ),
    (
        "accounts: [{account_id: '1234'}]\n",
        "accounts[0].account_id: expected a 12-digit account id",
    ),
    (
        "accounts: [{account_id: '123456789012', profile: prod}]\n",
        "accounts[0] (account 123456789012).profile: profile entries are not supported",
    ),
    (
        "accounts: [{account_id: '123456789012', rol: x}]\n",
        "accounts[0] (account 123456789012).rol: not a key of an account entry",
    ),
    (
        "accounts: [{account_id: '123456789012', role: [a, b]}]\n",
        "accounts[0] (account 123456789012).role: role chains (a list of roles) are not supported",
    ),
    (
        "accounts: [{account_id: '123456789012', role: 'arn:aws:iam::999999999999:role/x'}]\n",
        "is a role of account 999999999999, not of this entry's account 123456789012",
    ),
    (
        "accounts: [{account_id: '123456789012', role: 'has space'}]\n",
        "'has space' is neither a role ARN nor a valid role name",
    ),
    (
        "accounts: [{account_id: '123456789012', regions: [us-east-42]}]\n",
        "accounts[0] (account 123456789012).regions: 'us-east-42' is not an AWS region",
    ),
    ("accounts: [{account_id: '123456789012', regions: []}]\n", "regions: the list is empty"),
    ("accounts: [{account_id: '123456789012', tags: 5}]\n", 'tags: expected a list of "key:value"'),
    (
        "accounts: [{account_id: '123456789012'}, {account_id: '123456789012'}]\n",
        "accounts[1].account_id: 123456789012 is listed twice (also accounts[0])",
    ),
    ("accounts: [{account_id: '123456789012', external_id: x}]\n", "external_id: expected 2–1224"),
    ("accounts: [\n", "is not valid YAML at line 2"),
    ("!!python/object/apply:os.system ['true']\n", "is not valid YAML"),
    ("accounts: " + "[" * 3000 + "]" * 3000, "is nested too deeply to be an accounts file"),
    ("accounts: &a [*a]\n", "accounts[0]: expected a mapping with an account_id, got a list"),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_a_bad_accounts_file_is_one_sentence_naming_the_entry_and_field(text, expected):
    with pytest.raises(UsageError) as caught:
        parse_accounts(text, "accounts.yml")
    message = str(caught.value)
    assert message.startswith("accounts.yml") and expected in message, message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_any_input_is_accounts_or_a_usage_error(raw):
    try:
        entries = parse_accounts(raw, "f.yml")
    except UsageError:
        return
    assert entries and all(isinstance(e, AccountEntry) for e in entries)


def test_an_accounts_file_scan_needs_no_organizations_access(aws, tmp_path):
    org = make_organization(aws)
    aws.deny("organizations:DescribeOrganization")
    aws.deny("organizations:ListRoots")
    entries = parse_accounts(
        f"""
accounts:
  - account_id: "{MAIN_ACCOUNT}"
    name: management
  - account_id: "{org.accounts["prod"]}"
    name: prod
    tags: ["path:/Workloads/Prod"]
    regions: [us-east-1]
  - account_id: "{org.accounts["dev"]}"
    role: NoSuchRole
""",
        "accounts.yml",
    )
    aws.deny("sts:AssumeRole", resource=f"arn:aws:iam::{org.accounts['dev']}:role/NoSuchRole")
    result = scan_organization(aws.factory(MAIN_ACCOUNT), OrgRequest(accounts_file=entries))
    details = {d.account_id: d for d in result.report.account_details}
    assert details[org.accounts["prod"]].ou_path == "/Workloads/Prod"
    assert details[org.accounts["dev"]].status is AccountStatus.FAILED
    tw010 = {f.account_id: f for f in result.report.findings if f.check_id == "TW010"}
    assert tw010[org.accounts["prod"]].status is Status.PASS  # the management account is listed
    # The organization is never listed (DescribeOrganization, which names the o-ORGID_*
    # streams of an organization trail's role for TW003, may be denied: it is informative).
    listed = {a for a in result.report.stats.api_calls_by_action if a.startswith("organizations:L")}
    assert listed == set()


def test_an_accounts_file_entrys_external_id_wins_over_the_option_for_that_account() -> None:
    """fix --org, rollback DIR and scan --org --security-hub assume each role again: with
    the external id of the account's own entry, else --external-id."""
    request = OrgRequest(
        accounts_file=(
            AccountEntry("111111111111", external_id="entry-id"),
            AccountEntry("222222222222"),
        ),
        external_id="option-id",
    )
    assert request.external_id_for("111111111111") == "entry-id"
    assert request.external_id_for("222222222222") == "option-id"
    assert OrgRequest().external_id_for("111111111111") is None
