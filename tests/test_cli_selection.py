"""Nothing narrows a run to nothing and calls it a pass; nothing changes AWS unasked.

An option value that selects nothing (an unset ``$REGIONS`` in a CI job) is exit 2 with
one sentence, before any AWS call; so is a change without --yes when nobody can answer.
"""

from __future__ import annotations

import json

import pytest

from clihelpers import healthy_trail, run

NOTHING = ["", " ", ",", " , ,"]


@pytest.mark.parametrize("value", NOTHING)
@pytest.mark.parametrize("command", [["scan"], ["fix"]])
def test_regions_that_name_no_region_exit_2(seed, env, command, value):
    healthy_trail(seed)
    result = run([*command, "--regions", value], env)
    assert result.exit_code == 2, result.output
    assert "--regions" in result.stderr and "names no region" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


@pytest.mark.parametrize("value", NOTHING)
@pytest.mark.parametrize("command", [["scan"], ["fix"], ["demo"]])
def test_checks_that_name_no_check_exit_2(env, command, value):
    result = run([*command, "--check", "TW001", "--check", value], env)
    assert result.exit_code == 2, result.output
    assert "--check" in result.stderr and "names no check" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_regions_with_a_trailing_comma_select_the_regions_named(seed, env):
    healthy_trail(seed)
    result = run(["scan", "--format", "json", "--regions", "us-east-1,", "--no-monitoring"], env)
    assert result.exit_code == 0, result.output


def test_check_accepts_a_comma_separated_list(seed, env):
    healthy_trail(seed)
    result = run(["scan", "--format", "json", "--check", "tw006, TW010"], env)
    assert {f["check_id"] for f in json.loads(result.stdout)["findings"]} == {"TW006", "TW010"}


@pytest.mark.parametrize("command", [["scan"], ["fix"], ["demo"]])
def test_no_monitoring_with_a_monitoring_check_selects_nothing(env, command):
    result = run([*command, "--no-monitoring", "--check", "TW103"], env)
    assert result.exit_code == 2
    assert "--no-monitoring" in result.stderr and "TW103" in result.stderr


def test_fix_trail_that_names_no_trail_exits_2(seed, env):
    healthy_trail(seed)
    result = run(["fix", "--trail", " "], env)
    assert result.exit_code == 2
    assert "--trail" in result.stderr


def test_fix_plans_the_monitoring_checks_by_default(seed, env):
    healthy_trail(seed)  # a healthy multi-region trail, no metric filter: TW101–TW115 fail
    planned = run(["fix", "--format", "json"], env)
    assert planned.exit_code == 1
    steps = json.loads(planned.stdout)["steps"]
    fixes = {c for s in steps for c in s["fixes"]}
    assert fixes == {f"TW{n}" for n in range(101, 116)}  # every class, TW106 too
    # Each class its own filter and alarm, as CIS lays them out.
    for action in ("logs:PutMetricFilter", "cloudwatch:PutMetricAlarm"):
        assert sorted(c for s in steps if s["action"] == action for c in s["fixes"]) == sorted(
            fixes
        )

    trail_only = run(["fix", "--format", "json", "--no-monitoring"], env)
    assert trail_only.exit_code == 0, trail_only.output
    assert json.loads(trail_only.stdout)["steps"] == []


def test_fix_apply_without_a_terminal_or_yes_changes_nothing_and_exits_2(seed, env):
    seed.trail("no-cwl", "eu-west-1", logging=False)
    result = run(["fix", "--apply"], env)  # CliRunner's standard input is not a terminal
    assert result.exit_code == 2
    assert "--yes" in result.stderr and "not a terminal" in result.stderr
    assert result.stdout == ""  # refused before the scan
    status = seed.client("cloudtrail", "eu-west-1").get_trail_status(Name="no-cwl")
    assert status["IsLogging"] is False
    assert seed.client("logs", "eu-west-1").describe_log_groups()["logGroups"] == []


def test_rollback_without_a_terminal_or_yes_exits_2(env, tmp_path):
    journal = tmp_path / "journal.jsonl"
    journal.write_text("")
    result = run(["rollback", str(journal)], env)
    assert result.exit_code == 2
    assert "--yes" in result.stderr and "not a terminal" in result.stderr
