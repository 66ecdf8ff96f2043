"""Member sessions through sts:AssumeRole: the right role, external id and session name;
a denial is a value; credentials that renew themselves before they expire."""

from __future__ import annotations

from conftest import MAIN_ACCOUNT, MEMBER_ACCOUNT
from trailwarden.collect.assume import AssumedSessions, RoleTarget, role_arn, session_name
from trailwarden.inventory import ApiError

ROLE = role_arn("aws", MEMBER_ACCOUNT, "audit/TrailwardenAudit")


def assumed_roles(account: str) -> list:
    # The server runs in this process: what moto recorded about each AssumeRole.
    from moto.sts.models import sts_backends

    return list(sts_backends[account]["aws"].assumed_roles)


def test_a_member_factory_calls_the_member_account_with_the_external_id_and_session_name(aws):
    caller = aws.factory(MAIN_ACCOUNT)
    sessions = AssumedSessions(
        caller, region="us-east-1", role_session_name="trailwarden-scan-alice"
    )
    factory = sessions.factory(RoleTarget(MEMBER_ACCOUNT, ROLE, external_id="audit-2026"))
    assert not isinstance(factory, ApiError)
    identity = factory.client("sts", "us-east-1").get_caller_identity()
    assert identity["Account"] == MEMBER_ACCOUNT
    (assumed,) = assumed_roles(MEMBER_ACCOUNT)
    assert (assumed.role_arn, assumed.external_id, assumed.session_name) == (
        ROLE,
        "audit-2026",
        "trailwarden-scan-alice",
    )
    # AssumeRole is the caller's call; the member's reads are the member factory's.
    assert caller.call_counts() == {"sts:AssumeRole": 1}
    assert factory.call_counts() == {"sts:GetCallerIdentity": 1}


def test_a_denied_assume_role_is_a_value_naming_the_action_and_code(aws):
    aws.deny("sts:AssumeRole", resource=ROLE)
    sessions = AssumedSessions(
        aws.factory(MAIN_ACCOUNT), region="us-east-1", role_session_name="s1"
    )
    got = sessions.factory(RoleTarget(MEMBER_ACCOUNT, ROLE))
    assert isinstance(got, ApiError)
    assert (got.action, got.code) == ("sts:AssumeRole", "AccessDenied")


def test_credentials_about_to_expire_are_renewed_by_assuming_the_role_again(aws):
    # 900 s (the shortest session AWS allows) is inside botocore's 15-minute refresh window,
    # so each use renews them: a run longer than the session keeps working.
    caller = aws.factory(MAIN_ACCOUNT)
    sessions = AssumedSessions(caller, region="us-east-1", role_session_name="s1", duration_s=900)
    factory = sessions.factory(RoleTarget(MEMBER_ACCOUNT, ROLE))
    assert not isinstance(factory, ApiError)
    for _ in range(2):
        assert factory.client("sts", "us-east-1").get_caller_identity()["Account"] == MEMBER_ACCOUNT
    assert caller.call_counts()["sts:AssumeRole"] >= 2


def test_the_session_name_says_trailwarden_and_who():
    cases = {
        "arn:aws:iam::111111111111:user/alice": "trailwarden-scan-alice",
        "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Audit_1/bob@example.com": (
            "trailwarden-scan-bob@example.com"
        ),
        "arn:aws:iam::111111111111:root": "trailwarden-scan-root",
        "arn:aws:iam::111111111111:user/path/" + "x" * 80: "trailwarden-scan-" + "x" * 47,
        "arn:aws:iam::111111111111:user/a b": "trailwarden-scan-a-b",
    }
    for arn, expected in cases.items():
        assert session_name("scan", arn) == expected


def test_assume_role_goes_to_the_sts_endpoint_of_the_callers_region(monkeypatch):
    import boto3

    from trailwarden.collect.clients import ClientFactory

    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_STS_REGIONAL_ENDPOINTS"):
        monkeypatch.delenv(name, raising=False)
    session = boto3.Session(
        aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1"
    )
    sessions = AssumedSessions(ClientFactory(session), region="eu-west-1", role_session_name="s1")
    sts = sessions.caller.client("sts", sessions.region)
    assert sts.meta.endpoint_url == "https://sts.eu-west-1.amazonaws.com"
