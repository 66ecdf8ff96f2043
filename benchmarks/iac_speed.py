"""Wall time and peak memory of a whole `trailwarden iac` process on large configurations.

Generates, in a temporary directory, one configuration of N audit trails, each with its log
group, delivery role (trust policy, policy document, role policy) and the 15 CIS metric
filters with an alarm each, plus the alarms' topic and subscription — as a Terraform
directory (explicit blocks, 2 + 34 resources per trail: 1,702 for N = 50), as a plan JSON
of the same resources (ARNs known only after apply), and as a CloudFormation template
(capped at CloudFormation's 500 resources per template: 15 trails). Then runs
`trailwarden iac --format json PATH` on each as a child process and reads that child's own
peak RSS (`os.wait4`).

    python benchmarks/iac_speed.py [--trails 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from trailwarden.monitoring.catalog import CLASSES

REGION = "eu-west-1"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def terraform(trails: int) -> str:
    out = [f'provider "aws" {{\n  region = "{REGION}"\n}}\n']
    out.append('resource "aws_sns_topic" "alarms" {\n  name = "cis-alarms"\n}\n')
    out.append(
        'resource "aws_sns_topic_subscription" "soc" {\n  topic_arn = aws_sns_topic.alarms.arn\n'
        '  protocol = "email"\n  endpoint = "soc@example.com"\n}\n'
    )
    for i in range(trails):
        out.append(
            f"""
resource "aws_cloudwatch_log_group" "t{i}" {{
  name              = "trail-{i}"
  retention_in_days = 400
}}
resource "aws_iam_role" "t{i}" {{
  name               = "trail-{i}-delivery"
  assume_role_policy = jsonencode({json.dumps(TRUST)})
}}
data "aws_iam_policy_document" "t{i}" {{
  statement {{
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${{aws_cloudwatch_log_group.t{i}.arn}}:log-stream:*"]
  }}
}}
resource "aws_iam_role_policy" "t{i}" {{
  role   = aws_iam_role.t{i}.name
  policy = data.aws_iam_policy_document.t{i}.json
}}
resource "aws_cloudtrail" "t{i}" {{
  name                       = "trail-{i}"
  s3_bucket_name             = "bucket-{i}"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${{aws_cloudwatch_log_group.t{i}.arn}}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.t{i}.arn
}}"""
        )
        for c in CLASSES:
            pattern = c.pattern.replace("\\", "\\\\").replace('"', '\\"')
            out.append(
                f"""
resource "aws_cloudwatch_log_metric_filter" "t{i}_{c.id}" {{
  name           = "{c.metric_name}-{i}"
  log_group_name = aws_cloudwatch_log_group.t{i}.name
  pattern        = "{pattern}"
  metric_transformation {{
    name      = "{c.metric_name}-{i}"
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}
resource "aws_cloudwatch_metric_alarm" "t{i}_{c.id}" {{
  alarm_name          = "{c.metric_name}-{i}"
  metric_name         = "{c.metric_name}-{i}"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}}"""
            )
    return "\n".join(out) + "\n"


def cloudformation(trails: int) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "cis-alarms"}},
        "Subscription": {
            "Type": "AWS::SNS::Subscription",
            "Properties": {"TopicArn": {"Ref": "Topic"}, "Protocol": "email", "Endpoint": "x@y"},
        },
    }
    for i in range(trails):
        resources[f"Group{i}"] = {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {"LogGroupName": f"trail-{i}", "RetentionInDays": 400},
        }
        stream = {"Fn::Sub": f"${{Group{i}.Arn}}"}
        statement = {"Effect": "Allow", "Action": "logs:*", "Resource": stream}
        resources[f"Role{i}"] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": TRUST,
                "Policies": [{"PolicyName": "d", "PolicyDocument": {"Statement": [statement]}}],
            },
        }
        resources[f"Trail{i}"] = {
            "Type": "AWS::CloudTrail::Trail",
            "Properties": {
                "TrailName": f"trail-{i}",
                "IsLogging": True,
                "IsMultiRegionTrail": True,
                "S3BucketName": f"bucket-{i}",
                "CloudWatchLogsLogGroupArn": {"Fn::GetAtt": [f"Group{i}", "Arn"]},
                "CloudWatchLogsRoleArn": {"Fn::GetAtt": [f"Role{i}", "Arn"]},
            },
        }
        for c in CLASSES:
            metric = f"{c.metric_name}-{i}"
            resources[f"Filter{i}{c.id}"] = {
                "Type": "AWS::Logs::MetricFilter",
                "Properties": {
                    "LogGroupName": {"Ref": f"Group{i}"},
                    "FilterPattern": c.pattern,
                    "MetricTransformations": [
                        {"MetricName": metric, "MetricNamespace": "CIS", "MetricValue": "1"}
                    ],
                },
            }
            resources[f"Alarm{i}{c.id}"] = {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "MetricName": metric,
                    "Namespace": "CIS",
                    "Statistic": "Sum",
                    "Period": 300,
                    "EvaluationPeriods": 1,
                    "Threshold": 1,
                    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                    "AlarmActions": [{"Ref": "Topic"}],
                },
            }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def plan(trails: int) -> dict[str, Any]:
    """The same resources as a `terraform show -json` plan of their creation."""
    resources: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    config: list[dict[str, Any]] = []

    def add(
        kind: str,
        name: str,
        values: dict[str, Any],
        unknown: dict[str, Any],
        refs: dict[str, list[str]],
    ) -> None:
        address = f"{kind}.{name}"
        resources.append(
            {"address": address, "mode": "managed", "type": kind, "name": name, "values": values}
        )
        after = {"actions": ["create"], "before": None, "after": values, "after_unknown": unknown}
        changes.append(
            {"address": address, "mode": "managed", "type": kind, "name": name, "change": after}
        )
        expressions = {k: {"references": v} for k, v in refs.items()}
        config.append(
            {
                "address": address,
                "mode": "managed",
                "type": kind,
                "name": name,
                "provider_config_key": "aws",
                "expressions": expressions,
            }
        )

    add("aws_sns_topic", "alarms", {"name": "cis-alarms"}, {"arn": True}, {})
    add(
        "aws_sns_topic_subscription",
        "soc",
        {"protocol": "email"},
        {"topic_arn": True},
        {"topic_arn": ["aws_sns_topic.alarms.arn", "aws_sns_topic.alarms"]},
    )
    for i in range(trails):
        group, role = f"aws_cloudwatch_log_group.t{i}", f"aws_iam_role.t{i}"
        add(
            "aws_cloudwatch_log_group",
            f"t{i}",
            {"name": f"trail-{i}", "retention_in_days": 400},
            {"arn": True},
            {},
        )
        add(
            "aws_iam_role",
            f"t{i}",
            {"name": f"trail-{i}-delivery", "path": "/", "assume_role_policy": json.dumps(TRUST)},
            {"arn": True, "inline_policy": True, "managed_policy_arns": True},
            {},
        )
        policy = {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "logs:*",
                    "Resource": f"arn:aws:logs:{REGION}:123456789012:log-group:trail-{i}:*",
                }
            ]
        }
        add(
            "aws_iam_role_policy",
            f"t{i}",
            {"name": "d", "role": f"trail-{i}-delivery", "policy": json.dumps(policy)},
            {},
            {},
        )
        add(
            "aws_cloudtrail",
            f"t{i}",
            {"name": f"trail-{i}", "is_multi_region_trail": True, "enable_logging": True},
            {"cloud_watch_logs_group_arn": True, "cloud_watch_logs_role_arn": True},
            {
                "cloud_watch_logs_group_arn": [f"{group}.arn", group],
                "cloud_watch_logs_role_arn": [f"{role}.arn", role],
            },
        )
        for c in CLASSES:
            metric = f"{c.metric_name}-{i}"
            add(
                "aws_cloudwatch_log_metric_filter",
                f"t{i}_{c.id}",
                {
                    "name": metric,
                    "log_group_name": f"trail-{i}",
                    "pattern": c.pattern,
                    "metric_transformation": [
                        {"name": metric, "namespace": "CISBenchmark", "value": "1"}
                    ],
                },
                {},
                {},
            )
            add(
                "aws_cloudwatch_metric_alarm",
                f"t{i}_{c.id}",
                {
                    "alarm_name": metric,
                    "metric_name": metric,
                    "namespace": "CISBenchmark",
                    "actions_enabled": True,
                },
                {"alarm_actions": True},
                {"alarm_actions": ["aws_sns_topic.alarms.arn", "aws_sns_topic.alarms"]},
            )
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "prior_state": {
            "values": {
                "root_module": {
                    "resources": [
                        {
                            "address": "data.aws_caller_identity.c",
                            "mode": "data",
                            "type": "aws_caller_identity",
                            "name": "c",
                            "values": {"account_id": "123456789012"},
                        }
                    ]
                }
            }
        },
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": REGION}}}
            },
            "root_module": {"resources": config},
        },
    }


def run_once(path: Path) -> tuple[float, float, dict[str, Any]]:
    """One `trailwarden iac` process: (wall seconds, peak RSS in MB, JSON report)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "trailwarden",
                "iac",
                "--format",
                "json",
                "--region",
                REGION,
                str(path),
            ],
            stdout=out,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"trailwarden iac {path} failed with exit code {code}")
        out.seek(0)
        report = json.loads(out.read())
    return wall, usage.ru_maxrss / 1024, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trails", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "terraform").mkdir()
        (root / "terraform" / "main.tf").write_text(terraform(args.trails))
        (root / "plan.json").write_text(json.dumps(plan(args.trails)))
        cfn_trails = min(args.trails, (500 - 2) // (3 + 2 * len(CLASSES)))
        (root / "template.json").write_text(json.dumps(cloudformation(cfn_trails)))
        inputs = {
            f"Terraform directory, {args.trails} trails": root / "terraform",
            f"Terraform plan JSON, {args.trails} trails": root / "plan.json",
            f"CloudFormation template, {cfn_trails} trails": root / "template.json",
        }
        for label, path in inputs.items():
            runs = [run_once(path) for _ in range(args.runs)]
            report = runs[-1][2]
            walls, peaks = [r[0] for r in runs], [r[1] for r in runs]
            resources = path.stat().st_size if path.is_file() else (path / "main.tf").stat().st_size
            print(
                f"{label} ({resources / 1e6:.1f} MB): {len(report['findings'])} findings, "
                f"{report['summary']}"
            )
            print(
                f"  wall time: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s; "
                f"peak RSS: median {statistics.median(peaks):.0f} MB, max {max(peaks):.0f} MB"
            )


if __name__ == "__main__":
    main()
