"""trailwarden test-pattern: the local `aws logs test-metric-filter`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from trailwarden.backtest import match_messages
from trailwarden.cli import cli

EVENTS = [
    '{"eventName": "StopLogging", "awsRegion": "us-east-1"}',
    '{"eventName": "GetTrail"}',
    "ERROR something [x] happened",
    '{"eventName": "StopLogging"}',
]


def run(args: list[str], stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["test-pattern", *args], input=stdin)


def test_stdin_json_output_exact_shape_and_order() -> None:
    result = run(['{ $.eventName = "StopLogging" }', "--format", "json"], "\n".join(EVENTS) + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "matches": [
            {"index": 0, "matched": True},
            {"index": 1, "matched": False},
            {"index": 2, "matched": False},
            {"index": 3, "matched": True},
        ]
    }


def test_event_file_with_a_term_pattern(tmp_path: Path) -> None:
    path = tmp_path / "events.log"
    path.write_text("\r\n".join(EVENTS), encoding="utf-8")
    result = run(["ERROR", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert [m["matched"] for m in json.loads(result.stdout)["matches"]] == [
        False,
        False,
        True,
        False,
    ]


def test_table_shows_index_matched_and_message() -> None:
    result = run(["[level=ERROR, ...]"], "\n".join(EVENTS))
    assert result.exit_code == 0
    assert "1 of 4 events matched" in result.stdout
    assert "ERROR something [x] happened" in result.stdout  # brackets are not markup


def test_invalid_pattern_exits_2_with_position() -> None:
    result = run(["{ $.eventName = "], "x\n")
    assert result.exit_code == 2
    assert "is not a valid filter pattern: position " in result.stderr
    assert "expected" in result.stderr


def test_library_matches_in_input_order() -> None:
    result = match_messages('{ $.eventName = "StopLogging" }', EVENTS)
    assert result.matched == (True, False, False, True)
