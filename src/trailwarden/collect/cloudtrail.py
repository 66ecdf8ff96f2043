"""CloudTrail reads: ListTrails once, then per trail in its home region only.

API reference: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from trailwarden.arns import parse_arn
from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.inventory import ApiError, EventSelectors, TrailConfig, TrailStatus

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = [
    "DEFAULT_EVENT_SELECTORS",
    "ListedTrail",
    "describe_trails",
    "get_event_selectors",
    "get_trail_status",
    "list_trails",
]

# What a trail logs when no event selectors were ever put: all management events, read
# and write, no data events. HasCustomEventSelectors is false exactly then, so
# GetEventSelectors can be skipped:
# https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html
# https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html
DEFAULT_EVENT_SELECTORS = EventSelectors(
    basic=(
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": True,
            "DataResources": [],
            "ExcludeManagementEventSources": [],
        },
    )
)


@dataclass(frozen=True)
class ListedTrail:
    """One ListTrails entry: enough to find the trail in its home region."""

    arn: str
    name: str
    home_region: str

    @property
    def account_id(self) -> str:
        arn = parse_arn(self.arn)
        return arn.account_id if arn else ""


def list_trails(factory: ClientFactory, region: str) -> list[ListedTrail] | ApiError:
    """Every trail of the account, each once with its home region (one call per page).

    ListTrails, unlike DescribeTrails, returns every trail in every region, and org
    trails for member accounts:
    https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html
    """
    by_arn: dict[str, ListedTrail] = {}
    kwargs: dict[str, Any] = {}
    try:
        client = factory.client("cloudtrail", region)
        while True:
            page = client.list_trails(**kwargs)
            for t in page.get("Trails", []):
                arn, home = t.get("TrailARN"), t.get("HomeRegion")
                if arn and home:
                    by_arn.setdefault(arn, ListedTrail(arn, t.get("Name") or arn, home))
            token = page.get("NextToken")
            if not token:
                break
            kwargs["NextToken"] = token
    except AwsCallError as exc:
        return api_error(exc, "cloudtrail:ListTrails", region)
    return list(by_arn.values())


def describe_trails(
    factory: ClientFactory, region: str, arns: Sequence[str]
) -> dict[str, TrailConfig | ApiError]:
    """TrailConfig of each ARN (all homed in ``region``), from one DescribeTrails call."""
    action = "cloudtrail:DescribeTrails"
    try:
        client = factory.client("cloudtrail", region)
        # includeShadowTrails: an organization trail is a shadow in a member account.
        resp = client.describe_trails(trailNameList=list(arns), includeShadowTrails=True)
    except AwsCallError as exc:
        error = api_error(exc, action, region)
        return dict.fromkeys(arns, error)
    wanted = set(arns)
    out: dict[str, TrailConfig | ApiError] = {}
    # Keep only the trails asked for: some endpoints ignore trailNameList.
    for t in resp.get("trailList", []):
        arn = t.get("TrailARN")
        if arn in wanted and arn not in out:
            out[arn] = _trail_config(t)
    for arn in arns:
        if arn not in out:
            out[arn] = ApiError(
                action,
                "TrailNotFoundException",
                "DescribeTrails did not return this trail.",
                region,
            )
    return out


def _trail_config(t: Any) -> TrailConfig:
    return TrailConfig(
        is_multi_region=bool(t.get("IsMultiRegionTrail", False)),
        is_organization_trail=bool(t.get("IsOrganizationTrail", False)),
        # An unset ARN is missing or "" depending on the trail's history: both are None.
        log_group_arn=t.get("CloudWatchLogsLogGroupArn") or None,
        role_arn=t.get("CloudWatchLogsRoleArn") or None,
        has_custom_event_selectors=bool(t.get("HasCustomEventSelectors", False)),
        include_global_service_events=bool(t.get("IncludeGlobalServiceEvents", True)),
        s3_bucket_name=t.get("S3BucketName") or None,
        kms_key_id=t.get("KmsKeyId") or None,
    )


def get_trail_status(factory: ClientFactory, arn: str, region: str) -> TrailStatus | ApiError:
    """GetTrailStatus by ARN in the home region (members must use the ARN of an org trail).

    https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
    """
    try:
        resp = factory.client("cloudtrail", region).get_trail_status(Name=arn)
    except AwsCallError as exc:
        return api_error(exc, "cloudtrail:GetTrailStatus", region)
    return TrailStatus(
        is_logging=bool(resp.get("IsLogging", False)),
        latest_cloudwatch_logs_delivery_time=_utc(resp.get("LatestCloudWatchLogsDeliveryTime")),
        latest_cloudwatch_logs_delivery_error=resp.get("LatestCloudWatchLogsDeliveryError") or None,
    )


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def get_event_selectors(factory: ClientFactory, arn: str, region: str) -> EventSelectors | ApiError:
    """GetEventSelectors by ARN in the home region: basic or advanced selectors, raw."""
    try:
        resp = factory.client("cloudtrail", region).get_event_selectors(TrailName=arn)
    except AwsCallError as exc:
        return api_error(exc, "cloudtrail:GetEventSelectors", region)
    return EventSelectors(
        basic=tuple(dict(s) for s in resp.get("EventSelectors") or ()),
        advanced=tuple(dict(s) for s in resp.get("AdvancedEventSelectors") or ()),
    )
