"""CloudTrail records for the corpus: principals, API calls, console sign-ins.

Deterministic: a record's time and ids derive from its number (UUID5s of its content), and
numbering starts again at 0 for every corpus (:func:`restart_numbering`), so the same
samples give the same bytes. Record shape: "CloudTrail record contents"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import count, cycle
from typing import Any

__all__ = [
    "ACCOUNT",
    "REGIONS",
    "Json",
    "assumed_role",
    "console_login",
    "each",
    "federated",
    "iam_user",
    "reads",
    "record",
    "request_for",
    "restart_numbering",
    "root",
    "sample",
]

ACCOUNT = "111122223333"
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "sa-east-1")
_T0 = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
_SEQ = count()  # the number of the next record
_CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 prompt/off"
_BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0"
Json = dict[str, Any]


def iam_user(name: str = "alice") -> Json:
    """The ``userIdentity`` of an IAM user."""
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
    """The ``userIdentity`` of an assumed role session (IAM Identity Center by default)."""
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
    """The ``userIdentity`` of a federated user (GetFederationToken)."""
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
    """The ``userIdentity`` of the root user; ``extra`` adds fields (``invokedBy``)."""
    return {
        "type": "Root",
        "principalId": ACCOUNT,
        "arn": f"arn:aws:iam::{ACCOUNT}:root",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEROOTKEY01",
        **extra,
    }


def restart_numbering() -> None:
    """Number the next record 0, as the first record of a corpus is."""
    global _SEQ
    _SEQ = count()


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
    """A ``ConsoleLogin`` sign-in event, successful or failed, with or without MFA."""
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


def request_for(name: str) -> Json:
    """Plausible request parameters for an API call named ``name``."""
    return _REQUEST.get(name, {"resourceId": f"example-{name[:12].lower()}"})


def each(names: tuple[str, ...], service: str, *, regional: bool = True) -> list[Json]:
    """One positive per event name, rotating principals (and regions for regional services)."""
    who, where = cycle(PRINCIPALS), cycle(REGIONS)
    out = []
    for i, name in enumerate(names):
        principal = root() if i == 2 else next(who)()  # the root user does it once
        region = next(where) if regional else "us-east-1"
        out.append(
            sample(
                f"{name} by a {principal['type']}",
                record(
                    name, service, principal, region=region, request=request_for(name), response={}
                ),
            )
        )
    return out


def sample(note: str, rec: Json) -> Json:
    """A corpus entry: the record, and why it is there."""
    return {"note": note, "record": rec}


def reads(service: str, *names: str) -> list[Json]:
    """One read-only call per name (negatives: reads change nothing)."""
    return [
        sample(
            f"read-only {n}",
            record(n, service, assumed_role(), region=REGIONS[i % 5], request={}, response=None),
        )
        for i, n in enumerate(names)
    ]
