"""`trailwarden lambda template`: CloudFormation for one account and for the organization,
linted by cfn-lint, with the rule's triggers, least privilege and the drift rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_all

from clihelpers import run
from trailwarden.config_rule.drift import EVENT_PATTERN
from trailwarden.config_rule.org_template import organization_template
from trailwarden.config_rule.parameters import PARAMETER_DEFAULTS
from trailwarden.config_rule.permissions import READ_ONLY_STATEMENTS
from trailwarden.config_rule.templates import account_template

POLICY = Path(__file__).parents[1] / "policies" / "trailwarden-scan-readonly.json"


def lint(template: dict[str, Any]) -> list[str]:
    """cfn-lint's errors and warnings (what `cfn-lint FILE` fails on; I-rules are advice)."""
    matches = [m for m in lint_all(json.dumps(template)) if not m.rule.id.startswith("I")]
    return [f"{m.rule.id} {m.message} ({'/'.join(map(str, m.path))})" for m in matches]


def test_the_account_template_passes_cfn_lint() -> None:
    assert lint(account_template()) == []


def test_the_organization_template_passes_cfn_lint() -> None:
    assert lint(organization_template()) == []


def resources(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == kind]


def test_the_rule_is_a_custom_lambda_rule_on_trails_with_both_triggers() -> None:
    (rule,) = resources(account_template(), "AWS::Config::ConfigRule")
    props = rule["Properties"]
    assert props["Scope"] == {"ComplianceResourceTypes": ["AWS::CloudTrail::Trail"]}
    assert props["Source"]["Owner"] == "CUSTOM_LAMBDA"
    assert props["Source"]["SourceIdentifier"] == {"Fn::GetAtt": ["Function", "Arn"]}
    details = {d["MessageType"]: d for d in props["Source"]["SourceDetails"]}
    assert set(details) == {
        "ScheduledNotification",
        "ConfigurationItemChangeNotification",
        "OversizedConfigurationItemChangeNotification",
    }
    assert details["ScheduledNotification"]["MaximumExecutionFrequency"] == {"Ref": "Schedule"}
    # Every rule parameter the handler reads, each from a template parameter of its name.
    assert props["InputParameters"] == {n: {"Ref": n} for n in PARAMETER_DEFAULTS}
    assert rule["DependsOn"] == ["ConfigPermission"]


def test_aws_config_and_eventbridge_may_invoke_the_function_and_nobody_else() -> None:
    template = account_template()
    permissions = {
        p["Properties"]["Principal"]: p["Properties"]
        for p in resources(template, "AWS::Lambda::Permission")
    }
    assert set(permissions) == {"config.amazonaws.com", "events.amazonaws.com"}
    assert permissions["config.amazonaws.com"]["SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert permissions["events.amazonaws.com"]["SourceArn"] == {"Fn::GetAtt": ["DriftRule", "Arn"]}


def test_the_drift_rule_sends_the_pattern_to_the_function() -> None:
    (rule,) = resources(account_template(), "AWS::Events::Rule")
    assert rule["Properties"]["EventPattern"] == EVENT_PATTERN
    assert rule["Properties"]["Targets"][0]["Arn"] == {"Fn::GetAtt": ["Function", "Arn"]}


def actions(statements: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for s in statements:
        assert s["Effect"] == "Allow"
        out |= {s["Action"]} if isinstance(s["Action"], str) else set(s["Action"])
    return out


def test_the_role_reads_what_a_scan_reads_and_writes_only_evaluations() -> None:
    template = account_template()
    (role,) = resources(template, "AWS::IAM::Role")
    granted = [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]
    (extra,) = resources(template, "AWS::IAM::RolePolicy")
    granted += extra["Properties"]["PolicyDocument"]["Statement"]
    scan = json.loads(POLICY.read_text())["Statement"]
    assert actions(granted) == actions(scan) | {
        "config:PutEvaluations",
        "config:StartConfigRulesEvaluation",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
    # The writes are scoped: its own log group, this rule.
    by_action = {a: s for s in granted for a in actions([s])}
    assert by_action["logs:PutLogEvents"]["Resource"] == {"Fn::GetAtt": ["FunctionLogGroup", "Arn"]}
    assert by_action["config:StartConfigRulesEvaluation"]["Resource"] == {
        "Fn::GetAtt": ["ConfigRule", "Arn"]
    }


def test_the_read_statements_are_the_read_only_policys() -> None:
    assert json.loads(POLICY.read_text())["Statement"] == READ_ONLY_STATEMENTS


def test_the_organization_stackset_deploys_the_account_template_to_new_accounts() -> None:
    (stackset,) = resources(organization_template(), "AWS::CloudFormation::StackSet")
    props = stackset["Properties"]
    assert props["PermissionModel"] == "SERVICE_MANAGED"
    assert props["AutoDeployment"]["Enabled"] is True
    assert json.loads(props["TemplateBody"]) == account_template()
    group = props["StackInstancesGroup"][0]
    assert group["DeploymentTargets"] == {"OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}}
    assert group["Regions"] == {"Ref": "Regions"}
    passed = {p["ParameterKey"]: p["ParameterValue"] for p in props["Parameters"]}
    assert set(passed) == set(account_template()["Parameters"])
    assert passed["CodeBucketPerRegion"] == "true"


def test_the_nested_template_fits_a_stackset() -> None:
    (stackset,) = resources(organization_template(), "AWS::CloudFormation::StackSet")
    assert len(stackset["Properties"]["TemplateBody"].encode()) <= 51_200  # TemplateBody limit


@pytest.mark.parametrize(
    ("args", "maker"), [([], account_template), (["--organization"], organization_template)]
)
def test_the_command_prints_the_template(args: list[str], maker: Any) -> None:
    result = run(["lambda", "template", *args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(maker()))


def test_the_command_writes_the_template_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rule.json"
    result = run(["lambda", "template", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert lint(json.loads(out.read_text())) == []


def test_cfn_lint_catches_a_broken_template() -> None:
    # The lint above can fail: a rule without its Source is reported.
    broken = account_template()
    del broken["Resources"]["ConfigRule"]["Properties"]["Source"]
    assert lint(broken) != []
