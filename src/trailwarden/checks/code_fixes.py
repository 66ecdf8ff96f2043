# Data module: what to change in Terraform or CloudFormation for each failing check.
"""The remediation of a finding on code (``trailwarden iac``): the argument or property to
change, rather than the AWS CLI command a deployed account needs."""

from __future__ import annotations

import re

__all__ = ["code_fix"]

_TERRAFORM = {
    "TW001": 'Set cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.NAME.arn}:*" and '
    "cloud_watch_logs_role_arn = aws_iam_role.NAME.arn on {address} (the role's two policies: "
    "trailwarden explain TW003).",
    "TW002": "Point {address}'s cloud_watch_logs_group_arn at an aws_cloudwatch_log_group of its "
    'region and account: "${aws_cloudwatch_log_group.NAME.arn}:*".',
    "TW003": "Give the role of {address} an assume_role_policy that lets cloudtrail.amazonaws.com "
    "sts:AssumeRole, and a policy (aws_iam_role_policy) that allows logs:CreateLogStream and "
    "logs:PutLogEvents on the log group's CloudTrail streams (both documents: trailwarden "
    "explain TW003).",
    "TW006": "Remove enable_logging = false from {address} (it defaults to true).",
    "TW007": "Set retention_in_days = {days} on the trail's aws_cloudwatch_log_group.",
    "TW010": "Make one trail multi-region (is_multi_region_trail = true) and logging, with "
    "management events (the default when it has no event_selector), passing TW001–TW003.",
    "monitoring": "Complete the chain at the link the message names: on the trail's log group "
    "an aws_cloudwatch_log_metric_filter that matches the events of trailwarden explain {check}, "
    "an aws_cloudwatch_metric_alarm on its metric with actions enabled and alarm_actions = "
    "[aws_sns_topic.NAME.arn], and an aws_sns_topic_subscription to that topic.",
}

_CLOUDFORMATION = {
    "TW001": "Set CloudWatchLogsLogGroupArn: !GetAtt LOG_GROUP.Arn and CloudWatchLogsRoleArn: "
    "!GetAtt ROLE.Arn on {address} (the role's two policies: trailwarden explain TW003).",
    "TW002": "Point {address}'s CloudWatchLogsLogGroupArn at an AWS::Logs::LogGroup of its "
    "region and account: !GetAtt LOG_GROUP.Arn.",
    "TW003": "Give the role of {address} an AssumeRolePolicyDocument that lets "
    "cloudtrail.amazonaws.com sts:AssumeRole, and Policies that allow logs:CreateLogStream and "
    "logs:PutLogEvents on the log group's CloudTrail streams (both documents: trailwarden "
    "explain TW003).",
    "TW006": "Set IsLogging: true on {address}.",
    "TW007": "Set RetentionInDays: {days} on the trail's AWS::Logs::LogGroup.",
    "TW010": "Make one trail multi-region (IsMultiRegionTrail: true) and logging (IsLogging: "
    "true), with management events (the default without EventSelectors), passing TW001–TW003.",
    "monitoring": "Complete the chain at the link the message names: on the trail's log group "
    "an AWS::Logs::MetricFilter that matches the events of trailwarden explain {check}, an "
    "AWS::CloudWatch::Alarm on its metric with actions enabled and AlarmActions [!Ref TOPIC], "
    "and an AWS::SNS::Subscription to that AWS::SNS::Topic.",
}

_DAYS = re.compile(r"--retention-in-days (\d+)")


def code_fix(check_id: str, cloudformation: bool, address: str, remediation: str) -> str:
    """What to change in the code for a failing ``check_id`` (``remediation``: the check's own,
    kept when it already speaks of code, such as TW002's missing ``:*``)."""
    if remediation.startswith("Set the trail's log group ARN"):  # TW002: the missing ':*'
        return remediation
    table = _CLOUDFORMATION if cloudformation else _TERRAFORM
    text = table.get(check_id) or (table["monitoring"] if check_id.startswith("TW1") else "")
    if not text:
        return remediation
    days = _DAYS.search(remediation)
    # Not str.format: Terraform's "${…}" is in the texts.
    fields = {"{address}": address, "{check}": check_id, "{days}": days[1] if days else "365"}
    for field, value in fields.items():
        text = text.replace(field, value)
    return text
