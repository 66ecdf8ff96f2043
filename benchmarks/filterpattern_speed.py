"""Cost of matching filter patterns: the 15 CIS filters, and hostile regular expressions.

Part 1 prints ns per event for (a) ``orjson.loads`` of the record's JSON text, (b)
evaluating the 15 CIS v2.0 metric-filter patterns one by one (``CompiledPattern.matches``)
on the parsed record, and (c) evaluating them as one ``PatternSet``, for a few typical
records (an S3 read, an unauthorized call, a security-group change, a console sign-in
without MFA).

Part 2 prints the time per event of hostile regular expressions (term patterns ``%...%``,
matched against the raw message): the three of issue 8 §4, classic catastrophic-
backtracking shapes, and the shapes slowest for RE2 at trailwarden's 128-position limit;
each against the four CloudTrail records (raw JSON text, ~1.4 KB), and against distinct
800-character and 256 KB events built from what the expression loops on (time per event,
events matched in turn).

    python benchmarks/filterpattern_speed.py [--rounds 200000] [--part 1|2]
"""

from __future__ import annotations

import argparse
import itertools
import random
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


_RANDOM = random.Random(8)
# (regular expression, what a long adversarial event repeats)
HOSTILE: list[tuple[str, str]] = [
    (r"\w*\w*\w*\w*\w*\w*\w*=QQ", "a"),  # issue 8 §4: scan --monitoring past 120 s
    ("a*a*a*b", "a"),  # issue 8 §4: over 30 s on 800 characters
    (".*.*.*.*.*.*QQ", "a"),  # issue 8 §4: never finished on a 228-byte record
    ("a?" * 24 + "a" * 24, "a"),  # exponential for backtracking engines
    (r"\d*\d*\d*\d*\d*\d*x", "1"),
    (r"\s*\s*\s*\s*\s*\s*;$", " "),
    (".*a.*a.*a.*a.*a.*b", "a"),
    ("[ab]{0,63}a[ab]{63}x", "ab"),  # a new automaton state at each byte, 128 positions
    (".{0,63}a.{63};", "abcdefghijklmnopqrstuvwxyz0123456789_="),
]


def _adversarial(alphabet: str, size: int) -> str:
    if len(alphabet) == 1:
        return alphabet * (size - 1) + "!"
    return "".join(_RANDOM.choice(alphabet) for _ in range(size))


def _seconds_per_call(fn: Callable[[], object], budget: float = 0.3) -> float:
    """Best of five timed batches, each as many calls as fit in ``budget`` seconds."""
    start = time.perf_counter()
    fn()
    calls = max(1, int(budget / max(time.perf_counter() - start, 1e-7)))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def hostile() -> None:
    """Part 2: time per event of hostile regular expressions."""
    records = [orjson.dumps(record).decode() for record in RECORDS.values()]
    print(f"{'regular expression':<52}{'CloudTrail record':>22}{'800 chars':>12}{'256 KB':>12}")
    for body, alphabet in HOSTILE:
        pattern = compile_pattern("%" + body + "%")
        # Distinct events, matched in turn: the automaton cannot reuse what it learnt on
        # the previous one when the text is random.
        shorts = [_adversarial(alphabet, 800) for _ in range(200)]
        longs = [_adversarial(alphabet, 256 * 1024) for _ in range(2)]

        def timed(
            events: list[str], budget: float = 0.3, pattern: CompiledPattern = pattern
        ) -> float:
            cycle = itertools.cycle(events)
            return _seconds_per_call(lambda: pattern.matches(next(cycle)), budget)

        record_s = timed(records)
        short_s, long_s = timed(shorts), timed(longs, budget=1.0)
        shown = body if len(body) <= 50 else body[:47] + "..."
        print(
            f"%{shown + '%':<51}{record_s * 1e6:>19.1f} µs{short_s * 1e6:>9.1f} µs"
            f"{long_s * 1e3:>9.1f} ms"
        )


def cis() -> None:
    """Part 1: the 15 CIS filters against typical records."""
    rounds = ARGS.rounds
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

        parse_ns = _ns_per_call(parse, rounds)
        each_ns = _ns_per_call(each, rounds)
        set_ns = _ns_per_call(together, rounds)
        print(
            f"{name:<16}{len(raw):>6}{parse_ns:>11.0f} ns{each_ns:>11.0f} ns"
            f"{each_ns / parse_ns:>8.2f}{set_ns:>9.0f} ns{set_ns / parse_ns:>8.2f}"
            f"  {', '.join(matched) or '-'}"
        )


def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100_000)
    parser.add_argument("--part", choices=["1", "2"], help="only part 1 (CIS) or 2 (hostile)")
    ARGS = parser.parse_args()
    if ARGS.part != "2":
        cis()
    if ARGS.part is None:
        print()
    if ARGS.part != "1":
        hostile()


ARGS = argparse.Namespace(rounds=100_000)

if __name__ == "__main__":
    main()
