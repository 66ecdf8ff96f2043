"""The API call that makes each step's change, and the calls that undo changes.

A :class:`Call` is built first and made by :func:`perform`, so that apply and rollback
share the pacing of CloudTrail writes (:class:`~.timing.WritePacer`) and journal the API
action before the call is made.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, assert_never

from trailwarden.inventory import JsonDict
from trailwarden.remediate.current import log_group_ref, role_name
from trailwarden.remediate.model import Action
from trailwarden.remediate.monitoring_calls import CallParts, forward, put_back, remove
from trailwarden.remediate.policies import TAGS
from trailwarden.remediate.timing import WritePacer

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = [
    "Call",
    "change",
    "delete",
    "delete_log_group",
    "delete_role",
    "delete_topic",
    "perform",
    "restore",
    "unsubscribe",
]


@dataclass(frozen=True)
class Call:
    action: str  # the API action, e.g. "logs:DeleteLogGroup"
    run: Callable[[], Any]
    region: str
    paced: bool = False  # a CloudTrail write: at most one per second per region


def perform(call: Call, pacer: WritePacer) -> Any:
    """Make ``call`` and return its answer; raises botocore's ClientError / BotoCoreError
    as the client does."""
    if call.paced:
        pacer.wait(call.region)
    try:
        return call.run()
    finally:
        if call.paced:
            pacer.wrote(call.region)


def change(
    factory: ClientFactory, action: Action, target: str, region: str, after: JsonDict
) -> Call:
    """The call that makes a step's change (``after``)."""
    logs, iam = factory.client("logs", region), factory.client("iam", region)
    # Tagged so that rollback can tell what trailwarden created from a namesake.
    tags = {**after.get("tags", {}), **TAGS}
    match action:
        case Action.CREATE_LOG_GROUP:
            name = log_group_ref(target).name
            kms = {"kmsKeyId": after["kms_key_id"]} if after.get("kms_key_id") else {}
            run: Callable[[], Any] = partial(
                logs.create_log_group, logGroupName=name, tags=tags, **kms
            )
        case Action.PUT_RETENTION_POLICY:
            return _retention(factory, target, region, after["retention_in_days"])
        case Action.CREATE_ROLE:
            role = role_name(target)[0]
            run = partial(
                iam.create_role,
                RoleName=role,
                Path=after.get("path", "/"),
                AssumeRolePolicyDocument=json.dumps(after["assume_role_policy"]),
                Description=after.get("description", ""),
                Tags=[{"Key": k, "Value": v} for k, v in sorted(tags.items())],
            )
        case Action.PUT_ROLE_POLICY:
            return _role_policy(
                factory, target, region, after["policy_name"], after["policy_document"]
            )
        case Action.UPDATE_ASSUME_ROLE_POLICY:
            return _trust(factory, target, region, after["assume_role_policy"])
        case Action.UPDATE_TRAIL:
            return _update_trail(factory, target, region, after)
        case Action.START_LOGGING:
            cloudtrail = factory.client("cloudtrail", region)
            run = partial(cloudtrail.start_logging, Name=target)
            return Call(action.value, run, region, paced=True)
        case (
            Action.PUT_METRIC_FILTER
            | Action.CREATE_TOPIC
            | Action.SUBSCRIBE
            | Action.PUT_METRIC_ALARM
            | Action.ENABLE_ALARM_ACTIONS
        ):
            return _call(forward(factory, action, target, region, after), region)
        case _:
            assert_never(action)
    return Call(action.value, run, region)


def restore(
    factory: ClientFactory, action: Action, target: str, region: str, before: JsonDict
) -> Call:
    """The call that puts back the prior value of an attribute a step changed."""
    match action:
        case Action.PUT_RETENTION_POLICY:
            return _retention(factory, target, region, before["retention_in_days"])
        case Action.PUT_ROLE_POLICY:
            return _role_policy(
                factory, target, region, before["policy_name"], before["policy_document"]
            )
        case Action.UPDATE_ASSUME_ROLE_POLICY:
            return _trust(factory, target, region, before["assume_role_policy"])
        case Action.UPDATE_TRAIL:
            return _update_trail(factory, target, region, before)
        case Action.START_LOGGING:
            cloudtrail = factory.client("cloudtrail", region)
            stop = partial(cloudtrail.stop_logging, Name=target)
            return Call("cloudtrail:StopLogging", stop, region, paced=True)
        case Action.PUT_METRIC_FILTER | Action.PUT_METRIC_ALARM | Action.ENABLE_ALARM_ACTIONS:
            return _call(put_back(factory, action, target, region, before), region)
        case Action.CREATE_LOG_GROUP | Action.CREATE_ROLE | Action.CREATE_TOPIC | Action.SUBSCRIBE:
            raise ValueError(f"{action.value} creates a resource: undo it by deleting it")
        case _:
            assert_never(action)


def delete(factory: ClientFactory, action: Action, target: str, region: str) -> Call:
    """The call that deletes a metric filter or alarm a step put where there was none."""
    return _call(remove(factory, action, target, region), region)


def delete_topic(factory: ClientFactory, topic: str, region: str) -> Call:
    """DeleteTopic: its subscriptions, pending ones included, go with it.
    https://docs.aws.amazon.com/sns/latest/api/API_DeleteTopic.html
    """
    sns = factory.client("sns", region)
    return Call("sns:DeleteTopic", partial(sns.delete_topic, TopicArn=topic), region)


def unsubscribe(factory: ClientFactory, subscription: str, region: str) -> Call:
    sns = factory.client("sns", region)
    run = partial(sns.unsubscribe, SubscriptionArn=subscription)
    return Call("sns:Unsubscribe", run, region)


def _call(parts: CallParts, region: str) -> Call:
    action, run = parts
    return Call(action, run, region)


def delete_log_group(factory: ClientFactory, name: str, region: str) -> Call:
    logs = factory.client("logs", region)
    return Call("logs:DeleteLogGroup", partial(logs.delete_log_group, logGroupName=name), region)


def delete_role(factory: ClientFactory, name: str, region: str, inline: list[str]) -> Call:
    """DeleteRole, after the inline policies: IAM refuses to delete a role that still has
    policies (DeleteConflict). https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html
    """
    iam = factory.client("iam", region)

    def run() -> None:
        for policy in inline:
            iam.delete_role_policy(RoleName=name, PolicyName=policy)
        iam.delete_role(RoleName=name)

    return Call("iam:DeleteRole", run, region)


def _retention(factory: ClientFactory, target: str, region: str, days: int | None) -> Call:
    logs, name = factory.client("logs", region), log_group_ref(target).name
    if days is None:  # "never expire" is the absence of a retention policy
        run = partial(logs.delete_retention_policy, logGroupName=name)
        return Call("logs:DeleteRetentionPolicy", run, region)
    put = partial(logs.put_retention_policy, logGroupName=name, retentionInDays=days)
    return Call("logs:PutRetentionPolicy", put, region)


def _role_policy(
    factory: ClientFactory, target: str, region: str, policy: str, document: JsonDict | None
) -> Call:
    iam, role = factory.client("iam", region), role_name(target)[0]
    if document is None:  # the inline policy did not exist
        delete = partial(iam.delete_role_policy, RoleName=role, PolicyName=policy)
        return Call("iam:DeleteRolePolicy", delete, region)
    put = partial(
        iam.put_role_policy, RoleName=role, PolicyName=policy, PolicyDocument=json.dumps(document)
    )
    return Call("iam:PutRolePolicy", put, region)


def _trust(factory: ClientFactory, target: str, region: str, document: JsonDict) -> Call:
    iam, role, text = factory.client("iam", region), role_name(target)[0], json.dumps(document)
    run = partial(iam.update_assume_role_policy, RoleName=role, PolicyDocument=text)
    return Call("iam:UpdateAssumeRolePolicy", run, region)


def _update_trail(factory: ClientFactory, target: str, region: str, arns: JsonDict) -> Call:
    """UpdateTrail with Name = the trail's ARN, in its home region: anywhere else it fails
    with InvalidHomeRegionException.
    https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_UpdateTrail.html
    """
    cloudtrail = factory.client("cloudtrail", region)
    # "" removes the integration (None is not accepted): how an unset ARN is restored.
    group = arns.get("cloud_watch_logs_log_group_arn") or ""
    role = arns.get("cloud_watch_logs_role_arn") or ""
    run = partial(
        cloudtrail.update_trail,
        Name=target,
        CloudWatchLogsLogGroupArn=group,
        CloudWatchLogsRoleArn=role,
    )
    return Call("cloudtrail:UpdateTrail", run, region, paced=True)
