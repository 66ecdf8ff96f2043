"""The CloudFormation template for one account and region (``trailwarden lambda template``).

Built from Python data, never from text: the function and its log group, its
least-privilege execution role (the reads of ``trailwarden scan`` plus
``config:PutEvaluations``, and ``config:StartConfigRulesEvaluation`` on this rule only),
the AWS Config rule with both triggers, and the EventBridge drift rule with its
permission to invoke the function. Resource types:
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-config-configrule.html
"""

from __future__ import annotations

from typing import Any

from trailwarden.config_rule.drift import EVENT_PATTERN
from trailwarden.config_rule.evaluations import TRAIL_RESOURCE_TYPE
from trailwarden.config_rule.handler import RULE_NAME_ENV
from trailwarden.config_rule.permissions import (
    PUT_EVALUATIONS,
    READ_ONLY_STATEMENTS,
    START_EVALUATION,
)
from trailwarden.config_rule.template_parameters import PARAMETERS
from trailwarden.version import __version__

__all__ = ["HANDLER", "PARAMETERS", "RUNTIME", "account_template"]

HANDLER = "trailwarden.config_rule.handler.handler"
RUNTIME = "python3.12"
_JSON = dict[str, Any]


def _sub(text: str) -> Any:
    """An ARN for any partition: ``arn:aws:`` becomes ``arn:${AWS::Partition}:``."""
    if text.startswith("arn:aws:"):
        return {"Fn::Sub": "arn:${AWS::Partition}:" + text.removeprefix("arn:aws:")}
    return text


def _statements() -> list[_JSON]:
    out = []
    for statement in [*READ_ONLY_STATEMENTS, PUT_EVALUATIONS]:
        resource = statement["Resource"]
        out.append({**statement, "Resource": _sub(resource)})
    return out


def _resources() -> _JSON:
    function_arn = {"Fn::GetAtt": ["Function", "Arn"]}
    bucket = {
        "Fn::If": [
            "PerRegionBucket",
            {"Fn::Sub": "${CodeBucket}-${AWS::Region}"},
            {"Ref": "CodeBucket"},
        ]
    }
    log_group = {"Fn::Sub": "/aws/lambda/${ConfigRuleName}"}
    return {
        "FunctionLogGroup": {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {"LogGroupName": log_group, "RetentionInDays": 365},
        },
        "ExecutionRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Description": "trailwarden's AWS Config rule: read-only, reports evaluations",
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "trailwarden-scan-readonly",
                        "PolicyDocument": {"Version": "2012-10-17", "Statement": _statements()},
                    },
                    {
                        "PolicyName": "function-logs",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    "Resource": {"Fn::GetAtt": ["FunctionLogGroup", "Arn"]},
                                }
                            ],
                        },
                    },
                ],
            },
        },
        # Separate from the role: it names the rule, which names the function, which
        # names the role (one policy inside the role would be a cycle).
        "StartEvaluationPolicy": {
            "Type": "AWS::IAM::RolePolicy",
            "Properties": {
                "RoleName": {"Ref": "ExecutionRole"},
                "PolicyName": "start-rule-evaluation",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": START_EVALUATION,
                            "Resource": {"Fn::GetAtt": ["ConfigRule", "Arn"]},
                        }
                    ],
                },
            },
        },
        "Function": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": {"Ref": "ConfigRuleName"},
                "Description": f"trailwarden {__version__}: AWS Config rule for CloudTrail to "
                "CloudWatch Logs and the CIS monitoring checks",
                "Runtime": RUNTIME,
                "Handler": HANDLER,
                "Architectures": [{"Ref": "Architecture"}],
                "Code": {"S3Bucket": bucket, "S3Key": {"Ref": "CodeKey"}},
                "Role": {"Fn::GetAtt": ["ExecutionRole", "Arn"]},
                "MemorySize": {"Ref": "MemorySize"},
                # A scan waits at most its 40 s timeout per silent endpoint; a throttled
                # StartConfigRulesEvaluation backs off for up to about a minute.
                "Timeout": 300,
                "Environment": {"Variables": {RULE_NAME_ENV: {"Ref": "ConfigRuleName"}}},
                # JSON logs at INFO: the runtime then sets the root logger's level, so the
                # handler's one line per run (counts, duration, API calls) is kept.
                # https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
                "LoggingConfig": {
                    "LogFormat": "JSON",
                    "ApplicationLogLevel": "INFO",
                    "SystemLogLevel": "WARN",
                    "LogGroup": {"Ref": "FunctionLogGroup"},
                },
            },
        },
        "ConfigPermission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": function_arn,
                "Principal": "config.amazonaws.com",
                "SourceAccount": {"Ref": "AWS::AccountId"},
            },
        },
        "ConfigRule": {
            "Type": "AWS::Config::ConfigRule",
            "DependsOn": ["ConfigPermission"],
            "Properties": {
                "ConfigRuleName": {"Ref": "ConfigRuleName"},
                "Description": "CloudTrail trails deliver to CloudWatch Logs and the CIS "
                "monitoring alarms notify someone (trailwarden TW001-TW010, TW101-TW115).",
                "InputParameters": {
                    "MinRetentionDays": {"Ref": "MinRetentionDays"},
                    "MaxDeliveryAge": {"Ref": "MaxDeliveryAge"},
                    "Monitoring": {"Ref": "Monitoring"},
                },
                "Scope": {"ComplianceResourceTypes": [TRAIL_RESOURCE_TYPE]},
                "Source": {
                    "Owner": "CUSTOM_LAMBDA",
                    "SourceIdentifier": function_arn,
                    "SourceDetails": [
                        {
                            "EventSource": "aws.config",
                            "MessageType": "ConfigurationItemChangeNotification",
                        },
                        {
                            "EventSource": "aws.config",
                            "MessageType": "OversizedConfigurationItemChangeNotification",
                        },
                        {
                            "EventSource": "aws.config",
                            "MessageType": "ScheduledNotification",
                            "MaximumExecutionFrequency": {"Ref": "Schedule"},
                        },
                    ],
                },
            },
        },
        "DriftRule": {
            "Type": "AWS::Events::Rule",
            "Condition": "WithDriftDetection",
            "Properties": {
                "Description": "API calls that can break CloudTrail, CloudWatch Logs, alarms or "
                "SNS: re-evaluate the trailwarden Config rule",
                "EventPattern": EVENT_PATTERN,
                "State": "ENABLED",
                "Targets": [{"Arn": function_arn, "Id": "trailwarden-config-rule"}],
            },
        },
        "DriftPermission": {
            "Type": "AWS::Lambda::Permission",
            "Condition": "WithDriftDetection",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": function_arn,
                "Principal": "events.amazonaws.com",
                "SourceArn": {"Fn::GetAtt": ["DriftRule", "Arn"]},
            },
        },
    }


def account_template() -> _JSON:
    """The template for one account and region."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"trailwarden {__version__}: AWS Config custom rule (one account, one "
        "region). Needs an AWS Config recorder in the region.",
        "Parameters": PARAMETERS,
        "Conditions": {
            "PerRegionBucket": {"Fn::Equals": [{"Ref": "CodeBucketPerRegion"}, "true"]},
            "WithDriftDetection": {"Fn::Equals": [{"Ref": "DriftDetection"}, "true"]},
        },
        "Resources": _resources(),
        "Outputs": {
            "FunctionArn": {"Value": {"Fn::GetAtt": ["Function", "Arn"]}},
            "ConfigRuleArn": {"Value": {"Fn::GetAtt": ["ConfigRule", "Arn"]}},
        },
    }
