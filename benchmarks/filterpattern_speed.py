"""Cost of matching the 15 CIS monitoring filters against one CloudTrail record.

Prints ns per event for (a) ``orjson.loads`` of the record's JSON text, (b) evaluating the
15 CIS v2.0 metric-filter patterns one by one (``CompiledPattern.matches``) on the parsed
record, and (c) evaluating them as one ``PatternSet``, for a few typical records (an S3
read, an unauthorized call, a security-group change, a console sign-in without MFA).

    python benchmarks/filterpattern_speed.py [--rounds 200000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import orjson

from trailwarden.filterpattern import CompiledPattern, PatternSet, compile_pattern


def _any_name(names: str, quoted: bool = False) -> str:
    q = '"' if quoted else ""
    return " || ".join(f"($.eventName = {q}{name}{q})" for name in names.split())


# CIS AWS Foundations v2.0 4.1-4.15; 4.1 with the parentheses CIS means (its text,
# `A || B && C && D`, reads as `A || (B && C && D)` under () > && > ||).
CIS_PATTERNS: dict[str, str] = {
    "4.1": '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*"))'
    ' && ($.sourceIPAddress != "delivery.logs.amazonaws.com")'
    ' && ($.eventName != "HeadBucket") }',
    "4.2": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    "4.3": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS'
    ' && $.eventType != "AwsServiceEvent" }',
    "4.4": "{"
    + _any_name(
        "DeleteGroupPolicy DeleteRolePolicy DeleteUserPolicy PutGroupPolicy PutRolePolicy"
        " PutUserPolicy CreatePolicy DeletePolicy CreatePolicyVersion DeletePolicyVersion"
        " AttachRolePolicy DetachRolePolicy AttachUserPolicy DetachUserPolicy"
        " AttachGroupPolicy DetachGroupPolicy"
    ).replace(" ", "")
    + "}",
    "4.5": "{ " + _any_name("CreateTrail UpdateTrail DeleteTrail StartLogging StopLogging") + " }",
    "4.6": '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    "4.7": "{ ($.eventSource = kms.amazonaws.com) && "
    "(($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    "4.8": "{ ($.eventSource = s3.amazonaws.com) && ("
    + _any_name(
        "PutBucketAcl PutBucketPolicy PutBucketCors PutBucketLifecycle PutBucketReplication"
        " DeleteBucketPolicy DeleteBucketCors DeleteBucketLifecycle DeleteBucketReplication"
    )
    + ") }",
    "4.9": "{ ($.eventSource = config.amazonaws.com) && ("
    + _any_name(
        "StopConfigurationRecorder DeleteDeliveryChannel PutDeliveryChannel"
        " PutConfigurationRecorder"
    )
    + ") }",
    "4.10": "{ "
    + _any_name(
        "AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress"
        " RevokeSecurityGroupEgress CreateSecurityGroup DeleteSecurityGroup"
    )
    + " }",
    "4.11": "{ "
    + _any_name(
        "CreateNetworkAcl CreateNetworkAclEntry DeleteNetworkAcl DeleteNetworkAclEntry"
        " ReplaceNetworkAclEntry ReplaceNetworkAclAssociation"
    )
    + " }",
    "4.12": "{ "
    + _any_name(
        "CreateCustomerGateway DeleteCustomerGateway AttachInternetGateway"
        " CreateInternetGateway DeleteInternetGateway DetachInternetGateway"
    )
    + " }",
    "4.13": "{ ($.eventSource = ec2.amazonaws.com) && ("
    + _any_name(
        "CreateRoute CreateRouteTable ReplaceRoute ReplaceRouteTableAssociation"
        " DeleteRouteTable DeleteRoute DisassociateRouteTable"
    )
    + ") }",
    "4.14": "{ "
    + _any_name(
        "CreateVpc DeleteVpc ModifyVpcAttribute AcceptVpcPeeringConnection"
        " CreateVpcPeeringConnection DeleteVpcPeeringConnection RejectVpcPeeringConnection"
        " AttachClassicLinkVpc DetachClassicLinkVpc DisableVpcClassicLink EnableVpcClassicLink"
    )
    + " }",
    "4.15": "{ ($.eventSource = organizations.amazonaws.com) && ("
    + _any_name(
        "AcceptHandshake AttachPolicy CreateAccount CreateOrganizationalUnit CreatePolicy"
        " DeclineHandshake DeleteOrganization DeleteOrganizationalUnit DeletePolicy"
        " DetachPolicy DisablePolicyType EnablePolicyType InviteAccountToOrganization"
        " LeaveOrganization MoveAccount RemoveAccountFromOrganization UpdatePolicy"
        " UpdateOrganizationalUnit",
        quoted=True,
    )
    + ") }",
}


def _record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLEID:alice",
            "arn": "arn:aws:sts::111111111111:assumed-role/Admin/alice",
            "accountId": "111111111111",
            "accessKeyId": "ASIAEXAMPLEKEY",
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROAEXAMPLEID",
                    "arn": "arn:aws:iam::111111111111:role/Admin",
                    "accountId": "111111111111",
                    "userName": "Admin",
                },
                "attributes": {"creationDate": "2024-05-01T09:12:00Z", "mfaAuthenticated": "true"},
            },
        },
        "eventTime": "2024-05-01T10:00:00Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": "GetObject",
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "203.0.113.17",
        "userAgent": "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023",
        "requestParameters": {"bucketName": "example-bucket", "key": "reports/2024/05.csv"},
        "responseElements": None,
        "requestID": "8D1F2C3B4A5E6F70",
        "eventID": "2b5e8a3c-9d0f-4e1a-8b7c-6d5e4f3a2b1c",
        "readOnly": True,
        "resources": [
            {"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::example-bucket/reports/2024/05.csv"},
            {
                "accountId": "111111111111",
                "type": "AWS::S3::Bucket",
                "ARN": "arn:aws:s3:::example-bucket",
            },
        ],
        "eventType": "AwsApiCall",
        "managementEvent": False,
        "recipientAccountId": "111111111111",
        "eventCategory": "Data",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": "example-bucket.s3.eu-west-1.amazonaws.com",
        },
    }
    record.update(overrides)
    return record


RECORDS: dict[str, dict[str, Any]] = {
    "s3 GetObject": _record(),
    "unauthorized": _record(
        eventSource="ec2.amazonaws.com",
        eventName="RunInstances",
        errorCode="Client.UnauthorizedOperation",
        errorMessage="You are not authorized to perform this operation.",
    ),
    "sg change": _record(
        eventSource="ec2.amazonaws.com", eventName="AuthorizeSecurityGroupIngress"
    ),
    "console login": _record(
        eventSource="signin.amazonaws.com",
        eventName="ConsoleLogin",
        additionalEventData={"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com"},
        responseElements={"ConsoleLogin": "Success"},
    ),
}


def _ns_per_call(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter_ns()
        for _ in range(rounds):
            fn()
        best = min(best, (time.perf_counter_ns() - start) / rounds)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100_000)
    args = parser.parse_args()
    patterns: list[CompiledPattern] = [compile_pattern(text) for text in CIS_PATTERNS.values()]
    pattern_set = PatternSet(patterns)
    print(
        f"{'record':<16}{'bytes':>6}{'orjson.loads':>14}{'15 x matches':>14}{'/parse':>8}"
        f"{'PatternSet':>12}{'/parse':>8}  matched"
    )
    for name, record in RECORDS.items():
        raw = orjson.dumps(record)
        parsed = orjson.loads(raw)
        one_by_one = tuple(pattern.matches(parsed) for pattern in patterns)
        assert pattern_set.matches(parsed) == one_by_one == pattern_set.matches(raw.decode())
        matched = [cis for cis, hit in zip(CIS_PATTERNS, one_by_one, strict=True) if hit]

        def parse(raw: bytes = raw) -> None:
            orjson.loads(raw)

        def each(parsed: dict[str, Any] = parsed) -> None:
            for pattern in patterns:
                pattern.matches(parsed)

        def together(parsed: dict[str, Any] = parsed) -> None:
            pattern_set.matches(parsed)

        parse_ns = _ns_per_call(parse, args.rounds)
        each_ns = _ns_per_call(each, args.rounds)
        set_ns = _ns_per_call(together, args.rounds)
        print(
            f"{name:<16}{len(raw):>6}{parse_ns:>11.0f} ns{each_ns:>11.0f} ns"
            f"{each_ns / parse_ns:>8.2f}{set_ns:>9.0f} ns{set_ns / parse_ns:>8.2f}"
            f"  {', '.join(matched) or '-'}"
        )


if __name__ == "__main__":
    main()
