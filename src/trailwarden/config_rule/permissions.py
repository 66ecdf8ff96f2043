# Data module: the IAM statements of the rule's execution role.
"""What the rule's function may do: the reads of ``trailwarden scan`` and two Config calls.

:data:`READ_ONLY_STATEMENTS` are the statements of ``policies/trailwarden-scan-readonly.json``
(a test keeps them equal), here so that an installed trailwarden can write them into a
template. Resource-level scoping and the reasons for ``*`` are explained in that policy's
README section. ``config:PutEvaluations`` supports no resource-level permission (the
Service Authorization Reference lists no resource type for it), so it is granted on
``*``; ``config:StartConfigRulesEvaluation`` is scoped to the rule by the template.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PUT_EVALUATIONS", "READ_ONLY_STATEMENTS", "START_EVALUATION"]

READ_ONLY_STATEMENTS: list[dict[str, Any]] = [
    {
        "Sid": "NoResourceLevelPermissions",
        "Effect": "Allow",
        "Action": [
            "sts:GetCallerIdentity",
            "cloudtrail:ListTrails",
            "cloudtrail:DescribeTrails",
            "organizations:DescribeOrganization",
        ],
        "Resource": "*",
    },
    {
        "Sid": "TrailStatusAndSelectors",
        "Effect": "Allow",
        "Action": ["cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
        "Resource": "arn:aws:cloudtrail:*:*:trail/*",
    },
    {
        "Sid": "LogGroupsAndMetricFilters",
        "Effect": "Allow",
        "Action": ["logs:DescribeLogGroups", "logs:DescribeMetricFilters"],
        "Resource": "arn:aws:logs:*:*:log-group:*",
    },
    {
        "Sid": "DeliveryRoles",
        "Effect": "Allow",
        "Action": [
            "iam:GetRole",
            "iam:ListRolePolicies",
            "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies",
        ],
        "Resource": "arn:aws:iam::*:role/*",
    },
    {
        "Sid": "DeliveryRolePolicies",
        "Effect": "Allow",
        "Action": ["iam:GetPolicy", "iam:GetPolicyVersion"],
        "Resource": "arn:aws:iam::*:policy/*",
    },
    {
        "Sid": "MonitoringAlarms",
        "Effect": "Allow",
        "Action": "cloudwatch:DescribeAlarms",
        "Resource": "arn:aws:cloudwatch:*:*:alarm:*",
    },
    {
        "Sid": "MonitoringAlarmTopics",
        "Effect": "Allow",
        "Action": "sns:ListSubscriptionsByTopic",
        "Resource": "arn:aws:sns:*:*:*",
    },
]

PUT_EVALUATIONS: dict[str, Any] = {
    "Sid": "ReportEvaluations",
    "Effect": "Allow",
    "Action": "config:PutEvaluations",
    "Resource": "*",
}

START_EVALUATION = "config:StartConfigRulesEvaluation"
