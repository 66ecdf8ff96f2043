"""The IAM policy evaluator behind TW003: table-driven, one reason to fail per case."""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailwarden.checks.iam_policy import (
    Conditional,
    Decision,
    Evaluation,
    Request,
    StatementRef,
    allowed_principals,
    evaluate,
    evaluate_identity,
    wildcard_match,
)

STREAM = (
    "arn:aws:logs:us-east-1:111111111111:log-group:aws-cloudtrail-logs/main"
    ":log-stream:111111111111_CloudTrail_us-east-1"
)
TRAIL = "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
PUT = Request("logs:PutLogEvents", STREAM)
TRUST_CONTEXT = {"aws:SourceArn": TRAIL, "aws:SourceAccount": "111111111111"}
ASSUME = Request(
    "sts:AssumeRole",
    "arn:aws:iam::111111111111:role/CloudTrail_CloudWatchLogs_Role",
    principal_service="cloudtrail.amazonaws.com",
    context=TRUST_CONTEXT,
)


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(**element: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*", **element}


def deny(**element: Any) -> dict[str, Any]:
    return {**allow(**element), "Effect": "Deny", **element}


def decide(document: Any, request: Request = PUT) -> Decision:
    return evaluate([("inline policy p", document)], request).decision


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("*", "arn:aws:logs:us-east-1:1:log-group:a:log-stream:b", True),
        (
            "arn:aws:logs:*:log-stream:1_*",
            "arn:aws:logs:us-east-1:1:log-group:g/x:log-stream:1_a",
            True,
        ),
        ("a?c", "abc", True),
        ("a?c", "ac", False),
        ("a*", "A", False),  # case-sensitive
        ("*a", "*ba", True),  # a literal * in the text does not confuse the matcher
        ("a*b*c", "aXbYbZc", True),
        ("a*b*c", "aXbYbZ", False),
        ("", "", True),
        ("**", "", True),
    ],
)
def test_wildcard_match(pattern: str, text: str, expected: bool) -> None:
    assert wildcard_match(pattern, text) is expected


@given(
    st.text(alphabet="ab:/*?", max_size=8),
    st.text(alphabet="ab:/*?", max_size=10),
)
def test_wildcard_match_agrees_with_fnmatch(pattern: str, text: str) -> None:
    # Without brackets, fnmatch's * and ? mean exactly what IAM's do.
    assert wildcard_match(pattern, text) is fnmatch.fnmatchcase(text, pattern)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(doc(allow()), Decision.ALLOW, id="allow"),
        pytest.param({"Statement": allow()}, Decision.ALLOW, id="statement-as-dict"),
        pytest.param(doc(), Decision.IMPLICIT_DENY, id="empty"),
        pytest.param(doc(allow(Action="LOGS:putlogevents")), Decision.ALLOW, id="action-case"),
        pytest.param(doc(allow(Action="logs:Put*")), Decision.ALLOW, id="action-wildcard"),
        pytest.param(doc(allow(Action="logs:?utLogEvents")), Decision.ALLOW, id="action-?"),
        pytest.param(doc(allow(Action="*")), Decision.ALLOW, id="action-star"),
        pytest.param(
            doc(allow(Action="logs:CreateLogStream")), Decision.IMPLICIT_DENY, id="other-action"
        ),
        pytest.param(
            doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
            Decision.ALLOW,
            id="notaction-other",
        ),
        pytest.param(
            doc({"Effect": "Allow", "NotAction": "logs:*", "Resource": "*"}),
            Decision.IMPLICIT_DENY,
            id="notaction-excludes",
        ),
        pytest.param(
            doc(allow(Resource=STREAM.replace("us-east-1", "*"))),
            Decision.ALLOW,
            id="resource-star",
        ),
        pytest.param(
            doc(allow(Resource=STREAM + "?")), Decision.IMPLICIT_DENY, id="resource-?-needs-one"
        ),
        pytest.param(
            doc(allow(Resource=STREAM.upper())), Decision.IMPLICIT_DENY, id="resource-case"
        ),
        pytest.param(
            doc(allow(Resource=["arn:aws:s3:::b", STREAM])), Decision.ALLOW, id="resource-list"
        ),
        pytest.param(
            doc({"Effect": "Allow", "Action": "logs:*", "NotResource": "arn:aws:s3:::*"}),
            Decision.ALLOW,
            id="notresource-other",
        ),
        pytest.param(
            doc({"Effect": "Allow", "Action": "logs:*", "NotResource": "arn:aws:logs:*"}),
            Decision.IMPLICIT_DENY,
            id="notresource-excludes",
        ),
        pytest.param(
            doc(allow(Resource="arn:aws:logs:*:${aws:PrincipalAccount}:*")),
            Decision.IMPLICIT_DENY,
            id="policy-variable-unconfirmed",
        ),
        pytest.param(doc(allow(), deny()), Decision.EXPLICIT_DENY, id="deny-beats-allow"),
        pytest.param(
            doc(allow(), deny(Resource="arn:aws:logs:*:*:log-group:other:*")),
            Decision.ALLOW,
            id="deny-elsewhere",
        ),
        pytest.param(
            doc(allow(), deny(Condition={"Bool": {"aws:SecureTransport": "false"}})),
            Decision.POSSIBLE_DENY,
            id="deny-unknown-operator",
        ),
        pytest.param(doc({**allow(), "Effect": "allow"}), Decision.IMPLICIT_DENY, id="effect-case"),
        pytest.param(
            doc({"Effect": "Allow", "Resource": "*"}), Decision.IMPLICIT_DENY, id="no-action"
        ),
        pytest.param({"Statement": "nonsense"}, Decision.IMPLICIT_DENY, id="malformed"),
    ],
)
def test_statement_matching(document: Any, expected: Decision) -> None:
    assert decide(document) is expected


# aws:SourceArn is the trail, aws:SourceAccount its account, aws:Absent known to be absent;
# any other key is unknown.
CONTEXT = {**TRUST_CONTEXT, "aws:Absent": None}
OTHER = "arn:aws:cloudtrail:us-east-1:111111111111:trail/other"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"StringEquals": {"aws:SourceArn": TRAIL}}, True),
        ({"StringEquals": {"aws:SourceArn": OTHER}}, False),
        ({"StringEquals": {"AWS:SOURCEARN": TRAIL}}, True),  # key names ignore case
        ({"StringEquals": {"aws:SourceArn": TRAIL.upper()}}, False),  # values do not
        ({"StringEquals": {"aws:SourceArn": [OTHER, TRAIL]}}, True),  # values are ORed
        ({"StringNotEquals": {"aws:SourceArn": OTHER}}, True),
        ({"StringNotEquals": {"aws:SourceArn": [OTHER, TRAIL]}}, False),
        ({"StringLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111111111111:trail/*"}}, True),
        ({"StringLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:222222222222:trail/*"}}, False),
        ({"StringNotLike": {"aws:SourceArn": "*:trail/o*"}}, True),
        ({"ArnEquals": {"aws:SourceArn": TRAIL}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111111111111:trail/*"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*"}}, False),  # six parts needed
        ({"ArnNotEquals": {"aws:SourceArn": OTHER}}, True),
        ({"ArnNotLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/main"}}, False),
        ({"StringEquals": {"aws:SourceAccount": "111111111111"}}, True),
        (  # clauses are ANDed
            {
                "StringEquals": {"aws:SourceAccount": "111111111111"},
                "ArnLike": {"aws:SourceArn": OTHER},
            },
            False,
        ),
        ({"StringEquals": {"aws:Absent": "x"}}, False),
        ({"StringNotEquals": {"aws:Absent": "x"}}, True),
        ({"StringEqualsIfExists": {"aws:Absent": "x"}}, True),
        ({"StringEqualsIfExists": {"aws:SourceArn": OTHER}}, False),
        ({"ForAnyValue:StringEquals": {"aws:SourceArn": TRAIL}}, True),
        ({"ForAnyValue:StringEquals": {"aws:Absent": "x"}}, False),
        ({"ForAllValues:StringEquals": {"aws:Absent": "x"}}, True),
        ({"ForAllValues:StringLike": {"aws:SourceArn": "*:trail/other"}}, False),
        ({"StringEquals": {"aws:PrincipalTag/team": "x"}}, None),  # key not in the context
        ({"NumericLessThan": {"aws:SourceAccount": "2"}}, None),  # operator not supported
        ({"StringEquals": {"aws:SourceArn": "${aws:SourceArn}"}}, None),  # policy variable
        ({"Bogus:StringEquals": {"aws:SourceArn": TRAIL}}, None),
        ({"StringEquals": {"aws:SourceArn": 12}}, None),
    ],
)
def test_condition(condition: dict[str, Any], expected: bool | None) -> None:
    """True: the Allow counts; False: it is excluded; None: it cannot be confirmed."""
    request = Request("logs:PutLogEvents", STREAM, context=CONTEXT)
    result = evaluate([("p", doc(allow(Condition=condition)))], request)
    outcome = {
        Decision.ALLOW: True,
        Decision.IMPLICIT_DENY: None if result.unconfirmed else False,
    }[result.decision]
    assert outcome is expected


def test_unconfirmed_allow_names_the_condition() -> None:
    condition = {"Bool": {"aws:SecureTransport": "true"}}
    result = evaluate([("inline policy p", doc(allow(Sid="Tls", Condition=condition)))], PUT)
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.explain() == (
        'allowed only under condition Bool {"aws:SecureTransport": "true"} '
        '(statement "Tls" of inline policy p), which cannot be confirmed'
    )


def test_possible_deny_names_the_statement() -> None:
    condition = {"StringEquals": {"aws:PrincipalTag/env": "prod"}}
    result = evaluate([("inline policy p", doc(allow(), deny(Condition=condition)))], PUT)
    assert result.decision is Decision.POSSIBLE_DENY
    assert result.explain().startswith("possibly denied by statement #2 of inline policy p")


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ({"Principal": {"Service": "cloudtrail.amazonaws.com"}}, Decision.ALLOW),
        (
            {"Principal": {"Service": ["ec2.amazonaws.com", "cloudtrail.amazonaws.com"]}},
            Decision.ALLOW,
        ),
        ({"Principal": {"Service": "ec2.amazonaws.com"}}, Decision.IMPLICIT_DENY),
        ({"Principal": "*"}, Decision.ALLOW),
        ({"Principal": {"AWS": "*"}}, Decision.ALLOW),
        ({"Principal": {"AWS": "arn:aws:iam::111111111111:root"}}, Decision.IMPLICIT_DENY),
        ({"NotPrincipal": {"Service": "ec2.amazonaws.com"}}, Decision.ALLOW),
        ({"NotPrincipal": {"Service": "cloudtrail.amazonaws.com"}}, Decision.IMPLICIT_DENY),
        ({}, Decision.IMPLICIT_DENY),  # a trust statement without a principal trusts no one
    ],
)
def test_trust_principal(principal: dict[str, Any], expected: Decision) -> None:
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", **principal}
    assert decide(doc(statement), ASSUME) is expected


def test_trust_condition_that_excludes_the_trail_is_named() -> None:
    statement = {
        "Sid": "OnlyOther",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"ArnEquals": {"aws:SourceArn": OTHER}},
    }
    result = evaluate([("the trust policy", doc(statement))], ASSUME)
    assert result.excluded == (
        Conditional(
            StatementRef("the trust policy", 0, "OnlyOther"),
            f'ArnEquals {{"aws:SourceArn": "{OTHER}"}}',
        ),
    )


IDENTITY = [("inline policy p", doc(allow(Sid="Write")))]


@pytest.mark.parametrize(
    ("boundary", "expected"),
    [
        (None, Decision.ALLOW),
        (doc(allow()), Decision.ALLOW),
        (doc(allow(Action="logs:CreateLogStream")), Decision.IMPLICIT_DENY),
        (doc(allow(), deny()), Decision.EXPLICIT_DENY),
    ],
)
def test_permissions_boundary_must_also_allow(boundary: Any, expected: Decision) -> None:
    bound = None if boundary is None else ("permissions boundary b", boundary)
    assert evaluate_identity(IDENTITY, bound, PUT).decision is expected


def test_boundary_that_does_not_allow_is_named() -> None:
    bound = ("permissions boundary b", doc(allow(Action="s3:*")))
    result = evaluate_identity(IDENTITY, bound, PUT)
    assert result.explain() == (
        'allowed by statement "Write" of inline policy p but not by permissions boundary b'
    )


def test_deny_in_one_policy_beats_allow_in_another() -> None:
    policies = [*IDENTITY, ("managed policy guard", doc(deny(Sid="Guard")))]
    result = evaluate_identity(policies, None, PUT)
    assert result.explain() == 'explicitly denied by statement "Guard" of managed policy guard'


@pytest.mark.parametrize("decision", list(Decision))
def test_explain_covers_every_decision(decision: Decision) -> None:
    ref = StatementRef("inline policy p", 0, "S")
    evaluation = Evaluation(decision, statements=(ref,), conditions=(Conditional(ref, "c"),))
    assert evaluation.explain()
    assert evaluation.allowed is (decision is Decision.ALLOW)


def test_allowed_principals_lists_who_may_assume() -> None:
    document = doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        },
        {
            "Effect": "Allow",
            "Principal": {"Service": "x.amazonaws.com"},
            "Action": "sts:TagSession",
        },
    )
    assert allowed_principals(document, "sts:AssumeRole") == ("Service ec2.amazonaws.com",)
