"""The collected facts about one account: frozen, JSON-serialisable dataclasses.

An :class:`Inventory` is everything the checks need and nothing else; the checks are
pure functions of it. A fact that could not be read is recorded as an
:class:`ApiError` next to where the fact would be, so that the checks can report
ERROR for exactly what depends on it.

Serialisation (``--save-inventory`` / ``--inventory``) lives in
:mod:`trailwarden.collect.inventory_file`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "INVENTORY_SCHEMA_VERSION",
    "NOT_IN_CODE",
    "Alarm",
    "ApiError",
    "EventSelectors",
    "Inventory",
    "LogGroup",
    "LogGroupFilters",
    "MetricFilter",
    "MetricTransformation",
    "PolicyDocument",
    "RegionAlarms",
    "Role",
    "Topic",
    "Trail",
    "TrailConfig",
    "TrailRef",
    "TrailStatus",
    "Unknown",
]

INVENTORY_SCHEMA_VERSION = 1

JsonDict = dict[str, Any]

# The ApiError code of a fact infrastructure code does not give (``trailwarden iac``): it is
# decided outside the configuration (a log group of another stack) or only once applied.
# Its message is the reason, one clause; the checks never PASS on it.
NOT_IN_CODE = "NotKnownFromCode"


class Unknown(str):
    """A text fact infrastructure code does not determine (``trailwarden iac``).

    It is a ``str``: a stand-in (``${var.topic_arn}``, a placeholder ARN) that compares
    consistently wherever the same expression is used; ``reason`` says why the value itself
    is unknown. The checks test for it where a guess could decide a verdict. The AWS
    collector and inventory files never hold one.
    """

    reason: str

    def __new__(cls, stand_in: str, reason: str) -> Unknown:
        made = super().__new__(cls, stand_in)
        made.reason = reason
        return made


@dataclass(frozen=True)
class ApiError:
    """An AWS API call that failed, so the facts it would have given are unknown."""

    action: str  # "cloudtrail:GetTrailStatus"
    code: str  # the AWS error code, e.g. "AccessDeniedException"
    message: str = ""
    region: str | None = None

    def describe(self) -> str:
        if self.code == NOT_IN_CODE:
            return self.message
        where = f" in {self.region}" if self.region else ""
        detail = f": {self.message}" if self.message else ""
        return f"{self.code} on {self.action}{where}{detail}"


@dataclass(frozen=True)
class TrailConfig:
    """What DescribeTrails says about a trail (in its home region)."""

    is_multi_region: bool
    is_organization_trail: bool
    log_group_arn: str | None  # CloudWatchLogsLogGroupArn; "" is stored as None
    role_arn: str | None  # CloudWatchLogsRoleArn; "" is stored as None
    has_custom_event_selectors: bool = False
    include_global_service_events: bool = True
    s3_bucket_name: str | None = None
    kms_key_id: str | None = None


@dataclass(frozen=True)
class TrailStatus:
    """What GetTrailStatus says (in the trail's home region)."""

    is_logging: bool
    latest_cloudwatch_logs_delivery_time: datetime | None = None
    latest_cloudwatch_logs_delivery_error: str | None = None


@dataclass(frozen=True)
class EventSelectors:
    """GetEventSelectors: basic ``EventSelectors`` or ``AdvancedEventSelectors``, raw."""

    basic: tuple[JsonDict, ...] = ()
    advanced: tuple[JsonDict, ...] = ()


@dataclass(frozen=True)
class Trail:
    """One trail, once, as seen from its home region.

    ``account_id`` is the owner (from the ARN); for an organization trail seen from
    a member account it differs from :attr:`Inventory.account_id`.
    A ``None`` fact with a ``*_error`` set could not be read; a ``None`` fact
    without an error was not needed (e.g. event selectors of a single-region trail).
    """

    arn: str
    name: str
    home_region: str
    account_id: str
    config: TrailConfig | None = None
    config_error: ApiError | None = None
    status: TrailStatus | None = None
    status_error: ApiError | None = None
    event_selectors: EventSelectors | None = None
    event_selectors_error: ApiError | None = None


@dataclass(frozen=True)
class TrailRef:
    """A trail of another account that ListTrails showed, listed but not described.

    Only an organization trail can be: AWS lists it in every member account. In an
    organization scan it is evaluated once, in its owner's scan, and the member's checks
    are credited from there (``trailwarden scan --org``).
    """

    arn: str
    name: str
    home_region: str
    account_id: str  # the owner, from the ARN


@dataclass(frozen=True)
class LogGroup:
    """A log group referenced by a trail, looked up in its own region and account.

    ``key`` is the log group ARN without the ``:*`` suffix
    (:attr:`trailwarden.arns.LogGroupRef.key`). ``exists`` is None when the lookup
    failed (``error`` is set) or could not be attempted from this account.
    """

    key: str
    name: str
    region: str
    account_id: str
    exists: bool | None
    retention_in_days: int | None = None
    kms_key_id: str | None = None
    stored_bytes: int | None = None
    error: ApiError | None = None


@dataclass(frozen=True)
class PolicyDocument:
    """An IAM policy attached to a role: inline (by name) or managed (by ARN)."""

    name: str
    kind: str  # "inline" | "managed" | "boundary"
    document: JsonDict


@dataclass(frozen=True)
class Role:
    """A delivery role referenced by a trail, with every policy that governs it."""

    arn: str
    name: str
    account_id: str
    exists: bool | None
    trust_policy: JsonDict | None = None
    policies: tuple[PolicyDocument, ...] = ()
    permissions_boundary: PolicyDocument | None = None
    error: ApiError | None = None


@dataclass(frozen=True)
class MetricTransformation:
    metric_name: str
    metric_namespace: str
    metric_value: str
    default_value: float | None = None


@dataclass(frozen=True)
class MetricFilter:
    """A metric filter on a log group (DescribeMetricFilters), pattern kept verbatim."""

    log_group_key: str  # LogGroup.key of the log group it is on
    region: str
    name: str
    pattern: str
    transformations: tuple[MetricTransformation, ...] = ()


@dataclass(frozen=True)
class LogGroupFilters:
    """The metric filters of one integrated log group, or why they could not be read."""

    log_group_key: str
    region: str
    filters: tuple[MetricFilter, ...] = ()
    error: ApiError | None = None


@dataclass(frozen=True)
class Alarm:
    """A CloudWatch metric alarm (DescribeAlarms), with what decides whether it notifies."""

    arn: str
    name: str
    region: str
    metric_name: str | None  # None for metric-math alarms (see ``metrics``)
    namespace: str | None
    actions_enabled: bool
    alarm_actions: tuple[str, ...] = ()
    statistic: str | None = None
    comparison_operator: str | None = None
    threshold: float | None = None
    period: int | None = None
    evaluation_periods: int | None = None
    dimensions: tuple[JsonDict, ...] = ()
    metrics: tuple[JsonDict, ...] = ()  # MetricDataQueries of a metric-math alarm
    state: str | None = None


@dataclass(frozen=True)
class RegionAlarms:
    """The alarms of one region, or why they could not be read."""

    region: str
    alarms: tuple[Alarm, ...] = ()
    error: ApiError | None = None


@dataclass(frozen=True)
class Topic:
    """An SNS topic an alarm notifies, with its subscriptions (ListSubscriptionsByTopic).

    A subscription whose SubscriptionArn is ``PendingConfirmation`` is not confirmed.
    """

    arn: str
    region: str
    confirmed_subscriptions: int = 0
    pending_subscriptions: int = 0
    protocols: tuple[str, ...] = ()
    exists: bool | None = True
    error: ApiError | None = None


@dataclass(frozen=True)
class Inventory:
    """Everything collected from one account."""

    account_id: str
    partition: str
    collected_at: datetime
    # --regions as given; None means every region (no filter).
    regions: tuple[str, ...] | None = None
    organization_id: str | None = None
    trails: tuple[Trail, ...] = ()
    log_groups: tuple[LogGroup, ...] = ()
    roles: tuple[Role, ...] = ()
    # Account-level failures, e.g. ListTrails denied: nothing can be said per trail.
    errors: tuple[ApiError, ...] = ()
    # Monitoring (TW101–TW115): filters of the integrated log groups, alarms of their
    # regions, and the SNS topics those alarms notify. Empty when not collected.
    metric_filters: tuple[LogGroupFilters, ...] = ()
    alarms: tuple[RegionAlarms, ...] = ()
    topics: tuple[Topic, ...] = ()
    schema_version: int = field(default=INVENTORY_SCHEMA_VERSION)
    # Organization trails of another account, listed only (``scan --org`` member scans);
    # a single-account scan describes them in ``trails`` instead.
    organization_trails: tuple[TrailRef, ...] = ()

    def log_group(self, key: str) -> LogGroup | None:
        return next((g for g in self.log_groups if g.key == key), None)

    def role(self, arn: str) -> Role | None:
        return next((r for r in self.roles if r.arn == arn), None)
