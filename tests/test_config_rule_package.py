"""The deployment zip (`trailwarden lambda package`): what it holds, and that the handler runs
from it with nothing but boto3 beside it — click, rich and moto never imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from importlib.metadata import entry_points, version
from pathlib import Path
from typing import Any

import pytest

from clihelpers import healthy_trail, run
from config_events import scheduled
from conftest import MAIN_ACCOUNT
from trailwarden.config_rule import handler as handler_module
from trailwarden.config_rule.package import MAX_ZIP_BYTES, PINS_FILE, Target, build_zip

LEFT_OUT = ("click", "rich", "moto")
# Run by a fresh interpreter: the handler found by its entry point, invoked once.
INVOKE = """
import json, sys
from importlib.metadata import entry_points
handler = entry_points(group="trailwarden.lambda")["config-rule"].load()
result = handler(json.loads(sys.argv[1]), None)
print(json.dumps({
    "result": result,
    "imported": sorted({m.split(".")[0] for m in sys.modules} & {"click", "rich", "moto"}),
    "handler": sys.modules["trailwarden.config_rule.handler"].__file__,
}))
"""
# The same, with click, rich and moto refused by the import system.
BLOCKING = """
import importlib.abc, sys
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("click", "rich", "moto"):
            raise ImportError(f"{name} is not in the Lambda zip")
        return None
sys.meta_path.insert(0, Refuse())
"""


def child_env(env: dict[str, Any], **extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTHON"))}
    out.update({k: v for k, v in env.items() if v is not None}, PYTHONNOUSERSITE="1", **extra)
    return out


def invoke(python: str, script: str, event: dict[str, Any], env: dict[str, str]) -> Any:
    done = subprocess.run(
        [python, "-c", script, json.dumps(event)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_handler_is_the_config_rule_entry_point() -> None:
    (point,) = entry_points(group="trailwarden.lambda", name="config-rule")
    assert point.load() is handler_module.handler


def test_the_handler_imports_neither_click_nor_rich_nor_moto(aws, seed, env) -> None:
    trail = healthy_trail(seed)
    out = invoke(sys.executable, BLOCKING + INVOKE, scheduled(MAIN_ACCOUNT), child_env(env))
    assert out["imported"] == []
    verdicts = {
        e["ComplianceResourceId"]: e["ComplianceType"] for e in out["result"]["evaluations"]
    }
    assert verdicts[trail] == "COMPLIANT"


@pytest.fixture(scope="module")
def lambda_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip for the Lambda platform (python3.12, x86_64; wheels fetched from PyPI)."""
    return build_zip(tmp_path_factory.mktemp("zip") / "rule.zip").path


def test_the_zip_holds_trailwarden_and_what_the_runtime_lacks(lambda_zip: Path) -> None:
    with zipfile.ZipFile(lambda_zip) as archive:
        names = archive.namelist()
        pins = archive.read(PINS_FILE).decode()
    tops = {n.split("/")[0] for n in names}
    assert "trailwarden/config_rule/handler.py" in names
    assert "trailwarden/monitoring/corpus/TW101.json" in names  # package data too
    assert {"trailwarden", "orjson", "re2"} <= tops
    assert not {
        t
        for t in tops
        if t.split("-")[0].split("_")[0]
        in ("boto3", "botocore", "s3transfer", "click", "rich", "moto")
    }
    assert not any(n.startswith(("trailwarden/cli/", "trailwarden/demo/")) for n in names)
    compiled = [n for n in names if n.endswith(".so")]
    assert compiled and all("cpython-312-x86_64-linux-gnu" in n for n in compiled)
    assert f"orjson=={version('orjson')}" in pins.splitlines()
    assert f"google-re2=={version('google-re2')}" in pins.splitlines()
    assert lambda_zip.stat().st_size < MAX_ZIP_BYTES


def test_the_zip_is_the_same_bytes_when_built_again(lambda_zip: Path, tmp_path: Path) -> None:
    again = build_zip(tmp_path / "again.zip").path
    assert again.read_bytes() == lambda_zip.read_bytes()


def test_the_zip_runs_with_only_boto3_beside_it(aws, seed, env, tmp_path: Path) -> None:
    # The Lambda-platform zip holds cp312 extensions; this interpreter may be another
    # version, so the same zip is built for this machine to be imported here.
    built = build_zip(tmp_path / "local.zip", Target(local=True))
    task = tmp_path / "task"  # what Lambda unpacks to /var/task, first on sys.path
    with zipfile.ZipFile(built.path) as archive:
        archive.extractall(task)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         f"boto3=={version('boto3')}", f"botocore=={version('botocore')}"],
        check=True, timeout=600,
    )  # fmt: skip
    trail = healthy_trail(seed)
    out = invoke(python, INVOKE, scheduled(MAIN_ACCOUNT), child_env(env, PYTHONPATH=str(task)))
    assert out["handler"].startswith(str(task))
    assert out["imported"] == []
    verdicts = {
        e["ComplianceResourceId"]: e["ComplianceType"] for e in out["result"]["evaluations"]
    }
    assert verdicts == {trail: "COMPLIANT", MAIN_ACCOUNT: "NON_COMPLIANT"}  # no CIS alarms


def test_the_command_builds_the_zip_and_says_its_size(tmp_path: Path) -> None:
    out = tmp_path / "rule.zip"
    result = run(["lambda", "package", "--output", str(out), "--architecture", "arm64"])
    assert result.exit_code == 0, result.output
    assert "MB) for python3.12 arm64" in result.stderr
    with zipfile.ZipFile(out) as archive:
        assert any("aarch64" in n for n in archive.namelist() if n.endswith(".so"))


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--output", "/nonexistent-folder/rule.zip"], "no folder /nonexistent-folder"),
        (["--output", "x.zip", "--runtime", "python3.9"], "Invalid value for '--runtime'"),
    ],
)
def test_the_command_refuses_what_it_cannot_build(args: list[str], says: str) -> None:
    result = run(["lambda", "package", *args])
    assert result.exit_code == 2
    assert says in result.stderr
