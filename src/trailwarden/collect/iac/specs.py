"""What the three readers of code (Terraform, its plan, CloudFormation) make of it: the
resources the checks need, in one neutral shape, with :class:`Unresolved` where code does not
give a value. :mod:`.build` turns them into an :class:`~trailwarden.inventory.Inventory`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trailwarden.findings import SourceLocation

__all__ = [
    "AlarmSpec",
    "AttachmentSpec",
    "Code",
    "Doc",
    "Flag",
    "LogGroupSpec",
    "ManagedPolicySpec",
    "MetricSpec",
    "RolePolicySpec",
    "RoleSpec",
    "SubscriptionSpec",
    "Text",
    "TopicSpec",
    "TrailSpec",
    "Unresolved",
    "Where",
    "FilterSpec",
]


@dataclass(frozen=True)
class Unresolved:
    """A value code does not determine: a variable without a value, a data source, an output
    of a remote module, an attribute known only after apply.

    ``text`` stands in for it (``${var.role_arn}``) — the same expression always gives the same
    text; ``reason`` says why it is unknown; ``refs`` are the addresses of resources of the code
    it derives from (``aws_cloudwatch_log_group.trail``), which link it to them.
    """

    text: str
    reason: str
    refs: frozenset[str] = frozenset()


Text = str | Unresolved
Flag = bool | Unresolved
# A policy document: parsed JSON, or what is known of it.
Doc = dict[str, Any] | Unresolved


@dataclass(frozen=True)
class Where:
    """A resource's address (Terraform address, CloudFormation logical id) and block."""

    address: str
    location: SourceLocation | None = None
    # Why it may not exist (an unresolved count, for_each or Condition); None: it exists.
    maybe: str | None = None


@dataclass(frozen=True)
class TrailSpec:
    where: Where
    name: Text
    region: str
    log_group_arn: Text | None
    role_arn: Text | None
    multi_region: Flag = False
    organization: Flag = False
    logging: Flag = True
    include_global_service_events: Flag = True
    # AWS API shapes (EventSelectors / AdvancedEventSelectors); Unresolved: not known.
    basic_selectors: tuple[dict[str, Any], ...] | Unresolved = ()
    advanced_selectors: tuple[dict[str, Any], ...] | Unresolved = ()
    s3_bucket_name: Text | None = None
    kms_key_id: Text | None = None


@dataclass(frozen=True)
class LogGroupSpec:
    where: Where
    name: Text
    region: str
    retention_in_days: int | None | Unresolved  # None or 0: never expire


@dataclass(frozen=True)
class RoleSpec:
    where: Where
    name: Text
    region: str  # roles are global: it only names the partition
    path: str
    trust: Doc | None
    inline: tuple[tuple[Text, Doc], ...] = ()
    managed_policy_arns: tuple[Text, ...] | Unresolved = ()
    boundary_arn: Text | None = None


@dataclass(frozen=True)
class RolePolicySpec:
    """An inline policy given to roles by name (aws_iam_role_policy, AWS::IAM::Policy …)."""

    where: Where
    roles: tuple[Text, ...] | Unresolved
    name: Text
    document: Doc


@dataclass(frozen=True)
class ManagedPolicySpec:
    where: Where
    arn: Text
    document: Doc
    roles: tuple[Text, ...] = ()  # roles it is attached to by the same resource (CloudFormation)


@dataclass(frozen=True)
class AttachmentSpec:
    where: Where
    roles: tuple[Text, ...] | Unresolved
    policy_arn: Text


@dataclass(frozen=True)
class MetricSpec:
    name: Text
    namespace: Text
    value: Text
    default_value: float | None = None


@dataclass(frozen=True)
class FilterSpec:
    where: Where
    name: Text
    region: str
    log_group_name: Text
    pattern: Text
    metrics: tuple[MetricSpec, ...] = ()


@dataclass(frozen=True)
class AlarmSpec:
    where: Where
    name: Text
    region: str
    metric_name: Text | None
    namespace: Text | None
    actions_enabled: Flag = True
    alarm_actions: tuple[Text, ...] | Unresolved = ()
    # Metric-math queries in the AWS API's MetricDataQueries shape.
    metrics: tuple[dict[str, Any], ...] | Unresolved = ()
    statistic: str | None = None
    comparison_operator: str | None = None
    threshold: float | None = None
    period: int | None = None
    evaluation_periods: int | None = None


@dataclass(frozen=True)
class TopicSpec:
    where: Where
    arn: Text
    region: str
    # Subscriptions declared on the topic itself (CloudFormation's Subscription property).
    protocols: tuple[Text, ...] = ()


@dataclass(frozen=True)
class SubscriptionSpec:
    where: Where
    topic_arn: Text
    protocol: Text
    region: str


@dataclass
class Code:
    """Everything read from one input, before it becomes an inventory."""

    account_id: str | None  # None: the code does not say (a placeholder stands in)
    trails: list[TrailSpec] = field(default_factory=list)
    log_groups: list[LogGroupSpec] = field(default_factory=list)
    roles: list[RoleSpec] = field(default_factory=list)
    role_policies: list[RolePolicySpec] = field(default_factory=list)
    managed_policies: list[ManagedPolicySpec] = field(default_factory=list)
    attachments: list[AttachmentSpec] = field(default_factory=list)
    filters: list[FilterSpec] = field(default_factory=list)
    alarms: list[AlarmSpec] = field(default_factory=list)
    topics: list[TopicSpec] = field(default_factory=list)
    subscriptions: list[SubscriptionSpec] = field(default_factory=list)
    # What was not read and may hold trails (a module of a remote source): one clause each.
    unread: list[str] = field(default_factory=list)
