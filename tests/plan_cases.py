"""Inventories with one thing to fix each, the plan expected for them, and a pure "apply"
that changes an inventory the way a plan's steps would change AWS (for idempotence)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from factories import (
    ACCOUNT,
    COLLECTED_AT,
    MEMBER_ACCOUNT,
    ORG_ID,
    denied,
    inline,
    log_group_arn,
    make_inventory,
    make_log_group,
    make_role,
    make_trail,
    managed,
    role_policy,
    trust_policy,
)
from trailwarden.arns import parse_log_group_arn
from trailwarden.inventory import Inventory, LogGroup, PolicyDocument, Role
from trailwarden.remediate import Action, FixOptions, Plan

GROUP = "aws-cloudtrail-logs/main"
EC2_TRUST = trust_policy(Principal={"Service": "ec2.amazonaws.com"})
DENY_LOGS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "logs:*", "Resource": "*"}],
}
BOUNDARY = PolicyDocument(
    "arn:aws:iam::111111111111:policy/Boundary",
    "boundary",
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    },
)
NEW = ("CREATE_ROLE trailwarden-cwl-main", "PUT_ROLE_POLICY trailwarden-cwl-main")
NEW_OTHER = ("CREATE_ROLE trailwarden-cwl-other", "PUT_ROLE_POLICY trailwarden-cwl-other")
ROLE = "CloudTrail_CloudWatchLogs_Role"  # the factories' delivery role
RECREATED = (f"CREATE_ROLE {ROLE}", f"PUT_ROLE_POLICY {ROLE}")
CREATE_GROUP = (f"CREATE_LOG_GROUP {GROUP}", f"PUT_RETENTION_POLICY {GROUP}")


def inv(**trail: Any) -> Inventory:
    """The default (compliant) inventory with one trail attribute changed."""
    return make_inventory((make_trail(**trail),))


def with_role(**role: Any) -> Inventory:
    return make_inventory(roles=(make_role(**role),))


NOT_INTEGRATED = make_inventory(
    (make_trail(log_group_arn=None, role_arn=None),), log_groups=(), roles=()
)
SHARED = make_inventory(
    (make_trail(), make_trail("other")),
    roles=(make_role(trust=EC2_TRUST),),
)
# An organization trail of 111111111111 seen from member account 222222222222.
MEMBER_VIEW = make_inventory(
    (make_trail("org", organization=True, is_logging=False),),
    account_id=MEMBER_ACCOUNT,
    log_groups=(
        make_log_group(error=denied("logs:DescribeLogGroups", "NotReadableFromMemberAccount")),
    ),
    roles=(make_role(error=denied("iam:GetRole", "NotReadableFromMemberAccount")),),
    organization_id=ORG_ID,
)

# (inventory, options, expected steps as "ACTION short-target")
CASES = [
    pytest.param(make_inventory(), FixOptions(), (), id="healthy"),
    pytest.param(
        NOT_INTEGRATED, FixOptions(), (*CREATE_GROUP, *NEW, "UPDATE_TRAIL main"), id="001-none"
    ),
    pytest.param(inv(role_arn=None), FixOptions(), (*NEW, "UPDATE_TRAIL main"), id="001-no-role"),
    pytest.param(
        make_inventory(
            (make_trail(role_arn=None),), log_groups=(make_log_group(retention_in_days=None),)
        ),
        FixOptions(),
        (f"PUT_RETENTION_POLICY {GROUP}", *NEW, "UPDATE_TRAIL main"),
        id="001-no-role-group-keeps-forever",
    ),
    pytest.param(
        make_inventory((make_trail(role_arn=None),), log_groups=()),
        FixOptions(),
        (*CREATE_GROUP, *NEW, "UPDATE_TRAIL main"),
        id="001-no-role-group-not-looked-up",
    ),
    pytest.param(
        make_inventory((make_trail(log_group_arn=None),), roles=(make_role(),)),
        FixOptions(),
        (*CREATE_GROUP, "UPDATE_TRAIL main"),  # the role already covers the default group
        id="001-no-group-role-reused",
    ),
    pytest.param(
        make_inventory(log_groups=(make_log_group(exists=False, retention_in_days=None),)),
        FixOptions(),
        CREATE_GROUP,
        id="002-missing-group-recreated",
    ),
    pytest.param(
        make_inventory(log_groups=(make_log_group(exists=False, retention_in_days=None),)),
        FixOptions(log_group_name="custom"),
        ("CREATE_LOG_GROUP custom", "PUT_RETENTION_POLICY custom", *NEW, "UPDATE_TRAIL main"),
        id="002-missing-group-named-other",
    ),
    pytest.param(
        inv(log_group_arn=log_group_arn(region="eu-west-1")),
        FixOptions(),
        (*CREATE_GROUP, *NEW, "UPDATE_TRAIL main"),
        id="002-wrong-region",
    ),
    pytest.param(
        inv(log_group_arn="arn:aws:s3:::bucket"),
        FixOptions(),
        (*CREATE_GROUP, *NEW, "UPDATE_TRAIL main"),
        id="002-invalid-arn",
    ),
    pytest.param(
        with_role(trust=EC2_TRUST),
        FixOptions(),
        ("UPDATE_ASSUME_ROLE_POLICY CloudTrail_CloudWatchLogs_Role",),
        id="003-trust-repaired",
    ),
    pytest.param(
        with_role(policies=()),
        FixOptions(),
        ("PUT_ROLE_POLICY CloudTrail_CloudWatchLogs_Role",),
        id="003-policy-added",
    ),
    pytest.param(
        with_role(trust=EC2_TRUST, policies=()),
        FixOptions(),
        (
            "PUT_ROLE_POLICY CloudTrail_CloudWatchLogs_Role",
            "UPDATE_ASSUME_ROLE_POLICY CloudTrail_CloudWatchLogs_Role",
        ),
        id="003-trust-and-policy-repaired",
    ),
    pytest.param(
        SHARED,
        FixOptions(),
        (
            *NEW,
            "UPDATE_TRAIL main",
            "CREATE_ROLE trailwarden-cwl-other",
            "PUT_ROLE_POLICY trailwarden-cwl-other",
            "UPDATE_TRAIL other",
        ),
        id="003-shared-role-never-widened",
    ),
    pytest.param(
        with_role(policies=(inline(role_policy()), managed(DENY_LOGS))),
        FixOptions(),
        (*NEW, "UPDATE_TRAIL main"),
        id="003-explicit-deny-new-role",
    ),
    pytest.param(
        with_role(boundary=BOUNDARY), FixOptions(), (*NEW, "UPDATE_TRAIL main"), id="003-boundary"
    ),
    pytest.param(
        with_role(trust=trust_policy(Effect="Deny")),
        FixOptions(),
        (*NEW, "UPDATE_TRAIL main"),
        id="003-trust-deny-new-role",
    ),
    # A deleted role is recreated where it was: the trail is not touched (no UpdateTrail,
    # which rollback could not undo: CloudTrail refuses a deleted role).
    pytest.param(with_role(exists=False), FixOptions(), RECREATED, id="003-role-missing"),
    pytest.param(
        make_inventory(
            (make_trail(role_arn=f"arn:aws:iam::{ACCOUNT}:role/service-role/{ROLE}"),),
            roles=(
                replace(
                    make_role(exists=False),
                    arn=f"arn:aws:iam::{ACCOUNT}:role/service-role/{ROLE}",
                ),
            ),
        ),
        FixOptions(),
        RECREATED,
        id="003-role-missing-with-a-path",
    ),
    # Another trail names it too: recreated for one trail, it would still fail the other.
    pytest.param(
        make_inventory((make_trail(), make_trail("other")), roles=(make_role(exists=False),)),
        FixOptions(),
        (*NEW, "UPDATE_TRAIL main", *NEW_OTHER, "UPDATE_TRAIL other"),
        id="003-shared-role-missing",
    ),
    pytest.param(inv(is_logging=False), FixOptions(), ("START_LOGGING main",), id="006"),
    pytest.param(
        make_inventory(log_groups=(make_log_group(retention_in_days=30),)),
        FixOptions(),
        (f"PUT_RETENTION_POLICY {GROUP}",),
        id="007-short",
    ),
    pytest.param(
        make_inventory(
            log_groups=(make_log_group(retention_in_days=None),),
            roles=(make_role(trust=EC2_TRUST),),
        ),
        FixOptions(),
        (
            f"PUT_RETENTION_POLICY {GROUP}",
            "UPDATE_ASSUME_ROLE_POLICY CloudTrail_CloudWatchLogs_Role",
        ),
        id="003-and-007",
    ),
    pytest.param(
        make_inventory(log_groups=(make_log_group(retention_in_days=None),)),
        FixOptions(retention_days=731),
        (f"PUT_RETENTION_POLICY {GROUP}",),
        id="007-forever",
    ),
    pytest.param(
        make_inventory(
            (make_trail(log_group_arn=None, role_arn=None, is_logging=False),),
            log_groups=(),
            roles=(),
        ),
        FixOptions(),
        (*CREATE_GROUP, *NEW, "UPDATE_TRAIL main", "START_LOGGING main"),
        id="001-and-006",
    ),
    pytest.param(
        make_inventory(
            (make_trail("org", organization=True, log_group_arn=None, role_arn=None),),
            log_groups=(),
            roles=(),
            organization_id=ORG_ID,
        ),
        FixOptions(),
        (
            "CREATE_LOG_GROUP aws-cloudtrail-logs/org",
            "PUT_RETENTION_POLICY aws-cloudtrail-logs/org",
            "CREATE_ROLE trailwarden-cwl-org",
            "PUT_ROLE_POLICY trailwarden-cwl-org",
            "UPDATE_TRAIL org",
        ),
        id="001-organization-trail-in-management-account",
    ),
    pytest.param(MEMBER_VIEW, FixOptions(), (), id="member-view-skipped"),
    pytest.param(inv(status_error=denied()), FixOptions(), (), id="status-error-skipped"),
    pytest.param(
        make_inventory(
            log_groups=(make_log_group(exists=False, retention_in_days=None),),
            roles=(make_role(error=denied("iam:GetRole", "AccessDenied")),),
        ),
        FixOptions(),
        CREATE_GROUP,  # the unreadable role is left alone (TW003 is skipped)
        id="002-with-unreadable-role",
    ),
    pytest.param(
        make_inventory(
            (make_trail(log_group_arn=None, role_arn=None), make_trail("other", is_logging=False)),
            log_groups=(),
            roles=(),
        ),
        FixOptions(trails=frozenset({"other"})),
        ("START_LOGGING other",),
        id="narrowed-by-trail",
    ),
    pytest.param(
        make_inventory(
            (make_trail(log_group_arn=None, role_arn=None, is_logging=False),),
            log_groups=(),
            roles=(),
        ),
        FixOptions(checks=frozenset({"tw006"})),
        ("START_LOGGING main",),
        id="narrowed-by-check",
    ),
    pytest.param(
        inv(delivered_at=COLLECTED_AT - timedelta(days=3)), FixOptions(), (), id="004-no-cause"
    ),
]


def short(target: str) -> str:
    return target.split(":log-group:")[-1] if ":log-group:" in target else target.rsplit("/")[-1]


def summary(plan: Plan) -> tuple[str, ...]:
    return tuple(f"{s.action.name} {short(s.target)}" for s in plan.steps)


def simulate(inventory: Inventory, plan: Plan) -> Inventory:
    """The inventory a scan would collect after ``plan`` was applied."""
    groups = {g.key: g for g in inventory.log_groups}
    roles = {r.arn: r for r in inventory.roles}
    trails = {t.arn: t for t in inventory.trails}
    for step in plan.steps:
        after = step.after
        match step.action:
            case Action.CREATE_LOG_GROUP:
                ref = parse_log_group_arn(step.target)
                assert ref is not None
                groups[step.target] = LogGroup(
                    ref.key, ref.name, ref.region, ref.account_id, True, None, after["kms_key_id"]
                )
            case Action.PUT_RETENTION_POLICY:
                groups[step.target] = replace(
                    groups[step.target], retention_in_days=after["retention_in_days"]
                )
            case Action.CREATE_ROLE:
                roles[step.target] = Role(
                    step.target,
                    after["role_name"],
                    step.account_id,
                    True,
                    after["assume_role_policy"],
                )
            case Action.PUT_ROLE_POLICY:
                role = roles[step.target]
                kept = tuple(p for p in role.policies if p.name != after["policy_name"])
                new = PolicyDocument(after["policy_name"], "inline", after["policy_document"])
                roles[step.target] = replace(role, policies=(*kept, new))
            case Action.UPDATE_ASSUME_ROLE_POLICY:
                roles[step.target] = replace(
                    roles[step.target], trust_policy=after["assume_role_policy"]
                )
            case Action.UPDATE_TRAIL:
                trail = trails[step.target]
                assert trail.config is not None
                config = replace(
                    trail.config,
                    log_group_arn=after["cloud_watch_logs_log_group_arn"],
                    role_arn=after["cloud_watch_logs_role_arn"],
                )
                trails[step.target] = replace(trail, config=config)
            case Action.START_LOGGING:
                trail = trails[step.target]
                assert trail.status is not None
                trails[step.target] = replace(trail, status=replace(trail.status, is_logging=True))
    return replace(
        inventory,
        trails=tuple(trails[t.arn] for t in inventory.trails),
        log_groups=tuple(groups.values()),
        roles=tuple(roles.values()),
    )


__all__ = ["ACCOUNT", "CASES", "MEMBER_VIEW", "NOT_INTEGRATED", "simulate", "summary"]
