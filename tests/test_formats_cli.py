"""The formats, suppressions and --framework from the command line (moto over HTTP)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from clihelpers import healthy_account, healthy_trail, run
from trailwarden.formats.base import FORMATS
from trailwarden.formats.json import schema

ALL = "json,ocsf,asff,sarif,junit,csv,html,table"


def test_output_dir_writes_every_format_and_one_summary_line(seed, env, tmp_path):
    healthy_trail(seed)
    out = tmp_path / "out"
    result = run(["scan", "--format", ALL, "--output-dir", str(out)], env)
    assert result.exit_code == 1, result.output  # no CIS monitoring: TW101–TW115 fail
    assert sorted(p.name for p in out.iterdir()) == sorted(f.file_name for f in FORMATS.values())
    assert result.stdout.count("\n") == 1 and "Wrote trailwarden.json" in result.stdout
    report = json.loads((out / "trailwarden.json").read_text())
    jsonschema.Draft202012Validator(schema()).validate(report)
    assert json.loads((out / "trailwarden.sarif").read_text())["version"] == "2.1.0"
    assert "TW001" in (out / "trailwarden.txt").read_text()
    # Reports name the account's trails, roles and weaknesses: its owner's to read only.
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {0o600}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "xml"], "there is no format 'xml'"),
        (["--format", "json,sarif"], "--output-dir"),
        (["--format", ","], "names no format"),
        (["--format", "json", "--output", "a", "--output-dir", "b"], "exclude each other"),
        (["--framework", "cis-9"], "There is no framework 'cis-9'"),
        (["--framework", "cis-3.0", "--check", "TW001"], "maps none of the checks"),
    ],
)
def test_bad_output_options_are_exit_2_before_any_call(args, says, tmp_path):
    result = run(["scan", *args], {"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert result.exit_code == 2
    assert says in result.stderr
    assert result.stderr.count("\n") == 1


def test_framework_selects_its_checks_and_labels_them(seed, env):
    healthy_account(seed)
    result = run(["scan", "--format", "json", "--framework", "cis-3.0"], env)
    report = json.loads(result.stdout)
    assert {f["check_id"] for f in report["findings"]} == {"TW010"} | {
        f"TW1{n:02d}" for n in range(1, 16)
    }
    assert report["framework"] == "cis-3.0"
    table = run(["scan", "--framework", "cis-1.2"], env)
    assert "TW001 (CIS v1.2 2.4)" in table.stdout and "TW115" not in table.stdout


SUPPRESS = """\
suppressions:
  - check: TW103
    account: "*"
    resource: "AWS::::Account:*"
    reason: Root alarms go to the SOC's SIEM instead (SEC-1)
    expires: 2999-12-31
  - check: TW007
    account: "*"
    resource: "*"
    reason: old
    expires: 2000-01-01
"""


def test_suppressions_file_in_the_working_directory_is_used_and_said(
    seed, env, tmp_path, monkeypatch
):
    healthy_account(seed)
    seed.client("logs").delete_metric_filter(
        logGroupName="aws-cloudtrail-logs/org-events", filterName="root_usage_metric"
    )
    monkeypatch.chdir(tmp_path)
    assert run(["scan"], env).exit_code == 1
    (tmp_path / ".trailwarden.yaml").write_text(SUPPRESS)
    table = run(["scan"], env)
    assert table.exit_code == 0, table.output
    assert "Suppressions from ./.trailwarden.yaml applied: 1 finding suppressed" in table.stdout
    assert ".trailwarden.yaml:7 (TW007, *) expired on 2000-01-01" in table.stderr
    report = json.loads(run(["scan", "--format", "json"], env).stdout)
    [root] = [f for f in report["findings"] if f["check_id"] == "TW103"]
    assert root["status"] == "FAIL"
    assert root["suppressed"]["reason"].startswith("Root alarms")
    assert [e["check"] for e in report["suppressions"]["expired"]] == ["TW007"]


def test_a_malformed_suppressions_file_is_exit_2_naming_file_and_line_before_any_call(
    env, tmp_path
):
    bad = tmp_path / "s.yaml"
    bad.write_text(SUPPRESS.replace("    expires: 2999-12-31\n", ""))
    result = run(["scan", "--suppressions", str(bad)], {"AWS_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert result.exit_code == 2
    assert f"{bad}:2: the entry has no expires" in result.stderr
    missing = run(["scan", "--suppressions", str(tmp_path / "nope.yaml")], env)
    assert missing.exit_code == 2 and "Cannot read suppressions file" in missing.stderr
