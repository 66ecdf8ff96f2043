"""`trailwarden scan --org` on the command line: the JSON report (schema version 1), the
table with its organization summary, the saved organization inventory, the options."""

from __future__ import annotations

import json
import re
import stat

import jsonschema
import pytest

from clihelpers import run
from conftest import MAIN_ACCOUNT
from org_helpers import make_organization
from trailwarden.formats.json import schema


@pytest.fixture
def org(aws):
    org = make_organization(aws)
    aws.deny("sts:AssumeRole", resource=org.role_arn("sandbox"))
    return org


def test_the_json_report_lists_every_account_and_names_every_finding(org, env):
    result = run(["scan", "--org", "--format", "json"], env)
    assert result.exit_code == 1, result.output  # the sandbox member could not be scanned
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema()).validate(report)
    ids = {MAIN_ACCOUNT, *org.accounts.values()}
    assert set(report["accounts"]) == ids
    details = {d["account_id"]: d for d in report["account_details"]}
    assert details[org.accounts["sandbox"]]["status"] == "failed"
    assert details[org.accounts["old"]]["status"] == "skipped"
    assert details[org.accounts["prod"]]["ou_path"] == "Root/Workloads/Prod"
    names = {d["account_id"]: d["name"] for d in report["account_details"]}
    assert all(f["account_name"] == names[f["account_id"]] for f in report["findings"])
    assert report["stats"]["api_calls_by_action"]["sts:AssumeRole"] == 3


def test_the_table_starts_with_the_organization_summary_then_each_account(org, env):
    result = run(["scan", "--org", "--no-monitoring"], {**env, "COLUMNS": "160"})
    assert result.exit_code == 1, result.output
    text = result.stdout
    assert text.lstrip().startswith("Organization summary — the worst accounts first")
    summary = text[: text.index("accounts:")]
    rows = [line for line in summary.splitlines() if re.match(r"^ \d{12} ", line)]
    assert len(rows) == len(org.accounts) + 1
    # The account that could not be scanned comes first, the skipped one last.
    assert org.accounts["sandbox"] in rows[0] and "not scanned: AccessDenied" in rows[0]
    assert org.accounts["old"] in rows[-1] and "skipped: suspended" in rows[-1]
    headings = [line for line in text.splitlines() if "━━ account " in line]
    assert len(headings) == len(org.accounts) + 1
    assert "(prod · Root/Workloads/Prod)" in text


def test_the_progress_bar_never_reaches_machine_output(org, env, tmp_path):
    # TTY_COMPATIBLE makes rich treat standard error as a terminal (as a user's would be).
    result = run(["scan", "--org", "--format", "json"], {**env, "TTY_COMPATIBLE": "1"})
    assert "Scanning accounts" in result.stderr  # the bar, on the terminal
    json.loads(result.stdout)  # and nothing but the report on standard output
    out = tmp_path / "report.txt"
    run(["scan", "--org", "--output", str(out)], {**env, "TTY_COMPATIBLE": "1"})
    assert "Organization summary" in out.read_text()
    assert "Scanning accounts" not in out.read_text()


def test_an_organization_inventory_round_trips_offline(org, env, tmp_path):
    path = tmp_path / "org.json"
    online = run(["scan", "--org", "--format", "json", "--save-inventory", str(path)], env)
    assert online.exit_code == 1, online.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    offline = run(["scan", "--format", "json", "--inventory", str(path)])
    assert offline.exit_code == 1, offline.output
    before, after = json.loads(online.stdout), json.loads(offline.stdout)
    assert after["findings"] == before["findings"]
    assert after["account_details"] == before["account_details"]


def test_role_name_and_external_id_reach_assume_role(org, env):
    from moto.sts.models import sts_backends

    result = run(
        ["scan", "--org", "--role-name", "OrganizationAccountAccessRole", "--external-id", "ext-1"],
        env,
    )
    assert result.exit_code == 1, result.output
    roles = sts_backends[org.accounts["prod"]]["aws"].assumed_roles
    assert [(r.external_id, r.session_name) for r in roles] == [
        ("ext-1", "trailwarden-scan-trailwarden-simulated-caller")
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--org", "--accounts", "1234"], "--accounts '1234' is not a 12-digit AWS account id."),
        (["--org", "--accounts", ","], "--accounts ',' names no account id"),
        (["--ou", "Workloads"], "--ou 'Workloads' is not an organizational unit id"),
        (["--accounts", "123456789012"], "--accounts chooses accounts of an organization scan"),
        (["--role-name", "Audit"], "--role-name chooses accounts of an organization scan"),
        (["--org", "--accounts-file", "a.yml"], "give one of them"),
        (
            ["--org", "--role-name", "arn:aws:iam::1:role/x"],
            "--role-name 'arn:aws:iam::1:role/x' is not an IAM role name",
        ),
        (["--org", "--external-id", "x"], "--external-id must be 2–1224 characters"),
        (["--org", "--inventory", "org.json"], "--inventory evaluates a saved file offline"),
        (["--max-workers", "4", "--inventory", "org.json"], "--inventory evaluates a saved file"),
        (["--org", "--max-workers", "0"], "Invalid value for '--max-workers'"),
    ],
)
def test_organization_options_that_cannot_work_exit_2_in_one_sentence(args, expected, env):
    result = run(["scan", *args], env)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr, result.stderr


def test_an_unreadable_accounts_file_exits_2(env, tmp_path):
    path = tmp_path / "accounts.yml"
    path.write_text("accounts:\n  - account_id: 123456789012\n")
    result = run(["scan", "--accounts-file", str(path)], env)
    assert result.exit_code == 2
    assert "accounts[0].account_id: 123456789012 must be quoted" in result.stderr
