"""`trailwarden fix --org` in the machine formats: one bash script that assumes each
account's role and refuses the wrong account, one Terraform file with a provider per
(account, region), CloudFormation templates keyed "<account>/<region>" — each validated
as the single-account renderings are (bash and botocore's flags, python-hcl2, cfn-lint)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import hcl2
import pytest

from clihelpers import run
from conftest import MAIN_ACCOUNT
from org_helpers import ROLE, SimulatedOrg, make_organization
from test_render_iac import cli_flags, lint_errors, unquote

GLOBAL_FLAGS = {"--region", "--query", "--output"}


@pytest.fixture
def org(aws) -> SimulatedOrg:
    org = make_organization(aws, {"dev": "Workloads", "prod": "Workloads/Prod"}, closed=())
    for name in ("dev", "prod"):
        org.seed(name).trail("no-cwl", "us-east-1", logging=False)
    return org


def rendered(env: dict[str, str | None], fmt: str, *args: str) -> str:
    result = run(["fix", "--org", "--no-monitoring", "--format", fmt, *args], env)
    assert result.exit_code == 1, result.output
    return result.stdout


def plans(env: dict[str, str | None]) -> dict[str, dict[str, Any]]:
    doc = json.loads(rendered(env, "json"))
    return {p["account_id"]: p for p in doc["plans"]}


# -- AWS CLI --------------------------------------------------------------------------------
def test_the_script_is_valid_bash_with_real_flags_and_assumes_each_members_role(org, env):
    script = rendered(env, "cli", "--external-id", "ext-1")
    subprocess.run(["bash", "-n"], input=script, text=True, check=True)
    lines = [line.strip() for line in script.splitlines()]
    steps = [shlex.split(line) for line in lines if re.match(r"(retry )?aws ", line)]
    for words in (w[1:] if w[0] == "retry" else w for w in steps):
        flags = {w for w in words if w.startswith("--")}
        assert flags <= cli_flags(words[1], words[2]) | GLOBAL_FLAGS, words[:3]
    # assume(): its own flags and those of each call, all assume-role's.
    function = script[script.index("assume() {") : script.index("guard() {")]
    assumes = [shlex.split(line) for line in lines if line.startswith("assume ")]
    flags = set(re.findall(r"(--[a-z-]+)", function)) | {w for a in assumes for w in a[1::2]}
    assert flags <= cli_flags("sts", "assume-role") | GLOBAL_FLAGS
    assert sorted(a[2] for a in assumes) == sorted(org.role_arn(n) for n in ("dev", "prod"))
    assert {a[4] for a in assumes} == {"ext-1"}


def run_with_fake_aws(tmp_path: Path, script: str, wrong: str | None = None) -> tuple[int, list]:
    """Run the script with an `aws` that records its arguments and the key it ran with;
    assume-role answers with a key naming the role's account (or ``wrong``), and
    get-caller-identity with that key's account (the caller's without one)."""
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls.jsonl"
    bin_dir.mkdir()
    fake = bin_dir / "aws"
    fake.write_text(
        f"#!{sys.executable}\nimport json, os, sys\nargs = sys.argv[1:]\n"
        "key = os.environ.get('AWS_ACCESS_KEY_ID', '')\n"
        f"open({str(calls)!r}, 'a').write(json.dumps([key, args]) + '\\n')\n"
        "if args[:2] == ['sts', 'assume-role']:\n"
        "    account = args[args.index('--role-arn') + 1].split(':')[4]\n"
        f"    account = {wrong!r} or account\n"
        "    print(f'KEY-{account}\\tsecret\\ttoken')\n"
        "if args[:2] == ['sts', 'get-caller-identity']:\n"
        f"    print(key[4:] if key.startswith('KEY-') else {MAIN_ACCOUNT!r})\n"
    )
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {"PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "AWS_PROFILE": "caller"}
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    recorded = [json.loads(line) for line in calls.read_text().splitlines()]
    return done.returncode, recorded


def test_each_accounts_commands_run_with_its_own_credentials(org, env, tmp_path):
    by_account = plans(env)
    code, calls = run_with_fake_aws(tmp_path, rendered(env, "cli"))
    assert code == 0
    changes = [(key, args) for key, args in calls if args[0] != "sts"]
    for account in (org.accounts["dev"], org.accounts["prod"]):
        mine = [args for key, args in changes if key == f"KEY-{account}"]
        assert len(mine) == len(by_account[account]["steps"]) > 0
    assert all(key.startswith("KEY-") for key, _ in changes)  # none with the caller's


def test_the_script_refuses_an_account_whose_role_gives_another_accounts_credentials(
    org, env, tmp_path
):
    code, calls = run_with_fake_aws(tmp_path, rendered(env, "cli"), wrong="999999999999")
    assert code == 1
    assert [args[:2] for _, args in calls] == [
        ["sts", "assume-role"],
        ["sts", "get-caller-identity"],
    ]


# -- Terraform ------------------------------------------------------------------------------
def test_terraform_has_a_provider_per_account_and_region_assuming_its_role(org, env):
    doc = unquote(hcl2.loads(rendered(env, "terraform")))
    providers = {p["aws"]["alias"]: p["aws"] for p in doc["provider"]}
    for name in ("dev", "prod"):
        account = org.accounts[name]
        [mine] = [p for p in providers.values() if p["allowed_account_ids"] == [account]]
        assert mine["region"] == "us-east-1"
        [assume] = mine["assume_role"]
        assert assume["role_arn"] == org.role_arn(name) and ROLE in assume["role_arn"]
    # Every resource is on a provider of its own account.
    trails = [t for b in doc["resource"] for t in b.get("aws_cloudtrail", {}).values()]
    assert len(trails) == 2
    for trail in trails:
        alias = trail["provider"].removeprefix("${aws.").removesuffix("}")
        [account] = providers[alias]["allowed_account_ids"]
        assert trail["name"] == "no-cwl"
        assert (
            f":{account}:" in trail["cloud_watch_logs_group_arn"]
            or "${" in (trail["cloud_watch_logs_group_arn"])
        )
    names = [n for b in doc["resource"] for kind in b.values() for n in kind]
    assert len(names) == len(set(names))
    imports = [i["to"] for i in doc.get("import", [])]
    assert len(imports) == len(set(imports))


# -- CloudFormation -------------------------------------------------------------------------
def test_cloudformation_is_one_linted_template_per_account_and_region(org, env):
    templates = json.loads(rendered(env, "cloudformation"))
    members = [org.accounts["dev"], org.accounts["prod"]]
    assert sorted(templates) == sorted(f"{a}/us-east-1" for a in members)
    for where, template in templates.items():
        account, region = where.split("/")
        assert template["Metadata"]["trailwarden"]["account_id"] == account
        assert f"account {account}" in template["Description"]
        assert lint_errors(template, region) == []


@pytest.mark.parametrize("fmt", ["cli", "terraform", "cloudformation", "json"])
def test_every_format_says_nothing_to_do_when_no_account_has_a_change(aws, env, fmt):
    make_organization(aws, {"dev": ""}, closed=())
    result = run(["fix", "--org", "--no-monitoring", "--format", fmt], env)
    assert result.exit_code == 0, result.output
    if fmt == "cloudformation":
        assert json.loads(result.stdout) == {}
    elif fmt == "json":
        assert all(p["steps"] == [] for p in json.loads(result.stdout)["plans"])
    else:
        assert "Nothing to do" in result.stdout
