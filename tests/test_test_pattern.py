"""trailwarden test-pattern: the local `aws logs test-metric-filter`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from trailwarden.backtest import match_messages
from trailwarden.cli import cli

EVENTS = [
    '{"eventName": "StopLogging", "awsRegion": "us-east-1"}',
    '{"eventName": "GetTrail"}',
    "ERROR something [x] happened",
    '{"eventName": "StopLogging"}',
]


def run(args: list[str], stdin: str | bytes | None = None) -> Result:
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


# --- a pattern that starts with '-' (issue 7 §7) ----------------------------------------

DASH_EVENTS = "all good\nan ERROR here\n"


@pytest.mark.parametrize(
    "args",
    [
        ["-ERROR", "{file}", "--format", "json"],
        ["--format", "json", "-ERROR", "{file}"],
        ["--format=json", "-ERROR", "{file}"],
        ["-ERROR", "--format", "json", "{file}"],
        ["--format", "json", "--", "-ERROR", "{file}"],
        ["--format", "json", "-ERROR", "-"],  # '-': standard input
        ["--format", "json", "-ERROR"],
    ],
)
def test_a_pattern_that_starts_with_a_dash_is_the_pattern(args: list[str], tmp_path: Path) -> None:
    path = tmp_path / "events.log"
    path.write_text(DASH_EVENTS)
    result = run([a.replace("{file}", str(path)) for a in args], DASH_EVENTS)
    assert result.exit_code == 0, result.output
    assert [m["matched"] for m in json.loads(result.stdout)["matches"]] == [True, False]


def test_a_dash_pattern_with_quotes_and_spaces_is_the_pattern_too() -> None:
    result = run(['-"an ERROR" -good', "--format", "json"], DASH_EVENTS + "bad\n")
    assert result.exit_code == 0, result.output
    assert [m["matched"] for m in json.loads(result.stdout)["matches"]] == [False, False, True]


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_still_works(flag: str) -> None:
    result = run([flag])
    assert result.exit_code == 0
    assert "Usage: " in result.stdout and "PATTERN" in result.stdout


def test_an_unknown_long_option_is_still_reported() -> None:
    result = run(["ERROR", "--fromat", "json"], "x\n")
    assert result.exit_code == 2
    assert "No such option '--fromat'" in result.stderr


# --- any bytes, any file (issue 7 §3) -----------------------------------------------------

RAW = b'caf\xe9 ERROR\n\xff\xfe{"eventName": "StopLogging"}\r\n{"eventName": "StopLogging"}\n'


@pytest.mark.parametrize("pattern", ["ERROR", '{ $.eventName = "StopLogging" }', "%caf.%"])
def test_bytes_that_are_not_utf8_read_the_same_from_a_file_and_standard_input(
    pattern: str, tmp_path: Path
) -> None:
    path = tmp_path / "events.log"
    path.write_bytes(RAW)
    from_file = run([pattern, str(path), "--format", "json"])
    from_stdin = CliRunner().invoke(cli, ["test-pattern", pattern, "--format", "json"], input=RAW)
    assert from_file.exit_code == 0, from_file.output
    assert from_file.stdout == from_stdin.stdout
    assert len(json.loads(from_file.stdout)["matches"]) == 3


def test_invalid_utf8_becomes_the_replacement_character_as_in_cloudwatch_logs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "events.log"
    path.write_bytes(RAW)
    matched = run(["%^caf.%", str(path), "--format", "json"]).stdout
    assert [m["matched"] for m in json.loads(matched)["matches"]] == [True, False, False]
    # The second line starts with two replacement characters: it is not JSON.
    matched = run(['{ $.eventName = "StopLogging" }', str(path), "--format", "json"]).stdout
    assert [m["matched"] for m in json.loads(matched)["matches"]] == [False, False, True]
    assert "caf\ufffd ERROR" in run(["ERROR", str(path)]).stdout


def test_a_byte_order_mark_at_the_start_is_not_part_of_the_first_message(tmp_path: Path) -> None:
    path = tmp_path / "events.log"
    path.write_bytes(b'\xef\xbb\xbf{"eventName": "StopLogging"}\n')
    result = run(['{ $.eventName = "StopLogging" }', str(path), "--format", "json"])
    assert json.loads(result.stdout) == {"matches": [{"index": 0, "matched": True}]}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_named_pipe_is_refused_at_once_with_one_sentence(tmp_path: Path) -> None:
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    # In a child process: were the FIFO opened for reading, it would wait for a writer.
    done = subprocess.run(
        [sys.executable, "-m", "trailwarden", "test-pattern", "ERROR", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"trailwarden: error: {fifo} is a named pipe, not a file of log messages; give a "
        "regular file, or pipe the messages in on standard input.\n"
    )


@pytest.mark.parametrize(
    "make, needle",
    [
        (lambda p: p.mkdir(), "is a directory, not a file of log messages"),
        (lambda p: None, "Cannot read {path}: No such file or directory; check the path."),
    ],
)
def test_what_is_not_a_readable_file_exits_2_with_one_sentence(
    make: Any, needle: str, tmp_path: Path
) -> None:
    path = tmp_path / "events"
    make(path)
    result = run(["ERROR", str(path)])
    assert result.exit_code == 2
    assert needle.format(path=path) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_the_table_escapes_control_characters_of_the_messages() -> None:
    result = run(["ERROR"], "ERROR \x1b[2J\x1b]0;owned\x07 \u202eevil\n")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "\\x1b[2J\\x1b]0;owned\\x07 \\u202eevil" in result.stdout


def test_a_pattern_trailwarden_cannot_evaluate_exits_2_saying_so() -> None:
    result = run(["%a{5000}%"], "aaa\n")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "trailwarden: error: Cannot test the pattern: position 0: trailwarden cannot evaluate"
    )


def test_a_syntax_error_shows_the_pattern_s_control_characters_escaped() -> None:
    result = run(["ERR\x1b[2J\u202e"], "x\n")
    assert result.exit_code == 2
    assert "found '\\x1b'" in result.stderr
    assert "\x1b" not in result.stderr
