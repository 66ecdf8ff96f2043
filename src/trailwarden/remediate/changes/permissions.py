"""The IAM policy ``fix --apply`` and ``rollback`` need, from the registry of changes.

Every change declares the calls it makes (``permissions``), the reads of apply and
rollback (``reads``) and the calls of its undo (``undo_permissions``); this module turns
their union into a policy, scoped to the resource types AWS allows, and is what
``policies/trailwarden-fix.json`` is generated from (a test keeps the two equal)::

    python -m trailwarden.remediate.changes.permissions > policies/trailwarden-fix.json

Planning (``fix`` without ``--apply``) scans first: it needs the read-only scan policy,
``policies/trailwarden-scan-readonly.json``, as well.
"""

from __future__ import annotations

from typing import Any

from trailwarden.remediate.changes import CHANGES

__all__ = ["fix_actions", "fix_policy"]

# Who the caller is: apply and rollback refuse credentials of another account.
_IDENTITY = "sts:GetCallerIdentity"
# The Service Authorization Reference lists no resource type for these.
_UNSCOPED = frozenset({_IDENTITY, "cloudtrail:DescribeTrails"})
# The resource types of each service's calls (Service Authorization Reference).
_SCOPES = (
    ("Trails", "cloudtrail", "arn:aws:cloudtrail:*:*:trail/*"),
    ("LogGroups", "logs", "arn:aws:logs:*:*:log-group:*"),
    ("Roles", "iam", "arn:aws:iam::*:role/*"),
    ("Topics", "sns", "arn:aws:sns:*:*:*"),
    ("Alarms", "cloudwatch", "arn:aws:cloudwatch:*:*:alarm:*"),
)
_PASS_ROLE = "iam:PassRole"


def fix_actions() -> list[str]:
    """Every API action apply and rollback may call, sorted."""
    actions = {_IDENTITY}
    for change in CHANGES.values():
        actions |= {*change.permissions, *change.reads, *change.undo_permissions}
    return sorted(actions)


def fix_policy() -> dict[str, Any]:
    """The policy document granting :func:`fix_actions`, each on its resource type."""
    actions = fix_actions()
    statements: list[dict[str, Any]] = [
        _statement("NoResourceLevelPermissions", [a for a in actions if a in _UNSCOPED], "*")
    ]
    for sid, service, resource in _SCOPES:
        granted = [
            a
            for a in actions
            if a.split(":", 1)[0] == service and a not in _UNSCOPED and a != _PASS_ROLE
        ]
        statements.append(_statement(sid, granted, resource))
    if _PASS_ROLE in actions:
        # UpdateTrail passes the delivery role to CloudTrail; to nothing else.
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
        passing = _statement("PassDeliveryRolesToCloudTrail", [_PASS_ROLE], "arn:aws:iam::*:role/*")
        passing["Condition"] = {"StringEquals": {"iam:PassedToService": "cloudtrail.amazonaws.com"}}
        statements.append(passing)
    return {"Version": "2012-10-17", "Statement": statements}


def _statement(sid: str, actions: list[str], resource: str) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}
