"""`trailwarden fix --org`: plan, apply and roll back across the accounts of an organization,
over HTTP against moto's server (an organization of a management account and two members,
each member with a trail of its own that does not deliver to CloudWatch Logs)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clihelpers import run
from conftest import MAIN_ACCOUNT
from endpoints import stalling_proxy
from org_helpers import SimulatedOrg, make_organization
from trailwarden.remediate import read_journal
from trailwarden.textsafe import printable

NO_CWL = "no-cwl"


@pytest.fixture
def org(aws) -> SimulatedOrg:
    """Management account (a healthy organization trail) + dev and prod, each with a trail
    of its own that is not integrated with CloudWatch Logs and not logging."""
    org = make_organization(aws, {"dev": "Workloads", "prod": "Workloads/Prod"}, closed=())
    for name in ("dev", "prod"):
        org.seed(name).trail(NO_CWL, "us-east-1", logging=False)
    return org


def trail_state(org: SimulatedOrg, account: str, name: str = NO_CWL) -> dict:
    cloudtrail = org.aws.client(account, "cloudtrail")
    [trail] = cloudtrail.describe_trails(trailNameList=[name])["trailList"]
    return {
        "log_group": trail.get("CloudWatchLogsLogGroupArn") or None,
        "role": trail.get("CloudWatchLogsRoleArn") or None,
        "logging": cloudtrail.get_trail_status(Name=name)["IsLogging"],
    }


def members(org: SimulatedOrg) -> list[str]:
    return [org.accounts["dev"], org.accounts["prod"]]


def plan_json(env, *args: str) -> dict:
    result = run(["fix", "--org", "--no-monitoring", "--format", "json", *args], env)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_json_plan_holds_one_single_account_plan_per_account(org, env):
    doc = plan_json(env)
    assert doc["schema_version"] == 1 and doc["organization"]["id"] == org.id
    assert doc["organization"]["management_account_id"] == MAIN_ACCOUNT
    plans = {p["account_id"]: p for p in doc["plans"]}
    assert set(plans) == {MAIN_ACCOUNT, *members(org)}
    for account in members(org):
        plan = plans[account]
        assert plan["schema_version"] == 1 and set(plan) == {
            "schema_version",
            "account_id",
            "steps",
            "skipped",
            "diagnoses",
        }
        assert {s["account_id"] for s in plan["steps"]} == {account}
        assert "cloudtrail:UpdateTrail" in [s["action"] for s in plan["steps"]]
    assert plans[MAIN_ACCOUNT]["steps"] == []  # its organization trail is healthy
    statuses = {a["account_id"]: a["status"] for a in doc["accounts"]}
    assert statuses == {MAIN_ACCOUNT: "nothing to do", **dict.fromkeys(members(org), "planned")}


def test_the_html_report_holds_the_organization_scan_and_every_accounts_plan(org, env):
    from html.parser import HTMLParser

    result = run(["fix", "--org", "--no-monitoring", "--format", "html"], env)
    assert result.exit_code == 1, result.output
    page = result.stdout
    HTMLParser().feed(page)  # well-formed enough for Python's parser
    for account in members(org):
        assert f"Fix plan for account {account}" in page
        assert "cloudtrail:UpdateTrail" in page[page.index(f"Fix plan for account {account}") :]
    assert f"Fix plan for account {MAIN_ACCOUNT}" in page  # nothing to do, said so
    assert "Organization summary" in page


def test_the_text_plan_is_grouped_by_account_with_name_and_ou(org, env):
    result = run(["fix", "--org", "--no-monitoring"], {**env, "COLUMNS": "160"})
    assert result.exit_code == 1, result.output
    dev, prod = org.accounts["dev"], org.accounts["prod"]
    text = result.stdout
    assert f"Account {dev} (dev · Root/Workloads)" in text
    assert f"Account {prod} (prod · Root/Workloads/Prod)" in text
    assert text.index(f"Account {MAIN_ACCOUNT}") < text.index(f"Account {dev}")
    assert "planned in 2 accounts; nothing changed. Run with --apply" in text


def test_apply_fixes_every_member_with_one_journal_each_then_rollback_dir_restores(
    org, env, tmp_path
):
    before = {a: trail_state(org, a) for a in members(org)}
    journals = tmp_path / "journals"
    applied = run(
        ["fix", "--org", "--no-monitoring", "--apply", "--yes", "--journal-dir", str(journals)],
        env,
    )
    assert applied.exit_code == 0, applied.output
    for account in members(org):
        after = trail_state(org, account)
        assert after["log_group"] and after["role"] and after["logging"], account
        assert f":{account}:" in after["log_group"]  # in the member's own account
        assert read_journal(journals / f"{account}.jsonl").account_id == account
    assert sorted(p.name for p in journals.iterdir()) == sorted(f"{a}.jsonl" for a in members(org))
    assert stat.S_IMODE(journals.stat().st_mode) == 0o700
    assert f"To undo every account's changes: trailwarden rollback {journals}" in applied.stderr

    undone = run(["rollback", str(journals), "--yes"], env)
    assert undone.exit_code == 0, undone.output
    assert {a: trail_state(org, a) for a in members(org)} == before
    for account in members(org):
        assert org.aws.client(account, "logs").describe_log_groups()["logGroups"] == []


def test_a_member_whose_role_cannot_be_assumed_is_reported_and_the_others_are_fixed(
    org, env, tmp_path
):
    org.aws.deny("sts:AssumeRole", resource=org.role_arn("dev"))
    journals = tmp_path / "journals"
    result = run(
        ["fix", "--org", "--no-monitoring", "--apply", "--yes", "--journal-dir", str(journals)],
        {**env, "COLUMNS": "200"},
    )
    assert result.exit_code == 1, result.output
    dev, prod = org.accounts["dev"], org.accounts["prod"]
    assert f"{dev}: not planned (could not be scanned: AccessDenied on sts:AssumeRole" in (
        result.stdout
    )
    assert f"Account {dev} (dev · Root/Workloads): failed, not planned" in result.stderr
    assert trail_state(org, prod)["log_group"] is not None
    assert trail_state(org, dev)["log_group"] is None
    assert [p.name for p in journals.iterdir()] == [f"{prod}.jsonl"]


def test_a_member_whose_role_cannot_write_stops_there_and_the_others_go_on(org, env, tmp_path):
    dev, prod = org.accounts["dev"], org.accounts["prod"]
    org.aws.deny("logs:CreateLogGroup", account_id=dev)
    journals = tmp_path / "journals"
    result = run(
        ["fix", "--org", "--no-monitoring", "--apply", "--yes", "--journal-dir", str(journals)],
        env,
    )
    assert result.exit_code == 1, result.output
    assert f"Account {dev} (dev · Root/Workloads): failed." in result.stderr
    assert "AccessDenied" in result.stderr
    assert f"Account {prod} (prod · Root/Workloads/Prod): applied" in result.stderr
    assert trail_state(org, prod)["log_group"] is not None
    assert trail_state(org, dev)["log_group"] is None


def test_a_tampered_journal_stops_the_whole_rollback_before_any_call(org, env, tmp_path):
    journals = tmp_path / "journals"
    applied = run(
        ["fix", "--org", "--no-monitoring", "--apply", "--yes", "--journal-dir", str(journals)],
        env,
    )
    assert applied.exit_code == 0, applied.output
    after = {a: trail_state(org, a) for a in members(org)}
    # The journal read last: the other account's journal is valid, and still not used.
    tampered = sorted(journals.iterdir())[-1]
    lines = tampered.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b'"us-east-1"', b'"us-west-2"', 1)
    tampered.write_bytes(b"\n".join(lines))

    result = run(["rollback", str(journals), "--yes"], env)
    assert result.exit_code == 2, result.output
    assert f"{tampered} line 2 was changed" in result.stderr
    assert {a: trail_state(org, a) for a in members(org)} == after  # nothing rolled back


def test_an_organization_trail_is_only_ever_planned_in_its_owners_plan(aws, env):
    org = make_organization(aws, {"dev": "Workloads", "prod": ""}, closed=(), org_trail=False)
    org_trail = org.seed(MAIN_ACCOUNT).trail(
        "org-no-cwl", "us-east-1", multi_region=True, organization=True
    )
    doc = plan_json(env)
    plans = {p["account_id"]: p for p in doc["plans"]}
    touching = {
        account
        for account, plan in plans.items()
        for s in plan["steps"]
        if org_trail in (s["target"], s["trail_arn"])
    }
    assert touching == {MAIN_ACCOUNT}
    updated = [s for s in plans[MAIN_ACCOUNT]["steps"] if s["action"] == "cloudtrail:UpdateTrail"]
    assert [s["target"] for s in updated] == [org_trail]


def test_a_members_monitoring_on_the_organizations_log_group_points_at_its_owners_plan(aws, env):
    """The organization's CIS alarms live on the management account's log group: they are
    added once, in its plan; each member's plan says so instead of sending the user off to
    run fix there."""
    org = make_organization(aws, {"dev": "Workloads"}, closed=(), monitoring=False)
    result = run(["fix", "--org", "--format", "json", "--check", "TW101"], env)
    assert result.exit_code == 1, result.output
    plans = {p["account_id"]: p for p in json.loads(result.stdout)["plans"]}
    assert [s["fixes"] for s in plans[MAIN_ACCOUNT]["steps"]][0] == ["TW101"]
    (skip,) = [s for s in plans[org.accounts["dev"]]["skipped"] if s["check_id"] == "TW101"]
    assert f"the plan of account {MAIN_ACCOUNT} in this run adds them" in skip["reason"]
    assert "run trailwarden fix in that account" not in skip["reason"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--org", "--trail", "x"], "--trail names a trail of one account"),
        (
            ["--org", "--alarm-topic-arn", "arn:aws:sns:us-east-1:111111111111:t"],
            "--alarm-topic-arn names a topic of one account",
        ),
        (["--org", "--journal", "j.jsonl"], "pass --journal-dir DIR instead of --journal"),
        (["--journal-dir", "d"], "--journal-dir holds the journals of fix --org --apply"),
    ],
)
def test_options_that_cannot_work_across_accounts_exit_2(args, expected, env):
    result = run(["fix", *args], env)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr


def test_rollback_of_a_directory_without_journals_exits_2(env, tmp_path):
    (tmp_path / "notes.txt").write_text("not a journal")
    result = run(["rollback", str(tmp_path), "--yes"], env)
    assert result.exit_code == 2
    assert "holds no journal (*.jsonl file)" in result.stderr


def test_rollback_of_one_journal_refuses_directory_options(env, tmp_path: Path):
    result = run(["rollback", str(tmp_path / "j.jsonl"), "--yes", "--role-name", "R"], env)
    assert result.exit_code == 2
    assert "--role-name is for rolling back a directory of journals" in result.stderr


def test_ctrl_c_during_the_apply_names_the_journals_and_rollback_dir_undoes_them(
    org, env, aws, tmp_path
):
    before = {a: trail_state(org, a) for a in members(org)}
    journals = tmp_path / "journals"
    with stalling_proxy(aws.endpoint_url, "UpdateTrail") as (url, stalled):
        child = {**os.environ, **env, "AWS_ENDPOINT_URL": url}
        child.pop("AWS_PROFILE", None)
        args = ["fix", "--org", "--no-monitoring", "--apply", "--yes"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "trailwarden", *args, "--journal-dir", str(journals)],
            env={k: v for k, v in child.items() if v is not None},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert stalled.wait(120), proc.communicate(timeout=5)
        time.sleep(0.3)  # inside the unanswered UpdateTrail
        interrupted = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
        elapsed = time.monotonic() - interrupted
    assert proc.returncode == 130, stderr
    assert elapsed < 2.5, f"Ctrl-C took {elapsed:.1f} s"
    assert f"The apply was interrupted; journals in {journals}:" in stderr
    assert f"To undo what was done: trailwarden rollback {journals}" in stderr
    undone = run(["rollback", str(journals), "--yes"], env)
    assert undone.exit_code == 0, undone.output
    assert {a: trail_state(org, a) for a in members(org)} == before


@pytest.mark.parametrize("fmt", ["text", "cli", "terraform"])
def test_a_hostile_account_name_is_escaped_in_every_plan_for_people(aws, env, fmt):
    name = "evil\x1b[2J[bold red]x\ny"
    org = make_organization(aws, {name: ""}, closed=())
    org.seed(name).trail(NO_CWL, "us-east-1", logging=False)
    result = run(["fix", "--org", "--no-monitoring", "--format", fmt], {**env, "COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.stdout
    assert f"Account {org.accounts[name]} ({printable(name)} · Root)" in result.stdout
