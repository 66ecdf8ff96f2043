"""Helpers for the apply and rollback tests: hand-built plans (per the remediation
contract), a fake clock, and a snapshot of everything a fix can touch."""

from __future__ import annotations

import dataclasses
from typing import Any

from conftest import MAIN_ACCOUNT, AccountSeeder
from trailwarden.demo.simulated_aws import SimulatedAws
from trailwarden.remediate import Action, Plan, Step
from trailwarden.remediate.changes import CHANGES

REGION = "eu-west-1"
POLICY = "trailwarden-cloudtrail-to-cwl"
TAGS = {"created-by": "trailwarden"}


class FakeTime:
    """A clock that only moves when slept on: tests take no time and see every wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def trust(trail_arn: str, account: str = MAIN_ACCOUNT) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "TrailwardenCloudTrailAssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceArn": trail_arn, "aws:SourceAccount": account}
                },
            }
        ],
    }


def role_policy(group: str, region: str = REGION, account: str = MAIN_ACCOUNT) -> dict[str, Any]:
    streams = f"arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:"
    resource = [f"{streams}{account}_CloudTrail_{region}*"]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": sid, "Effect": "Allow", "Action": [action], "Resource": resource}
            for sid, action in (
                ("AWSCloudTrailCreateLogStream", "logs:CreateLogStream"),
                ("AWSCloudTrailPutLogEvents", "logs:PutLogEvents"),
            )
        ],
    }


def group_key(name: str, region: str = REGION, account: str = MAIN_ACCOUNT) -> str:
    return f"arn:aws:logs:{region}:{account}:log-group:{name}"


def role_arn(name: str, account: str = MAIN_ACCOUNT) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def step(
    action: Action,
    target: str,
    trail_arn: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    region: str = REGION,
) -> Step:
    return Step(
        id="",
        action=action,
        target=target,
        region=region,
        account_id=MAIN_ACCOUNT,
        before=before,
        after=after,
        permissions=CHANGES[action].permissions,
        fixes=("TW001",),
        trail_arn=trail_arn,
        reason="test",
    )


def plan_of(*steps: Step) -> Plan:
    """A plan of ``steps``, numbered 1, 2, … in order."""
    numbered = tuple(dataclasses.replace(s, id=str(i)) for i, s in enumerate(steps, start=1))
    return Plan(account_id=MAIN_ACCOUNT, steps=numbered)


def integration_steps(
    trail_arn: str, name: str, region: str = REGION, *, logging: bool = True
) -> list[Step]:
    """TW001 for a trail without integration: group + retention, role + policy, UpdateTrail
    (and StartLogging when the trail is not logging)."""
    group, role = f"aws-cloudtrail-logs/{name}", f"trailwarden-cwl-{name}"
    key, arn = group_key(group, region), role_arn(role)
    steps = [
        step(
            Action.CREATE_LOG_GROUP,
            key,
            trail_arn,
            None,
            {"log_group_name": group, "kms_key_id": None, "tags": TAGS},
            region,
        ),
        step(
            Action.PUT_RETENTION_POLICY,
            key,
            trail_arn,
            {"retention_in_days": None},
            {"log_group_name": group, "retention_in_days": 365},
            region,
        ),
        step(
            Action.CREATE_ROLE,
            arn,
            trail_arn,
            None,
            {
                "role_name": role,
                "path": "/",
                "assume_role_policy": trust(trail_arn),
                "description": f"Lets CloudTrail deliver trail {name} to CloudWatch Logs",
                "tags": TAGS,
            },
            region,
        ),
        step(
            Action.PUT_ROLE_POLICY,
            arn,
            trail_arn,
            {"policy_name": POLICY, "policy_document": None},
            {
                "role_name": role,
                "policy_name": POLICY,
                "policy_document": role_policy(group, region),
            },
            region,
        ),
        update_trail_step(trail_arn, None, None, f"{key}:*", arn, region),
    ]
    if not logging:
        steps.append(start_logging_step(trail_arn, region))
    return steps


def update_trail_step(
    trail_arn: str,
    old_group: str | None,
    old_role: str | None,
    group: str,
    role: str,
    region: str = REGION,
) -> Step:
    return step(
        Action.UPDATE_TRAIL,
        trail_arn,
        trail_arn,
        {"cloud_watch_logs_log_group_arn": old_group, "cloud_watch_logs_role_arn": old_role},
        {"cloud_watch_logs_log_group_arn": group, "cloud_watch_logs_role_arn": role},
        region,
    )


def start_logging_step(trail_arn: str, region: str = REGION) -> Step:
    return step(
        Action.START_LOGGING,
        trail_arn,
        trail_arn,
        {"is_logging": False},
        {"is_logging": True},
        region,
    )


def seed_repairable(seed: AccountSeeder, name: str = "repair") -> tuple[str, list[Step]]:
    """A trail whose existing role has the wrong trust and no allow, whose existing log group
    keeps events 30 days, and which is not logging; and the steps that repair it in place."""
    group, role = f"{name}-logs", f"{name}-role"
    lg_arn = seed.log_group(group, REGION, retention_days=30)
    old_trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    old_policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"}],
    }
    arn = seed.role(role, trust=old_trust, inline={POLICY: old_policy})
    trail = seed.trail(name, REGION, log_group_arn=lg_arn, role_arn=arn, logging=False)
    key = group_key(group)
    steps = [
        step(
            Action.PUT_RETENTION_POLICY,
            key,
            trail,
            {"retention_in_days": 30},
            {"log_group_name": group, "retention_in_days": 365},
        ),
        step(
            Action.PUT_ROLE_POLICY,
            arn,
            trail,
            {"policy_name": POLICY, "policy_document": old_policy},
            {"role_name": role, "policy_name": POLICY, "policy_document": role_policy(group)},
        ),
        step(
            Action.UPDATE_ASSUME_ROLE_POLICY,
            arn,
            trail,
            {"role_name": role, "assume_role_policy": old_trust},
            # What the planner writes: the old trust with trailwarden's statement added.
            {
                "role_name": role,
                "assume_role_policy": {
                    "Version": "2012-10-17",
                    "Statement": old_trust["Statement"] + trust(trail)["Statement"],
                },
            },
        ),
        start_logging_step(trail),
    ]
    return trail, steps


def denied_resource(s: Step) -> str:
    """The request parameter that names ``s``'s target (for ``deny(resource=…)``)."""
    if s.action in (Action.CREATE_LOG_GROUP, Action.PUT_RETENTION_POLICY):
        return s.target.split(":log-group:", 1)[1]
    if s.target.startswith("arn:aws:iam::"):
        return s.target.rsplit("/", 1)[1]
    return s.target


def snapshot(
    aws: SimulatedAws, account: str = MAIN_ACCOUNT, regions: tuple[str, ...] = (REGION, "us-west-2")
) -> dict[str, Any]:
    """Every trail's CloudWatch Logs ARNs and logging state, every log group's retention and
    tags, every role's trust, inline and attached policies and tags."""
    trails, groups = {}, {}
    for region in regions:
        cloudtrail = aws.client(account, "cloudtrail", region)
        for t in cloudtrail.describe_trails(includeShadowTrails=False)["trailList"]:
            logging = cloudtrail.get_trail_status(Name=t["TrailARN"])["IsLogging"]
            trails[t["TrailARN"]] = (
                t.get("CloudWatchLogsLogGroupArn") or None,
                t.get("CloudWatchLogsRoleArn") or None,
                logging,
            )
        logs = aws.client(account, "logs", region)
        for g in logs.describe_log_groups()["logGroups"]:
            tags = logs.list_tags_log_group(logGroupName=g["logGroupName"])["tags"]
            groups[(region, g["logGroupName"])] = (g.get("retentionInDays"), tags)
    iam = aws.client(account, "iam")
    roles = {}
    for r in iam.list_roles()["Roles"]:
        name = r["RoleName"]
        inline = {
            p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
            for p in iam.list_role_policies(RoleName=name)["PolicyNames"]
        }
        attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
        tags = iam.get_role(RoleName=name)["Role"].get("Tags", [])
        roles[name] = (r["AssumeRolePolicyDocument"], inline, attached, tags)
    return {"trails": trails, "log_groups": groups, "roles": roles}


# --- The monitoring fix (TW101–TW115): hand-built steps per the monitoring contract. ---

TOPIC = "trailwarden-cis-alarms"
# The trail whose log group the monitoring steps are for (a plan names it in every step).
MONITORED_TRAIL = f"arn:aws:cloudtrail:{REGION}:{MAIN_ACCOUNT}:trail/main"
EMAIL = "security@example.com"
CIS_PATTERN = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'


def topic_arn(name: str = TOPIC, region: str = REGION) -> str:
    return f"arn:aws:sns:{region}:{MAIN_ACCOUNT}:{name}"


def alarm_arn(name: str, region: str = REGION) -> str:
    return f"arn:aws:cloudwatch:{region}:{MAIN_ACCOUNT}:alarm:{name}"


def filter_target(group: str, name: str, region: str = REGION) -> str:
    return f"{group_key(group, region)}:metric-filter:{name}"


def transformation(metric: str) -> dict[str, Any]:
    return {
        "metric_name": metric,
        "metric_namespace": "CISBenchmark",
        "metric_value": "1",
        "default_value": None,
    }


def create_topic_step(name: str = TOPIC, trail_arn: str = MONITORED_TRAIL) -> Step:
    return step(Action.CREATE_TOPIC, topic_arn(name), trail_arn, None, {"name": name, "tags": TAGS})


def subscribe_step(topic: str, email: str = EMAIL, trail_arn: str = MONITORED_TRAIL) -> Step:
    after = {"protocol": "email", "endpoint": email}
    return step(Action.SUBSCRIBE, topic, trail_arn, None, after)


def filter_step(
    group: str,
    name: str,
    metric: str,
    before: dict[str, Any] | None = None,
    pattern: str = CIS_PATTERN,
    trail_arn: str = MONITORED_TRAIL,
) -> Step:
    after = {
        "log_group_name": group,
        "filter_name": name,
        "filter_pattern": pattern,
        "metric_transformations": [transformation(metric)],
    }
    return step(Action.PUT_METRIC_FILTER, filter_target(group, name), trail_arn, before, after)


def alarm_step(
    name: str,
    metric: str,
    topic: str,
    before: dict[str, Any] | None = None,
    trail_arn: str = MONITORED_TRAIL,
) -> Step:
    after = {
        "alarm_name": name,
        "alarm_description": f"CIS: {metric}",
        "metric_name": metric,
        "namespace": "CISBenchmark",
        "statistic": "Sum",
        "period": 300,
        "evaluation_periods": 1,
        "threshold": 1.0,
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "treat_missing_data": "notBreaching",
        "actions_enabled": True,
        "alarm_actions": [topic],
        "tags": TAGS,
    }
    return step(Action.PUT_METRIC_ALARM, alarm_arn(name), trail_arn, before, after)


def enable_actions_step(name: str, trail_arn: str = MONITORED_TRAIL) -> Step:
    target = alarm_arn(name)
    return step(
        Action.ENABLE_ALARM_ACTIONS,
        target,
        trail_arn,
        {"actions_enabled": False},
        {"actions_enabled": True},
    )


def user_alarm(
    aws: SimulatedAws, name: str, metric: str, *, enabled: bool = True, **extra: Any
) -> None:
    """An alarm a user made on ``metric`` (CISBenchmark), in REGION."""
    aws.client(MAIN_ACCOUNT, "cloudwatch", REGION).put_metric_alarm(
        AlarmName=name,
        MetricName=metric,
        Namespace="CISBenchmark",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        ActionsEnabled=enabled,
        **extra,
    )


def monitoring_snapshot(aws: SimulatedAws, region: str = REGION) -> dict[str, Any]:
    """Every metric filter of every log group, every alarm's settings, every topic with its
    tags and subscriptions, in ``region``."""
    logs = aws.client(MAIN_ACCOUNT, "logs", region)
    filters = {}
    for g in logs.describe_log_groups()["logGroups"]:
        found = logs.describe_metric_filters(logGroupName=g["logGroupName"])["metricFilters"]
        for f in found:
            filters[(g["logGroupName"], f["filterName"])] = (
                f["filterPattern"],
                f["metricTransformations"],
            )
    skip = {"AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp", "StateReason"}
    alarms = {
        a["AlarmName"]: {k: v for k, v in a.items() if k not in skip}
        for a in aws.client(MAIN_ACCOUNT, "cloudwatch", region).describe_alarms()["MetricAlarms"]
    }
    sns = aws.client(MAIN_ACCOUNT, "sns", region)
    topics = {}
    for t in sns.list_topics()["Topics"]:
        arn = t["TopicArn"]
        subs = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        tags = sns.list_tags_for_resource(ResourceArn=arn)["Tags"]
        topics[arn] = (
            sorted((s["Protocol"], s["Endpoint"], s["SubscriptionArn"]) for s in subs),
            tags,
        )
    return {"filters": filters, "alarms": alarms, "topics": topics}


class Killed(Exception):
    """Stands for the process dying between a call and its "done" record."""
