"""`trailwarden fix` and `trailwarden rollback` end to end, over HTTP against moto's server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clihelpers import healthy_account, healthy_trail, run
from trailwarden.remediate import read_journal


def trail_state(seed, name: str, region: str) -> dict:
    cloudtrail = seed.client("cloudtrail", region)
    [trail] = cloudtrail.describe_trails(trailNameList=[name])["trailList"]
    status = cloudtrail.get_trail_status(Name=name)
    # UpdateTrail with "" removes the integration; moto then shows "", AWS omits the field.
    return {
        "log_group": trail.get("CloudWatchLogsLogGroupArn") or None,
        "role": trail.get("CloudWatchLogsRoleArn") or None,
        "logging": status["IsLogging"],
    }


def test_fix_without_apply_changes_nothing_and_exits_1(seed, env):
    seed.trail("no-cwl", "eu-west-1", logging=False)
    before = trail_state(seed, "no-cwl", "eu-west-1")
    result = run(["fix"], env)
    assert result.exit_code == 1
    assert "nothing changed" in result.stdout.lower()
    assert trail_state(seed, "no-cwl", "eu-west-1") == before
    assert seed.client("logs", "eu-west-1").describe_log_groups()["logGroups"] == []


def test_fix_json_lists_steps_and_is_empty_when_nothing_to_do(seed, env):
    healthy_account(seed)
    result = run(["fix", "--format", "json"], env)
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["schema_version"] == 1 and plan["steps"] == []


@pytest.mark.parametrize(
    ("fmt", "needle"),
    [
        ("cli", "--cloud-watch-logs-log-group-arn"),
        ("terraform", 'resource "aws_cloudwatch_log_group"'),
        ("cloudformation", "AWS::Logs::LogGroup"),
    ],
)
def test_fix_writes_the_change_in_other_formats(seed, env, tmp_path: Path, fmt, needle):
    seed.trail("no-cwl", "eu-west-1")
    out = tmp_path / "plan.out"
    result = run(["fix", "--format", fmt, "--output", str(out)], env)
    assert result.exit_code == 1
    assert needle in out.read_text()


def test_apply_then_scan_passes_and_rollback_restores(seed, env, tmp_path: Path):
    seed.trail("no-cwl", "eu-west-1", logging=False)
    before = trail_state(seed, "no-cwl", "eu-west-1")
    journal = tmp_path / "journal.jsonl"

    applied = run(["fix", "--apply", "--yes", "--journal", str(journal)], env)
    assert applied.exit_code == 0, applied.output
    after = trail_state(seed, "no-cwl", "eu-west-1")
    assert after["log_group"] and after["role"] and after["logging"]
    scan = run(["scan", "--format", "json", "--check", "TW001", "--check", "TW002"], env)
    assert {f["status"] for f in json.loads(scan.stdout)["findings"]} == {"PASS"}

    again = run(["fix", "--apply", "--yes", "--journal", str(tmp_path / "second.jsonl")], env)
    assert again.exit_code == 0
    assert "no change planned" in again.stdout.lower()
    assert not (tmp_path / "second.jsonl").exists()

    undone = run(["rollback", str(journal), "--yes"], env)
    assert undone.exit_code == 0, undone.output
    assert trail_state(seed, "no-cwl", "eu-west-1") == before
    assert seed.client("logs", "eu-west-1").describe_log_groups()["logGroups"] == []
    assert read_journal(journal).undone


def test_rollback_of_a_missing_journal_exits_2(env, tmp_path: Path):
    result = run(["rollback", str(tmp_path / "nope.jsonl"), "--yes"], env)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_fix_unknown_check_exits_2(env):
    result = run(["fix", "--check", "TW042"], env)
    assert result.exit_code == 2
    assert "TW042" in result.stderr


def test_fix_monitoring_creates_filter_alarm_and_topic_and_rollback_removes_them(
    seed, env, tmp_path: Path
):
    healthy_trail(seed)  # multi-region and delivering: TW010 passes, its log group is used
    before = run(["scan", "--format", "json", "--check", "TW103"], env)
    assert json.loads(before.stdout)["findings"][0]["status"] == "FAIL"
    journal = tmp_path / "journal.jsonl"

    planned = run(["fix", "--check", "TW103", "--alarm-email", "soc@example.com"], env)
    assert planned.exit_code == 1
    assert "trailwarden-cis-tw103" in planned.stdout

    applied = run(
        ["fix", "--check", "TW103", "--alarm-email", "soc@example.com", "--apply", "--yes"]
        + ["--journal", str(journal)],
        env,
    )
    assert applied.exit_code == 0, applied.output
    # moto confirms e-mail subscriptions at once; AWS waits for the recipient to confirm.
    after = run(["scan", "--format", "json", "--check", "TW103"], env)
    assert json.loads(after.stdout)["findings"][0]["status"] == "PASS"

    undone = run(["rollback", str(journal), "--yes"], env)
    assert undone.exit_code == 0, undone.output
    logs = seed.client("logs", "us-east-1")
    group = "aws-cloudtrail-logs/org-events"
    assert logs.describe_metric_filters(logGroupName=group)["metricFilters"] == []
    assert seed.client("cloudwatch", "us-east-1").describe_alarms()["MetricAlarms"] == []
    assert seed.client("sns", "us-east-1").list_topics()["Topics"] == []
