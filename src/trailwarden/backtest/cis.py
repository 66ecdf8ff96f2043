"""The 15 CIS monitoring filter patterns (CIS v2.0 4.1–4.15) the backtest runs by default.

They come from :mod:`trailwarden.monitoring.catalog` (the TW101–TW115 checks) when that
module is present, so the backtest and the checks judge the same text; until then from
the fallback below: the CIS v2.0 texts with 4.1 parenthesised as CIS means it (its text
``A || B && C && D`` reads as ``A || (B && C && D)`` under the documented precedence
``()`` > ``&&`` > ``||``) and 4.10 with ``ModifySecurityGroupRules`` (added in CIS v4.0).
"""

from __future__ import annotations

__all__ = ["FALLBACK_CIS_PATTERNS", "cis_patterns"]


def _names(names: str, quoted: bool = False) -> str:
    q = '"' if quoted else ""
    return " || ".join(f"($.eventName = {q}{name}{q})" for name in names.split())


def _source_and(source: str, names: str, quoted: bool = False) -> str:
    return f"{{ ($.eventSource = {source}) && ({_names(names, quoted)}) }}"


FALLBACK_CIS_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "CIS 4.1 unauthorized API calls",
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*"))'
        ' && ($.sourceIPAddress != "delivery.logs.amazonaws.com")'
        ' && ($.eventName != "HeadBucket") }',
    ),
    (
        "CIS 4.2 console sign-in without MFA",
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    ),
    (
        "CIS 4.3 root account usage",
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS'
        ' && $.eventType != "AwsServiceEvent" }',
    ),
    (
        "CIS 4.4 IAM policy changes",
        "{ "
        + _names(
            "DeleteGroupPolicy DeleteRolePolicy DeleteUserPolicy PutGroupPolicy PutRolePolicy"
            " PutUserPolicy CreatePolicy DeletePolicy CreatePolicyVersion DeletePolicyVersion"
            " AttachRolePolicy DetachRolePolicy AttachUserPolicy DetachUserPolicy"
            " AttachGroupPolicy DetachGroupPolicy"
        )
        + " }",
    ),
    (
        "CIS 4.5 CloudTrail configuration changes",
        "{ " + _names("CreateTrail UpdateTrail DeleteTrail StartLogging StopLogging") + " }",
    ),
    (
        "CIS 4.6 console authentication failures",
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    ),
    (
        "CIS 4.7 disabling or deletion of CMKs",
        "{ ($.eventSource = kms.amazonaws.com) && "
        "(($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    ),
    (
        "CIS 4.8 S3 bucket policy changes",
        _source_and(
            "s3.amazonaws.com",
            "PutBucketAcl PutBucketPolicy PutBucketCors PutBucketLifecycle PutBucketReplication"
            " DeleteBucketPolicy DeleteBucketCors DeleteBucketLifecycle DeleteBucketReplication",
        ),
    ),
    (
        "CIS 4.9 AWS Config changes",
        _source_and(
            "config.amazonaws.com",
            "StopConfigurationRecorder DeleteDeliveryChannel PutDeliveryChannel"
            " PutConfigurationRecorder",
        ),
    ),
    (
        "CIS 4.10 security group changes",
        "{ "
        + _names(
            "AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress"
            " RevokeSecurityGroupEgress CreateSecurityGroup DeleteSecurityGroup"
            " ModifySecurityGroupRules"
        )
        + " }",
    ),
    (
        "CIS 4.11 NACL changes",
        "{ "
        + _names(
            "CreateNetworkAcl CreateNetworkAclEntry DeleteNetworkAcl DeleteNetworkAclEntry"
            " ReplaceNetworkAclEntry ReplaceNetworkAclAssociation"
        )
        + " }",
    ),
    (
        "CIS 4.12 network gateway changes",
        "{ "
        + _names(
            "CreateCustomerGateway DeleteCustomerGateway AttachInternetGateway"
            " CreateInternetGateway DeleteInternetGateway DetachInternetGateway"
        )
        + " }",
    ),
    (
        "CIS 4.13 route table changes",
        _source_and(
            "ec2.amazonaws.com",
            "CreateRoute CreateRouteTable ReplaceRoute ReplaceRouteTableAssociation"
            " DeleteRouteTable DeleteRoute DisassociateRouteTable",
        ),
    ),
    (
        "CIS 4.14 VPC changes",
        "{ "
        + _names(
            "CreateVpc DeleteVpc ModifyVpcAttribute AcceptVpcPeeringConnection"
            " CreateVpcPeeringConnection DeleteVpcPeeringConnection RejectVpcPeeringConnection"
            " AttachClassicLinkVpc DetachClassicLinkVpc DisableVpcClassicLink"
            " EnableVpcClassicLink"
        )
        + " }",
    ),
    (
        "CIS 4.15 AWS Organizations changes",
        _source_and(
            "organizations.amazonaws.com",
            "AcceptHandshake AttachPolicy CreateAccount CreateOrganizationalUnit CreatePolicy"
            " DeclineHandshake DeleteOrganization DeleteOrganizationalUnit DeletePolicy"
            " DetachPolicy DisablePolicyType EnablePolicyType InviteAccountToOrganization"
            " LeaveOrganization MoveAccount RemoveAccountFromOrganization UpdatePolicy"
            " UpdateOrganizationalUnit",
            quoted=True,
        ),
    ),
)


def _from_catalog() -> list[tuple[str, str]] | None:
    """(id and title, pattern) of each TW101–TW115 class, when the catalog is installed."""
    try:
        from trailwarden.monitoring.catalog import CLASSES
    except ImportError:  # pragma: no cover - the catalog ships with trailwarden
        return None
    return [(f"{c.id} {c.title}", c.pattern) for c in CLASSES]


def cis_patterns() -> list[tuple[str, str]]:
    """The 15 CIS monitoring filters as (id and name, pattern text), in CIS order."""
    return _from_catalog() or list(FALLBACK_CIS_PATTERNS)
