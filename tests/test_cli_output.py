"""Output a person can use: copyable commands, plain counts, inert outside text, one handler.

Outside text (names, ARNs, messages, file names) may carry newlines and terminal escape
sequences: the findings table, explain and every error sentence escape them.
"""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import click
import orjson
import pytest
from click.testing import CliRunner

from clihelpers import run
from factories import make_inventory, make_trail
from trailwarden.checks import CHECKS
from trailwarden.cli.common import handle_errors
from trailwarden.collect.inventory_file import dump_inventory
from trailwarden.formats.explain import split_blocks
from trailwarden.remediate import default_journal_path

HOSTILE = "evil\x1b[2J\x1b]0;owned\x07\nTW001  PASS  [bold red]forged[/]\u202e"


@pytest.mark.parametrize("width", [40, 200])
@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_explain_prints_every_command_and_document_unwrapped(check_id, width):
    result = run(["explain", check_id], {"COLUMNS": str(width)})
    assert result.exit_code == 0
    printed = result.stdout.splitlines()
    spec = CHECKS[check_id]
    for body in (spec.rationale, spec.how_evaluated, spec.remediation):
        for is_code, text in split_blocks(body):
            if is_code:
                for line in text.splitlines():
                    assert line in printed, (line, width)  # whole, and not padded


def test_explain_documents_are_valid_json_and_commands_one_per_line():
    text = run(["explain", "TW003"], {"COLUMNS": "40"}).stdout
    blocks = [t for is_code, t in split_blocks(CHECKS["TW003"].remediation) if is_code]
    documents = [json.loads(b) for b in blocks if b.startswith("{")]
    assert {d["Version"] for d in documents} == {"2012-10-17"}
    assert not [line for line in text.splitlines() if line.rstrip().endswith("\\")]
    for check_id in CHECKS:  # a command never continues on the next line
        for is_code, block in split_blocks(CHECKS[check_id].remediation):
            for line in block.splitlines() if is_code else ():
                assert not line.endswith("\\") and not line.startswith("  --"), line


def write_inventory(tmp_path: Path, **trail: Any) -> Path:
    path = tmp_path / "inventory.json"
    path.write_bytes(dump_inventory(make_inventory((make_trail(**trail),))))
    return path


def test_counts_read_as_english(tmp_path: Path):
    path = write_inventory(tmp_path)
    out = tmp_path / "report.txt"
    result = run(["scan", "--inventory", str(path), "--check", "TW006", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 finding on 1 resource in account" in out.read_text()


def test_the_findings_table_escapes_control_characters_and_markup(tmp_path: Path):
    path = tmp_path / "inventory.json"
    data = orjson.loads(dump_inventory(make_inventory((make_trail(),))))
    data["trails"][0]["arn"] += HOSTILE
    data["trails"][0]["status"]["latest_cloudwatch_logs_delivery_error"] = HOSTILE
    path.write_bytes(orjson.dumps(data))
    result = run(["scan", "--inventory", str(path), "--no-monitoring"], {"COLUMNS": "300"})
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "\\x1b[2J" in result.stdout and "\\x1b]0;owned\\x07" in result.stdout
    assert "[bold red]forged[/]" in result.stdout  # shown, not interpreted
    assert not [line for line in result.stdout.splitlines() if line.startswith("TW001  PASS")]


def test_error_sentences_escape_control_characters(tmp_path: Path):
    missing = tmp_path / f"inventory{HOSTILE.replace(chr(10), '')}.json"
    result = run(["scan", "--inventory", str(missing)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@click.group()
@click.option("--debug", is_flag=True)
def tool(debug: bool) -> None:
    """A stand-in for trailwarden's group, to reach the shared handler with a bug."""


@tool.command()
@handle_errors
def buggy() -> None:
    raise RuntimeError(f"cannot parse http://user:hunter2@proxy.example:8080/ {HOSTILE}")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_exception_is_an_internal_error_with_exit_2(debug):
    result = CliRunner().invoke(tool, ["--debug", "buggy"] if debug else ["buggy"])
    assert result.exit_code == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("trailwarden: internal error: RuntimeError: cannot parse http://***")
    assert last.endswith("; please report it with --debug output")
    assert "hunter2" not in result.stderr and "\x1b" not in result.stderr
    assert ("Traceback" in result.stderr) is debug
    if not debug:
        assert len(result.stderr.strip().splitlines()) == 1


def test_journals_are_ignored_by_git():
    patterns = Path(__file__).parents[1].joinpath(".gitignore").read_text().split()
    name = default_journal_path().name
    assert re.fullmatch(r"trailwarden-journal-\d{8}T\d{6}Z\.jsonl", name)
    assert any(fnmatch.fnmatch(name, p) for p in patterns)
