"""What every per-trail check shares (:class:`Outcome`, :class:`TrailContext`), and TW001.

The per-trail checks, TW001–TW007, give one verdict per check per trail, from the inventory
alone: TW001 here, TW002 and TW007 in :mod:`.log_group`, TW003 in :mod:`.delivery_role`,
TW004–TW006 in :mod:`.trail_status`. A fact that could not be read gives ERROR (naming the
API action and AWS error code), never PASS. TW002–TW005 and TW007 need the integration TW001
checks: NOT_APPLICABLE when it fails, ERROR when it could not be evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trailwarden.arns import parse_arn
from trailwarden.checks.code_facts import UNVERIFIABLE, FactSource, from_code
from trailwarden.checks.options import CheckOptions
from trailwarden.findings import Status
from trailwarden.inventory import ApiError, Inventory, LogGroup, Role, Trail, Unknown

__all__ = [
    "NOT_READABLE",
    "VERIFY_DEPLOYED",
    "Outcome",
    "TrailContext",
    "api_error",
    "integration",
    "needs_integration",
    "other_account",
    "tw001",
    "unreadable",
    "unverifiable",
]

# The code the collector records for what a member account cannot read of an org trail.
NOT_READABLE = "NotReadableFromMemberAccount"
_NO_INTEGRATION = "Not applicable: the trail has no CloudWatch Logs integration (TW001)."
VERIFY_DEPLOYED = "Verify it on the account once deployed: trailwarden scan."


@dataclass(frozen=True)
class Outcome:
    """A check's verdict on one resource, before it becomes a Finding."""

    status: Status
    message: str
    remediation: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrailContext:
    """One trail, with what every check of it needs."""

    trail: Trail
    inventory: Inventory
    options: CheckOptions

    @property
    def from_code(self) -> bool:
        """Whether the facts come from infrastructure code (trailwarden iac)."""
        return self.options.source is FactSource.CODE

    @property
    def owner_elsewhere(self) -> str | None:
        """The owner account of an organization trail seen from a member account."""
        config, trail = self.trail.config, self.trail
        foreign = trail.account_id != self.inventory.account_id
        return trail.account_id if foreign and config and config.is_organization_trail else None

    def from_owner(self, fix: str) -> str:
        owner = self.owner_elsewhere
        return f"From account {owner}, which owns this organization trail: {fix}" if owner else fix

    def update_trail(self, log_group_arn: str | None, role_arn: str | None) -> str:
        t = self.trail
        arn = parse_arn(t.arn)
        p = arn.partition if arn else "aws"
        lg = log_group_arn or f"arn:{p}:logs:{t.home_region}:{t.account_id}:log-group:NAME:*"
        role = role_arn or f"arn:{p}:iam::{t.account_id}:role/ROLE"
        return self.from_owner(
            f"aws cloudtrail update-trail --name {t.name} --cloud-watch-logs-log-group-arn {lg} "
            f"--cloud-watch-logs-role-arn {role} --region {t.home_region}"
        )


def unverifiable(reason: str) -> Outcome:
    """NOT_APPLICABLE: infrastructure code does not give what the check needs (``reason``)."""
    return Outcome(
        Status.NOT_APPLICABLE,
        f"Cannot be verified from code: {reason}.",
        VERIFY_DEPLOYED,
        {UNVERIFIABLE: reason},
    )


def other_account(ctx: TrailContext, what: str, account: str) -> Outcome | None:
    """On code that does not say its account, an ARN naming another one cannot be judged."""
    if account == ctx.trail.account_id or not isinstance(ctx.trail.account_id, Unknown):
        return None
    return unverifiable(
        f"{what[:1].lower()}{what[1:]} names account {account}, and the code does not say which "
        "account it deploys to"
    )


def api_error(error: ApiError | None, what: str, prefix: str = "") -> Outcome:
    """ERROR naming the failed API call, or saying that the fact was never collected; a fact
    infrastructure code does not give is :func:`unverifiable` instead."""
    if from_code(error):
        return unverifiable(error.message)
    if error is None:
        return Outcome(
            Status.ERROR,
            f"{what[0].upper()}{what[1:]} was not collected, so this cannot be evaluated.",
            "Collect the inventory again (trailwarden scan) with this version of trailwarden.",
        )
    return Outcome(
        Status.ERROR,
        prefix + error.describe(),
        f"Make {error.action} succeed for the scanning principal (if access was denied, "
        "AWS's SecurityAudit managed policy grants it) and scan again.",
        {"error": {"action": error.action, "code": error.code, "message": error.message}},
    )


def integration(ctx: TrailContext) -> tuple[str, str] | Outcome:
    """(log group ARN, role ARN), or TW001's verdict when it is not PASS."""
    config = ctx.trail.config
    if config is None:
        return api_error(ctx.trail.config_error, "the trail's configuration (DescribeTrails)")
    lg, role = config.log_group_arn, config.role_arn
    if lg and role:
        return lg, role
    missing = [
        name
        for name, value in (
            ("log group ARN (CloudWatchLogsLogGroupArn)", lg),
            ("role ARN (CloudWatchLogsRoleArn)", role),
        )
        if not value
    ]
    return Outcome(
        Status.FAIL,
        f"Trail {ctx.trail.name} has no CloudWatch Logs {' and no '.join(missing)}.",
        ctx.update_trail(lg, role),
        {"log_group_arn": lg, "role_arn": role},
    )


def needs_integration(ctx: TrailContext) -> tuple[str, str] | Outcome:
    """Like :func:`integration`, but a TW001 FAIL makes the dependent check NOT_APPLICABLE."""
    got = integration(ctx)
    if isinstance(got, Outcome) and got.status is not Status.ERROR:
        return Outcome(Status.NOT_APPLICABLE, _NO_INTEGRATION, "", {"depends_on": "TW001"})
    return got


def unreadable(ctx: TrailContext, record: LogGroup | Role | None, what: str) -> Outcome | None:
    """ERROR when the log group or role could not be read (or was not collected). A role with
    an error but ``exists`` set lacks some policies: judging the rest could hide a Deny."""
    if record is not None and record.exists is not None and record.error is None:
        return None
    error = record.error if record else None
    if from_code(error):
        return unverifiable(error.message)
    owner = ctx.owner_elsewhere
    if owner is None:
        return api_error(error, what, f"Cannot read {what}: ")
    detail = f" ({error.describe()})" if error and error.code != NOT_READABLE else ""
    return Outcome(
        Status.ERROR,
        f"Cannot be evaluated from account {ctx.inventory.account_id}: organization trail "
        f"managed by account {owner} — scan from that account{detail}.",
        f"Scan from account {owner}, which owns this organization trail.",
        {"managed_by": owner, "error": error.code if error else None},
    )


def tw001(ctx: TrailContext) -> Outcome:
    """TW001: the trail names a log group and a role (CloudWatchLogsLogGroupArn, …RoleArn)."""
    got = integration(ctx)
    if isinstance(got, Outcome):
        return got
    lg, role = got
    return Outcome(
        Status.PASS,
        f"Trail {ctx.trail.name} sends events to log group {lg} through role {role}.",
        evidence={"log_group_arn": lg, "role_arn": role},
    )
