# Data module: the samples of the CIS monitoring corpus, each with why it is there.
"""The positives and negatives of each event class, TW101–TW115.

Positives are records the class's filter must match: every event name any CIS version
names, from several regions, principals and identity types. Negatives are records CIS
means to leave out (a console sign-in with MFA, a service-invoked root event, read-only
calls). The order of the calls below numbers the records: keep it, or the corpus changes.
"""

from __future__ import annotations

from trailwarden.monitoring.catalog import CLASSES
from trailwarden.monitoring.corpus_gen.records import (
    ACCOUNT,
    Json,
    assumed_role,
    console_login,
    each,
    federated,
    iam_user,
    reads,
    record,
    request_for,
    root,
    sample,
)

__all__ = ["samples"]


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
                sample(
                    "EC2 call denied (Client.UnauthorizedOperation)",
                    record(
                        "RunInstances",
                        "ec2",
                        iam_user(),
                        region="us-east-1",
                        error=("Client.UnauthorizedOperation", ec2_denied),
                    ),
                ),
                sample(
                    "EC2 call denied (UnauthorizedOperation)",
                    record(
                        "CreateVpc",
                        "ec2",
                        federated(),
                        region="sa-east-1",
                        error=("UnauthorizedOperation", ec2_denied),
                    ),
                ),
                sample(
                    "EC2 call denied to an assumed role",
                    record(
                        "TerminateInstances",
                        "ec2",
                        assumed_role(),
                        region="ap-southeast-2",
                        error=("Client.UnauthorizedOperation", ec2_denied),
                    ),
                ),
                sample(
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
                sample(
                    "IAM call denied (AccessDenied)",
                    record("ListUsers", "iam", federated(), error=("AccessDenied", denied)),
                ),
                sample(
                    "KMS call denied (AccessDeniedException)",
                    record(
                        "CreateKey",
                        "kms",
                        iam_user("bob"),
                        region="us-west-2",
                        error=("AccessDeniedException", denied),
                    ),
                ),
                sample(
                    "Lambda call denied (AccessDeniedException)",
                    record(
                        "ListFunctions20150331",
                        "lambda",
                        iam_user(),
                        region="eu-west-1",
                        error=("AccessDeniedException", denied),
                    ),
                ),
                sample(
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
                sample(
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
                sample(
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
                sample(
                    "successful call",
                    record(
                        "DescribeInstances", "ec2", iam_user(), region="us-east-1", response=None
                    ),
                ),
                sample(
                    "throttled call (not an authorization failure)",
                    record(
                        "DescribeInstances",
                        "ec2",
                        assumed_role(),
                        region="us-west-2",
                        error=("Client.RequestLimitExceeded", "Request limit exceeded."),
                    ),
                ),
                sample(
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
                sample(
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
                sample("console sign-in with MFA", console_login(iam_user(), mfa="Yes")),
                sample(
                    "console sign-in with MFA in another region",
                    console_login(iam_user("bob"), mfa="Yes", region="eu-west-1"),
                ),
                sample(
                    "API call (not a console sign-in)",
                    record("GetCallerIdentity", "sts", iam_user(), response={}),
                ),
            ],
        ),
        "TW103": (
            [
                sample("root console sign-in", console_login(root(), mfa="Yes")),
                sample(
                    "root creates an access key",
                    record(
                        "CreateAccessKey",
                        "iam",
                        root(),
                        request={},
                        response={"accessKey": {"status": "Active"}},
                    ),
                ),
                sample(
                    "root API call in eu-west-1",
                    record("DescribeInstances", "ec2", root(), region="eu-west-1"),
                ),
                sample(
                    "root changes a bucket policy in ap-southeast-2",
                    record(
                        "PutBucketPolicy",
                        "s3",
                        root(),
                        region="ap-southeast-2",
                        request=request_for("PutBucketPolicy"),
                        agent=s3_agent,
                    ),
                ),
                sample(
                    "root call denied",
                    record("ListUsers", "iam", root(), error=("AccessDenied", "denied by SCP")),
                ),
            ],
            [
                sample(
                    "root event invoked by an AWS service (invokedBy set)",
                    record(
                        "DescribeTrustedAdvisorChecks",
                        "support",
                        root(invokedBy="support.amazonaws.com"),
                        source_ip="support.amazonaws.com",
                        agent="support.amazonaws.com",
                    ),
                ),
                sample(
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
                sample("IAM user API call", record("DescribeInstances", "ec2", iam_user())),
            ],
        ),
    }
    # Classes defined by event names: every name is a positive; reads are negatives.
    named: dict[str, tuple[str, bool, list[Json]]] = {
        "TW104": (
            "iam",
            False,
            reads(
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
            reads(
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
            reads("kms", "DescribeKey", "ListKeys")
            + [
                sample(
                    "re-enabling a key", record("EnableKey", "kms", iam_user(), region="eu-west-1")
                ),
                sample(
                    "cancelling a scheduled deletion",
                    record("CancelKeyDeletion", "kms", iam_user(), region="us-west-2"),
                ),
            ],
        ),
        "TW108": (
            "s3",
            True,
            reads("s3", "GetBucketPolicy", "GetBucketAcl", "ListBuckets", "GetBucketLifecycle"),
        ),
        "TW109": (
            "config",
            True,
            reads(
                "config",
                "DescribeConfigurationRecorders",
                "DescribeDeliveryChannels",
                "DescribeConfigurationRecorderStatus",
            ),
        ),
        "TW110": (
            "ec2",
            True,
            reads("ec2", "DescribeSecurityGroups", "DescribeSecurityGroupRules"),
        ),
        "TW111": ("ec2", True, reads("ec2", "DescribeNetworkAcls")),
        "TW112": (
            "ec2",
            True,
            reads("ec2", "DescribeInternetGateways", "DescribeCustomerGateways"),
        ),
        "TW113": (
            "ec2",
            True,
            reads("ec2", "DescribeRouteTables")
            + [
                sample(
                    "API Gateway's CreateRoute (not a VPC route)",
                    record(
                        "CreateRoute",
                        "apigateway",
                        iam_user(),
                        region="eu-west-1",
                        request={"apiId": "a1b2c3d4e5", "routeKey": "GET /items"},
                    ),
                ),
                sample(
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
            reads("ec2", "DescribeVpcs", "DescribeVpcAttribute", "DescribeVpcPeeringConnections"),
        ),
        "TW115": (
            "organizations",
            False,
            reads("organizations", "DescribeOrganization", "ListAccounts")
            + [
                sample(
                    "IAM's CreatePolicy (not Organizations)",
                    record("CreatePolicy", "iam", iam_user(), request={"policyName": "app"}),
                )
            ],
        ),
    }
    for class_id, (service, regional, negatives) in named.items():
        out[class_id] = (each(by_id[class_id].event_names, service, regional=regional), negatives)
    out["TW106"] = (
        [
            sample("failed console sign-in by an IAM user", console_login(iam_user(), ok=False)),
            sample(
                "failed console sign-in by the root user",
                console_login(root(), ok=False, region="eu-west-1"),
            ),
            sample(
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
            sample("successful console sign-in", console_login(iam_user(), mfa="Yes")),
            sample(
                "successful console sign-in without MFA",
                console_login(iam_user("bob"), region="eu-west-1"),
            ),
        ],
    )
    return dict(sorted(out.items()))
