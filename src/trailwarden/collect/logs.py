"""CloudWatch Logs reads: the log group a trail delivers to, looked up by exact name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailwarden.arns import LogGroupRef
from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.inventory import ApiError, LogGroup

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["describe_log_group", "unreadable_log_group"]

ACTION = "logs:DescribeLogGroups"


def describe_log_group(factory: ClientFactory, ref: LogGroupRef) -> LogGroup:
    """Look ``ref`` up in its own region (the scanned account must own it).

    DescribeLogGroups filters by name prefix only, so page until the exact name shows up
    or the pages end (names come back sorted, so that is usually the first page):
    https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html
    """
    kwargs: dict[str, Any] = {"logGroupNamePrefix": ref.name}
    try:
        client = factory.client("logs", ref.region)
        while True:
            page = client.describe_log_groups(**kwargs)
            for group in page.get("logGroups", []):
                if group.get("logGroupName") == ref.name:
                    return LogGroup(
                        key=ref.key,
                        name=ref.name,
                        region=ref.region,
                        account_id=ref.account_id,
                        exists=True,
                        retention_in_days=group.get("retentionInDays"),
                        kms_key_id=group.get("kmsKeyId") or None,
                        stored_bytes=group.get("storedBytes"),
                    )
            token = page.get("nextToken")
            if not token:
                break
            kwargs["nextToken"] = token
    except AwsCallError as exc:
        return unreadable_log_group(ref, api_error(exc, ACTION, ref.region))
    return LogGroup(ref.key, ref.name, ref.region, ref.account_id, exists=False)


def unreadable_log_group(ref: LogGroupRef, error: ApiError) -> LogGroup:
    """A log group whose existence is unknown: the lookup failed or was not possible."""
    return LogGroup(ref.key, ref.name, ref.region, ref.account_id, exists=None, error=error)
