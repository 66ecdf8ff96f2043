"""The public API, ``trailwarden.__all__``: what a user scripts against, and the README's
"Use it from Python" example, run as written."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

import trailwarden
from clihelpers import healthy_trail
from conftest import MAIN_ACCOUNT, AccountSeeder
from trailwarden.collect.clients import ClientFactory
from trailwarden.demo.simulated_aws import SimulatedAws

README = Path(__file__).resolve().parents[1] / "README.md"
TRAIL_ONLY = trailwarden.CheckOptions(monitoring=False)


@pytest.mark.parametrize("name", trailwarden.__all__)
def test_every_public_name_resolves_to_trailwardens_own(name: str) -> None:
    value = getattr(trailwarden, name)
    if name == "__version__":
        assert re.fullmatch(r"\d+\.\d+\.\d+", value)
    else:
        assert value.__module__.startswith("trailwarden."), value.__module__
        assert value.__name__ == name


def test_dir_lists_the_public_api() -> None:
    assert set(trailwarden.__all__) <= set(dir(trailwarden))


def test_a_name_outside_the_api_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'collect_account'"):
        _ = trailwarden.collect_account


def test_the_offline_api_loads_neither_the_aws_sdk_nor_the_cli() -> None:
    # Evaluating a saved inventory needs no AWS: scripts (and `trailwarden --help`) start fast.
    code = (
        "import sys, trailwarden\n"
        "for name in ('load_inventory', 'evaluate', 'scan_inventory', 'CheckOptions',"
        " 'Inventory', 'Finding', 'Report', 'Status', 'Severity', 'Error'):\n"
        "    getattr(trailwarden, name)\n"
        "print(sorted({'boto3', 'botocore', 'click'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_scan_account_reports_the_accounts_trails(seed: AccountSeeder, factory: ClientFactory):
    arn = healthy_trail(seed)

    scan = trailwarden.scan_account(factory, options=TRAIL_ONLY)

    assert isinstance(scan, trailwarden.ScanResult)
    assert scan.report.accounts == (MAIN_ACCOUNT,)
    tw001 = next(f for f in scan.report.findings if f.check_id == "TW001")
    assert (tw001.resource_id, tw001.status) == (arn, trailwarden.Status.PASS)


def test_open_factory_scans_with_boto3s_default_credentials(
    seed: AccountSeeder, aws: SimulatedAws, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    healthy_trail(seed)
    for name, value in aws.environment(MAIN_ACCOUNT).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))

    factory = trailwarden.open_factory()

    assert isinstance(factory, trailwarden.ClientFactory)
    assert trailwarden.scan_account(factory, options=TRAIL_ONLY).report.accounts == (MAIN_ACCOUNT,)


def test_a_saved_inventory_loads_back_equal_and_evaluates_the_same(
    seed: AccountSeeder, factory: ClientFactory, tmp_path: Path
) -> None:
    healthy_trail(seed)
    scan = trailwarden.scan_account(factory, options=TRAIL_ONLY)
    path = tmp_path / "inventory.json"

    trailwarden.save_inventory(scan.inventory, path)
    loaded = trailwarden.load_inventory(path)

    assert loaded == scan.inventory
    assert trailwarden.parse_inventory(trailwarden.dump_inventory(loaded)) == loaded
    offline = trailwarden.scan_inventory(loaded, TRAIL_ONLY)
    assert offline.report.findings == scan.report.findings


def test_inventory_files_may_be_named_by_a_string(
    seed: AccountSeeder, factory: ClientFactory, tmp_path: Path
) -> None:
    healthy_trail(seed)
    inventory = trailwarden.scan_account(factory, options=TRAIL_ONLY).inventory
    path = str(tmp_path / "inventory.json")

    trailwarden.save_inventory(inventory, path)

    assert trailwarden.load_inventory(path) == inventory


def test_evaluate_applies_the_options_to_an_inventory(
    seed: AccountSeeder, factory: ClientFactory
) -> None:
    healthy_trail(seed)
    inventory = trailwarden.scan_account(factory, options=TRAIL_ONLY).inventory
    options = trailwarden.CheckOptions(only=frozenset({"tw004"}), max_delivery_age=timedelta(0, 1))

    findings = trailwarden.evaluate(inventory, options)

    assert [(f.check_id, type(f)) for f in findings] == [("TW004", trailwarden.Finding)]


def test_a_users_mistake_is_a_trailwarden_error_of_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(trailwarden.Error) as caught:
        trailwarden.load_inventory(tmp_path / "missing.json")
    assert str(caught.value).count(". ") == 0 and str(caught.value).endswith(".")


def test_plan_fix_plans_without_changing_the_account(
    seed: AccountSeeder, factory: ClientFactory
) -> None:
    arn = seed.trail("app-activity", "eu-west-1")  # no CloudWatch Logs integration

    fixed = trailwarden.plan_fix(factory, trailwarden.FixOptions(), check_options=TRAIL_ONLY)

    assert isinstance(fixed, trailwarden.PlannedFix)
    assert isinstance(fixed.plan, trailwarden.Plan)
    steps = [s for s in fixed.plan.steps if s.target == arn]
    assert all(isinstance(s, trailwarden.Step) for s in steps)
    assert "cloudtrail:UpdateTrail" in {s.action.value for s in steps}
    after = trailwarden.scan_account(factory, options=TRAIL_ONLY).report.findings
    assert {(f.check_id, f.status) for f in after if f.resource_id == arn} >= {
        ("TW001", trailwarden.Status.FAIL)
    }


def readme_python_example() -> str:
    """The Python code block of the README's "Use it from Python" section."""
    section = README.read_text(encoding="utf-8").split("\n## Use it from Python\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the section has one python example"
    return blocks[0]


def test_the_readme_python_example_runs_as_written(
    seed: AccountSeeder,
    aws: SimulatedAws,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    healthy_trail(seed)
    arn = seed.trail("app-activity", "eu-west-1")  # fails TW001: something to report and fix
    for name, value in aws.environment(MAIN_ACCOUNT).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.chdir(tmp_path)

    exec(compile(readme_python_example(), "README.md", "exec"), {"__name__": "__readme__"})

    out = capsys.readouterr().out
    assert f"TW001 FAIL {arn}" in out
    assert "cloudtrail:UpdateTrail" in out
    assert (tmp_path / "inventory.json").is_file()
