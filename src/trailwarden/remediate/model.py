"""A fix is data: a :class:`Plan` of :class:`Step` s, each saying what it will do, to what,
the state before and after, and the IAM permissions it needs.

Planning (:mod:`.plan`) is pure: findings + inventory → Plan. Applying (:mod:`.apply`)
consumes a plan and writes a :mod:`journal <.journal>`; rollback consumes a journal.
Renderers turn a plan into text, JSON, AWS CLI commands, Terraform or CloudFormation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PERMISSIONS", "PLAN_SCHEMA_VERSION", "Action", "Plan", "Skip", "Step"]

PLAN_SCHEMA_VERSION = 1

JsonDict = dict[str, Any]


class Action(enum.Enum):
    """Every change trailwarden can make; the value is the API action it calls."""

    CREATE_LOG_GROUP = "logs:CreateLogGroup"
    PUT_RETENTION_POLICY = "logs:PutRetentionPolicy"
    CREATE_ROLE = "iam:CreateRole"
    PUT_ROLE_POLICY = "iam:PutRolePolicy"
    UPDATE_ASSUME_ROLE_POLICY = "iam:UpdateAssumeRolePolicy"
    UPDATE_TRAIL = "cloudtrail:UpdateTrail"
    START_LOGGING = "cloudtrail:StartLogging"
    # The monitoring checks TW101–TW115: filters, alarms and the topic they notify.
    PUT_METRIC_FILTER = "logs:PutMetricFilter"
    CREATE_TOPIC = "sns:CreateTopic"
    SUBSCRIBE = "sns:Subscribe"
    PUT_METRIC_ALARM = "cloudwatch:PutMetricAlarm"
    ENABLE_ALARM_ACTIONS = "cloudwatch:EnableAlarmActions"


# The IAM permissions each action needs; Step.permissions comes from here.
PERMISSIONS: dict[Action, tuple[str, ...]] = {
    # CreateLogGroup with tags also needs logs:TagResource.
    # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
    Action.CREATE_LOG_GROUP: ("logs:CreateLogGroup", "logs:TagResource"),
    Action.PUT_RETENTION_POLICY: ("logs:PutRetentionPolicy",),
    Action.CREATE_ROLE: ("iam:CreateRole", "iam:TagRole"),
    Action.PUT_ROLE_POLICY: ("iam:PutRolePolicy",),
    Action.UPDATE_ASSUME_ROLE_POLICY: ("iam:UpdateAssumeRolePolicy",),
    # Naming a role in UpdateTrail passes it to CloudTrail.
    Action.UPDATE_TRAIL: ("cloudtrail:UpdateTrail", "iam:PassRole"),
    Action.START_LOGGING: ("cloudtrail:StartLogging",),
    Action.PUT_METRIC_FILTER: ("logs:PutMetricFilter",),
    Action.CREATE_TOPIC: ("sns:CreateTopic", "sns:TagResource"),
    Action.SUBSCRIBE: ("sns:Subscribe",),
    Action.PUT_METRIC_ALARM: ("cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"),
    Action.ENABLE_ALARM_ACTIONS: ("cloudwatch:EnableAlarmActions",),
}


@dataclass(frozen=True)
class Step:
    """One change.

    ``target`` is the ARN of the resource changed (for a role policy: the role ARN; the
    policy name is in ``after``). ``before`` is the state the plan saw (None: the
    resource or attribute does not exist); ``after`` the state the step leaves.
    The keys of ``before``/``after`` per action are documented in :mod:`.plan`.
    """

    id: str  # "1", "2", … in plan order
    action: Action
    target: str
    region: str
    account_id: str
    before: JsonDict | None
    after: JsonDict
    permissions: tuple[str, ...]
    fixes: tuple[str, ...]  # check ids this step contributes to, e.g. ("TW001",)
    trail_arn: str  # the trail this step is for
    reason: str  # one sentence for people


@dataclass(frozen=True)
class Skip:
    """A finding the plan leaves alone, and why (org trail from a member, ERROR, …)."""

    check_id: str
    trail_arn: str
    reason: str


@dataclass(frozen=True)
class Plan:
    account_id: str
    steps: tuple[Step, ...] = ()
    skipped: tuple[Skip, ...] = ()
    # TW004/TW005: what the plan believes the cause is and which steps address it.
    diagnoses: tuple[str, ...] = ()
    schema_version: int = field(default=PLAN_SCHEMA_VERSION)

    @property
    def is_empty(self) -> bool:
        return not self.steps
