"""Helpers for the command-line tests: run the CLI with a clean AWS environment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner, Result

from conftest import AccountSeeder, delivery_policy
from trailwarden.cli import cli
from trailwarden.monitoring.catalog import CLASSES

NO_AWS_CONFIG = {
    "AWS_PROFILE": None,
    "AWS_DEFAULT_PROFILE": None,
    "AWS_ACCESS_KEY_ID": None,
    "AWS_SECRET_ACCESS_KEY": None,
    "AWS_SESSION_TOKEN": None,
    "AWS_ENDPOINT_URL": None,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def run(args: list[str], env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, args, env={**NO_AWS_CONFIG, **(env or {})})


def healthy_trail(seed: AccountSeeder, name: str = "org-events", *, multi: bool = True) -> str:
    group = seed.log_group(f"aws-cloudtrail-logs/{name}", "us-east-1", retention_days=365)
    role = seed.role(f"{name}-role", inline={"deliver": delivery_policy(group)})
    return seed.trail(
        name,
        "us-east-1",
        multi_region=multi,
        log_group_arn=group,
        role_arn=role,
        delivered_at=datetime.now(UTC) - timedelta(minutes=3),
    )


def cis_monitoring(seed: AccountSeeder, group: str = "aws-cloudtrail-logs/org-events") -> str:
    """CIS's 15 metric filters on ``group`` (us-east-1), each with an alarm notifying a topic
    with a confirmed e-mail subscriber (moto confirms at once); returns the topic ARN."""
    sns = seed.client("sns")
    topic: str = sns.create_topic(Name="cis-alarms")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="soc@example.com")
    for cls in CLASSES:
        seed.client("logs").put_metric_filter(
            logGroupName=group,
            filterName=cls.metric_name,
            filterPattern=cls.pattern,
            metricTransformations=[
                {
                    "metricName": cls.metric_name,
                    "metricNamespace": cls.namespace,
                    "metricValue": "1",
                }
            ],
        )
        seed.client("cloudwatch").put_metric_alarm(
            AlarmName=f"{cls.metric_name}-alarm",
            MetricName=cls.metric_name,
            Namespace=cls.namespace,
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            AlarmActions=[topic],
        )
    return topic


def healthy_account(seed: AccountSeeder) -> str:
    """An account on which every check passes, the monitoring ones included: a healthy
    multi-region trail with CIS monitoring on its log group. Returns the trail ARN."""
    arn = healthy_trail(seed)
    cis_monitoring(seed)
    return arn
