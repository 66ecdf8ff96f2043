"""The AWS collector, against moto's server over HTTP (with AWS semantics installed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import boto3
import pytest

from conftest import MAIN_ACCOUNT, MEMBER_ACCOUNT, delivery_policy
from trailwarden.collect.aws import collect_account
from trailwarden.collect.calls import policy_json
from trailwarden.collect.clients import ClientFactory, open_factory
from trailwarden.collect.cloudtrail import DEFAULT_EVENT_SELECTORS
from trailwarden.collect.regions import validate_regions
from trailwarden.demo.simulated_aws import install_aws_semantics, uninstall_aws_semantics
from trailwarden.errors import CredentialsError, Error, UnknownRegionError
from trailwarden.inventory import Inventory, Trail

HOME_REGION_ACTIONS = (
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
)


def by_name(inventory: Inventory) -> dict[str, Trail]:
    return {t.name: t for t in inventory.trails}


# A role ARN that need not exist: with a log group ARN it makes TW001 pass.
ANY_ROLE = f"arn:aws:iam::{MAIN_ACCOUNT}:role/any"
ANY_GROUP = f"arn:aws:logs:us-east-1:{MAIN_ACCOUNT}:log-group:any:*"


def test_trails_in_every_region_are_found_once_from_one_list_trails(seed, factory):
    homes = {
        "east": "us-east-1",
        "west": "us-west-2",
        "dublin": "eu-west-1",
        "sydney": "ap-southeast-2",
    }
    for name, region in homes.items():
        seed.trail(name, region)

    inventory = collect_account(factory, home_region="eu-west-1")

    assert {t.name: t.home_region for t in inventory.trails} == homes
    assert all(t.account_id == MAIN_ACCOUNT for t in inventory.trails)
    counts = factory.call_counts()
    assert counts["cloudtrail:ListTrails"] == 1
    assert counts["cloudtrail:DescribeTrails"] == len(set(homes.values()))


def test_multi_region_trail_is_not_double_counted_from_its_shadow_copies(seed, factory, aws):
    arn = seed.trail("everywhere", "us-east-1", multi_region=True)
    seed.trail("local", "eu-west-1")
    # The shadow copy is really there: DescribeTrails in eu-west-1 shows both trails.
    shadow = aws.client(MAIN_ACCOUNT, "cloudtrail", "eu-west-1").describe_trails()
    assert {t["TrailARN"] for t in shadow["trailList"]} >= {arn}

    inventory = collect_account(factory, home_region="eu-west-1")

    assert [t.arn for t in inventory.trails].count(arn) == 1
    assert by_name(inventory)["everywhere"].home_region == "us-east-1"
    assert len(inventory.trails) == 2


def test_trail_calls_are_made_in_the_trails_home_regions_only(seed, factory):
    seed.trail(
        "trail-a",
        "us-east-1",
        multi_region=True,
        event_selectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}],
    )
    seed.trail("trail-b", "eu-west-1")
    seed.trail("trail-c", "eu-west-1")
    seed.trail("trail-d", "ap-southeast-2")

    collect_account(factory, home_region="us-west-2")

    calls = factory.calls_by_region()
    regions_used = {region for (action, region) in calls if action in HOME_REGION_ACTIONS}
    assert regions_used == {"us-east-1", "eu-west-1", "ap-southeast-2"}
    counts = factory.call_counts()
    assert counts["cloudtrail:DescribeTrails"] == 3  # once per home region
    assert calls[("cloudtrail:DescribeTrails", "eu-west-1")] == 1  # one call, two trails
    assert counts["cloudtrail:GetTrailStatus"] == 4
    assert calls[("cloudtrail:GetEventSelectors", "us-east-1")] == 1
    assert calls[("cloudtrail:ListTrails", "us-west-2")] == 1


def test_delivery_time_and_error_are_parsed_from_get_trail_status(seed, factory):
    delivered = datetime(2024, 5, 1, 12, 30, 15, tzinfo=UTC)
    seed.trail(
        "delivering",
        "us-east-1",
        delivered_at=delivered,
        delivery_error="AccessDeniedException: not authorized",
    )
    seed.trail("never", "eu-west-1", logging=False)

    trails = by_name(collect_account(factory))

    status = trails["delivering"].status
    assert status is not None and status.is_logging
    assert status.latest_cloudwatch_logs_delivery_time == delivered
    assert status.latest_cloudwatch_logs_delivery_time.tzinfo == UTC
    assert status.latest_cloudwatch_logs_delivery_error == "AccessDeniedException: not authorized"
    never = trails["never"].status
    assert never is not None and not never.is_logging
    assert never.latest_cloudwatch_logs_delivery_time is None
    assert never.latest_cloudwatch_logs_delivery_error is None


def test_event_selectors_are_fetched_only_for_multi_region_trails_with_custom_ones(seed, factory):
    write_only = [
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True, "DataResources": []}
    ]
    seed.trail("custom", "us-east-1", multi_region=True, event_selectors=write_only)
    seed.trail("defaults", "eu-west-1", multi_region=True)
    seed.trail("single", "us-west-2", event_selectors=write_only)

    trails = by_name(collect_account(factory))

    custom = trails["custom"].event_selectors
    assert custom is not None and custom.basic[0]["ReadWriteType"] == "WriteOnly"
    assert trails["defaults"].event_selectors == DEFAULT_EVENT_SELECTORS
    assert trails["single"].event_selectors is None
    assert trails["single"].event_selectors_error is None
    assert factory.call_counts()["cloudtrail:GetEventSelectors"] == 1


def test_trail_config_normalises_unset_arns_to_none(seed, factory):
    seed.trail("bare", "us-east-1")

    config = by_name(collect_account(factory))["bare"].config

    assert config is not None
    assert config.log_group_arn is None and config.role_arn is None
    assert not config.is_multi_region and not config.is_organization_trail


def test_log_groups_found_missing_and_their_retention(seed, factory):
    kept = seed.log_group("aws-cloudtrail-logs/kept", "us-east-1", retention_days=365)
    seed.log_group("aws-cloudtrail-logs/kept-too", "us-east-1")  # same prefix, other group
    seed.trail("kept", "us-east-1", log_group_arn=kept, role_arn=ANY_ROLE)
    gone = seed.log_group_arn("aws-cloudtrail-logs/deleted", "eu-west-1")
    seed.trail("gone", "eu-west-1", log_group_arn=gone, role_arn=ANY_ROLE)
    elsewhere = seed.log_group("elsewhere", "us-east-1")
    seed.trail("wrong-region", "us-west-2", log_group_arn=elsewhere, role_arn=ANY_ROLE)
    seed.trail("not-an-arn", "us-west-2", log_group_arn="my-log-group", role_arn=ANY_ROLE)

    inventory = collect_account(factory)

    found = inventory.log_group(kept.removesuffix(":*"))
    assert found is not None and found.exists and found.error is None
    assert found.retention_in_days == 365 and found.name == "aws-cloudtrail-logs/kept"
    missing = inventory.log_group(gone.removesuffix(":*"))
    assert missing is not None and missing.exists is False and missing.error is None
    # A log group in another region than its trail's, or an invalid ARN, is judged from
    # the ARN by the checks: no lookup, no entry.
    assert len(inventory.log_groups) == 2
    assert factory.call_counts()["logs:DescribeLogGroups"] == 2


def test_own_trail_delivering_to_another_accounts_log_group_is_not_read(seed, factory):
    foreign = seed.log_group_arn("shared", "us-east-1", account="999999999999")
    seed.trail("cross", "us-east-1", log_group_arn=foreign, role_arn=ANY_ROLE)

    inventory = collect_account(factory)

    group = inventory.log_group(foreign.removesuffix(":*"))
    assert group is not None and group.exists is None and group.error is not None
    assert group.error.code == "CrossAccountLogGroup"
    assert "logs:DescribeLogGroups" not in factory.call_counts()


def test_half_integrated_trail_has_nothing_looked_up(seed, factory):
    # TW001 fails without a role ARN, which makes every log group check not applicable.
    group = seed.log_group("half", "us-east-1")
    seed.trail("half", "us-east-1", log_group_arn=group)

    inventory = collect_account(factory)

    assert inventory.log_groups == () and inventory.roles == ()
    assert "logs:DescribeLogGroups" not in factory.call_counts()


def test_role_with_inline_managed_and_boundary_policies_is_collected(seed, factory, aws):
    group = seed.log_group("cwl", "us-east-1")
    boundary = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}],
    }
    shared = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "logs:DeleteLogGroup", "Resource": "*"}],
    }
    shared_arn = seed.managed_policy("shared-guardrail", shared)
    role = seed.role(
        "delivery",
        inline={"write": delivery_policy(group)},
        managed={"writer-v1": delivery_policy(group, "Deny")},
        attach=(shared_arn,),
        boundary=boundary,
    )
    other = seed.role("other-delivery", attach=(shared_arn,))
    # A second policy version made default: the collector must read the default one.
    iam = aws.client(MAIN_ACCOUNT, "iam")
    writer_arn = f"arn:aws:iam::{MAIN_ACCOUNT}:policy/writer-v1"
    iam.create_policy_version(
        PolicyArn=writer_arn, SetAsDefault=True, PolicyDocument=json.dumps(delivery_policy(group))
    )
    seed.trail("one", "us-east-1", log_group_arn=group, role_arn=role)
    seed.trail("two", "us-east-1", log_group_arn=group, role_arn=other)

    inventory = collect_account(factory)

    collected = inventory.role(role)
    assert collected is not None and collected.exists and collected.error is None
    assert collected.trust_policy is not None
    assert collected.trust_policy["Statement"][0]["Principal"] == {
        "Service": "cloudtrail.amazonaws.com"
    }
    kinds = {(p.kind, p.name): p.document for p in collected.policies}
    assert kinds[("inline", "write")] == delivery_policy(group)
    assert kinds[("managed", writer_arn)] == delivery_policy(group)  # the default version
    assert kinds[("managed", shared_arn)] == shared
    assert collected.permissions_boundary is not None
    assert collected.permissions_boundary.document == boundary
    # The managed policy both roles share is fetched once.
    counts = factory.call_counts()
    assert counts["iam:GetRole"] == 2
    assert counts["iam:GetPolicy"] == 3  # writer-v1, shared-guardrail, the boundary


def test_missing_role_is_recorded_as_not_existing(seed, factory):
    ghost = f"arn:aws:iam::{MAIN_ACCOUNT}:role/deleted-role"
    seed.trail("orphan", "us-east-1", role_arn=ghost, log_group_arn=ANY_GROUP)

    role = collect_account(factory).role(ghost)

    assert role is not None and role.exists is False and role.error is None


def test_access_denied_on_get_role_is_recorded_on_that_role_only(seed, factory, aws):
    denied = seed.role("denied-role")
    readable = seed.role("readable-role")
    seed.trail("t-denied", "us-east-1", role_arn=denied, log_group_arn=ANY_GROUP)
    seed.trail("t-readable", "us-east-1", role_arn=readable, log_group_arn=ANY_GROUP)
    aws.deny("iam:GetRole", account_id=MAIN_ACCOUNT, resource="denied-role")

    inventory = collect_account(factory)

    role = inventory.role(denied)
    assert role is not None and role.exists is None
    assert role.error is not None
    assert (role.error.action, role.error.code) == ("iam:GetRole", "AccessDenied")
    other = inventory.role(readable)
    assert other is not None and other.exists and other.error is None
    assert all(t.status_error is None and t.config_error is None for t in inventory.trails)
    assert inventory.errors == ()


def test_access_denied_on_get_trail_status_is_recorded_on_that_trail_only(seed, factory, aws):
    denied = seed.trail("denied", "eu-west-1")
    seed.trail("readable", "eu-west-1")
    aws.deny("cloudtrail:GetTrailStatus", resource=denied)

    trails = by_name(collect_account(factory))

    error = trails["denied"].status_error
    assert trails["denied"].status is None and error is not None
    assert (error.action, error.code, error.region) == (
        "cloudtrail:GetTrailStatus",
        "AccessDeniedException",
        "eu-west-1",
    )
    assert trails["denied"].config is not None  # DescribeTrails still worked
    assert trails["readable"].status is not None and trails["readable"].status_error is None


def test_member_account_sees_the_org_trail_once_and_cannot_read_its_resources(
    seed, member_seed, member_factory, aws
):
    group = seed.log_group("org-trail", "us-east-1")
    role = seed.role("org-delivery", inline={"write": delivery_policy(group)})
    org_arn = seed.trail(
        "org",
        "us-east-1",
        multi_region=True,
        organization=True,
        log_group_arn=group,
        role_arn=role,
        delivered_at=datetime.now(UTC),
    )
    member_seed.trail("own", "eu-west-1")
    aws.register_organization(MAIN_ACCOUNT, [MEMBER_ACCOUNT])

    inventory = collect_account(member_factory, home_region="eu-west-1")

    assert inventory.account_id == MEMBER_ACCOUNT
    assert sorted(t.name for t in inventory.trails) == ["org", "own"]
    org = by_name(inventory)["org"]
    assert org.arn == org_arn and org.account_id == MAIN_ACCOUNT
    assert org.config is not None and org.config.is_organization_trail
    assert org.status is not None and org.status.latest_cloudwatch_logs_delivery_time
    log_group = inventory.log_group(group.removesuffix(":*"))
    assert log_group is not None and log_group.exists is None and log_group.error is not None
    assert log_group.error.code == "NotReadableFromMemberAccount"
    org_role = inventory.role(role)
    assert org_role is not None and org_role.exists is None and org_role.error is not None
    assert org_role.error.code == "NotReadableFromMemberAccount"
    counts = member_factory.call_counts()
    assert not {
        "logs:DescribeLogGroups",
        "iam:GetRole",
        "organizations:DescribeOrganization",
    } & set(counts)
    assert inventory.organization_id is None


def test_management_account_records_its_organization_id(seed, factory, aws):
    org_id = aws.client(MAIN_ACCOUNT, "organizations").create_organization(FeatureSet="ALL")[
        "Organization"
    ]["Id"]
    seed.trail("org", "us-east-1", multi_region=True, organization=True)

    inventory = collect_account(factory)

    assert inventory.organization_id == org_id
    assert factory.call_counts()["organizations:DescribeOrganization"] == 1


def test_regions_filter_keeps_home_trails_and_multi_region_trails(seed, factory):
    seed.trail("home", "eu-west-1")
    seed.trail("covering", "us-east-1", multi_region=True)
    seed.trail("elsewhere", "us-west-2")

    inventory = collect_account(factory, regions=["eu-west-1"])

    assert sorted(t.name for t in inventory.trails) == ["covering", "home"]
    assert inventory.regions == ("eu-west-1",)
    assert factory.call_counts()["cloudtrail:GetTrailStatus"] == 2


def test_list_trails_denied_is_an_account_level_error(seed, factory, aws):
    seed.trail("hidden", "us-east-1")
    aws.deny("cloudtrail:ListTrails")

    inventory = collect_account(factory)

    assert inventory.trails == ()
    assert [(e.action, e.code) for e in inventory.errors] == [
        ("cloudtrail:ListTrails", "AccessDeniedException")
    ]
    assert inventory.account_id == MAIN_ACCOUNT


def test_no_credentials_is_a_credentials_error(aws, monkeypatch, tmp_path: Path):
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    factory = ClientFactory(boto3.Session(region_name="us-east-1"), endpoint_url=aws.endpoint_url)

    with pytest.raises(CredentialsError, match="No AWS credentials"):
        collect_account(factory)


@pytest.mark.parametrize("code", ["ExpiredToken", "InvalidClientTokenId"])
def test_rejected_credentials_are_a_credentials_error(factory, aws, code):
    aws.deny("sts:GetCallerIdentity", code=code)

    with pytest.raises(CredentialsError, match=code):
        collect_account(factory)


def test_unknown_profile_is_a_credentials_error(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    with pytest.raises(CredentialsError, match="no-such-profile"):
        open_factory(profile="no-such-profile")


def test_unknown_region_is_rejected_before_any_call(factory):
    with pytest.raises(UnknownRegionError, match="eu-westt-1.*eu-west-1"):
        collect_account(factory, regions=["us-east-1", "eu-westt-1"])
    assert factory.call_counts() == {}


def test_region_of_another_partition_is_rejected():
    with pytest.raises(UnknownRegionError, match="cn-north-1"):
        validate_regions(["cn-north-1"], partition_hint="aws")
    validate_regions(["cn-north-1"], partition_hint="aws-cn")


def test_calls_are_counted_once_per_logical_call_and_retries_separately(aws):
    factory = aws.factory(MAIN_ACCOUNT, max_attempts=2)
    # A transient error botocore retries (without engaging adaptive rate limiting).
    aws.deny("cloudtrail:ListTrails", code="RequestTimeoutException")

    inventory = collect_account(factory)

    assert inventory.errors[0].code == "RequestTimeoutException"
    assert factory.call_counts()["cloudtrail:ListTrails"] == 1
    assert factory.attempt_counts()["cloudtrail:ListTrails"] == 2


def test_six_trails_over_four_regions_take_well_under_thirty_calls(seed, factory):
    now = datetime.now(UTC)
    role = seed.role("delivery")
    for name, region, multi in [
        ("mgmt", "us-east-1", True),
        ("audit", "eu-west-1", False),
        ("data", "us-west-2", False),
        ("apps", "eu-west-1", False),
        ("apac", "ap-southeast-2", False),
        ("net", "us-west-2", False),
    ]:
        group = seed.log_group(f"aws-cloudtrail-logs/{name}", region, retention_days=365)
        seed.trail(
            name,
            region,
            multi_region=multi,
            log_group_arn=group,
            role_arn=role,
            delivered_at=now - timedelta(minutes=5),
        )

    inventory = collect_account(factory)

    assert len(inventory.trails) == 6
    counts = factory.call_counts()
    assert counts == {
        "cloudtrail:DescribeTrails": 4,
        "cloudtrail:GetTrailStatus": 6,
        "cloudtrail:ListTrails": 1,
        "cloudwatch:DescribeAlarms": 1,  # the multi-region trail's region
        "iam:GetRole": 1,
        "iam:ListAttachedRolePolicies": 1,
        "iam:ListRolePolicies": 1,
        "logs:DescribeLogGroups": 6,
        "logs:DescribeMetricFilters": 1,  # the multi-region trail's log group
        "sts:GetCallerIdentity": 1,
    }
    assert sum(counts.values()) < 30


def test_clients_are_cached_per_service_and_region(factory):
    assert factory.client("cloudtrail", "us-east-1") is factory.client("cloudtrail", "us-east-1")
    assert factory.client("cloudtrail", "us-east-1") is not factory.client(
        "cloudtrail", "eu-west-1"
    )


def test_url_encoded_policy_documents_are_decoded():
    document = {"Version": "2012-10-17", "Statement": []}
    assert policy_json(quote(json.dumps(document))) == document
    assert policy_json(json.dumps(document)) == document
    assert policy_json(document) is document


def test_unreachable_endpoint_is_an_error_naming_the_endpoint():
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    factory = ClientFactory(session, endpoint_url="http://127.0.0.1:9", max_attempts=1)

    with pytest.raises(Error, match=r"Cannot reach the AWS endpoint http://127\.0\.0\.1:9"):
        collect_account(factory)


def test_aws_semantics_fill_moto_gaps_only_while_installed(seed, aws):
    seed.trail("far-away", "eu-west-1")
    cloudtrail = aws.client(MAIN_ACCOUNT, "cloudtrail", "us-east-1")
    assert install_aws_semantics() is False  # idempotent: the server fixture installed them
    assert [t["Name"] for t in cloudtrail.list_trails()["Trails"]] == ["far-away"]

    uninstall_aws_semantics()
    try:
        # moto's own ListTrails: only this region's trails and multi-region ones.
        assert cloudtrail.list_trails()["Trails"] == []
    finally:
        assert install_aws_semantics() is True
