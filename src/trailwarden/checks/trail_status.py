"""TW004–TW006: what GetTrailStatus says: a recent delivery, no delivery error, logging."""

from __future__ import annotations

from datetime import UTC, datetime

from trailwarden.checks.trail import Outcome, TrailContext, api_error, needs_integration
from trailwarden.durations import format_duration
from trailwarden.findings import Status
from trailwarden.inventory import TrailStatus

__all__ = ["tw004", "tw005", "tw006"]


def _status(ctx: TrailContext) -> TrailStatus | Outcome:
    status = ctx.trail.status
    return status or api_error(ctx.trail.status_error, "the trail's status (GetTrailStatus)")


def tw004(ctx: TrailContext) -> Outcome:
    """TW004: events were delivered within ``max_delivery_age`` of the collection."""
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


def tw005(ctx: TrailContext) -> Outcome:
    """TW005: CloudTrail reports no CloudWatch Logs delivery error."""
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


def tw006(ctx: TrailContext) -> Outcome:
    """TW006: the trail is logging."""
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


def _utc(moment: datetime) -> datetime:
    # Inventories hold aware UTC datetimes; a naive one (hand-written file) is taken as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
