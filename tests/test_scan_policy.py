"""policies/trailwarden-scan-readonly.json: exactly the reads a full scan makes, scoped.

The scan below reaches every read the collector has (an organization trail it owns,
custom event selectors, managed and boundary policies, CIS filters, alarms and their
topic); the policy must grant each of those actions on the resources the scan reads,
and nothing else.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from clihelpers import cis_monitoring
from conftest import MAIN_ACCOUNT, delivery_policy
from trailwarden.checks.iam_policy import Decision, Request, evaluate
from trailwarden.scan import scan_account

POLICY = Path(__file__).parents[1] / "policies" / "trailwarden-scan-readonly.json"


def granted_actions(document: dict) -> set[str]:
    actions: set[str] = set()
    for statement in document["Statement"]:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        actions |= {listed} if isinstance(listed, str) else set(listed)
    return actions


def test_the_read_only_policy_grants_exactly_what_a_full_scan_calls(aws, seed, factory):
    aws.client(MAIN_ACCOUNT, "organizations").create_organization(FeatureSet="ALL")
    group = seed.log_group("aws-cloudtrail-logs/org-events", "us-east-1", retention_days=365)
    boundary = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    role = seed.role(
        "org-events-role",
        inline={"streams": delivery_policy(group)},
        managed={"deliver": delivery_policy(group)},
        boundary=boundary,
    )
    trail = seed.trail(
        "org-events",
        "us-east-1",
        multi_region=True,
        organization=True,
        log_group_arn=group,
        role_arn=role,
        event_selectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}],
        delivered_at=datetime.now(UTC),
    )
    topic = cis_monitoring(seed)

    result = scan_account(factory)

    called = set(factory.call_counts())
    document = json.loads(POLICY.read_text())
    assert called == granted_actions(document)

    inventory = result.inventory
    policy_arn = f"arn:aws:iam::{MAIN_ACCOUNT}:policy/deliver"
    alarm = inventory.alarms[0].alarms[0].arn
    resource = {
        "cloudtrail:GetTrailStatus": trail,
        "cloudtrail:GetEventSelectors": trail,
        "logs:DescribeLogGroups": f"arn:aws:logs:us-east-1:{MAIN_ACCOUNT}:log-group:*",
        "logs:DescribeMetricFilters": group,
        "iam:GetRole": role,
        "iam:ListRolePolicies": role,
        "iam:GetRolePolicy": role,
        "iam:ListAttachedRolePolicies": role,
        "iam:GetPolicy": policy_arn,
        "iam:GetPolicyVersion": "arn:aws:iam::aws:policy/AWSCloudTrailReadOnlyAccess",
        "cloudwatch:DescribeAlarms": alarm,
        "sns:ListSubscriptionsByTopic": topic,
    }
    for action in sorted(called):
        request = Request(action=action, resource=resource.get(action, "*"))
        decision = evaluate([("scan policy", document)], request).decision
        assert decision is Decision.ALLOW, (action, request.resource, decision)
    # What a resource-scoped statement must not grant: another service's resources.
    stray = Request(action="iam:GetRole", resource=f"arn:aws:s3:::{MAIN_ACCOUNT}-bucket")
    assert evaluate([("scan policy", document)], stray).decision is Decision.IMPLICIT_DENY
