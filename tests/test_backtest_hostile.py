"""No hostile log file can hurt a backtest: bombs, FIFOs, devices, links, deep records,
lone surrogates and terminal escapes are each skipped, capped or escaped with a reason."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result

from backtest_samples import STOP, record, run_measured, s3_body, write
from trailwarden.cli import cli
from trailwarden.collect.inventory_file import save_inventory
from trailwarden.filterpattern import compile_pattern
from trailwarden.inventory import Inventory, LogGroupFilters, MetricFilter


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def run_json(*args: str | Path) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def run_process(*args: str | Path, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own process: a hang fails the test instead of stopping it.

    ``unprivileged``: as root, without the capabilities that let root read any file
    (util-linux ``setpriv``), so that permissions apply as they do to other users.
    """
    command = [sys.executable, "-m", "trailwarden", *map(str, args)]
    if unprivileged and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop capabilities")
        command = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def gzip_bomb(
    path: Path, expanded: int, prefix: bytes = b"", filler: bytes = b"\0", suffix: bytes = b""
) -> Path:
    """A gzip file that expands to ``expanded`` bytes of ``filler``, written in pieces."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = filler * ((1 << 20) // len(filler))
    with path.open("wb") as out:
        out.write(packer.compress(prefix))
        for _ in range(expanded // len(block)):
            out.write(packer.compress(block))
        out.write(packer.compress(suffix))
        out.write(packer.flush())
    return path


def test_gzip_bomb_stops_at_the_file_cap_with_the_reason(tmp_path: Path) -> None:
    bomb = gzip_bomb(tmp_path / "bomb.json.gz", 64 << 20, prefix=b'{"Records": [')
    good = write(tmp_path / "good.json.gz", s3_body([record()]), gz=True)
    assert bomb.stat().st_size < 200_000
    report = run_json("backtest", bomb, good, "--pattern", STOP, "--max-file-bytes", "8M")
    assert (report["events"], report["filters"][0]["matched"]) == (1, 1)
    [skipped] = report["skipped"]
    assert skipped["path"].endswith("bomb.json.gz")
    assert skipped["reason"].startswith("the file expands beyond 8 MiB (--max-file-bytes)")


def test_gzip_bomb_under_the_default_caps_keeps_memory_bounded(tmp_path: Path) -> None:
    # One 300 MiB string: the default document cap (128 MiB) stops it; the run stays far
    # below what holding it (and parsing it) would take.
    bomb = gzip_bomb(tmp_path / "bomb.json.gz", 300 << 20, b'{"Records": [{"a": "', b"x")
    done, peak_mb = run_measured("backtest", str(bomb), "--pattern", STOP, "--format", "json")
    assert done.returncode == 2, done.stderr
    [skipped] = json.loads(done.stdout)["skipped"]
    assert skipped["reason"] == "line 1: a JSON document larger than 128 MiB (--max-document-bytes)"
    assert peak_mb < 600


def test_a_huge_line_is_left_out_and_the_next_lines_are_read(tmp_path: Path) -> None:
    line = orjson.dumps(record())
    data = line + b"\n" + b'{"eventName": "' + b"x" * (3 << 20) + b'"}\n' + line + b"\n"
    path = write(tmp_path / "lines.jsonl", data)
    report = run_json("backtest", path, "--pattern", STOP, "--max-document-bytes", "1M")
    assert report["events"] == 2
    [left_out] = report["left_out"]
    assert (left_out["line"], left_out["reason"]) == (
        2,
        "a JSON document larger than 1 MiB (--max-document-bytes)",
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "logs"
    directory.mkdir()
    path = directory / "pipe.json"
    os.mkfifo(path)
    write(directory / "good.json", s3_body([record()]))
    yield path


def test_fifo_named_directly_is_skipped_without_hanging(fifo: Path) -> None:
    done = run_process("backtest", fifo, fifo.parent / "good.json", "--format", "json",
                       "--pattern", STOP)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["events"] == 1
    assert report["skipped"] == [
        {"path": str(fifo), "reason": "a FIFO (named pipe), not a regular file: only regular "
         "files are read"}
    ]  # fmt: skip


def test_fifo_in_a_directory_is_skipped_without_hanging(fifo: Path) -> None:
    done = run_process("backtest", fifo.parent, "--format", "json", "--pattern", STOP)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["events"] == 1
    assert [s["path"] for s in report["skipped"]] == [str(fifo)]


def test_dev_zero_named_directly_is_skipped() -> None:
    done = run_process("backtest", "/dev/zero", "--pattern", STOP)
    assert done.returncode == 2
    assert "/dev/zero: a character device, not a regular file" in done.stderr


def test_symlink_loop_and_dangling_link_are_skipped_not_fatal(tmp_path: Path) -> None:
    write(tmp_path / "good.json", s3_body([record()]))
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    (tmp_path / "dangling.json.gz").symlink_to(tmp_path / "gone.json.gz")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path)  # a directory loop
    report = run_json("backtest", tmp_path, "--pattern", STOP)
    assert report["events"] == 1
    reasons = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert reasons == {
        "dangling.json.gz": "a dangling symbolic link: its target does not exist",
        "loop.json": "a symbolic link loop: the link never reaches a file",
        "back": "a directory already searched (named twice, or a link to it)",
    }


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", s3_body([record()]))
    (tmp_path / "alias.json").symlink_to(good)
    report = run_json("backtest", tmp_path, good, "--pattern", STOP)
    assert report["events"] == 1
    # alias.json comes first in the directory; good.json there and named again are the same
    reason = "the same file as one already read (named twice, or a link to it)"
    assert [(Path(s["path"]).name, s["reason"]) for s in report["skipped"]] == [
        ("good.json", reason),
        ("good.json", reason),
    ]


def test_unreadable_subdirectory_is_skipped_not_fatal(tmp_path: Path) -> None:
    write(tmp_path / "good.json", s3_body([record()]))
    (tmp_path / "locked").mkdir()
    write(tmp_path / "locked" / "hidden.json", s3_body([record()]))
    (tmp_path / "locked").chmod(0)
    try:
        done = run_process("backtest", tmp_path, "--format", "json", "--pattern", STOP,
                           unprivileged=True)  # fmt: skip
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["events"] == 1
    assert report["skipped"] == [
        {
            "path": str(tmp_path / "locked"),
            "reason": "a directory that cannot be listed: Permission denied",
        }
    ]


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": "bottom"}
    for _ in range(levels - 1):
        value = {"next": value}
    return value


@pytest.mark.parametrize(
    "pattern",
    [
        STOP,
        "StopLogging",
        "%Stop[L]ogging%",
        "[first=*StopLogging*, rest]",
    ],
    ids=["json", "term", "regex", "space-delimited"],
)
def test_record_nested_300_levels_matches_like_test_pattern(tmp_path: Path, pattern: str) -> None:
    deep = record(requestParameters=_deep(300))
    message = json.dumps(deep, separators=(",", ":"))  # as CloudWatch Logs receives it
    assert compile_pattern(pattern).matches(message)  # test-pattern's verdict
    path = write(tmp_path / "deep.jsonl", message.encode() + b"\n")
    report = run_json("backtest", path, "--pattern", pattern)
    assert (report["events"], report["filters"][0]["matched"]) == (1, 1)


def test_a_lone_surrogate_escape_does_not_cost_the_file(tmp_path: Path) -> None:
    body = s3_body([record(), record("GetTrail"), record(userAgent="SURROGATE"), record()])
    path = write(tmp_path / "surrogate.json.gz", body.replace(b'"SURROGATE"', b'"\\ud800"'),
                 gz=True)  # fmt: skip
    for pattern in (STOP, "StopLogging"):
        report = run_json("backtest", path, "--pattern", pattern)
        assert (report["events"], report["filters"][0]["matched"]) == (4, 3)
        assert report["skipped"] == report["left_out"] == []


EVIL = "evil\n\x1b[2J\x1b]0;owned\x07"


def test_control_characters_from_outside_are_escaped_in_the_table(tmp_path: Path) -> None:
    evil_record = record(userIdentity={"type": "IAMUser", "arn": f"arn:aws:iam::1:user/{EVIL}"})
    write(tmp_path / f"{EVIL}.json", s3_body([evil_record]))
    write(tmp_path / f"{EVIL}-bad.json", b"not json")
    other = {"detail-type": EVIL, "detail": {}, "source": "x"}
    write(tmp_path / "eventbridge.jsonl", orjson.dumps(record()) + b"\n" + orjson.dumps(other))
    inventory = tmp_path / "inventory.json"
    metric_filter = MetricFilter("us-east-1:trail", "us-east-1", f"name-{EVIL}", STOP)
    save_inventory(
        Inventory(
            account_id="123456789012",
            partition="aws",
            collected_at=datetime(2024, 5, 2, tzinfo=UTC),
            metric_filters=(LogGroupFilters("us-east-1:trail", "us-east-1", (metric_filter,)),),
        ),
        inventory,
    )
    result = run("backtest", tmp_path, "--inventory", inventory)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "evil\\x0a\\x1b[2J\\x1b]0;owned\\x07" in out.replace("\n", "")
    # every line of output comes from trailwarden, none from a forged newline
    assert not [line for line in out.splitlines() if line.startswith(("\x1b", "[2J", "]0;"))]


def test_a_document_that_would_parse_to_gigabytes_is_refused(tmp_path: Path) -> None:
    # 100 MiB of {"":0} objects (a 100 KB gzip file) would parse to ~3 GB of dicts; the
    # size cap (128 MiB) allows it, the memory estimate does not.
    bomb = gzip_bomb(tmp_path / "dicts.json.gz", 100 << 20, b"[", b'{"":0},', b"{}]")
    good = write(tmp_path / "good.json", s3_body([record()]))
    done, peak_mb = run_measured(
        "backtest", str(bomb), str(good), "--pattern", STOP, "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["events"] == 1
    [skipped] = report["skipped"]
    assert skipped["reason"].startswith("line 1: a JSON document that would take about ")
    assert skipped["reason"].endswith("(more than 10 times --max-document-bytes)")
    assert peak_mb < 600
