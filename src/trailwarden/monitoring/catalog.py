"""The 15 CIS event classes: what each must catch, and the pattern that catches it.

CIS numbering: v1.2 3.1–3.14 (no Organizations control), v1.3–v5.0 4.1–4.15, v6.0 5.1–5.15.
The patterns are CIS v2.0's, parenthesised so that the documented precedence
(``()`` > ``&&`` > ``||``) gives what CIS intends: its 4.1 text ``A || B && C && D`` means
``A || (B && C && D)``. https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CLASSES", "CLASSES_BY_ID", "NAMESPACE", "EventClass"]

NAMESPACE = "CISBenchmark"  # the namespace of CIS's remediation examples


@dataclass(frozen=True)
class EventClass:
    """One CIS monitoring control: a class of CloudTrail events that must raise an alarm."""

    id: str  # "TW101"
    title: str  # "unauthorized API calls"
    cis: tuple[tuple[str, str], ...]  # (versions, control number), oldest first
    event_names: tuple[str, ...]  # the union over CIS versions; () = any event name
    pattern: str  # corrected CIS v2.0 pattern
    metric_name: str  # CIS's suggested metric name
    namespace: str = NAMESPACE

    @property
    def cis_refs(self) -> str:
        return ", ".join(f"{versions} {number}" for versions, number in self.cis)

    @property
    def event_names_text(self) -> str:
        return ", ".join(self.event_names) if self.event_names else "see the corpus"


def _any_name(names: tuple[str, ...]) -> str:
    return " || ".join(f"($.eventName = {n})" for n in names)


def _names(names: tuple[str, ...], source: str | None = None) -> str:
    if source is None:
        return "{ " + _any_name(names) + " }"
    return f"{{ ($.eventSource = {source}) && ({_any_name(names)}) }}"


def _cis(n: int) -> tuple[tuple[str, str], ...]:
    v12 = (("CIS v1.2", f"3.{n}"),) if n <= 14 else ()
    return (*v12, ("CIS v1.3–v5.0", f"4.{n}"), ("CIS v6.0", f"5.{n}"))


_IAM = (
    "DeleteGroupPolicy",
    "DeleteRolePolicy",
    "DeleteUserPolicy",
    "PutGroupPolicy",
    "PutRolePolicy",
    "PutUserPolicy",
    "CreatePolicy",
    "DeletePolicy",
    "CreatePolicyVersion",
    "DeletePolicyVersion",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "AttachGroupPolicy",
    "DetachGroupPolicy",
)
_TRAIL = ("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")
_KMS = ("DisableKey", "ScheduleKeyDeletion")
_S3 = (
    "PutBucketAcl",
    "PutBucketPolicy",
    "PutBucketCors",
    "PutBucketLifecycle",
    "PutBucketReplication",
    "DeleteBucketPolicy",
    "DeleteBucketCors",
    "DeleteBucketLifecycle",
    "DeleteBucketReplication",
)
_CONFIG = (
    "StopConfigurationRecorder",
    "DeleteDeliveryChannel",
    "PutDeliveryChannel",
    "PutConfigurationRecorder",
)
# ModifySecurityGroupRules: added to 4.10 in CIS v4.0.
_SG = (
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    "ModifySecurityGroupRules",
)
_NACL = (
    "CreateNetworkAcl",
    "CreateNetworkAclEntry",
    "DeleteNetworkAcl",
    "DeleteNetworkAclEntry",
    "ReplaceNetworkAclEntry",
    "ReplaceNetworkAclAssociation",
)
_GATEWAY = (
    "CreateCustomerGateway",
    "DeleteCustomerGateway",
    "AttachInternetGateway",
    "CreateInternetGateway",
    "DeleteInternetGateway",
    "DetachInternetGateway",
)
_ROUTE = (
    "CreateRoute",
    "CreateRouteTable",
    "ReplaceRoute",
    "ReplaceRouteTableAssociation",
    "DeleteRouteTable",
    "DeleteRoute",
    "DisassociateRouteTable",
)
_VPC = (
    "CreateVpc",
    "DeleteVpc",
    "ModifyVpcAttribute",
    "AcceptVpcPeeringConnection",
    "CreateVpcPeeringConnection",
    "DeleteVpcPeeringConnection",
    "RejectVpcPeeringConnection",
    "AttachClassicLinkVpc",
    "DetachClassicLinkVpc",
    "DisableVpcClassicLink",
    "EnableVpcClassicLink",
)
_ORG = (
    "AcceptHandshake",
    "AttachPolicy",
    "CreateAccount",
    "CreateOrganizationalUnit",
    "CreatePolicy",
    "DeclineHandshake",
    "DeleteOrganization",
    "DeleteOrganizationalUnit",
    "DeletePolicy",
    "DetachPolicy",
    "DisablePolicyType",
    "EnablePolicyType",
    "InviteAccountToOrganization",
    "LeaveOrganization",
    "MoveAccount",
    "RemoveAccountFromOrganization",
    "UpdatePolicy",
    "UpdateOrganizationalUnit",
)


def _class(
    n: int, title: str, metric: str, pattern: str, names: tuple[str, ...] = ()
) -> EventClass:
    return EventClass(f"TW{100 + n}", title, _cis(n), names, pattern, metric)


CLASSES: tuple[EventClass, ...] = (
    _class(
        1,
        "unauthorized API calls",
        "unauthorized_api_calls_metric",
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
        '($.sourceIPAddress != "delivery.logs.amazonaws.com") && '
        '($.eventName != "HeadBucket") }',
    ),
    _class(
        2,
        "management console sign-in without MFA",
        "no_mfa_console_signin_metric",
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
        ("ConsoleLogin",),
    ),
    _class(
        3,
        "usage of the root account",
        "root_usage_metric",
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
        '$.eventType != "AwsServiceEvent" }',
    ),
    _class(4, "IAM policy changes", "iam_changes_metric", _names(_IAM), _IAM),
    _class(
        5,
        "CloudTrail configuration changes",
        "cloudtrail_cfg_changes_metric",
        _names(_TRAIL),
        _TRAIL,
    ),
    _class(
        6,
        "management console authentication failures",
        "console_signin_failure_metric",
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
        ("ConsoleLogin",),
    ),
    _class(
        7,
        "disabling or scheduled deletion of customer-managed KMS keys",
        "disable_or_delete_cmk_changes_metric",
        _names(_KMS, "kms.amazonaws.com"),
        _KMS,
    ),
    _class(
        8,
        "S3 bucket policy changes",
        "s3_bucket_policy_changes_metric",
        _names(_S3, "s3.amazonaws.com"),
        _S3,
    ),
    _class(
        9,
        "AWS Config configuration changes",
        "aws_config_changes_metric",
        _names(_CONFIG, "config.amazonaws.com"),
        _CONFIG,
    ),
    _class(10, "security group changes", "security_group_changes_metric", _names(_SG), _SG),
    _class(11, "network ACL changes", "nacl_changes_metric", _names(_NACL), _NACL),
    _class(
        12,
        "changes to network gateways",
        "network_gw_changes_metric",
        _names(_GATEWAY),
        _GATEWAY,
    ),
    _class(
        13,
        "route table changes",
        "route_table_changes_metric",
        _names(_ROUTE, "ec2.amazonaws.com"),
        _ROUTE,
    ),
    _class(14, "VPC changes", "vpc_changes_metric", _names(_VPC), _VPC),
    _class(
        15,
        "AWS Organizations changes",
        "organizations_changes_metric",
        _names(_ORG, "organizations.amazonaws.com"),
        _ORG,
    ),
)

CLASSES_BY_ID: dict[str, EventClass] = {c.id: c for c in CLASSES}
