"""TW001–TW007 on inventories built by the factories: inventory in, one finding out."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from factories import (
    ACCOUNT,
    COLLECTED_AT,
    MEMBER_ACCOUNT,
    ORG_ID,
    REGION,
    denied,
    inline,
    log_group_arn,
    make_inventory,
    make_log_group,
    make_role,
    make_trail,
    managed,
    role_arn,
    role_policy,
    trail_arn,
    trust_policy,
)
from trailwarden.checks import CHECKS, CheckOptions, evaluate, get_check
from trailwarden.durations import format_duration
from trailwarden.errors import UnknownCheckError, UsageError
from trailwarden.findings import Finding, Severity, Status
from trailwarden.inventory import Inventory

MAIN = trail_arn()
STREAMS = f"{log_group_arn().removesuffix(':*')}:log-stream:"
NA = "Not applicable: the trail has no CloudWatch Logs integration (TW001)."
# The factories' inventories have no monitoring facts: these tests judge the trail checks.
TRAIL_CHECKS = CheckOptions(monitoring=False)


def finding(inventory: Inventory, check_id: str, options: CheckOptions | None = None) -> Finding:
    found = [f for f in evaluate(inventory, options or CheckOptions()) if f.check_id == check_id]
    assert len(found) == 1, found
    json.dumps(found[0].evidence)  # every finding's evidence is JSON as it is
    return found[0]


def inv(**trail: object) -> Inventory:
    """The default inventory with one trail attribute changed."""
    return make_inventory((make_trail(**trail),))  # type: ignore[arg-type]


def with_role(**role: object) -> Inventory:
    return make_inventory(roles=(make_role(**role),))  # type: ignore[arg-type]


def with_policy(*statements: dict[str, object]) -> Inventory:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return with_role(policies=(inline(document),))


def put_and_create(resource: str, **extra: object) -> dict[str, object]:
    return {
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": resource,
        **extra,
    }


ORG_INVENTORY = make_inventory(
    (make_trail("org", organization=True),),
    roles=(make_role(policies=(inline(role_policy(org_id=ORG_ID)),)),),
    organization_id=ORG_ID,
)
ORG_WITHOUT_ORG_STREAMS = make_inventory(
    (make_trail("org", organization=True),), roles=(make_role(),), organization_id=ORG_ID
)

CASES = [
    # TW001
    pytest.param(
        make_inventory(), "TW001", Status.PASS, "sends events to log group", id="001-pass"
    ),
    pytest.param(
        inv(log_group_arn=None, role_arn=None),
        "TW001",
        Status.FAIL,
        "has no CloudWatch Logs log group ARN (CloudWatchLogsLogGroupArn) and no role ARN",
        id="001-both-missing",
    ),
    pytest.param(
        inv(role_arn=""),
        "TW001",
        Status.FAIL,
        "has no CloudWatch Logs role ARN (CloudWatchLogsRoleArn).",
        id="001-empty-role",
    ),
    pytest.param(
        inv(log_group_arn=None),
        "TW001",
        Status.FAIL,
        "has no CloudWatch Logs log group ARN (CloudWatchLogsLogGroupArn).",
        id="001-no-group",
    ),
    pytest.param(
        inv(config_error=denied("cloudtrail:DescribeTrails")),
        "TW001",
        Status.ERROR,
        "AccessDeniedException on cloudtrail:DescribeTrails in us-east-1: not authorized",
        id="001-error",
    ),
    # TW002
    pytest.param(make_inventory(), "TW002", Status.PASS, "exists in us-east-1", id="002-pass"),
    pytest.param(inv(role_arn=None), "TW002", Status.NOT_APPLICABLE, NA, id="002-na"),
    pytest.param(
        inv(config_error=denied("cloudtrail:DescribeTrails")),
        "TW002",
        Status.ERROR,
        "AccessDeniedException on cloudtrail:DescribeTrails",
        id="002-error-with-tw001",
    ),
    pytest.param(
        inv(log_group_arn="arn:aws:s3:::bucket"),
        "TW002",
        Status.FAIL,
        "arn:aws:s3:::bucket is not a valid log group ARN",
        id="002-invalid",
    ),
    pytest.param(
        inv(log_group_arn=log_group_arn(region="eu-west-1")),
        "TW002",
        Status.FAIL,
        "is in eu-west-1, but trail main's home region is us-east-1",
        id="002-wrong-region",
    ),
    pytest.param(
        inv(log_group_arn=log_group_arn(account="999999999999")),
        "TW002",
        Status.FAIL,
        "is in account 999999999999, but trail main belongs to account 111111111111",
        id="002-wrong-account",
    ),
    pytest.param(
        make_inventory(log_groups=(make_log_group(exists=False, retention_in_days=None),)),
        "TW002",
        Status.FAIL,
        "Log group aws-cloudtrail-logs/main does not exist in us-east-1",
        id="002-missing-group",
    ),
    pytest.param(
        make_inventory(log_groups=(make_log_group(error=denied("logs:DescribeLogGroups")),)),
        "TW002",
        Status.ERROR,
        "Cannot read log group arn:aws:logs:us-east-1:111111111111:log-group:aws-cloudtrail-logs"
        "/main: AccessDeniedException on logs:DescribeLogGroups",
        id="002-lookup-denied",
    ),
    pytest.param(
        make_inventory(log_groups=()),
        "TW002",
        Status.ERROR,
        "was not collected",
        id="002-not-collected",
    ),
    # TW003
    pytest.param(
        make_inventory(), "TW003", Status.PASS, "trusts cloudtrail.amazonaws.com", id="003-pass"
    ),
    pytest.param(inv(role_arn=None), "TW003", Status.NOT_APPLICABLE, NA, id="003-na"),
    pytest.param(
        inv(role_arn="arn:aws:iam::111111111111:user/bob"),
        "TW003",
        Status.FAIL,
        "arn:aws:iam::111111111111:user/bob is not a valid IAM role ARN",
        id="003-invalid-arn",
    ),
    pytest.param(
        inv(role_arn=role_arn(account="999999999999")),
        "TW003",
        Status.FAIL,
        "is in account 999999999999, but trail main belongs to account 111111111111",
        id="003-cross-account-role",
    ),
    pytest.param(
        with_role(exists=False), "TW003", Status.FAIL, "does not exist in account", id="003-no-role"
    ),
    pytest.param(
        with_role(error=denied("iam:GetRole", "AccessDenied")),
        "TW003",
        Status.ERROR,
        "Cannot read role arn:aws:iam::111111111111:role/CloudTrail_CloudWatchLogs_Role: "
        "AccessDenied on iam:GetRole",
        id="003-getrole-denied",
    ),
    pytest.param(
        make_inventory(roles=()), "TW003", Status.ERROR, "not collected", id="003-not-collected"
    ),
    pytest.param(
        with_role(error=denied("iam:GetPolicyVersion", "AccessDenied"), exists=True),
        "TW003",
        Status.ERROR,  # judging the policies that could be read might miss a Deny
        "AccessDenied on iam:GetPolicyVersion",
        id="003-some-policy-unreadable",
    ),
    pytest.param(
        with_role(trust=None), "TW003", Status.ERROR, "trust policy", id="003-trust-not-collected"
    ),
    pytest.param(
        with_role(trust=trust_policy(Principal={"Service": "ec2.amazonaws.com"})),
        "TW003",
        Status.FAIL,
        "cannot be assumed by cloudtrail.amazonaws.com for trail main: it trusts only "
        "Service ec2.amazonaws.com",
        id="003-wrong-principal",
    ),
    pytest.param(
        with_role(
            trust=trust_policy(
                Condition={"ArnEquals": {"aws:SourceArn": trail_arn("other")}}, Sid="Other"
            )
        ),
        "TW003",
        Status.FAIL,
        'statement "Other" of the trust policy allows it only when ArnEquals '
        '{"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/other"}',
        id="003-trust-condition-excludes-trail",
    ),
    pytest.param(
        with_role(
            trust=trust_policy(
                Condition={
                    "StringEquals": {"aws:SourceAccount": ACCOUNT},
                    "ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"},
                }
            )
        ),
        "TW003",
        Status.PASS,
        "trusts cloudtrail.amazonaws.com",
        id="003-trust-condition-admits-trail",
    ),
    pytest.param(
        with_role(trust=trust_policy(Effect="Deny")),
        "TW003",
        Status.FAIL,
        "explicitly denied by statement #1 of the trust policy",
        id="003-trust-deny",
    ),
    pytest.param(
        with_role(policies=()),
        "TW003",
        Status.FAIL,
        f"may not logs:CreateLogStream on {STREAMS}111111111111_CloudTrail_us-east-1: "
        "no statement allows it",
        id="003-no-policy",
    ),
    pytest.param(
        with_policy(put_and_create("arn:aws:logs:us-east-1:111111111111:log-group:other:*")),
        "TW003",
        Status.FAIL,
        "may not logs:CreateLogStream on",
        id="003-policy-for-other-group",
    ),
    pytest.param(
        with_policy({**put_and_create(f"{STREAMS}*"), "Action": "logs:CreateLogStream"}),
        "TW003",
        Status.FAIL,
        f"may not logs:PutLogEvents on {STREAMS}111111111111_CloudTrail_us-east-1",
        id="003-only-create",
    ),
    pytest.param(
        with_policy(put_and_create(f"{STREAMS}111111111111_CloudTrail_us-east-1")),
        "TW003",
        Status.FAIL,
        f"may not logs:CreateLogStream on {STREAMS}111111111111_CloudTrail_us-east-1_2",
        id="003-exact-stream-misses-numbered-streams",
    ),
    pytest.param(
        with_policy(put_and_create(f"{STREAMS}111111111111_CloudTrail_eu-west-1*")),
        "TW003",
        Status.FAIL,
        "may not logs:CreateLogStream",
        id="003-prefix-of-another-region",
    ),
    pytest.param(
        with_role(
            policies=(
                inline(role_policy()),
                managed(
                    {
                        "Statement": {
                            "Sid": "Guard",
                            "Effect": "Deny",
                            "Action": "logs:PutLogEvents",
                            "Resource": "*",
                        }
                    }
                ),
            )
        ),
        "TW003",
        Status.FAIL,
        'explicitly denied by statement "Guard" of managed policy '
        "arn:aws:iam::111111111111:policy/Guard",
        id="003-guardrail-deny",
    ),
    pytest.param(
        with_role(boundary=inline({"Statement": put_and_create("arn:aws:s3:::*")}, "Boundary")),
        "TW003",
        Status.FAIL,
        "but not by permissions boundary Boundary",
        id="003-boundary-blocks",
    ),
    pytest.param(
        with_role(boundary=inline({"Statement": put_and_create("*")}, "Boundary")),
        "TW003",
        Status.PASS,
        "trusts",
        id="003-boundary-allows",
    ),
    pytest.param(
        with_policy(
            put_and_create(
                f"{STREAMS}*", Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}}
            )
        ),
        "TW003",
        Status.FAIL,
        "which does not hold here",  # CloudTrail's logs calls carry no aws:SourceAccount
        id="003-source-condition-on-role-policy",
    ),
    pytest.param(ORG_INVENTORY, "TW003", Status.PASS, "trusts", id="003-org-trail-pass"),
    pytest.param(
        ORG_WITHOUT_ORG_STREAMS,
        "TW003",
        Status.FAIL,
        f"on {STREAMS}o-exampleorgid_111122223333_CloudTrail_us-east-1",
        id="003-org-trail-without-org-streams",
    ),
    pytest.param(
        inv(multi_region=True),  # AWS's default policy names only the home-region prefix
        "TW003",
        Status.PASS,
        "trusts",
        id="003-multi-region-default-policy",
    ),
    pytest.param(
        make_inventory((make_trail(log_group_arn="not-an-arn"),), roles=(make_role(),)),
        "TW003",
        Status.NOT_APPLICABLE,
        "invalid log group ARN (TW002)",
        id="003-na-invalid-group",
    ),
    # TW004
    pytest.param(make_inventory(), "TW004", Status.PASS, "5 minutes ago", id="004-pass"),
    pytest.param(inv(role_arn=None), "TW004", Status.NOT_APPLICABLE, NA, id="004-na"),
    pytest.param(
        inv(delivered_at=None), "TW004", Status.FAIL, "has never delivered", id="004-never"
    ),
    pytest.param(
        inv(delivered_at=COLLECTED_AT - timedelta(days=3, hours=4, minutes=2)),
        "TW004",
        Status.FAIL,
        "3 days 4 hours ago (2025-03-11T07:58:00+00:00), more than the allowed 1 day",
        id="004-stale",
    ),
    pytest.param(
        inv(delivered_at=COLLECTED_AT - timedelta(hours=24)),
        "TW004",
        Status.PASS,
        "1 day ago",
        id="004-exactly-the-limit",
    ),
    pytest.param(
        inv(status_error=denied()),
        "TW004",
        Status.ERROR,
        "AccessDeniedException on cloudtrail:GetTrailStatus",
        id="004-error",
    ),
    # TW005
    pytest.param(
        make_inventory(), "TW005", Status.PASS, "no CloudWatch Logs delivery", id="005-pass"
    ),
    pytest.param(
        inv(delivery_error="AccessDenied: not authorized to perform logs:PutLogEvents"),
        "TW005",
        Status.FAIL,
        'error "AccessDenied: not authorized to perform logs:PutLogEvents"',
        id="005-fail",
    ),
    pytest.param(inv(delivery_error="  "), "TW005", Status.PASS, "no", id="005-blank-error"),
    pytest.param(
        inv(status_error=denied()), "TW005", Status.ERROR, "GetTrailStatus", id="005-error"
    ),
    pytest.param(inv(log_group_arn=None), "TW005", Status.NOT_APPLICABLE, NA, id="005-na"),
    # TW006
    pytest.param(make_inventory(), "TW006", Status.PASS, "is logging", id="006-pass"),
    pytest.param(inv(is_logging=False), "TW006", Status.FAIL, "is not logging", id="006-fail"),
    pytest.param(
        inv(is_logging=False, log_group_arn=None),
        "TW006",
        Status.FAIL,
        "is not logging",
        id="006-evaluated-without-integration",
    ),
    pytest.param(
        inv(status_error=denied()), "TW006", Status.ERROR, "GetTrailStatus", id="006-error"
    ),
    # TW007
    pytest.param(make_inventory(), "TW007", Status.PASS, "keeps events 365 days", id="007-pass"),
    pytest.param(
        make_inventory(log_groups=(make_log_group(retention_in_days=None),)),
        "TW007",
        Status.FAIL,
        "has no retention policy: events are kept forever",
        id="007-never-expire",
    ),
    pytest.param(
        make_inventory(log_groups=(make_log_group(retention_in_days=30),)),
        "TW007",
        Status.FAIL,
        "keeps events 30 days, less than the minimum 365",
        id="007-short",
    ),
    pytest.param(
        make_inventory(log_groups=(make_log_group(exists=False),)),
        "TW007",
        Status.NOT_APPLICABLE,
        "does not exist (TW002)",
        id="007-na-no-group",
    ),
    pytest.param(inv(log_group_arn=None), "TW007", Status.NOT_APPLICABLE, NA, id="007-na"),
    pytest.param(
        inv(log_group_arn=log_group_arn(region="eu-west-1")),
        "TW007",
        Status.NOT_APPLICABLE,
        "outside the trail's home region and account (TW002)",
        id="007-na-wrong-region",
    ),
    pytest.param(
        make_inventory(log_groups=(make_log_group(error=denied("logs:DescribeLogGroups")),)),
        "TW007",
        Status.ERROR,
        "AccessDeniedException on logs:DescribeLogGroups",
        id="007-error",
    ),
]


@pytest.mark.parametrize(("inventory", "check_id", "status", "message"), CASES)
def test_trail_check(inventory: Inventory, check_id: str, status: Status, message: str) -> None:
    result = finding(inventory, check_id)
    assert (result.status, message in result.message) == (status, True), result.message


def test_every_trail_check_passes_and_fails_in_the_table() -> None:
    seen = {(p.values[1], p.values[2]) for p in CASES}
    for check_id in ("TW001", "TW002", "TW003", "TW004", "TW005", "TW006", "TW007"):
        assert {(check_id, Status.PASS), (check_id, Status.FAIL)} <= seen, check_id


def test_max_delivery_age_option() -> None:
    inventory = inv(delivered_at=COLLECTED_AT - timedelta(hours=2))
    result = finding(inventory, "TW004", CheckOptions(max_delivery_age=timedelta(hours=1)))
    assert result.status is Status.FAIL
    assert result.evidence["age_s"] == 7200


def test_min_retention_option_and_fix_uses_an_accepted_value() -> None:
    result = finding(make_inventory(), "TW007", CheckOptions(min_retention_days=366))
    assert result.status is Status.FAIL
    assert result.remediation == (
        "aws logs put-retention-policy --log-group-name aws-cloudtrail-logs/main "
        "--retention-in-days 400 --region us-east-1"
    )


def test_ages_are_measured_from_collection_time_not_the_clock() -> None:
    # Collected long ago, delivered 5 minutes before that: still PASS today.
    assert finding(make_inventory(), "TW004").status is Status.PASS
    assert evaluate(make_inventory()) == evaluate(make_inventory())


def test_tw001_fix_is_the_exact_update_trail_command_in_the_home_region() -> None:
    result = finding(inv(home_region="eu-west-1", role_arn=None), "TW001")
    assert result.remediation == (
        "aws cloudtrail update-trail --name main --cloud-watch-logs-log-group-arn "
        f"{log_group_arn(region='eu-west-1')} --cloud-watch-logs-role-arn "
        f"arn:aws:iam::{ACCOUNT}:role/ROLE --region eu-west-1"
    )


def test_tw006_fix_starts_logging_in_the_home_region() -> None:
    result = finding(inv(is_logging=False, home_region="ap-southeast-2"), "TW006")
    assert result.remediation == "aws cloudtrail start-logging --name main --region ap-southeast-2"


def test_tw003_evidence_names_the_decisive_statements() -> None:
    evidence = finding(make_inventory(), "TW003").evidence
    sids = {s["sid"] for p in evidence["permissions"] for s in p["statements"]}
    assert sids == {"AWSCloudTrailCreateLogStream2014110", "AWSCloudTrailPutLogEvents20141101"}
    assert evidence["trust"]["decision"] == "ALLOW"


# An organization trail of 111111111111 seen from member account 222222222222: its log group
# and role live in the management account and cannot be read from here.
UNREADABLE = denied("logs:DescribeLogGroups", "NotReadableFromMemberAccount")
MEMBER_VIEW = make_inventory(
    (make_trail("org", organization=True, is_logging=False),),
    account_id=MEMBER_ACCOUNT,
    log_groups=(make_log_group(error=UNREADABLE),),
    roles=(make_role(error=denied("iam:GetRole", "NotReadableFromMemberAccount")),),
    organization_id=ORG_ID,
)


@pytest.mark.parametrize(
    ("check_id", "status"),
    [
        ("TW001", Status.PASS),
        ("TW002", Status.ERROR),
        ("TW003", Status.ERROR),
        ("TW004", Status.PASS),
        ("TW005", Status.PASS),
        ("TW006", Status.FAIL),
        ("TW007", Status.ERROR),
    ],
)
def test_organization_trail_seen_from_a_member_account(check_id: str, status: Status) -> None:
    result = finding(MEMBER_VIEW, check_id)
    assert result.status is status
    assert result.account_id == ACCOUNT  # the owner
    if status is Status.ERROR:
        assert result.message == (
            "Cannot be evaluated from account 222222222222: organization trail managed by "
            "account 111111111111 — scan from that account."
        )


def test_member_view_fix_says_where_to_run_it() -> None:
    remediation = finding(MEMBER_VIEW, "TW006").remediation
    assert remediation.startswith("From account 111111111111, which owns this organization trail")


def test_findings_are_ordered_and_each_trail_evaluated_once() -> None:
    b = make_trail("b", home_region="us-west-2")
    a = make_trail("a", home_region="us-west-2")
    main = make_trail()
    inventory = make_inventory((b, main, a, b))
    findings = evaluate(inventory, TRAIL_CHECKS)
    order = [(f.resource_id.rsplit("/", 1)[-1], f.check_id) for f in findings]
    trail_checks = sorted(c for c, spec in CHECKS.items() if spec.scope == "trail")
    expected = [(n, c) for n in ("main", "a", "b") for c in trail_checks] + [
        (str(ACCOUNT), "TW010")
    ]
    assert [(n if c != "TW010" else ACCOUNT, c) for n, c in order] == expected


def test_trail_finding_fields() -> None:
    result = finding(inv(home_region="eu-west-1"), "TW006")
    assert (result.account_id, result.region, result.resource_type, result.resource_id) == (
        ACCOUNT,
        "eu-west-1",
        "AWS::CloudTrail::Trail",
        trail_arn(region="eu-west-1"),
    )
    assert (result.title, result.severity) == (CHECKS["TW006"].title, Severity.HIGH)


def test_only_restricts_the_checks_reported() -> None:
    findings = evaluate(make_inventory(), CheckOptions(only=frozenset({"tw006", "TW010"})))
    assert [f.check_id for f in findings] == ["TW006", "TW010"]


@pytest.mark.parametrize(
    ("check_id", "severity"),
    [
        ("TW001", Severity.HIGH),
        ("TW002", Severity.HIGH),
        ("TW003", Severity.HIGH),
        ("TW004", Severity.HIGH),
        ("TW005", Severity.MEDIUM),
        ("TW006", Severity.HIGH),
        ("TW007", Severity.LOW),
        ("TW010", Severity.HIGH),
    ],
)
def test_registry_severity(check_id: str, severity: Severity) -> None:
    assert get_check(check_id.lower()).severity is severity


def test_unknown_check_id_is_one_sentence_listing_valid_ids() -> None:
    with pytest.raises(UnknownCheckError) as raised:
        get_check("TW999")
    assert str(raised.value) == (
        "There is no check 'TW999'; valid check ids are TW001–TW007, TW010, TW101–TW115 "
        "(`trailwarden explain` lists them)."
    )


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"max_delivery_age": timedelta(0)}, UsageError),
        ({"min_retention_days": 0}, UsageError),
        ({"min_retention_days": 4000}, UsageError),
        ({"only": frozenset({"TW999"})}, UnknownCheckError),
    ],
)
def test_invalid_options_are_user_errors(options: dict[str, object], error: type) -> None:
    with pytest.raises(error):
        CheckOptions(**options)  # type: ignore[arg-type]


def test_tw003_explain_text_has_the_working_fix() -> None:
    spec = get_check("TW003")
    for needle in (
        "aws cloudtrail update-trail --name TRAIL --region HOME_REGION",
        "--cloud-watch-logs-log-group-arn",
        "--cloud-watch-logs-role-arn",
        '"Principal": {"Service": "cloudtrail.amazonaws.com"}',
        "log-stream:ACCOUNT_CloudTrail_REGION*",
        "log-stream:o-ORGID_*",
        "invalid flag names",
    ):
        assert needle in spec.remediation, needle
    assert any("API_GetTrailStatus" in r for r in get_check("TW004").references)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=3, hours=4, minutes=2), "3 days 4 hours"),
        (timedelta(days=3, minutes=2), "3 days"),
        (timedelta(hours=1, seconds=5), "1 hour"),
        (timedelta(minutes=5), "5 minutes"),
        (timedelta(seconds=1), "1 second"),
        (timedelta(0), "0 seconds"),
        (timedelta(seconds=-30), "0 seconds"),  # delivery stamped after collection
    ],
)
def test_human_duration(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


@pytest.mark.parametrize("region", [REGION, "eu-west-1"])
def test_default_inventory_passes_every_check(region: str) -> None:
    inventory = make_inventory(
        (make_trail(home_region=region),),
        log_groups=(make_log_group(region=region),),
        roles=(make_role(policies=(inline(role_policy(region=region)),)),),
    )
    assert {f.status for f in evaluate(inventory, TRAIL_CHECKS)} == {Status.PASS}
