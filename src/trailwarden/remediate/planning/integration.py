"""TW001–TW003: choose the log group and the delivery role a trail should use, and the steps
that make them so. The rules are the remediation contract's; in short:

- A log group or role is reused only if it already does the job; trailwarden creates the
  rest under names of its own (:mod:`trailwarden.remediate.policies`).
- The role is chosen by :func:`.roles.choose_role` (repair in place, or a dedicated role).
"""

from __future__ import annotations

from trailwarden.arns import LogGroupRef, parse_arn, parse_log_group_arn
from trailwarden.inventory import Trail
from trailwarden.remediate.changes.create_log_group import CreateLogGroup
from trailwarden.remediate.changes.put_retention_policy import PutRetentionPolicy, deletes_older
from trailwarden.remediate.changes.update_trail import UpdateTrail
from trailwarden.remediate.model import Action, Step
from trailwarden.remediate.planning.context import PlanContext
from trailwarden.remediate.planning.roles import CANDIDATES, choose_role
from trailwarden.remediate.policies import default_log_group_name, partition_of, role_arn, role_name

__all__ = ["INTEGRATION", "plan_integration"]

INTEGRATION = frozenset({"TW001", "TW002", "TW003"})


def plan_integration(p: PlanContext, trail: Trail, failing: set[str]) -> list[Step]:
    """Steps for this trail's failing TW001–TW003, or none (and a Skip saying why)."""
    config = trail.config
    if config is None:
        return []
    fixes = tuple(sorted(failing & INTEGRATION))
    current = home_group(trail)
    name = p.options.log_group_name or default_log_group_name(trail)
    desired = LogGroupRef(partition_of(trail), trail.home_region, trail.account_id, name)
    # Look at everything the choices below may need, so that one lookup round is enough.
    for ref in (current, desired):
        if ref is not None:
            p.group(ref)
    p.current_role(trail)
    for n in CANDIDATES:
        p.role(role_arn(trail, role_name(trail, n)), role_name(trail, n))

    target = _target_group(p, failing, current, desired)
    if target is None:
        reason = (
            f"The trail's log group ARN {config.log_group_arn} is not usable (TW002): select "
            "TW002 as well so that the plan gives the trail a log group first."
        )
        p.skip(fixes, trail, reason)
        return []
    # An integrated trail's own group is judged by TW007, which plans its retention itself.
    own = current if "TW001" not in failing else None
    steps = _group_steps(p, trail, target, fixes, own)
    if isinstance(steps, str):
        p.skip(fixes, trail, steps)
        return []
    role = choose_role(p, trail, target, current, failing, fixes)
    if isinstance(role, str):
        p.skip(fixes, trail, role)
        return []
    arn, role_steps = role
    steps += role_steps
    if target != current or arn != config.role_arn:
        reason = (
            f"Point trail {trail.name} at log group {target.name} and role "
            f"{arn.rsplit('/', 1)[-1]}, in its home region {trail.home_region} (UpdateTrail "
            f"fails elsewhere), because {p.because(trail, fixes)}."
        )
        steps.append(UpdateTrail.build(trail, target, arn, fixes, reason))
    if any(s.action is Action.CREATE_LOG_GROUP for s in steps):
        p.created_groups.add(target.key)
    p.claimed_roles.add(arn)
    if target == desired and p.options.log_group_name:
        p.named_group_for.append(trail.arn)
    return steps


def home_group(trail: Trail) -> LogGroupRef | None:
    """The trail's log group, if its ARN names one CloudTrail could deliver to."""
    arn = trail.config.log_group_arn if trail.config else None
    ref = parse_log_group_arn(arn) if arn else None
    if ref is None or (ref.region, ref.account_id) != (trail.home_region, trail.account_id):
        return None
    return ref


def _target_group(
    p: PlanContext, failing: set[str], current: LogGroupRef | None, desired: LogGroupRef
) -> LogGroupRef | None:
    if "TW001" in failing:  # reuse the trail's group only if it exists
        found = p.group(current) if current else None
        usable = found is not None and found.exists is True and found.error is None
        return current if usable else desired
    if "TW002" in failing:  # missing: recreate it, unless the user named another group
        named = p.options.log_group_name
        return desired if current is None or (named and named != current.name) else current
    return current  # TW003 alone: the role must cover the group the trail names


def _group_steps(
    p: PlanContext, trail: Trail, ref: LogGroupRef, fixes: tuple[str, ...], own: LogGroupRef | None
) -> list[Step] | str:
    if ref.key in p.created_groups:
        return []  # an earlier trail of this plan creates it
    found, days = p.group(ref), p.options.retention_days
    if found is not None and (found.exists is None or found.error is not None):
        error = f" ({found.error.describe()})" if found.error else ""
        return (
            f"Cannot tell whether log group {ref.name} exists in {ref.region}{error}, so "
            "trailwarden plans no change for this trail."
        )
    if found is not None and found.exists:
        now = found.retention_in_days
        if (now is None or now < days) and p.in_scope("TW007") and ref != own:
            reason = (
                f"Set the retention of log group {ref.name}, which trail {trail.name} will "
                f"use, to {days} days (now: {'never expire' if now is None else now}), so "
                f"that TW007 passes after the fix{deletes_older(now, days)}."
            )
            return [PutRetentionPolicy.build(trail, ref, now, days, ("TW007",), reason)]
        return []
    kms = p.options.kms_key_id
    key = parse_arn(kms) if kms else None  # FixOptions accepts only key ARNs
    if key is not None and key.region != ref.region:
        return (
            f"KMS key {kms} is in {key.region}, but log group {ref.name} must be in "
            f"{ref.region}, and CloudWatch Logs uses only keys of the log group's region."
        )
    cause = p.because(trail, fixes)
    encrypted = (
        f" It is encrypted with KMS key {kms}, whose key policy must allow "
        f"logs.{ref.region}.amazonaws.com to use it."
        if kms
        else ""
    )
    return [
        CreateLogGroup.build(
            trail,
            ref,
            kms,
            fixes,
            f"Create log group {ref.name} in {ref.region}, the home region of trail "
            f"{trail.name} (CloudTrail delivers only there), because {cause}.{encrypted}",
        ),
        PutRetentionPolicy.build(
            trail,
            ref,
            None,
            days,
            (*fixes, "TW007"),
            f"Keep events in the new log group {ref.name} for {days} days: a retention set "
            "on purpose (TW007) instead of forever.",
        ),
    ]
