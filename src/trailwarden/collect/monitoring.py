"""The monitoring facts (TW101–TW115): metric filters, their alarms, the alarms' topics.

Which log groups: those that can receive TW010's trail, decided from facts already
collected — every existing log group integrated with a multi-region trail of the scanned
account (its own trails and the organization trails it manages), in the trail's home
region and this account. The checks decide the rest (logging, management events).

Calls, all in the log group's region and concurrent with IAM's:

1. Per log group: CloudWatch Logs DescribeMetricFilters(logGroupName), paged.
2. Per region of those log groups, at the same time: CloudWatch
   DescribeAlarms(AlarmTypes=[MetricAlarm]), paged. One call (100 alarms a page) instead
   of one DescribeAlarmsForMetric per filter metric (up to 15+ for the CIS set), and it
   need not wait for the filters; it also returns metric-math alarms, which
   DescribeAlarmsForMetric does not.
   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
3. Then per distinct SNS topic that an alarm on one of those filters' metrics notifies:
   SNS ListSubscriptionsByTopic in the topic's region, paged. Alarms on other metrics
   are kept (the checks may name them) but their topics are not read: a region can have
   hundreds of alarms that say nothing about CIS monitoring.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from trailwarden.arns import parse_arn, parse_log_group_arn
from trailwarden.collect.calls import AwsCallError, api_error, error_code
from trailwarden.inventory import (
    Alarm,
    ApiError,
    LogGroup,
    LogGroupFilters,
    MetricFilter,
    MetricTransformation,
    RegionAlarms,
    Topic,
    TrailConfig,
)

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.collect.cloudtrail import ListedTrail

__all__ = ["Monitoring", "monitored_log_groups"]

# ListSubscriptionsByTopic's SubscriptionArn for a subscription not (or no longer)
# confirmed: https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html
PENDING = "PendingConfirmation"
NOT_CONFIRMED = frozenset({PENDING, "Deleted"})

MonitoringFacts = tuple[tuple[LogGroupFilters, ...], tuple[RegionAlarms, ...], tuple[Topic, ...]]


def monitored_log_groups(
    account_id: str,
    kept: Iterable[tuple[ListedTrail, TrailConfig | ApiError]],
    log_groups: Iterable[LogGroup],
) -> list[LogGroup]:
    """The existing log groups of the account's multi-region trails (see the module doc)."""
    keys = set()
    for trail, config in kept:
        if not isinstance(config, TrailConfig) or not config.is_multi_region:
            continue
        if trail.account_id != account_id or not (config.log_group_arn and config.role_arn):
            continue
        ref = parse_log_group_arn(config.log_group_arn)
        # CloudTrail delivers only to its home region and account (DEVELOPERS.md).
        if ref is not None and ref.region == trail.home_region and ref.account_id == account_id:
            keys.add(ref.key)
    return sorted((g for g in log_groups if g.key in keys and g.exists), key=lambda g: g.key)


class Monitoring:
    """Started by :meth:`start` (filters and alarms in flight), finished by :meth:`result`."""

    def __init__(self, factory: ClientFactory, pool: ThreadPoolExecutor) -> None:
        self.factory, self.pool = factory, pool
        self.filters: list[Future[LogGroupFilters]] = []
        self.alarms: dict[str, Future[RegionAlarms]] = {}

    def start(self, groups: Iterable[LogGroup]) -> Monitoring:
        for group in groups:
            self.filters.append(self.pool.submit(describe_metric_filters, self.factory, group))
            if group.region not in self.alarms:
                self.alarms[group.region] = self.pool.submit(
                    describe_alarms, self.factory, group.region
                )
        return self

    def result(self) -> MonitoringFacts:
        filters = tuple(f.result() for f in self.filters)
        alarms = tuple(self.alarms[r].result() for r in sorted(self.alarms))
        topics = {
            arn: self.pool.submit(list_subscriptions, self.factory, arn)
            for arn in notified_topics(filters, alarms)
        }
        return filters, alarms, tuple(topics[arn].result() for arn in sorted(topics))


def notified_topics(
    filters: Iterable[LogGroupFilters], alarms: Iterable[RegionAlarms]
) -> list[str]:
    """The SNS topics of the alarms on a filter's metric (same region, name, namespace)."""
    metrics = {
        (f.region, t.metric_name, t.metric_namespace)
        for group in filters
        for f in group.filters
        for t in f.transformations
    }
    topics = set()
    for region in alarms:
        for alarm in region.alarms:
            if metrics & {(alarm.region, *m) for m in _alarm_metrics(alarm)}:
                topics |= {a for a in alarm.alarm_actions if _is_topic(a)}
    return sorted(topics)


def _alarm_metrics(alarm: Alarm) -> list[tuple[str | None, str | None]]:
    """(name, namespace) of the metric an alarm watches, or of each metric-math input."""
    found = [(alarm.metric_name, alarm.namespace)]
    for query in alarm.metrics:
        metric = (query.get("MetricStat") or {}).get("Metric") or {}
        found.append((metric.get("MetricName"), metric.get("Namespace")))
    return found


def _is_topic(action: str) -> bool:
    # Alarm actions can also be Auto Scaling, EC2, SSM or Lambda ARNs:
    # https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
    arn = parse_arn(action)
    return arn is not None and arn.service == "sns" and bool(arn.region)


def describe_metric_filters(factory: ClientFactory, group: LogGroup) -> LogGroupFilters:
    """The metric filters on ``group``, patterns verbatim.
    https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeMetricFilters.html
    """
    found: list[MetricFilter] = []
    kwargs: dict[str, Any] = {"logGroupName": group.name}
    try:
        client = factory.client("logs", group.region)
        while True:
            page = client.describe_metric_filters(**kwargs)
            for item in page.get("metricFilters", []):
                # Filter by logGroupName is exact, but make sure: the key is per group.
                if item.get("logGroupName", group.name) != group.name:
                    continue
                found.append(_metric_filter(group, item))
            token = page.get("nextToken")
            if not token:
                break
            kwargs["nextToken"] = token
    except AwsCallError as exc:
        error = api_error(exc, "logs:DescribeMetricFilters", group.region)
        return LogGroupFilters(group.key, group.region, error=error)
    return LogGroupFilters(group.key, group.region, filters=tuple(found))


def _metric_filter(group: LogGroup, item: Any) -> MetricFilter:
    transformations = tuple(
        MetricTransformation(
            metric_name=t["metricName"],
            metric_namespace=t["metricNamespace"],
            metric_value=t["metricValue"],
            default_value=t.get("defaultValue"),
        )
        for t in item.get("metricTransformations", [])
    )
    return MetricFilter(
        log_group_key=group.key,
        region=group.region,
        name=item.get("filterName", ""),
        # Verbatim: the checks judge the pattern as CloudWatch Logs parses it.
        pattern=item.get("filterPattern", ""),
        transformations=transformations,
    )


def describe_alarms(factory: ClientFactory, region: str) -> RegionAlarms:
    """Every metric alarm of ``region`` (composite alarms cannot watch a filter's metric)."""
    found: list[Alarm] = []
    kwargs: dict[str, Any] = {"AlarmTypes": ["MetricAlarm"]}
    try:
        client = factory.client("cloudwatch", region)
        while True:
            page = client.describe_alarms(**kwargs)
            found.extend(_alarm(region, a) for a in page.get("MetricAlarms", []))
            token = page.get("NextToken")
            if not token:
                break
            kwargs["NextToken"] = token
    except AwsCallError as exc:
        return RegionAlarms(region, error=api_error(exc, "cloudwatch:DescribeAlarms", region))
    return RegionAlarms(region, alarms=tuple(found))


def _alarm(region: str, item: Any) -> Alarm:
    threshold = item.get("Threshold")
    return Alarm(
        arn=item["AlarmArn"],
        name=item["AlarmName"],
        region=region,
        metric_name=item.get("MetricName"),
        namespace=item.get("Namespace"),
        # AWS's default when the alarm was created without it is true.
        actions_enabled=bool(item.get("ActionsEnabled", True)),
        alarm_actions=tuple(item.get("AlarmActions", [])),
        statistic=item.get("Statistic") or item.get("ExtendedStatistic"),
        comparison_operator=item.get("ComparisonOperator"),
        threshold=float(threshold) if threshold is not None else None,
        period=item.get("Period"),
        evaluation_periods=item.get("EvaluationPeriods"),
        dimensions=tuple(dict(d) for d in item.get("Dimensions", [])),
        metrics=tuple(dict(m) for m in item.get("Metrics", [])),
        state=item.get("StateValue"),
    )


def list_subscriptions(factory: ClientFactory, topic_arn: str) -> Topic:
    """A topic's subscriptions, counted (in the topic's own region).
    https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
    """
    arn = parse_arn(topic_arn)
    region = arn.region if arn is not None else ""
    confirmed = pending = 0
    protocols: set[str] = set()
    kwargs: dict[str, Any] = {"TopicArn": topic_arn}
    try:
        client = factory.client("sns", region)
        while True:
            page = client.list_subscriptions_by_topic(**kwargs)
            for sub in page.get("Subscriptions", []):
                state = sub.get("SubscriptionArn", "")
                pending += state == PENDING
                if state not in NOT_CONFIRMED:
                    confirmed += 1
                    # Only confirmed subscriptions say how someone gets notified.
                    protocols.add(sub.get("Protocol", ""))
            token = page.get("NextToken")
            if not token:
                break
            kwargs["NextToken"] = token
    except AwsCallError as exc:
        if error_code(exc) == "NotFound":  # the topic was deleted; alarms still name it
            return Topic(topic_arn, region, exists=False)
        error = api_error(exc, "sns:ListSubscriptionsByTopic", region)
        return Topic(topic_arn, region, exists=None, error=error)
    return Topic(
        topic_arn,
        region,
        confirmed_subscriptions=confirmed,
        pending_subscriptions=pending,
        protocols=tuple(sorted(protocols)),
    )
