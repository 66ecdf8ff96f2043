"""The plan as AWS CLI commands, Terraform and CloudFormation: valid, and the same change."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import hcl2
import pytest
from botocore import xform_name
from botocore.session import get_session
from cfnlint.api import ManualArgs, lint

from factories import (
    ACCOUNT,
    inline,
    make_inventory,
    make_log_group,
    make_role,
    make_trail,
    role_policy,
)
from monitoring_factories import make_alarm, make_topic, monitored
from plan_cases import CASES, NOT_INTEGRATED, with_role
from plan_cases import EC2_TRUST as EC2
from trailwarden.checks import CheckOptions, evaluate
from trailwarden.inventory import Inventory
from trailwarden.remediate import Action, FixOptions, Plan, Step, make_plan
from trailwarden.remediate.render.cli import render_cli
from trailwarden.remediate.render.cloudformation import (
    render_cloudformation,
    render_cloudformation_json,
)
from trailwarden.remediate.render.hcl import hcl_value
from trailwarden.remediate.render.terraform import render_terraform

OPTS = FixOptions()
TWO_REGIONS = make_inventory(
    (
        make_trail(log_group_arn=None, role_arn=None),
        make_trail(home_region="eu-west-1", log_group_arn=None, role_arn=None),
    ),
    log_groups=(),
    roles=(),
)
EVERYTHING = make_inventory(
    (make_trail(log_group_arn=None, role_arn=None, is_logging=False),), log_groups=(), roles=()
)
ALL = [*CASES, pytest.param(TWO_REGIONS, OPTS, (), id="two-regions")]


def plan_for(inventory: Inventory, options: FixOptions = OPTS) -> Plan:
    return make_plan(inventory, evaluate(inventory, CheckOptions(monitoring=True)), options)


MONITORING = [
    (monitored(patterns={"TW101": "{ $.errorCode = Nope }"}), FixOptions()),
    (
        monitored(
            alarms={"TW102": None, "TW103": make_alarm("TW103", actions_enabled=False)},
            topic=make_topic(confirmed_subscriptions=0),
        ),
        FixOptions(alarm_email="sec@example.com"),
    ),
]


def monitoring_plan(inventory: Inventory, options: FixOptions) -> Plan:
    return make_plan(inventory, evaluate(inventory, CheckOptions(monitoring=True)), options)


MONITORING_PARAMS = [
    pytest.param(inv, opts, (), id=f"monitoring-{i}") for i, (inv, opts) in enumerate(MONITORING)
]


def one_step_plans() -> list[Any]:
    """For each action, a plan of one such step (and the inventory it was planned on)."""
    out = []
    candidates = [(p.values[0], p.values[1]) for p in CASES] + MONITORING
    for action in Action:
        inventory, step = next(
            (inv, s)
            for inv, opts in candidates
            for s in monitoring_plan(inv, opts).steps  # type: ignore[arg-type]
            if s.action is action
        )
        out.append(pytest.param(Plan(ACCOUNT, (step,)), inventory, id=action.name))
    return out


# -- Terraform ------------------------------------------------------------------------------
def unquote(value: Any) -> Any:
    """python-hcl2 keeps the quotes of strings and object keys: drop them."""
    if isinstance(value, str):
        return json.loads(value) if value.startswith('"') and value.endswith('"') else value
    if isinstance(value, list):
        return [unquote(v) for v in value]
    if isinstance(value, dict):
        return {unquote(k): unquote(v) for k, v in value.items() if k != "__is_block__"}
    return value


def terraform(plan: Plan, inventory: Inventory) -> dict[str, Any]:
    return unquote(hcl2.loads(render_terraform(plan, inventory)))  # type: ignore[no-any-return]


def resources(doc: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    blocks = doc.get("resource", [])
    return {name: attrs for block in blocks for name, attrs in block.get(kind, {}).items()}


@pytest.mark.parametrize(("inventory", "options", "expected"), [*ALL, *MONITORING_PARAMS])
def test_terraform_parses_and_uses_valid_identifiers(
    inventory: Inventory, options: FixOptions, expected: object
) -> None:
    plan = plan_for(inventory, options)
    doc = terraform(plan, inventory)
    names = [n for block in doc.get("resource", []) for kind in block.values() for n in kind]
    assert all(re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_-]*", n) for n in names)
    aliases = {p["aws"]["alias"] for p in doc.get("provider", [])}
    regions = {s.region for s in plan.steps}
    assert aliases == {r.replace("-", "_") for r in regions}
    if plan.is_empty:
        assert "resource" not in doc


def test_terraform_for_a_new_integration() -> None:
    doc = terraform(plan_for(EVERYTHING), EVERYTHING)
    [(group_id, group)] = list(resources(doc, "aws_cloudwatch_log_group").items())
    assert group["name"] == "aws-cloudtrail-logs/main" and group["retention_in_days"] == 365
    assert (
        group["tags"] == {"created-by": "trailwarden"} and group["provider"] == "${aws.us_east_1}"
    )
    [(role_id, role)] = list(resources(doc, "aws_iam_role").items())
    assert role["name"] == "trailwarden-cwl-main" and "jsonencode" in role["assume_role_policy"]
    [(policy_id, policy)] = list(resources(doc, "aws_iam_role_policy").items())
    assert policy["role"] == f"${{aws_iam_role.{role_id}.name}}"
    [(trail_id, trail)] = list(resources(doc, "aws_cloudtrail").items())
    assert trail["cloud_watch_logs_group_arn"] == f"${{aws_cloudwatch_log_group.{group_id}.arn}}:*"
    assert trail["cloud_watch_logs_role_arn"] == f"${{aws_iam_role.{role_id}.arn}}"
    assert trail["enable_logging"] is True and trail["is_multi_region_trail"] is True
    assert trail["s3_bucket_name"] == f"aws-cloudtrail-logs-{ACCOUNT}"
    assert trail["depends_on"] == [f"${{aws_iam_role_policy.{policy_id}}}"]
    (imported,) = doc["import"]
    assert imported["to"] == f"${{aws_cloudtrail.{trail_id}}}"
    assert imported["id"] == "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"
    assert trail["lifecycle"][0]["prevent_destroy"] is True


def test_terraform_repairs_an_existing_role_by_importing_it() -> None:
    inventory = with_role(trust=EC2, policies=())
    doc = terraform(plan_for(inventory), inventory)
    [(role_id, role)] = list(resources(doc, "aws_iam_role").items())
    assert role["name"] == "CloudTrail_CloudWatchLogs_Role" and role["path"] == "/"
    assert "permissions_boundary" in role["lifecycle"][0]["ignore_changes"]
    (policy,) = resources(doc, "aws_iam_role_policy").values()
    assert policy["role"] == f"${{aws_iam_role.{role_id}.name}}"
    assert [i["id"] for i in doc["import"]] == ["CloudTrail_CloudWatchLogs_Role"]
    assert "aws_cloudtrail" not in str(doc)  # the trail itself does not change


def test_terraform_inline_policy_on_an_existing_role_needs_no_import() -> None:
    inventory = with_role(policies=())
    doc = terraform(plan_for(inventory), inventory)
    (policy,) = resources(doc, "aws_iam_role_policy").values()
    assert policy["role"] == "CloudTrail_CloudWatchLogs_Role" and "import" not in doc


def test_replaced_inline_policy_is_imported_not_created() -> None:
    old = inline(role_policy(group="old"), name="trailwarden-cloudtrail-to-cwl")
    inventory = with_role(policies=(old,))
    plan = plan_for(inventory)
    assert [s.action for s in plan.steps] == [Action.PUT_ROLE_POLICY]
    doc = terraform(plan, inventory)
    assert [i["id"] for i in doc["import"]] == [
        "CloudTrail_CloudWatchLogs_Role:trailwarden-cloudtrail-to-cwl"
    ]
    ((region, template),) = render_cloudformation(plan, inventory).items()
    (policy,) = template["Resources"].values()
    assert policy["Type"] == "AWS::IAM::RolePolicy" and policy["DeletionPolicy"] == "Retain"
    assert lint_errors(template, region) == []


def test_terraform_retention_of_an_existing_group_is_imported() -> None:
    inventory = make_inventory(log_groups=(make_log_group(retention_in_days=30),))
    doc = terraform(plan_for(inventory), inventory)
    (group,) = resources(doc, "aws_cloudwatch_log_group").values()
    assert group["retention_in_days"] == 365 and group["lifecycle"][0]["prevent_destroy"] is True
    assert [i["id"] for i in doc["import"]] == ["aws-cloudtrail-logs/main"]


def test_terraform_documents_are_the_plans() -> None:
    plan = plan_for(NOT_INTEGRATED)
    for step in plan.steps:
        for key in ("assume_role_policy", "policy_document"):
            if key in step.after:
                parsed = unquote(hcl2.loads(f"x = {hcl_value(step.after[key])}\n"))["x"]
                assert parsed == step.after[key]


def test_terraform_strings_are_escaped() -> None:
    text = hcl_value({"a": 'quote " ${not_a_ref} %{if} back\\slash\nline'})
    assert "$${not_a_ref}" in text and "%%{if}" in text
    # Terraform turns "$${" back into "${" (python-hcl2 versions differ in whether they do).
    parsed = unquote(hcl2.loads(f"x = {text}\n"))["x"]["a"]
    assert parsed.startswith('quote " $') and "{not_a_ref}" in parsed and parsed.endswith("line")


# -- CloudFormation -------------------------------------------------------------------------
def lint_errors(template: dict[str, Any], region: str) -> list[str]:
    matches = lint(json.dumps(template), config=ManualArgs(regions=[region]))
    return [str(m) for m in matches if m.rule.id.startswith("E")]


@pytest.mark.parametrize(("inventory", "options", "expected"), [*ALL, *MONITORING_PARAMS])
def test_cloudformation_passes_cfn_lint(
    inventory: Inventory, options: FixOptions, expected: object
) -> None:
    plan = plan_for(inventory, options)
    templates = render_cloudformation(plan, inventory)
    assert set(templates) == {s.region for s in plan.steps}
    for region, template in templates.items():
        assert lint_errors(template, region) == []


def test_cloudformation_for_a_new_integration() -> None:
    (template,) = render_cloudformation(plan_for(EVERYTHING), EVERYTHING).values()
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    by_type = {r["Type"]: (k, r) for k, r in template["Resources"].items()}
    group_id, group = by_type["AWS::Logs::LogGroup"]
    assert group["Properties"]["RetentionInDays"] == 365 and "DeletionPolicy" not in group
    role_id, role = by_type["AWS::IAM::Role"]
    assert role["Properties"]["Policies"][0]["PolicyName"] == "trailwarden-cloudtrail-to-cwl"
    _, trail = by_type["AWS::CloudTrail::Trail"]
    assert trail["DeletionPolicy"] == trail["UpdateReplacePolicy"] == "Retain"
    props = trail["Properties"]
    assert props["CloudWatchLogsLogGroupArn"] == {"Fn::GetAtt": [group_id, "Arn"]}
    assert props["CloudWatchLogsRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert props["IsLogging"] is True and props["TrailName"] == "main"
    meta = trail["Metadata"]["trailwarden"]
    assert meta["import"] == {"ResourceIdentifier": {"TrailName": "main"}}
    assert "--change-set-type IMPORT" in meta["note"]


def test_cloudformation_repair_imports_the_role_and_adds_a_role_policy() -> None:
    inventory = with_role(trust=EC2, policies=())
    (template,) = render_cloudformation(plan_for(inventory), inventory).values()
    by_type = {r["Type"]: (k, r) for k, r in template["Resources"].items()}
    role_id, role = by_type["AWS::IAM::Role"]
    assert role["DeletionPolicy"] == "Retain"
    assert role["Metadata"]["trailwarden"]["import"]["ResourceIdentifier"] == {
        "RoleName": "CloudTrail_CloudWatchLogs_Role"
    }
    _, policy = by_type["AWS::IAM::RolePolicy"]
    assert policy["Properties"]["RoleName"] == {"Ref": role_id}


def test_cloudformation_json_output() -> None:
    one = json.loads(render_cloudformation_json(plan_for(EVERYTHING), EVERYTHING))
    assert one["AWSTemplateFormatVersion"] == "2010-09-09"
    two = json.loads(render_cloudformation_json(plan_for(TWO_REGIONS), TWO_REGIONS))
    assert set(two) == {"us-east-1", "eu-west-1"}
    assert (
        json.loads(render_cloudformation_json(plan_for(make_inventory()), make_inventory())) == {}
    )


# -- AWS CLI ------------------------------------------------------------------------------
def commands(script: str) -> list[list[str]]:
    words = [shlex.split(line) for line in script.splitlines() if re.match(r"(retry )?aws ", line)]
    return [w[1:] if w[0] == "retry" else w for w in words]


_MODELS: dict[str, Any] = {}


def cli_flags(service: str, command: str) -> set[str]:
    """The AWS CLI's flags for a command: its operation's input members, kebab-cased."""
    if service not in _MODELS:
        _MODELS[service] = get_session().get_service_model(service)
    model = _MODELS[service]
    (operation,) = [o for o in model.operation_names if xform_name(o, "-") == command]
    flags = {
        f"--{xform_name(m, '-')}" for m in model.operation_model(operation).input_shape.members
    }
    # The AWS CLI renames the members that clash with its global options (awscli's
    # customizations/argrename.py): sns subscribe's Endpoint is --notification-endpoint.
    renamed = _RENAMED.get((service, command), {})
    return {renamed.get(f, f) for f in flags}


_RENAMED = {("sns", "subscribe"): {"--endpoint": "--notification-endpoint"}}


@pytest.mark.parametrize(("inventory", "options", "expected"), [*ALL, *MONITORING_PARAMS])
def test_cli_script_is_valid_bash_with_real_flags(
    inventory: Inventory, options: FixOptions, expected: object
) -> None:
    plan = plan_for(inventory, options)
    script = render_cli(plan)
    assert script.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in script
    subprocess.run(["bash", "-n"], input=script, text=True, check=True)
    calls = [c for c in commands(script) if c[:2] != ["sts", "get-caller-identity"]]
    assert len(calls) == len(plan.steps)
    for words, step in zip(calls, plan.steps, strict=True):
        assert words[0] == "aws"
        service, command = words[1], words[2]
        flags = {w for w in words if w.startswith("--")}
        assert flags <= cli_flags(service, command) | {"--region"}, (command, flags)
        # The step's API action is the command: logs:CreateLogGroup is `aws logs create-log-group`.
        assert xform_name(step.action.value.split(":")[1], "-") == command


def run_with_fake_aws(
    tmp_path: Path, script: str, account: str = ACCOUNT
) -> tuple[int, list[list[str]]]:
    """Run the script with an `aws` that records its arguments instead of calling AWS."""
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls.jsonl"
    bin_dir.mkdir()
    fake = bin_dir / "aws"
    fake.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(calls)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"if sys.argv[1:3] == ['sts', 'get-caller-identity']: print({account!r})\n"
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    recorded = (
        [json.loads(line) for line in calls.read_text().splitlines()] if calls.exists() else []
    )
    return done.returncode, recorded


def test_cli_script_passes_the_plans_documents_intact(tmp_path: Path) -> None:
    plan = plan_for(EVERYTHING)
    code, calls = run_with_fake_aws(tmp_path, render_cli(plan))
    assert code == 0 and calls[0][:2] == ["sts", "get-caller-identity"]
    by_step = dict(zip([s.id for s in plan.steps], calls[1:], strict=True))
    for step in plan.steps:
        args = by_step[step.id]
        for flag, key in (
            ("--assume-role-policy-document", "assume_role_policy"),
            ("--policy-document", "policy_document"),
        ):
            if flag in args:
                assert json.loads(args[args.index(flag) + 1]) == step.after[key]
        if step.action is Action.UPDATE_TRAIL:
            assert args[args.index("--name") + 1] == step.target
            assert args[args.index("--region") + 1] == step.region
            assert args[args.index("--cloud-watch-logs-log-group-arn") + 1].endswith(":*")


def test_cli_script_refuses_another_account(tmp_path: Path) -> None:
    code, calls = run_with_fake_aws(tmp_path, render_cli(plan_for(EVERYTHING)), "999999999999")
    assert code == 1 and len(calls) == 1


def test_cli_script_for_an_empty_plan_does_nothing(tmp_path: Path) -> None:
    code, calls = run_with_fake_aws(tmp_path, render_cli(plan_for(make_inventory())))
    assert code == 0 and calls == []


# -- every action, every renderer ------------------------------------------------------------
@pytest.mark.parametrize(("plan", "inventory"), one_step_plans())
def test_every_action_renders_in_every_format(plan: Plan, inventory: Inventory) -> None:
    step: Step = plan.steps[0]
    (words,) = [c for c in commands(render_cli(plan)) if c[1] != "sts"]
    assert xform_name(step.action.value.split(":")[1], "-") == words[2]
    assert terraform(plan, inventory)["resource"]
    for region, template in render_cloudformation(plan, inventory).items():
        assert template["Resources"] and lint_errors(template, region) == []


def test_role_path_is_kept_for_an_imported_role() -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:role/service-role/CloudTrail_CloudWatchLogs_Role"
    role = replace(make_role(trust=EC2), arn=arn)
    inventory = make_inventory((make_trail(role_arn=arn),), roles=(role,))
    doc = terraform(plan_for(inventory), inventory)
    (role_tf,) = resources(doc, "aws_iam_role").values()
    assert role_tf["path"] == "/service-role/"
