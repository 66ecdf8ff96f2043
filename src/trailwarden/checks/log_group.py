"""TW002 and TW007: the trail's log group exists where CloudTrail can deliver, and keeps
events long enough."""

from __future__ import annotations

from dataclasses import replace

from trailwarden.arns import parse_log_group_arn
from trailwarden.checks.code_facts import from_code
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
from trailwarden.inventory import Unknown

__all__ = ["tw002", "tw007"]

# PutRetentionPolicy accepts only these values.
_RETENTION_DAYS: tuple[int, ...] = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545)
_RETENTION_DAYS += (731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


def tw002(ctx: TrailContext) -> Outcome:
    """TW002: the log group exists, in the trail's home region and account."""
    got = needs_integration(ctx)
    if isinstance(got, Outcome):
        return got
    t, (lg, role) = ctx.trail, got
    if isinstance(lg, Unknown):
        return unverifiable(lg.reason)
    ref = parse_log_group_arn(lg)
    if ref is None:
        return Outcome(
            Status.FAIL,
            f"CloudWatchLogsLogGroupArn {lg} is not a valid log group ARN.",
            ctx.update_trail(None, role),
            {"log_group_arn": lg},
        )
    if ctx.from_code and not lg.endswith(":*"):
        # CloudTrail wants the log-stream wildcard; Terraform's aws_cloudwatch_log_group.arn
        # leaves it out since AWS provider 3.0 (hashicorp/terraform-provider-aws#14557).
        return Outcome(
            Status.FAIL,
            f"CloudWatchLogsLogGroupArn {lg} does not end in ':*', so CloudTrail rejects it "
            "(InvalidCloudWatchLogsLogGroupArnException) — Terraform's aws_cloudwatch_log_group "
            "arn has no ':*': write \"${aws_cloudwatch_log_group.NAME.arn}:*\".",
            f"Set the trail's log group ARN to {lg}:*",
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
        if unknown := other_account(ctx, f"Log group ARN {lg}", ref.account_id):
            return unknown
        return Outcome(
            Status.FAIL,
            f"Log group {ref.name} is in account {ref.account_id}, but trail {t.name} belongs "
            f"to account {t.account_id}: CloudTrail delivers only to a log group of its account.",
            move,
            ev,
        )
    group = ctx.inventory.log_group(ref.key)
    if group is not None and group.exists and from_code(group.error):
        group = replace(group, error=None)  # defined in the code; only its retention is unknown
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


def tw007(ctx: TrailContext) -> Outcome:
    """TW007: the log group keeps events at least ``min_retention_days``."""
    got = needs_integration(ctx)
    if isinstance(got, Outcome):
        return got
    if isinstance(got[0], Unknown):
        return unverifiable(got[0].reason)
    ref, t = parse_log_group_arn(got[0]), ctx.trail
    if ref is None:
        return Outcome(Status.NOT_APPLICABLE, "Not applicable: invalid log group ARN (TW002).")
    same_region = ref.region == t.home_region
    if same_region and (unknown := other_account(ctx, f"Log group ARN {got[0]}", ref.account_id)):
        return unknown
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
