"""The delivery role a trail should use, and the steps that make it so (part of TW001–TW003).

- A role the trail already names is kept if :func:`assess_role` passes for the log group.
- A role the trail names that no longer exists is recreated where it was (same name and
  path), unless another trail names it too: then the trail's settings stay as they are and
  no UpdateTrail is needed — which rollback could not undo, since CloudTrail refuses to
  point a trail back at a deleted role.
- It is repaired in place (trust statement added, inline policy put) only for TW003, only if
  this trail alone uses it, and only if the repair makes :func:`assess_role` pass: a Deny or
  a permissions boundary is never worked around. Otherwise the trail gets a dedicated role.
- A dedicated-role name that already exists but is not exactly what trailwarden would
  create is left alone: the plan takes ``<name>-2``, or skips when that is taken too.
"""

from __future__ import annotations

from dataclasses import replace

from trailwarden.arns import LogGroupRef, parse_arn, parse_role_arn
from trailwarden.checks.delivery_role import assess_role
from trailwarden.inventory import PolicyDocument, Role, Trail
from trailwarden.remediate.changes.create_role import CreateRole
from trailwarden.remediate.changes.put_role_policy import PutRolePolicy
from trailwarden.remediate.changes.update_assume_role_policy import UpdateAssumeRolePolicy
from trailwarden.remediate.model import Step
from trailwarden.remediate.planning.context import PlanContext
from trailwarden.remediate.policies import (
    POLICY_NAME,
    grants_exactly,
    merged_trust,
    role_arn,
    role_name,
    role_policy,
    trust_policy,
)

__all__ = ["CANDIDATES", "RoleChoice", "choose_role"]

CANDIDATES = (1, 2)  # trailwarden-cwl-<trail>, then trailwarden-cwl-<trail>-2
RoleChoice = tuple[str, list[Step]]  # (role ARN, steps); a str instead says why none fits


def choose_role(
    p: PlanContext,
    trail: Trail,
    ref: LogGroupRef,
    current: LogGroupRef | None,
    failing: set[str],
    fixes: tuple[str, ...],
) -> RoleChoice | str:
    configured = trail.config.role_arn if trail.config else None
    role = p.current_role(trail)
    readable = role is not None and role.exists is True and role.error is None
    if role is not None and readable and role.trust_policy is not None:
        verdict = assess_role(trail, role, ref, p.inventory.organization_id)
        if verdict.passed:
            return role.arn, []
    if configured and ref == current and not failing & {"TW001", "TW003"}:
        return configured, []  # only the group is recreated; the role is TW003's business
    if role is None:
        parsed = parse_role_arn(configured) if configured else None
        if not configured:
            why = f"trail {trail.name} has no delivery role"
        elif parsed is None or parsed[1] != trail.account_id:
            why = f"the trail's role {configured} is not a role of account {trail.account_id}"
        else:
            why = f"role {parsed[2]} was not looked up, so it is not reused"
    elif role.exists is False:
        recreated = _recreate(p, trail, role, ref, fixes)
        if recreated is not None:
            return recreated
        why = f"role {role.name} does not exist, and another trail names it too"
    elif not readable or role.trust_policy is None:
        why = f"role {role.name} could not be fully read, so it is not reused"
    elif others := p.other_trails(role, trail):
        why = (
            f"role {role.name} may also serve trail {', '.join(others)}, and trailwarden "
            "never widens a role that serves another trail"
        )
    elif "TW003" in failing and ref == current:
        repaired = _repair(p, trail, role, ref, fixes)
        if repaired is not None:
            return role.arn, repaired
        why = f"adding to role {role.name} would not make it work ({p.because(trail, ['TW003'])})"
    else:
        why = (
            f"role {role.name} does not cover log group {ref.name}, and trailwarden does not "
            "widen an existing role"
        )
    return _dedicated(p, trail, ref, fixes, why)


def _recreate(
    p: PlanContext, trail: Trail, role: Role, ref: LogGroupRef, fixes: tuple[str, ...]
) -> RoleChoice | None:
    """The trail's deleted role, created again under its name and path (None: unsafe)."""
    arn = parse_arn(role.arn)
    if arn is None or arn.account_id != trail.account_id or role.arn in p.claimed_roles:
        return None
    if p.other_trails(role, trail):
        return None  # recreated for this trail only, it would still fail the other
    path = "/" + "".join(f"{part}/" for part in arn.resource.split("/")[1:-1])
    document = role_policy(trail, ref, p.inventory.organization_id)
    create = CreateRole.build(
        trail,
        role.name,
        fixes,
        f"Recreate role {role.name}, which trail {trail.name} names but which no longer "
        "exists, under the same name and path, so that the trail's settings stay as they are "
        f"(only CloudTrail acting for trail {trail.name} may assume it), because "
        f"{p.because(trail, fixes)}.",
        path=path,
    )
    if create.target != role.arn:
        return None
    policy = PutRolePolicy.build(
        trail,
        role.arn,
        role.name,
        None,
        document,
        fixes,
        f"Allow role {role.name} only logs:CreateLogStream and logs:PutLogEvents on trail "
        f"{trail.name}'s streams in log group {ref.name}.",
    )
    return role.arn, [create, policy]


def _repair(
    p: PlanContext, trail: Trail, role: Role, ref: LogGroupRef, fixes: tuple[str, ...]
) -> list[Step] | None:
    """Trust statement and/or inline policy added; None unless that makes the role pass."""
    org, cause = p.inventory.organization_id, p.because(trail, ["TW003"])
    steps, working = [], role
    verdict = assess_role(trail, working, ref, org)
    if "permissions" not in verdict.evidence:  # the trust policy failed (assess_role order)
        trust = merged_trust(role.trust_policy, trail.arn, trail.account_id)
        reason = (
            f"Let CloudTrail assume role {role.name} for trail {trail.name} by adding one "
            f"statement to its trust policy (the rest is kept), because {cause}."
        )
        steps.append(UpdateAssumeRolePolicy.build(trail, role, trust, fixes, reason))
        working = replace(working, trust_policy=trust)
        verdict = assess_role(trail, working, ref, org)
    if not verdict.passed and "permissions" in verdict.evidence:
        document = role_policy(trail, ref, org)
        prior = next((d.document for d in role.policies if _ours(d)), None)
        reason = (
            f"Add inline policy {POLICY_NAME} to role {role.name}, which only trail "
            f"{trail.name} uses, allowing logs:CreateLogStream and logs:PutLogEvents on the "
            f"trail's streams in log group {ref.name}, because {cause}."
        )
        steps.append(
            PutRolePolicy.build(trail, role.arn, role.name, prior, document, fixes, reason)
        )
        kept = tuple(d for d in working.policies if not _ours(d))
        ours = PolicyDocument(POLICY_NAME, "inline", document)
        working = replace(working, policies=(*kept, ours))
        verdict = assess_role(trail, working, ref, org)
    return steps if verdict.passed else None


def _ours(policy: PolicyDocument) -> bool:
    return policy.kind == "inline" and policy.name == POLICY_NAME


def _dedicated(
    p: PlanContext, trail: Trail, ref: LogGroupRef, fixes: tuple[str, ...], why: str
) -> RoleChoice | str:
    org = p.inventory.organization_id
    trust, document = trust_policy(trail.arn, trail.account_id), role_policy(trail, ref, org)
    names = [role_name(trail, n) for n in CANDIDATES]
    for name in names:
        arn = role_arn(trail, name)
        found = p.role(arn, name)
        if arn in p.claimed_roles:
            continue  # another trail of this plan (same name, other region) uses it
        if found is not None and (found.exists is None or found.error is not None):
            error = f" ({found.error.describe()})" if found.error else ""
            return f"Cannot tell whether role {name} exists{error}, so the plan cannot use it."
        if found is not None and found.exists:
            if grants_exactly(found, trust, document):
                return arn, []
            continue
        note = ""
        if trail.config and trail.config.is_organization_trail and not org:
            note = " The organization id is unknown, so member accounts' streams are not allowed."
        return arn, [
            CreateRole.build(
                trail,
                name,
                fixes,
                f"Create role {name}, which only CloudTrail acting for trail {trail.name} may "
                f"assume, because {why}.",
            ),
            PutRolePolicy.build(
                trail,
                arn,
                name,
                None,
                document,
                fixes,
                f"Allow role {name} only logs:CreateLogStream and logs:PutLogEvents on trail "
                f"{trail.name}'s streams in log group {ref.name}.{note}",
            ),
        ]
    return (
        f"Roles {' and '.join(names)} already exist but do not grant exactly what trail "
        f"{trail.name} needs, and trailwarden does not change roles it did not plan: delete "
        "or rename one of them, then plan again."
    )
