"""The demo's CIS monitoring (metric filters, alarms, SNS topics).

On the organization trail's log group in the management account
(:func:`organization_monitoring`), where Control Tower users put their CIS alarms: every
class is monitored as CIS asks, except two mistakes regex-based scanners get wrong (see
``shared/reference/cis-monitoring.md``), which every member inherits:

- 4.1 joins its clauses with ``&&``: it can never fire, yet Prowler passes it.
- 4.10 has the pre-v4.0 pattern, which misses ``ModifySecurityGroupRules``.
- (4.6 has the CIS clauses reordered: same meaning, Prowler fails it, we pass it.)

On LEGACY's own multi-region trail (:data:`MONITORING`), some classes pass; others fail
in the ways real accounts fail:

- 4.1 and 4.10 as above; 4.2 has the CIS filter, but its alarm's actions are disabled;
- 4.8's alarm notifies a topic whose only subscription was never confirmed;
- 4.7, 4.9 and 4.11–4.15 have no filter at all.

Created over HTTP like the trails; only the pending subscription is set in-process
(moto confirms every subscription at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ALARM_EMAIL",
    "MONITORED",
    "MONITORING",
    "DemoMonitor",
    "organization_monitoring",
    "seed_monitoring",
]

# (account, service, region) -> boto3 client against the simulated endpoint.
ClientFor = Callable[[str, str, str], Any]
# Keeps an SNS subscription (by ARN) pending confirmation.
SetPending = Callable[[str], None]

# The log group of LEGACY's healthy multi-region trail (account.TRAILS), and its region.
MONITORED = ("aws-cloudtrail-logs/management-events", "us-east-1")
NAMESPACE = "CISBenchmark"
ALARM_EMAIL = "security-team@example.com"
CONFIRMED_TOPIC = "cis-security-alerts"
PENDING_TOPIC = "s3-policy-alerts"  # its only subscriber never clicked the link


def _any_event(*names: str, source: str | None = None) -> str:
    """The CIS shape: ``{ ($.eventName = A) || ($.eventName = B) ... }``, maybe && source."""
    names_clause = " || ".join(f"($.eventName = {n})" for n in names)
    if source is None:
        return f"{{ {names_clause} }}"
    return f"{{ ($.eventSource = {source}) && ({names_clause}) }}"


@dataclass(frozen=True)
class DemoMonitor:
    cis: str  # CIS v2.0 number, for the reader
    metric: str  # the filter's name and its metric's name
    pattern: str
    topic: str = CONFIRMED_TOPIC
    actions_enabled: bool = True


MONITORING = (
    # FAIL: `&&` where CIS means `||` between the two error codes — never fires.
    DemoMonitor(
        "4.1",
        "UnauthorizedAPICalls",
        '{ ($.errorCode = "*UnauthorizedOperation") && ($.errorCode = "AccessDenied*") '
        '&& ($.sourceIPAddress != "delivery.logs.amazonaws.com") '
        '&& ($.eventName != "HeadBucket") }',
    ),
    # FAIL: the CIS filter, but the alarm's actions are disabled (it notifies nobody).
    DemoMonitor(
        "4.2",
        "ConsoleSignInWithoutMfa",
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
        actions_enabled=False,
    ),
    # PASS: the CIS patterns, alarms to a topic with a confirmed email subscription.
    DemoMonitor(
        "4.3",
        "RootAccountUsage",
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
        '&& $.eventType != "AwsServiceEvent" }',
    ),
    DemoMonitor(
        "4.4",
        "IAMPolicyChanges",
        _any_event(
            *("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy"),
            *("PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy"),
            *("CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy"),
            *("DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy"),
            *("AttachGroupPolicy", "DetachGroupPolicy"),
        ),
    ),
    DemoMonitor(
        "4.5",
        "CloudTrailChanges",
        _any_event("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"),
    ),
    # PASS: the CIS clauses in the other order (Prowler's regex fails it).
    DemoMonitor(
        "4.6",
        "ConsoleAuthenticationFailures",
        '{ ($.errorMessage = "Failed authentication") && ($.eventName = ConsoleLogin) }',
    ),
    # FAIL: the CIS filter, alarmed to a topic with only a pending subscription.
    DemoMonitor(
        "4.8",
        "S3BucketPolicyChanges",
        _any_event(
            *("PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle"),
            *("PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors"),
            *("DeleteBucketLifecycle", "DeleteBucketReplication"),
            source="s3.amazonaws.com",
        ),
        topic=PENDING_TOPIC,
    ),
    # FAIL: the pre-v4.0 pattern: a ModifySecurityGroupRules call goes unnoticed.
    DemoMonitor(
        "4.10",
        "SecurityGroupChanges",
        _any_event(
            *("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"),
            *("RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress"),
            *("CreateSecurityGroup", "DeleteSecurityGroup"),
        ),
    ),
)


def organization_monitoring() -> tuple[DemoMonitor, ...]:
    """Every CIS class as CIS asks, but for the mistakes of 4.1 and 4.10 (and 4.6 reordered)."""
    from trailwarden.monitoring.catalog import CLASSES

    mistakes = {m.cis: m for m in MONITORING if m.cis in ("4.1", "4.6", "4.10")}
    return tuple(
        mistakes.get(f"4.{n}") or DemoMonitor(f"4.{n}", cls.metric_name, cls.pattern)
        for n, cls in enumerate(CLASSES, start=1)
    )


def seed_monitoring(
    client: ClientFor,
    set_pending: SetPending,
    account: str,
    monitors: tuple[DemoMonitor, ...],
    where: tuple[str, str],
) -> None:
    """Create the filters, alarms and topics of ``monitors`` on log group ``where`` (name,
    region) of ``account``."""
    group, region = where
    sns = client(account, "sns", region)
    topics = {}
    for name in (CONFIRMED_TOPIC, PENDING_TOPIC):
        topics[name] = sns.create_topic(Name=name)["TopicArn"]
        subscribed = sns.subscribe(
            TopicArn=topics[name],
            Protocol="email",
            Endpoint=ALARM_EMAIL,
            ReturnSubscriptionArn=True,
        )
        if name == PENDING_TOPIC:
            set_pending(subscribed["SubscriptionArn"])
    logs = client(account, "logs", region)
    cloudwatch = client(account, "cloudwatch", region)
    for monitor in monitors:
        # The CIS remediation: metric value 1 in namespace CISBenchmark, an alarm on its
        # 5-minute sum >= 1. https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
        logs.put_metric_filter(
            logGroupName=group,
            filterName=monitor.metric,
            filterPattern=monitor.pattern,
            metricTransformations=[
                {"metricName": monitor.metric, "metricNamespace": NAMESPACE, "metricValue": "1"}
            ],
        )
        cloudwatch.put_metric_alarm(
            AlarmName=f"CIS-{monitor.cis}-{monitor.metric}",
            MetricName=monitor.metric,
            Namespace=NAMESPACE,
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            ActionsEnabled=monitor.actions_enabled,
            AlarmActions=[topics[monitor.topic]],
            TreatMissingData="notBreaching",
        )
