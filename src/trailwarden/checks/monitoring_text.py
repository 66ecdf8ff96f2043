"""What ``trailwarden explain TW101``…``TW115`` prints, and the commands a finding suggests."""

from __future__ import annotations

import shlex

from trailwarden.monitoring.catalog import EventClass

__all__ = ["how_evaluated", "rationale", "references", "remediation", "title"]

_CW = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html"
_CT = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"


def title(cls: EventClass) -> str:
    return f"A metric filter and alarm notify on {cls.title}"


def rationale(cls: EventClass) -> str:
    return (
        f"CIS asks for an alarm on {cls.title} ({cls.cis_refs}). Only a metric filter on the log "
        "group a multi-region trail delivers to, an alarm on its metric and an SNS topic someone "
        "is subscribed to turn such an event into a notification; scanners that compare pattern "
        "text pass filters that can never fire and fail equivalent ones written differently."
    )


def how_evaluated(cls: EventClass) -> str:
    return (
        "Per account. The log groups judged are those of TW010's qualifying trails "
        "(multi-region, logging, management events, passing TW001–TW005) — with `scan --org`, "
        "a member's qualifying organization trail's group in the management account too, where "
        "the filters and alarms are read; when TW010 fails the "
        "finding FAILs (ERROR when TW010 is ERROR). Each metric filter of those groups is "
        "compiled and matched, as CloudWatch Logs would, against trailwarden's corpus of "
        "CloudTrail records for this class: it must match every positive "
        f"({cls.event_names_text}). "
        "Then, in the log group's region, an alarm on the filter's metric (same name and "
        "namespace; metric-math alarms count when a query reads it) must have actions enabled "
        "and an action to an SNS topic with at least one confirmed subscription. FAIL names the "
        "first broken link of the closest chain; a filter that also matches records CIS leaves "
        "out passes with a note that it is noisy. ERROR when a needed read failed or the "
        "inventory has no monitoring data."
    )


def remediation(
    cls: EventClass,
    log_group: str = "LOG_GROUP",
    region: str = "REGION",
    account: str = "ACCOUNT",
) -> str:
    """The aws CLI commands that build the whole chain with the corrected CIS pattern."""
    topic = f"arn:aws:sns:{region}:{account}:cis-monitoring-alarms"
    alarm = cls.metric_name.removesuffix("_metric") + "_alarm"
    # One command per line, every value quoted for the shell: a log group name or a
    # pattern is pasted as it is.
    q = shlex.quote
    return (
        f"aws logs put-metric-filter --region {q(region)} --log-group-name {q(log_group)} "
        f"--filter-name {q(cls.metric_name)} --metric-transformations "
        f"metricName={q(cls.metric_name)},metricNamespace={q(cls.namespace)},metricValue=1 "
        f"--filter-pattern {q(cls.pattern)}\n"
        f"aws sns create-topic --region {q(region)} --name cis-monitoring-alarms\n"
        "# Then confirm the subscription from the e-mail AWS sends:\n"
        f"aws sns subscribe --region {q(region)} --topic-arn {q(topic)} --protocol email "
        "--notification-endpoint SECURITY_TEAM_EMAIL\n"
        f"aws cloudwatch put-metric-alarm --region {q(region)} --alarm-name {q(alarm)} "
        f"--metric-name {q(cls.metric_name)} --namespace {q(cls.namespace)} --statistic Sum "
        "--period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold "
        f"--evaluation-periods 1 --treat-missing-data notBreaching --alarm-actions {q(topic)}"
    )


def references(cls: EventClass) -> tuple[str, ...]:
    return (f"CIS AWS Foundations Benchmark {cls.cis_refs}: {cls.title}", _CT, _CW)
