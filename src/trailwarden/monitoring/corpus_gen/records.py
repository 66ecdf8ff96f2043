"""Writes the corpus (``corpus/TW1xx.json``): ``python -m trailwarden.monitoring.corpus_gen``.

Deterministic: event ids are UUID5s of their content and times are fixed, so running it
again gives the committed files byte for byte. Record shape: "CloudTrail record contents"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import count, cycle
from pathlib import Path
from typing import Any

from .catalog import CLASSES

ACCOUNT = "111122223333"
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "sa-east-1")
_T0 = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
_SEQ = count()
_CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 prompt/off"
_BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0"
Json = dict[str, Any]


def iam_user(name: str = "alice") -> Json:
    return {
        "type": "IAMUser",
        "principalId": "AIDA" + name.upper().ljust(17, "X"),
        "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
        "accountId": ACCOUNT,
        "accessKeyId": "AKIA" + name.upper().ljust(16, "Z"),
        "userName": name,
    }


def assumed_role(
    role: str = "AWSReservedSSO_AdministratorAccess_0123abcd", session: str = "dana"
) -> Json:
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/{role}"
    return {
        "type": "AssumedRole",
        "principalId": f"AROAEXAMPLEROLEID0001:{session}",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLESESSION01",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROAEXAMPLEROLEID0001",
                "arn": role_arn,
                "accountId": ACCOUNT,
                "userName": role,
            },
            "attributes": {"creationDate": "2025-03-10T07:58:12Z", "mfaAuthenticated": "false"},
        },
    }


def federated(name: str = "ops-bot") -> Json:
    return {
        "type": "FederatedUser",
        "principalId": f"{ACCOUNT}:{name}",
        "arn": f"arn:aws:sts::{ACCOUNT}:federated-user/{name}",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEFEDERATED",
        "sessionContext": {
            "sessionIssuer": {
                "type": "IAMUser",
                "principalId": "AIDAEXAMPLEBROKER0001",
                "arn": f"arn:aws:iam::{ACCOUNT}:user/federation-broker",
                "accountId": ACCOUNT,
                "userName": "federation-broker",
            },
            "attributes": {"creationDate": "2025-03-10T07:30:00Z", "mfaAuthenticated": "false"},
        },
    }


def root(**extra: Any) -> Json:
    return {
        "type": "Root",
        "principalId": ACCOUNT,
        "arn": f"arn:aws:iam::{ACCOUNT}:root",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEROOTKEY01",
        **extra,
    }


PRINCIPALS: tuple[Callable[[], Json], ...] = (
    iam_user,
    assumed_role,
    federated,
    lambda: iam_user("bob"),
)
_GLOBAL = {"iam", "organizations"}  # recorded in us-east-1


def record(
    name: str,
    service: str,
    who: Json,
    *,
    region: str = "us-east-1",
    error: tuple[str, str] | None = None,
    request: Json | None = None,
    response: Json | None = None,
    extra: Json | None = None,
    event_type: str = "AwsApiCall",
    source_ip: str | None = None,
    agent: str = _CLI,
) -> Json:
    """A CloudTrail management event record, as CloudTrail delivers it to CloudWatch Logs."""
    n = next(_SEQ)
    read_only = name.startswith(("Describe", "Get", "List", "Head", "Lookup"))
    r: Json = {
        "eventVersion": "1.09" if event_type == "AwsApiCall" else "1.08",
        "userIdentity": who,
        "eventTime": (_T0 + timedelta(minutes=7 * n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": f"{service}.amazonaws.com",
        "eventName": name,
        "awsRegion": "us-east-1" if service in _GLOBAL else region,
        "sourceIPAddress": source_ip or f"203.0.113.{10 + n % 200}",
        "userAgent": agent,
    }
    if error:  # a failed console sign-in has an errorMessage and no errorCode
        if error[0]:
            r["errorCode"] = error[0]
        r["errorMessage"] = error[1]
    r["requestParameters"] = request
    r["responseElements"] = response
    if extra:
        r["additionalEventData"] = extra
    r["requestID"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"req/{n}/{name}"))
    r["eventID"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"event/{n}/{name}/{region}"))
    r["readOnly"] = read_only
    r["eventType"] = event_type
    r["managementEvent"] = True
    r["recipientAccountId"] = ACCOUNT
    r["eventCategory"] = "Management"
    if event_type == "AwsApiCall":
        r["tlsDetails"] = {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": f"{service}.{region}.amazonaws.com",
        }
    return r


def console_login(
    who: Json, *, mfa: str = "No", ok: bool = True, region: str = "us-east-1"
) -> Json:
    return record(
        "ConsoleLogin",
        "signin",
        who,
        region=region,
        error=None if ok else ("", "Failed authentication"),
        response={"ConsoleLogin": "Success" if ok else "Failure"},
        extra={
            "LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs",
            "MobileVersion": "No",
            "MFAUsed": mfa,
        },
        event_type="AwsConsoleSignIn",
        agent=_BROWSER,
    )


# Plausible request parameters; anything else gets a generic resource id.
_REQUEST: dict[str, Json] = {
    "PutBucketPolicy": {
        "bucketName": "example-data",
        "policy": "{...}",
        "Host": "example-data.s3.amazonaws.com",
    },
    "DisableKey": {
        "keyId": "arn:aws:kms:REGION:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    },
    "ScheduleKeyDeletion": {
        "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
        "pendingWindowInDays": 7,
    },
    "StopLogging": {"name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"},
    "AuthorizeSecurityGroupIngress": {
        "groupId": "sg-0a1b2c3d4e5f67890",
        "ipPermissions": {
            "items": [
                {
                    "ipProtocol": "tcp",
                    "fromPort": 22,
                    "toPort": 22,
                    "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]},
                }
            ]
        },
    },
    "CreateRoute": {
        "routeTableId": "rtb-0123456789abcdef0",
        "destinationCidrBlock": "0.0.0.0/0",
        "gatewayId": "igw-0123456789abcdef0",
    },
    "PutUserPolicy": {"userName": "bob", "policyName": "inline", "policyDocument": "{...}"},
    "AttachRolePolicy": {
        "roleName": "app",
        "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
    },
}


def _request(name: str) -> Json:
    return _REQUEST.get(name, {"resourceId": f"example-{name[:12].lower()}"})


def _each(names: tuple[str, ...], service: str, *, regional: bool = True) -> list[Json]:
    """One positive per event name, rotating principals (and regions for regional services)."""
    who, where = cycle(PRINCIPALS), cycle(REGIONS)
    out = []
    for i, name in enumerate(names):
        principal = root() if i == 2 else next(who)()  # the root user does it once
        region = next(where) if regional else "us-east-1"
        out.append(
            _s(
                f"{name} by a {principal['type']}",
                record(
                    name, service, principal, region=region, request=_request(name), response={}
                ),
            )
        )
    return out


def _s(note: str, rec: Json) -> Json:
    return {"note": note, "record": rec}


def _reads(service: str, *names: str) -> list[Json]:
    return [
        _s(
            f"read-only {n}",
            record(n, service, assumed_role(), region=REGIONS[i % 5], request={}, response=None),
        )
        for i, n in enumerate(names)
    ]


def samples() -> dict[str, tuple[list[Json], list[Json]]]:
    """class id -> (positives, negatives)."""
    denied = "User: arn:aws:iam::111122223333:user/alice is not authorized to perform this action"
    ec2_denied = (
        "You are not authorized to perform this operation. "
        "Encoded authorization failure message: EXAMPLE"
    )
    by_id = {c.id: c for c in CLASSES}
    s3_agent = "[aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023]"
    service_identity = {"type": "AWSService", "invokedBy": "delivery.logs.amazonaws.com"}
    out: dict[str, tuple[list[Json], list[Json]]] = {
        "TW101": (
            [
                _s(
                    "EC2 call denied (Client.UnauthorizedOperation)",
                    record(
                        "RunInstances",
                        "ec2",
                        iam_user(),
                        region="us-east-1",
                        error=("Client.UnauthorizedOperation", ec2_denied),
                    ),
                ),
                _s(
                    "EC2 call denied (UnauthorizedOperation)",
                    record(
                        "CreateVpc",
                        "ec2",
                        federated(),
                        region="sa-east-1",
                        error=("UnauthorizedOperation", ec2_denied),
                    ),
                ),
                _s(
                    "EC2 call denied to an assumed role",
                    record(
                        "TerminateInstances",
                        "ec2",
                        assumed_role(),
                        region="ap-southeast-2",
                        error=("Client.UnauthorizedOperation", ec2_denied),
                    ),
                ),
                _s(
                    "S3 management call denied (AccessDenied)",
                    record(
                        "GetBucketPolicy",
                        "s3",
                        assumed_role(),
                        region="eu-west-1",
                        error=("AccessDenied", "Access Denied"),
                        request={"bucketName": "example-data"},
                        agent=s3_agent,
                    ),
                ),
                _s(
                    "IAM call denied (AccessDenied)",
                    record("ListUsers", "iam", federated(), error=("AccessDenied", denied)),
                ),
                _s(
                    "KMS call denied (AccessDeniedException)",
                    record(
                        "CreateKey",
                        "kms",
                        iam_user("bob"),
                        region="us-west-2",
                        error=("AccessDeniedException", denied),
                    ),
                ),
                _s(
                    "Lambda call denied (AccessDeniedException)",
                    record(
                        "ListFunctions20150331",
                        "lambda",
                        iam_user(),
                        region="eu-west-1",
                        error=("AccessDeniedException", denied),
                    ),
                ),
                _s(
                    "root user denied by a bucket policy",
                    record(
                        "PutBucketPolicy",
                        "s3",
                        root(),
                        region="us-west-2",
                        error=("AccessDenied", "Access Denied"),
                        agent=s3_agent,
                    ),
                ),
            ],
            [
                _s(
                    "HeadBucket AccessDenied (CIS excludes HeadBucket)",
                    record(
                        "HeadBucket",
                        "s3",
                        assumed_role(),
                        region="eu-west-1",
                        error=("AccessDenied", "Access Denied"),
                        agent=s3_agent,
                    ),
                ),
                _s(
                    "AccessDenied from delivery.logs.amazonaws.com (log delivery probing a bucket)",
                    record(
                        "GetBucketAcl",
                        "s3",
                        service_identity,
                        region="us-east-1",
                        error=("AccessDenied", "Access Denied"),
                        source_ip="delivery.logs.amazonaws.com",
                        agent="delivery.logs.amazonaws.com",
                    ),
                ),
                _s(
                    "successful call",
                    record(
                        "DescribeInstances", "ec2", iam_user(), region="us-east-1", response=None
                    ),
                ),
                _s(
                    "throttled call (not an authorization failure)",
                    record(
                        "DescribeInstances",
                        "ec2",
                        assumed_role(),
                        region="us-west-2",
                        error=("Client.RequestLimitExceeded", "Request limit exceeded."),
                    ),
                ),
                _s(
                    "missing bucket (not an authorization failure)",
                    record(
                        "GetBucketPolicy",
                        "s3",
                        iam_user(),
                        region="eu-west-1",
                        error=("NoSuchBucketPolicy", "The bucket policy does not exist"),
                        agent=s3_agent,
                    ),
                ),
            ],
        ),
        "TW102": (
            [
                _s(
                    f"console sign-in without MFA by IAM user {u}",
                    console_login(iam_user(u), region=r),
                )
                for u, r in (
                    ("alice", "us-east-1"),
                    ("bob", "eu-west-1"),
                    ("carol", "ap-southeast-2"),
                )
            ],
            [
                _s("console sign-in with MFA", console_login(iam_user(), mfa="Yes")),
                _s(
                    "console sign-in with MFA in another region",
                    console_login(iam_user("bob"), mfa="Yes", region="eu-west-1"),
                ),
                _s(
                    "API call (not a console sign-in)",
                    record("GetCallerIdentity", "sts", iam_user(), response={}),
                ),
            ],
        ),
        "TW103": (
            [
                _s("root console sign-in", console_login(root(), mfa="Yes")),
                _s(
                    "root creates an access key",
                    record(
                        "CreateAccessKey",
                        "iam",
                        root(),
                        request={},
                        response={"accessKey": {"status": "Active"}},
                    ),
                ),
                _s(
                    "root API call in eu-west-1",
                    record("DescribeInstances", "ec2", root(), region="eu-west-1"),
                ),
                _s(
                    "root changes a bucket policy in ap-southeast-2",
                    record(
                        "PutBucketPolicy",
                        "s3",
                        root(),
                        region="ap-southeast-2",
                        request=_request("PutBucketPolicy"),
                        agent=s3_agent,
                    ),
                ),
                _s(
                    "root call denied",
                    record("ListUsers", "iam", root(), error=("AccessDenied", "denied by SCP")),
                ),
            ],
            [
                _s(
                    "root event invoked by an AWS service (invokedBy set)",
                    record(
                        "DescribeTrustedAdvisorChecks",
                        "support",
                        root(invokedBy="support.amazonaws.com"),
                        source_ip="support.amazonaws.com",
                        agent="support.amazonaws.com",
                    ),
                ),
                _s(
                    "AwsServiceEvent attributed to the root account",
                    record(
                        "SharedSnapshotCopyInitiated",
                        "ec2",
                        {"type": "Root", "accountId": ACCOUNT},
                        region="eu-west-1",
                        event_type="AwsServiceEvent",
                        source_ip="ec2.amazonaws.com",
                        agent="ec2.amazonaws.com",
                    ),
                ),
                _s("IAM user API call", record("DescribeInstances", "ec2", iam_user())),
            ],
        ),
    }
    # Classes defined by event names: every name is a positive; reads are negatives.
    named: dict[str, tuple[str, bool, list[Json]]] = {
        "TW104": (
            "iam",
            False,
            _reads(
                "iam",
                "GetPolicy",
                "GetRolePolicy",
                "ListAttachedRolePolicies",
                "SimulatePrincipalPolicy",
            ),
        ),
        "TW105": (
            "cloudtrail",
            True,
            _reads(
                "cloudtrail",
                "DescribeTrails",
                "GetTrailStatus",
                "GetEventSelectors",
                "LookupEvents",
            ),
        ),
        "TW107": (
            "kms",
            True,
            _reads("kms", "DescribeKey", "ListKeys")
            + [
                _s("re-enabling a key", record("EnableKey", "kms", iam_user(), region="eu-west-1")),
                _s(
                    "cancelling a scheduled deletion",
                    record("CancelKeyDeletion", "kms", iam_user(), region="us-west-2"),
                ),
            ],
        ),
        "TW108": (
            "s3",
            True,
            _reads("s3", "GetBucketPolicy", "GetBucketAcl", "ListBuckets", "GetBucketLifecycle"),
        ),
        "TW109": (
            "config",
            True,
            _reads(
                "config",
                "DescribeConfigurationRecorders",
                "DescribeDeliveryChannels",
                "DescribeConfigurationRecorderStatus",
            ),
        ),
        "TW110": (
            "ec2",
            True,
            _reads("ec2", "DescribeSecurityGroups", "DescribeSecurityGroupRules"),
        ),
        "TW111": ("ec2", True, _reads("ec2", "DescribeNetworkAcls")),
        "TW112": (
            "ec2",
            True,
            _reads("ec2", "DescribeInternetGateways", "DescribeCustomerGateways"),
        ),
        "TW113": (
            "ec2",
            True,
            _reads("ec2", "DescribeRouteTables")
            + [
                _s(
                    "API Gateway's CreateRoute (not a VPC route)",
                    record(
                        "CreateRoute",
                        "apigateway",
                        iam_user(),
                        region="eu-west-1",
                        request={"apiId": "a1b2c3d4e5", "routeKey": "GET /items"},
                    ),
                ),
                _s(
                    "API Gateway's DeleteRoute",
                    record(
                        "DeleteRoute",
                        "apigateway",
                        assumed_role(),
                        region="us-west-2",
                        request={"apiId": "a1b2c3d4e5", "routeId": "r1s2t3"},
                    ),
                ),
            ],
        ),
        "TW114": (
            "ec2",
            True,
            _reads("ec2", "DescribeVpcs", "DescribeVpcAttribute", "DescribeVpcPeeringConnections"),
        ),
        "TW115": (
            "organizations",
            False,
            _reads("organizations", "DescribeOrganization", "ListAccounts")
            + [
                _s(
                    "IAM's CreatePolicy (not Organizations)",
                    record("CreatePolicy", "iam", iam_user(), request={"policyName": "app"}),
                )
            ],
        ),
    }
    for class_id, (service, regional, negatives) in named.items():
        out[class_id] = (_each(by_id[class_id].event_names, service, regional=regional), negatives)
    out["TW106"] = (
        [
            _s("failed console sign-in by an IAM user", console_login(iam_user(), ok=False)),
            _s(
                "failed console sign-in by the root user",
                console_login(root(), ok=False, region="eu-west-1"),
            ),
            _s(
                "failed console sign-in, user name hidden by AWS",
                console_login(
                    {
                        "type": "IAMUser",
                        "principalId": "",
                        "accountId": ACCOUNT,
                        "accessKeyId": "",
                        "userName": "HIDDEN_DUE_TO_SECURITY_REASONS",
                    },
                    ok=False,
                    region="ap-southeast-2",
                ),
            ),
        ],
        [
            _s("successful console sign-in", console_login(iam_user(), mfa="Yes")),
            _s(
                "successful console sign-in without MFA",
                console_login(iam_user("bob"), region="eu-west-1"),
            ),
        ],
    )
    return dict(sorted(out.items()))


def write(directory: Path) -> list[Path]:
    written = []
    for class_id, (positives, negatives) in samples().items():
        path = directory / f"{class_id}.json"
        body = {"id": class_id, "positives": positives, "negatives": negatives}
        path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in write(Path(__file__).parent / "corpus"):
        print(p)
