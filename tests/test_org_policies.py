"""The shipped policies of an organization scan: the member accounts' audit role (a
CloudFormation template for StackSets) and the caller's extra permissions."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from cfnlint.api import ManualArgs, lint

from conftest import MAIN_ACCOUNT
from org_helpers import make_organization
from trailwarden.checks.iam_policy import Decision, Request, evaluate
from trailwarden.collect.org_collect import OrgRequest
from trailwarden.org_scan import scan_organization

POLICIES = Path(__file__).parents[1] / "policies"
READ_ONLY = json.loads((POLICIES / "trailwarden-scan-readonly.json").read_text())
CALLER = json.loads((POLICIES / "trailwarden-org-caller.json").read_text())
TEMPLATE_TEXT = (POLICIES / "trailwarden-audit-role.yaml").read_text()


def actions(document: dict) -> set[str]:
    out: set[str] = set()
    for statement in document["Statement"]:
        listed = statement["Action"]
        out |= {listed} if isinstance(listed, str) else set(listed)
    return out


def resolved(value):
    """The template's values with ${AWS::Partition} as in the aws partition."""
    if isinstance(value, dict) and set(value) == {"Fn::Sub"}:
        return value["Fn::Sub"].replace("${AWS::Partition}", "aws")
    if isinstance(value, dict):
        return {k: resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolved(v) for v in value]
    return value


def test_the_audit_role_template_is_valid_cloudformation():
    errors = [str(m) for m in lint(TEMPLATE_TEXT, config=ManualArgs(regions=["us-east-1"]))]
    assert errors == []


def test_the_audit_role_grants_exactly_the_read_only_scan_policy():
    role = yaml.safe_load(TEMPLATE_TEXT)["Resources"]["AuditRole"]["Properties"]
    (policy,) = role["Policies"]
    assert resolved(policy["PolicyDocument"]) == READ_ONLY
    trust = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {
        "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${ScannerAccountId}:root"}
    }
    assert trust["Action"] == "sts:AssumeRole"


def test_the_caller_policy_grants_exactly_what_an_organization_scan_adds(aws):
    org = make_organization(aws)
    used: set[str] = set()
    for request in (
        OrgRequest(role_name="TrailwardenAudit"),
        OrgRequest(ous=(org.ous["Workloads"],)),
    ):
        report = scan_organization(aws.factory(MAIN_ACCOUNT), request).report
        used |= set(report.stats.api_calls_by_action)
    granted = actions(READ_ONLY) | actions(CALLER)
    assert used <= granted
    assert actions(CALLER) <= used  # nothing granted that a scan does not call
    role = f"arn:aws:iam::{org.accounts['prod']}:role/TrailwardenAudit"
    request = Request(action="sts:AssumeRole", resource=role)
    assert evaluate([("caller", CALLER)], request).decision is Decision.ALLOW
    other = Request(
        action="sts:AssumeRole", resource=f"arn:aws:iam::{org.accounts['prod']}:role/Admin"
    )
    assert evaluate([("caller", CALLER)], other).decision is Decision.IMPLICIT_DENY
