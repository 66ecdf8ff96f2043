"""What the topic and subscription changes share: a topic's subscriptions, as SNS lists them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError, api_error, error_code
from trailwarden.collect.monitoring import NOT_CONFIRMED, PENDING
from trailwarden.inventory import ApiError, JsonDict
from trailwarden.remediate.model import Action, StepRecord

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["PENDING", "find_subscription", "list_topic_subscriptions", "subscribes_to"]


def list_topic_subscriptions(
    factory: ClientFactory, topic: str, region: str
) -> list[JsonDict] | None | ApiError:
    """The topic's subscriptions as SNS lists them (None: the topic does not exist).
    https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
    """
    found: list[JsonDict] = []
    kwargs: dict[str, Any] = {"TopicArn": topic}
    try:
        sns = factory.client("sns", region)
        while True:
            page = sns.list_subscriptions_by_topic(**kwargs)
            found.extend(dict(sub) for sub in page.get("Subscriptions", []))
            if not page.get("NextToken"):
                return found
            kwargs["NextToken"] = page["NextToken"]
    except AwsCallError as exc:
        if error_code(exc) == "NotFound":
            return None
        return api_error(exc, "sns:ListSubscriptionsByTopic", region)


def find_subscription(subs: list[JsonDict], protocol: str, endpoint: str) -> JsonDict | None:
    """The subscription of ``protocol`` + ``endpoint``, confirmed or pending (not one
    being deleted)."""
    for sub in subs:
        same = sub.get("Protocol") == protocol and sub.get("Endpoint") == endpoint
        arn = sub.get("SubscriptionArn", "")
        if same and (arn == PENDING or arn not in NOT_CONFIRMED):
            return sub
    return None


def subscribes_to(journal: tuple[StepRecord, ...], topic: str) -> list[StepRecord]:
    """The journal's subscription steps to ``topic``."""
    return [s for s in journal if s.action is Action.SUBSCRIBE and s.target == topic]
