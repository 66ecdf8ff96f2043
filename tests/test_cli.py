"""The command line end to end: scans over HTTP against moto's server, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from clihelpers import healthy_account, healthy_trail, run
from conftest import MAIN_ACCOUNT
from trailwarden.demo.simulated_aws import deny
from trailwarden.formats.json import schema


def test_healthy_account_exits_0_and_json_validates_against_the_schema(seed, env):
    healthy_account(seed)
    result = run(["scan", "--format", "json"], env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema()).validate(report)
    assert report["accounts"] == [MAIN_ACCOUNT]
    assert {f["status"] for f in report["findings"]} == {"PASS"}
    assert report["stats"]["api_calls"] == sum(report["stats"]["api_calls_by_action"].values())
    assert report["stats"]["api_calls_by_action"]["cloudtrail:ListTrails"] == 1


def test_a_failing_check_exits_1_and_the_report_names_it(seed, env):
    healthy_account(seed)
    seed.trail("no-cwl", "eu-west-1")
    result = run(["scan", "--format", "json"], env)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema()).validate(report)
    failing = [f for f in report["findings"] if f["status"] == "FAIL"]
    assert [(f["check_id"], f["region"]) for f in failing] == [("TW001", "eu-west-1")]


def test_an_error_exits_1(seed, env):
    healthy_trail(seed)
    deny("iam:GetRole", account_id=MAIN_ACCOUNT)
    result = run(["scan", "--format", "json"], env)
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.stdout)["findings"] if f["status"] == "ERROR"]
    assert {f["check_id"] for f in errors} >= {"TW003"}
    assert all("iam:GetRole" in f["message"] for f in errors if f["check_id"] == "TW003")


def test_saved_inventory_gives_identical_findings_offline(seed, env, tmp_path: Path):
    healthy_trail(seed)
    seed.trail("no-cwl", "eu-west-1", logging=False)
    inventory = tmp_path / "inventory.json"
    online = run(["scan", "--format", "json", "--save-inventory", str(inventory)], env)
    offline = run(["scan", "--format", "json", "--inventory", str(inventory)])
    assert online.exit_code == offline.exit_code == 1
    online_report, offline_report = json.loads(online.stdout), json.loads(offline.stdout)
    assert offline_report["findings"] == online_report["findings"]
    assert offline_report["stats"]["api_calls"] == 0


def test_table_output_groups_by_trail_and_ends_with_a_summary(seed, env, tmp_path: Path):
    arn = healthy_account(seed)
    out = tmp_path / "report.txt"
    result = run(["scan", "--output", str(out)], env)
    assert result.exit_code == 0
    text = out.read_text()
    assert arn in text
    # 7 trail checks on the trail; TW010 and TW101–TW115 on the account.
    assert "23 findings on 2 resources in account 111111111111: 23 PASS, 0 FAIL" in text


def test_check_option_restricts_the_report(seed, env):
    healthy_trail(seed)
    result = run(["scan", "--format", "json", "--check", "tw006", "--check", "TW010"], env)
    ids = {f["check_id"] for f in json.loads(result.stdout)["findings"]}
    assert ids == {"TW006", "TW010"}


def test_max_delivery_age_is_honoured(seed, env):
    healthy_trail(seed)  # delivered 3 minutes ago
    result = run(["scan", "--format", "json", "--max-delivery-age", "1m", "--check", "TW004"], env)
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["status"] == "FAIL"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["scan", "--regions", "us-east-9"], "us-east-9"),
        (["scan", "--check", "TW999"], "TW999"),
        (["explain", "TW999"], "TW999"),
        (["scan", "--max-delivery-age", "soon"], "soon"),
    ],
)
def test_bad_arguments_exit_2_with_one_sentence(args, needle, env):
    result = run(args, env)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_credentials_exit_2_and_debug_shows_the_traceback(aws, tmp_path: Path):
    env: dict[str, str | None] = {
        "AWS_ENDPOINT_URL": aws.endpoint_url,
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
    }
    plain = run(["scan"], env)
    assert plain.exit_code == 2
    assert "credentials" in plain.stderr.lower()
    assert "Traceback" not in plain.stderr
    debug = run(["--debug", "scan"], env)
    assert debug.exit_code == 2
    assert "Traceback" in debug.stderr


def test_expired_token_exit_2(env):
    deny("sts:GetCallerIdentity", code="ExpiredToken")
    result = run(["scan"], env)
    assert result.exit_code == 2
    assert "expired" in result.stderr.lower()


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "Cannot read"),
        (b"{not json", "not valid JSON"),
        (b"[]", "not a trailwarden inventory"),
        (b'{"schema_version": 99}', "schema_version 99"),
        (b'{"schema_version": 1, "account_id": "1"}', "not a valid trailwarden inventory"),
    ],
)
def test_unreadable_or_malformed_inventory_exit_2(tmp_path: Path, content, needle):
    path = tmp_path / "inventory.json"
    if content is not None:
        path.write_bytes(content)
    result = run(["scan", "--inventory", str(path)])
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_prints_the_real_cli_flags():
    result = run(["explain", "TW001"])
    assert result.exit_code == 0
    assert "--cloud-watch-logs-log-group-arn" in result.stdout
    assert "--cloud-watch-logs-role-arn" in result.stdout


def test_explain_tw003_shows_the_stream_resource_and_trust():
    text = run(["explain", "TW003"]).stdout
    assert "cloudtrail.amazonaws.com" in text
    assert "_CloudTrail_" in text


def test_explain_without_argument_lists_every_check():
    text = run(["explain"]).stdout
    for check_id in ("TW001", "TW002", "TW003", "TW004", "TW005", "TW006", "TW007", "TW010"):
        assert check_id in text


def test_monitoring_checks_are_part_of_every_scan_unless_no_monitoring(seed, env):
    healthy_trail(seed)
    ids = {f"TW{n}" for n in range(101, 116)}
    for args in ([], ["--monitoring"]):
        report = json.loads(run(["scan", "--format", "json", *args], env).stdout)
        assert {f["check_id"] for f in report["findings"]} >= ids
        # The account has no filters: each class fails at its first link, not with ERROR.
        assert {f["status"] for f in report["findings"] if f["check_id"] in ids} == {"FAIL"}
        assert report["stats"]["api_calls_by_action"]["logs:DescribeMetricFilters"] == 1

    result = run(["scan", "--format", "json", "--no-monitoring"], env)
    assert result.exit_code == 0, result.output
    trail_only = json.loads(result.stdout)
    assert not {f["check_id"] for f in trail_only["findings"]} & ids
    assert "cloudwatch:DescribeAlarms" not in trail_only["stats"]["api_calls_by_action"]
