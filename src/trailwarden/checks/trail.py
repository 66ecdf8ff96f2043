"""TW001–TW007: one verdict per check per trail, from the inventory alone.

A fact that could not be read gives ERROR (naming the API action and AWS error code), never
PASS. TW002–TW005 and TW007 need the integration TW001 checks: NOT_APPLICABLE when it fails,
ERROR when it could not be evaluated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from trailwarden.arns import parse_arn, parse_log_group_arn
from trailwarden.checks.registry import CheckOptions
from trailwarden.durations import format_duration
from trailwarden.findings import Status
from trailwarden.inventory import ApiError, Inventory, LogGroup, Role, Trail, TrailStatus

__all__ = [
    "NOT_READABLE",
    "TRAIL_CHECKS",
    "Outcome",
    "TrailContext",
    "api_error",
    "integration",
    "needs_integration",
    "unreadable",
]

# The code the collector records for what a member account cannot read of an org trail.
NOT_READABLE = "NotReadableFromMemberAccount"
_NO_INTEGRATION = "Not applicable: the trail has no CloudWatch Logs integration (TW001)."
# PutRetentionPolicy accepts only these values.
_RETENTION_DAYS: tuple[int, ...] = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545)
_RETENTION_DAYS += (731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


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


def api_error(error: ApiError | None, what: str, prefix: str = "") -> Outcome:
    """ERROR naming the failed API call, or saying that the fact was never collected."""
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


def _status(ctx: TrailContext) -> TrailStatus | Outcome:
    status = ctx.trail.status
    return status or api_error(ctx.trail.status_error, "the trail's status (GetTrailStatus)")


def _tw001(ctx: TrailContext) -> Outcome:
    got = integration(ctx)
    if isinstance(got, Outcome):
        return got
    lg, role = got
    return Outcome(
        Status.PASS,
        f"Trail {ctx.trail.name} sends events to log group {lg} through role {role}.",
        evidence={"log_group_arn": lg, "role_arn": role},
    )


def _tw002(ctx: TrailContext) -> Outcome:
    got = needs_integration(ctx)
    if isinstance(got, Outcome):
        return got
    t, (lg, role) = ctx.trail, got
    ref = parse_log_group_arn(lg)
    if ref is None:
        return Outcome(
            Status.FAIL,
            f"CloudWatchLogsLogGroupArn {lg} is not a valid log group ARN.",
            ctx.update_trail(None, role),
            {"log_group_arn": lg},
        )
    ev = {"log_group_arn": lg, "log_group_region": ref.region, "log_group_account": ref.account_id}
    home_arn = f"arn:{ref.partition}:logs:{t.home_region}:{t.account_id}:log-group:{ref.name}:*"
    move = (
        f"Create log group {ref.name} in {t.home_region} of account {t.account_id} (aws logs "
        f"create-log-group --log-group-name {ref.name} --region {t.home_region}) and point the "
        f"trail at it: {ctx.update_trail(home_arn, role)}"
    )
    if ref.region != t.home_region:
        return Outcome(
            Status.FAIL,
            f"Log group {ref.name} is in {ref.region}, but trail {t.name}'s home region is "
            f"{t.home_region}: CloudTrail delivers only to a log group in its home region.",
            move,
            ev,
        )
    if ref.account_id != t.account_id:
        return Outcome(
            Status.FAIL,
            f"Log group {ref.name} is in account {ref.account_id}, but trail {t.name} belongs "
            f"to account {t.account_id}: CloudTrail delivers only to a log group of its account.",
            move,
            ev,
        )
    group = ctx.inventory.log_group(ref.key)
    if (problem := unreadable(ctx, group, f"log group {ref.key}")) or group is None:
        return problem or api_error(None, "the log group")
    if not group.exists:
        return Outcome(
            Status.FAIL,
            f"Log group {ref.name} does not exist in {ref.region} (account {ref.account_id}).",
            f"aws logs create-log-group --log-group-name {ref.name} --region {ref.region}",
            ev,
        )
    return Outcome(Status.PASS, f"Log group {ref.name} exists in {ref.region}.", evidence=ev)


def _tw004(ctx: TrailContext) -> Outcome:
    got = needs_integration(ctx)
    if isinstance(got, Outcome):
        return got
    status = _status(ctx)
    if isinstance(status, Outcome):
        return status
    t, delivered = ctx.trail, status.latest_cloudwatch_logs_delivery_time
    fix = (
        "See this trail's TW002, TW003, TW005 and TW006 findings, then confirm with aws "
        f"cloudtrail get-trail-status --name {t.name} --region {t.home_region}"
    )
    if delivered is None:
        return Outcome(
            Status.FAIL,
            f"Trail {t.name} has never delivered events to CloudWatch Logs "
            "(GetTrailStatus has no LatestCloudWatchLogsDeliveryTime).",
            fix,
            {"latest_delivery_time": None},
        )
    age, limit = _utc(ctx.inventory.collected_at) - _utc(delivered), ctx.options.max_delivery_age
    ev = {
        "latest_delivery_time": _utc(delivered).isoformat(),
        "collected_at": _utc(ctx.inventory.collected_at).isoformat(),
        "age_s": int(age.total_seconds()),
        "max_delivery_age_s": int(limit.total_seconds()),
    }
    when = f"{format_duration(age)} ago ({_utc(delivered).isoformat(timespec='seconds')})"
    if age > limit:
        return Outcome(
            Status.FAIL,
            f"Trail {t.name} last delivered to CloudWatch Logs {when}, more than the allowed "
            f"{format_duration(limit)}.",
            fix,
            ev,
        )
    return Outcome(Status.PASS, f"Trail {t.name} last delivered to CloudWatch Logs {when}.", "", ev)


def _tw005(ctx: TrailContext) -> Outcome:
    got = needs_integration(ctx)
    if isinstance(got, Outcome):
        return got
    status = _status(ctx)
    if isinstance(status, Outcome):
        return status
    error = (status.latest_cloudwatch_logs_delivery_error or "").strip()
    if not error:
        return Outcome(Status.PASS, "CloudTrail reports no CloudWatch Logs delivery error.")
    return Outcome(
        Status.FAIL,
        f'CloudTrail reports the CloudWatch Logs delivery error "{error}".',
        "Fix the cause it names (usually TW002 or TW003); it clears after the next successful "
        f"delivery: aws cloudtrail get-trail-status --name {ctx.trail.name} "
        f"--region {ctx.trail.home_region}",
        {"latest_delivery_error": error},
    )


def _tw006(ctx: TrailContext) -> Outcome:
    status = _status(ctx)
    if isinstance(status, Outcome):
        return status
    if status.is_logging:
        return Outcome(Status.PASS, f"Trail {ctx.trail.name} is logging.", "", {"is_logging": True})
    return Outcome(
        Status.FAIL,
        f"Trail {ctx.trail.name} is not logging, so it records no events.",
        ctx.from_owner(
            f"aws cloudtrail start-logging --name {ctx.trail.name} --region {ctx.trail.home_region}"
        ),
        {"is_logging": False},
    )


def _tw007(ctx: TrailContext) -> Outcome:
    got = needs_integration(ctx)
    if isinstance(got, Outcome):
        return got
    ref, t = parse_log_group_arn(got[0]), ctx.trail
    if ref is None:
        return Outcome(Status.NOT_APPLICABLE, "Not applicable: invalid log group ARN (TW002).")
    if (ref.region, ref.account_id) != (t.home_region, t.account_id):
        return Outcome(
            Status.NOT_APPLICABLE,
            "Not applicable: CloudTrail cannot deliver to a log group outside the trail's home "
            "region and account (TW002).",
        )
    group = ctx.inventory.log_group(ref.key)
    if (problem := unreadable(ctx, group, f"log group {ref.key}")) or group is None:
        return problem or api_error(None, "the log group")
    if not group.exists:
        return Outcome(
            Status.NOT_APPLICABLE, f"Not applicable: log group {ref.name} does not exist (TW002)."
        )
    days, minimum = group.retention_in_days, ctx.options.min_retention_days
    ev = {"log_group_arn": ref.key, "retention_in_days": days, "min_retention_days": minimum}
    valid = next(d for d in _RETENTION_DAYS if d >= minimum)  # CheckOptions caps it at 3653
    fix = (
        f"aws logs put-retention-policy --log-group-name {ref.name} "
        f"--retention-in-days {valid} --region {ref.region}"
    )
    if days is None:
        return Outcome(
            Status.FAIL,
            f"Log group {ref.name} has no retention policy: events are kept forever "
            f"(set one on purpose, at least {minimum} days).",
            fix,
            ev,
        )
    if days < minimum:
        return Outcome(
            Status.FAIL,
            f"Log group {ref.name} keeps events {days} days, less than the minimum {minimum}.",
            fix,
            ev,
        )
    return Outcome(Status.PASS, f"Log group {ref.name} keeps events {days} days.", "", ev)


def _utc(moment: datetime) -> datetime:
    # Inventories hold aware UTC datetimes; a naive one (hand-written file) is taken as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# TW003 lives in delivery_role; the package assembles the full table.
TRAIL_CHECKS: dict[str, Callable[[TrailContext], Outcome]] = {
    "TW001": _tw001,
    "TW002": _tw002,
    "TW004": _tw004,
    "TW005": _tw005,
    "TW006": _tw006,
    "TW007": _tw007,
}
