"""TW003: may CloudTrail assume the delivery role, and may the role write the trail's streams?"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, assert_never

from trailwarden.arns import LogGroupRef, parse_arn, parse_log_group_arn, parse_role_arn
from trailwarden.checks.code_facts import from_code, literal_accounts, unresolved_values
from trailwarden.checks.iam_policy import (
    Decision,
    Evaluation,
    Request,
    allowed_principals,
    evaluate,
    evaluate_identity,
)
from trailwarden.checks.trail import (
    Outcome,
    TrailContext,
    api_error,
    needs_integration,
    other_account,
    unreadable,
    unverifiable,
)
from trailwarden.findings import Status
from trailwarden.inventory import ApiError, Role, Trail, Unknown

__all__ = [
    "CLOUDTRAIL",
    "LOG_ACTIONS",
    "RoleVerdict",
    "assess_role",
    "check_delivery_role",
    "sample_streams",
]

CLOUDTRAIL = "cloudtrail.amazonaws.com"
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
# AWS: "The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount", so
# they are absent from the context of CloudTrail's calls to CloudWatch Logs.
# https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
_LOGS_CONTEXT: dict[str, str | None] = {"aws:SourceArn": None, "aws:SourceAccount": None}
# Any member account will do to name an organization trail's member stream.
SAMPLE_MEMBER_ACCOUNT = "111122223333"
_EXPLAIN = "template: trailwarden explain TW003"
_TRUSTS_CLOUDTRAIL = {
    "Statement": {
        "Effect": "Allow",
        "Principal": {"Service": CLOUDTRAIL},
        "Action": "sts:AssumeRole",
    }
}


@dataclass(frozen=True)
class RoleVerdict:
    passed: bool
    message: str
    remediation: str
    evidence: dict[str, Any]


def check_delivery_role(ctx: TrailContext) -> Outcome:
    """TW003 for one trail."""
    got = needs_integration(ctx)
    if isinstance(got, Outcome):
        return got
    t, (lg, role_arn) = ctx.trail, got
    ev: dict[str, Any] = {"role_arn": role_arn}
    if isinstance(role_arn, Unknown):
        return unverifiable(role_arn.reason)
    parsed = parse_role_arn(role_arn)
    if parsed is None:
        fix = ctx.update_trail(lg, None)
        return Outcome(
            Status.FAIL, f"CloudWatchLogsRoleArn {role_arn} is not a valid IAM role ARN.", fix, ev
        )
    _, account, name = parsed
    if account != t.account_id:
        if unknown := other_account(ctx, f"Role ARN {role_arn}", account):
            return unknown
        return Outcome(
            Status.FAIL,
            f"Role {name} is in account {account}, but trail {t.name} belongs to account "
            f"{t.account_id}: CloudTrail can only use a role of the trail's account.",
            ctx.update_trail(lg, None),
            ev,
        )
    role = ctx.inventory.role(role_arn)
    incomplete = role.error if role is not None and role.exists and from_code(role.error) else None
    if incomplete is not None and role is not None:  # defined in the code, some policies not
        role = replace(role, error=None)
    if (problem := unreadable(ctx, role, f"role {role_arn}")) or role is None:
        return problem or api_error(None, "the role")
    if not role.exists:
        return Outcome(
            Status.FAIL,
            f"Role {name} does not exist in account {account}.",
            f"Create role {name} (trailwarden explain TW003 has the policies), or "
            f"{ctx.update_trail(lg, None)}",
            ev,
        )
    if role.trust_policy is None:
        return api_error(incomplete, f"the trust policy of role {name}")
    ref = parse_log_group_arn(lg)
    if ref is None:  # no streams to test the permissions against; TW002 fails
        return Outcome(Status.NOT_APPLICABLE, "Not applicable: invalid log group ARN (TW002).")
    verdict = assess_role(t, role, ref, ctx.inventory.organization_id)
    if ctx.from_code and (guess := _guessed(ctx, role, ref, verdict, incomplete)):
        return unverifiable(guess)
    status = Status.PASS if verdict.passed else Status.FAIL
    return Outcome(status, verdict.message, verdict.remediation, verdict.evidence)


def _guessed(
    ctx: TrailContext,
    role: Role,
    ref: LogGroupRef,
    verdict: RoleVerdict,
    incomplete: ApiError | None,
) -> str | None:
    """On code: why ``verdict`` would rest on a guess (None when it does not). A trust
    policy that fails on known values is a FAIL whatever else is unknown."""
    untrusted = verdict.evidence["trust"]["decision"] != "ALLOW"
    policies = [p.document for p in role.policies] + (
        [role.permissions_boundary.document] if role.permissions_boundary else []
    )
    documents = [role.trust_policy] if untrusted else policies
    if incomplete is not None and not untrusted:
        return incomplete.message  # an unseen policy may allow, deny or bound it
    if verdict.passed:
        return None
    if unknown := unresolved_values(*documents):
        return f"role {role.name}'s policies use values the code does not give ({unknown[0]})"
    group = ctx.inventory.log_group(ref.key)
    if not untrusted and group is not None and isinstance(group.name, Unknown):
        return f"role {role.name}'s permissions depend on the log group's name: {group.name.reason}"
    trail = ctx.trail
    for account in literal_accounts(*documents) if isinstance(trail.account_id, Unknown) else ():
        arn = parse_arn(trail.arn)
        there = replace(
            trail,
            account_id=account,
            arn=f"arn:{arn.partition}:cloudtrail:{arn.region}:{account}:{arn.resource}"
            if arn
            else trail.arn,
        )
        # Only the part that failed is judged again (the other may name the unknown account).
        judged = role if untrusted else replace(role, trust_policy=_TRUSTS_CLOUDTRAIL)
        org = ctx.inventory.organization_id
        other = assess_role(there, judged, replace(ref, account_id=account), org)
        if other.passed or (untrusted and other.evidence["trust"]["decision"] == "ALLOW"):
            return (
                f"role {role.name} allows it if the code deploys to account {account}, which its "
                "policies name, and the code does not say which account it deploys to"
            )
    return None


def sample_streams(trail: Trail, organization_id: str | None) -> tuple[str, ...]:
    """Stream names CloudTrail writes for this trail, to test the role's policies against.

    Streams are ``ACCOUNT_CloudTrail_TRAILREGION`` (the trail's home region, also for
    multi-region trails, which is why AWS's default policy names only that prefix), with
    ``_NUMBER`` appended when volume is high; organization trails write member accounts'
    events to ``o-ORGID_MEMBER_CloudTrail_TRAILREGION``.
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-log-group-log-stream-naming-for-cloudtrail.html
    """
    own = f"{trail.account_id}_CloudTrail_{trail.home_region}"
    names = [own, f"{own}_2"]
    if trail.config is not None and trail.config.is_organization_trail and organization_id:
        names.append(f"{organization_id}_{SAMPLE_MEMBER_ACCOUNT}_CloudTrail_{trail.home_region}")
    return tuple(names)


def assess_role(
    trail: Trail, role: Role, log_group: LogGroupRef, organization_id: str | None
) -> RoleVerdict:
    """Trust first (nothing else matters if CloudTrail cannot assume the role), then each
    logs action on each sample stream; the first gap is the verdict."""
    trust = evaluate(
        [("the trust policy", role.trust_policy)],
        Request(
            "sts:AssumeRole",
            role.arn,
            principal_service=CLOUDTRAIL,
            context={"aws:SourceArn": trail.arn, "aws:SourceAccount": trail.account_id},
        ),
    )
    evidence: dict[str, Any] = {
        "role_arn": role.arn,
        "log_group_arn": log_group.key,
        "trust": _facts(trust),
    }
    if not trust.allowed:
        return RoleVerdict(
            False,
            f"Role {role.name} cannot be assumed by {CLOUDTRAIL} for trail {trail.name}: "
            f"{_why_untrusted(trust, role)}.",
            f"Give role {role.name} a trust policy that allows Service {CLOUDTRAIL} to call "
            f"sts:AssumeRole, with any aws:SourceArn condition admitting {trail.arn}: "
            f"aws iam update-assume-role-policy --role-name {role.name} "
            f"--policy-document file://trust.json ({_EXPLAIN}).",
            evidence,
        )
    identity = [
        (f"{p.kind} policy {p.name}", p.document) for p in role.policies if p.kind != "boundary"
    ]
    boundary_doc = role.permissions_boundary or next(
        (p for p in role.policies if p.kind == "boundary"), None
    )
    boundary = (
        (f"permissions boundary {boundary_doc.name}", boundary_doc.document)
        if boundary_doc
        else None
    )
    checked: list[dict[str, Any]] = []
    evidence["permissions"] = checked
    if trail.config and trail.config.is_organization_trail and not organization_id:
        evidence["note"] = "organization id unknown: member-account streams not checked"
    for stream in sample_streams(trail, organization_id):
        resource = log_group.stream_arn(stream)
        for action in LOG_ACTIONS:
            result = evaluate_identity(
                identity, boundary, Request(action, resource, context=_LOGS_CONTEXT)
            )
            checked.append({"action": action, "resource": resource, **_facts(result)})
            if not result.allowed:
                return RoleVerdict(
                    False,
                    f"Role {role.name} may not {action} on {resource}: {result.explain()}.",
                    _permission_fix(result, role, log_group, stream, trail),
                    evidence,
                )
    return RoleVerdict(
        True,
        f"Role {role.name} trusts {CLOUDTRAIL} for this trail and allows "
        f"{' and '.join(LOG_ACTIONS)} on the trail's streams in log group {log_group.name}.",
        "",
        evidence,
    )


def _facts(result: Evaluation) -> dict[str, Any]:
    return {
        "decision": result.decision.value,
        "statements": [s.as_json() for s in result.statements],
        "explanation": result.explain(),
    }


def _why_untrusted(trust: Evaluation, role: Role) -> str:
    if trust.decision is not Decision.IMPLICIT_DENY or trust.excluded or trust.unconfirmed:
        return trust.explain()
    trusted = allowed_principals(role.trust_policy, "sts:AssumeRole")
    if not trusted:
        return "no Allow statement grants sts:AssumeRole"
    return f"it trusts only {', '.join(trusted)}"


def _permission_fix(
    result: Evaluation, role: Role, log_group: LogGroupRef, stream: str, trail: Trail
) -> str:
    # The prefix the fix should grant: the organization's, or the account's own.
    own = f"{trail.account_id}_CloudTrail_{trail.home_region}"
    prefix = own if stream.startswith(own) else stream.split("_")[0] + "_"
    pattern = log_group.stream_arn(f"{prefix}*")
    grant = f"{' and '.join(LOG_ACTIONS)} on {pattern}"
    match result.decision:
        case Decision.EXPLICIT_DENY | Decision.POSSIBLE_DENY:
            culprit = result.statements[0] if result.statements else result.conditions[0].statement
            return f"Remove or narrow {culprit} so that it no longer denies {grant}."
        case Decision.IMPLICIT_DENY if result.blocked_by_boundary:
            return f"Allow {grant} in {result.blocked_by_boundary} as well."
        case Decision.IMPLICIT_DENY | Decision.ALLOW:
            return (
                f"Allow {grant}: aws iam put-role-policy --role-name {role.name} "
                f"--policy-name CloudTrailToCloudWatchLogs --policy-document "
                f"file://permissions.json ({_EXPLAIN})."
            )
        case _:
            assert_never(result.decision)
