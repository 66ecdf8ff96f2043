"""AWS's documented CloudTrail behaviour, patched into moto's in-process backends.

moto (5.x) differs from the CloudTrail API reference where the collector relies on it:

- ListTrails returns only the current region's trails plus multi-region ones; AWS
  returns every trail of the account with its HomeRegion, and organization trails to
  member accounts. https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html
- DescribeTrails ignores ``trailNameList``: names match trails of the current region and
  account only; ARNs match any trail visible in the region (home or shadow copy).
  https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
- GetTrailStatus lacks LatestCloudWatchLogsDeliveryTime/Error, and members cannot read
  an organization trail's status by ARN.
  https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
- GetEventSelectors returns ``[]`` for a trail without selectors (AWS: all management
  events, read and write) and DescribeTrails' HasCustomEventSelectors is always false.
  https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html
- DescribeTrails returns ``null`` for unset fields; AWS leaves them out.
- SNS confirms every subscription at once; AWS lists an email (or HTTP) subscription as
  ``PendingConfirmation`` until its owner confirms it. :func:`set_pending_confirmation`
  keeps a subscription pending.
  https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
- PutMetricFilter adds a second filter of the same name; AWS updates the existing one.
  https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
- UpdateTrail stores any role and log group; CloudTrail refuses ones it cannot use
  (:mod:`trailwarden.demo.moto_update_trail`).

It also installs the denials of :mod:`trailwarden.demo.moto_denials`, the delegated
administrator's reads of :mod:`trailwarden.demo.moto_organizations`, AWS Config's
PutEvaluations / StartConfigRulesEvaluation and EventBridge's TestEventPattern
(:mod:`trailwarden.demo.moto_config`, for the Config rule), and remembers which moto
backend serves a host (moto lists its own package directory for that at every request: a
third of the demo's time).
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

from trailwarden.demo import moto_config
from trailwarden.demo.moto_denials import clear_denials, denying_call_action
from trailwarden.demo.moto_dispatch import caching_backend_for_host
from trailwarden.demo.moto_update_trail import validating_update_trail

__all__ = [
    "STATE",
    "install_aws_semantics",
    "register_organization",
    "set_delivery",
    "set_pending_confirmation",
    "uninstall_aws_semantics",
]

# GetEventSelectors for a trail whose selectors were never put.
DEFAULT_EVENT_SELECTOR = {
    "ReadWriteType": "All",
    "IncludeManagementEvents": True,
    "DataResources": [],
    "ExcludeManagementEventSources": [],
}


class _State:
    """The facts moto cannot hold, shared by every request thread of the server."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.delivery: dict[str, tuple[datetime | None, str | None]] = {}
        self.management_of: dict[str, str] = {}  # member account -> management account
        self.pending: set[str] = set()  # SNS subscription ARNs not confirmed

    def clear(self) -> None:
        with self.lock:
            self.delivery.clear()
            self.management_of.clear()
            self.pending.clear()
        clear_denials()
        moto_config.clear_config()


STATE = _State()


def set_delivery(trail_arn: str, time: datetime | None, error: str | None) -> None:
    """What GetTrailStatus reports as the trail's latest CloudWatch Logs delivery."""
    with STATE.lock:
        STATE.delivery[trail_arn] = (time, error)


def register_organization(management_account: str, member_accounts: list[str]) -> None:
    """Make the management account's organization trails visible to these members."""
    with STATE.lock:
        for member in member_accounts:
            STATE.management_of[member] = management_account


def set_pending_confirmation(subscription_arn: str) -> None:
    """Keep an SNS subscription unconfirmed (as an email nobody clicked)."""
    with STATE.lock:
        STATE.pending.add(subscription_arn)


_originals: dict[tuple[type, str], Any] = {}
_install_lock = threading.Lock()


def install_aws_semantics() -> bool:
    """Patch moto (idempotent); True when this call installed the patches."""
    from moto.cloudtrail.models import CloudTrailBackend, Trail
    from moto.cloudtrail.responses import CloudTrailResponse
    from moto.config.responses import ConfigResponse
    from moto.core.responses import BaseResponse
    from moto.events.responses import EventsHandler
    from moto.logs.metric_filters import MetricFilters
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.organizations.responses import OrganizationsResponse
    from moto.sns.models import SNSBackend

    from trailwarden.demo.moto_organizations import organizations_backend

    patches: dict[tuple[type, str], Any] = {
        (CloudTrailBackend, "list_trails"): _list_trails,
        (CloudTrailBackend, "get_event_selectors"): _get_event_selectors,
        (CloudTrailBackend, "update_trail"): validating_update_trail(
            CloudTrailBackend.__dict__["update_trail"]
        ),
        (CloudTrailResponse, "describe_trails"): _describe_trails,
        (CloudTrailResponse, "get_trail_status"): _get_trail_status,
        (Trail, "put_event_selectors"): _put_event_selectors,
        (Trail, "description"): _description,
        (SNSBackend, "list_subscriptions_by_topic"): _list_subscriptions_by_topic,
        (MetricFilters, "add_filter"): _add_metric_filter,
        (BaseResponse, "call_action"): denying_call_action(BaseResponse.__dict__["call_action"]),
        (OrganizationsResponse, "organizations_backend"): property(organizations_backend),
        (DomainDispatcherApplication, "get_backend_for_host"): caching_backend_for_host(
            DomainDispatcherApplication.__dict__["get_backend_for_host"]
        ),
        (ConfigResponse, "put_evaluations"): moto_config.put_evaluations,
        (
            ConfigResponse,
            "start_config_rules_evaluation",
        ): moto_config.start_config_rules_evaluation,
        (EventsHandler, "test_event_pattern"): moto_config.test_event_pattern,
    }
    with _install_lock:
        if _originals:
            return False
        for (cls, name), replacement in patches.items():
            # None: moto has no such method (StartConfigRulesEvaluation); removed on uninstall.
            _originals[(cls, name)] = cls.__dict__.get(name)
            setattr(cls, name, replacement)
    return True


def uninstall_aws_semantics() -> None:
    """Undo :func:`install_aws_semantics`."""
    with _install_lock:
        for (cls, name), original in _originals.items():
            if original is None:
                delattr(cls, name)
            else:
                setattr(cls, name, original)
        _originals.clear()


def _original(cls_name: str, name: str) -> Any:
    return next(f for (cls, n), f in _originals.items() if cls.__name__ == cls_name and n == name)


def _trails_of(account: str) -> list[Any]:
    from moto.cloudtrail.models import cloudtrail_backends

    backends = list(cloudtrail_backends[account].values())
    return [t for backend in backends for t in list(backend.trails.values())]


def _org_trails_for(member: str) -> list[Any]:
    with STATE.lock:
        management = STATE.management_of.get(member)
    return [t for t in _trails_of(management) if t.is_org_trail] if management else []


def _visible(account: str, region: str, *, shadows: bool) -> list[Any]:
    """The trails DescribeTrails shows in ``region``: homed here, plus shadow copies."""
    from moto.utilities.utils import get_partition

    partition = get_partition(region)

    def shown(trail: Any, *, own: bool) -> bool:
        if trail.partition != partition:
            return False
        if trail.region_name == region and own:
            return True
        return shadows and (trail.is_multi_region or trail.region_name == region)

    own = [t for t in _trails_of(account) if shown(t, own=True)]
    return own + [t for t in _org_trails_for(account) if shown(t, own=False)]


def _resolve(account: str, region: str, name: str) -> Any:
    """A trail by name (homed in ``region``, this account) or by ARN (visible here)."""
    from moto.cloudtrail.exceptions import TrailNotFoundException

    if name.startswith("arn:"):
        found = next((t for t in _visible(account, region, shadows=True) if t.arn == name), None)
    else:
        found = next(
            (t for t in _trails_of(account) if t.trail_name == name and t.region_name == region),
            None,
        )
    if found is None:
        raise TrailNotFoundException(account_id=account, name=name)
    return found


def _list_trails(self: Any) -> list[Any]:
    from moto.utilities.utils import get_partition

    partition = get_partition(self.region_name)
    trails = _trails_of(self.account_id) + _org_trails_for(self.account_id)
    return [t for t in trails if t.partition == partition]


def _describe_trails(self: Any) -> str:
    account, region = self.current_account, self.region
    trails = _visible(account, region, shadows=self._get_bool_param("includeShadowTrails", True))
    names = self._get_param("trailNameList") or []
    if names:
        trails = [
            t
            for t in trails
            if t.arn in names
            or (t.trail_name in names and t.region_name == region and t.account_id == account)
        ]
    return json.dumps({"trailList": [t.description(include_region=True) for t in trails]})


def _get_trail_status(self: Any) -> str:
    trail = _resolve(self.current_account, self.region, self._get_param("Name"))
    desc = trail.status.description()
    with STATE.lock:
        time, error = STATE.delivery.get(trail.arn, (None, None))
    if time is not None:
        desc["LatestCloudWatchLogsDeliveryTime"] = time.timestamp()
    if error:
        desc["LatestCloudWatchLogsDeliveryError"] = error
    return json.dumps(desc)


def _get_event_selectors(self: Any, trail_name: str) -> tuple[str, list[Any], list[Any]]:
    trail = _resolve(self.account_id, self.region_name, trail_name)
    if getattr(trail, "tw_custom_selectors", False):
        return trail.arn, trail.event_selectors, trail.advanced_event_selectors
    return trail.arn, [dict(DEFAULT_EVENT_SELECTOR)], []


def _put_event_selectors(self: Any, event_selectors: Any, advanced_event_selectors: Any) -> None:
    _original("Trail", "put_event_selectors")(self, event_selectors, advanced_event_selectors)
    self.tw_custom_selectors = bool(event_selectors or advanced_event_selectors)


def _description(self: Any, include_region: bool = False) -> dict[str, Any]:
    desc = _original("Trail", "description")(self, include_region)
    desc["HasCustomEventSelectors"] = bool(getattr(self, "tw_custom_selectors", False))
    return {k: v for k, v in desc.items() if v is not None}


def _list_subscriptions_by_topic(
    self: Any, topic_arn: str, next_token: str | None = None
) -> tuple[list[Any], Any]:
    subscriptions, token = _original("SNSBackend", "list_subscriptions_by_topic")(
        self, topic_arn, next_token
    )
    with STATE.lock:
        pending = set(STATE.pending)
    # AWS shows a pending subscription with this placeholder instead of its ARN.
    return [
        {
            "SubscriptionArn": "PendingConfirmation",
            "Owner": s.owner,
            "Protocol": s.protocol,
            "Endpoint": s.endpoint,
            "TopicArn": s.topic_arn,
        }
        if s.arn in pending
        else s
        for s in subscriptions
    ], token


def _add_metric_filter(
    self: Any, name: str, pattern: str, group: str, transformations: Any
) -> None:
    self.metric_filters = [
        f for f in self.metric_filters if (f["logGroupName"], f["filterName"]) != (group, name)
    ]
    _original("MetricFilters", "add_filter")(self, name, pattern, group, transformations)
