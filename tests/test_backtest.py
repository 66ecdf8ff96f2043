"""trailwarden backtest: replaying CloudTrail log files through filter patterns."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result

from trailwarden.backtest import LogReader, backtest_files, cis_patterns, pattern_filters
from trailwarden.cli import cli
from trailwarden.collect.inventory_file import save_inventory
from trailwarden.inventory import Inventory, LogGroupFilters, MetricFilter

STOP = '{ $.eventName = "StopLogging" }'
DENIED = '{ $.errorCode = "AccessDenied*" }'


def record(name: str, time: str = "2024-05-01T10:15:00Z", **extra: Any) -> dict[str, Any]:
    return {
        "eventVersion": "1.09",
        "eventTime": time,
        "eventSource": "cloudtrail.amazonaws.com",
        "eventName": name,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "203.0.113.9",
        "eventType": "AwsApiCall",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/alice"},
        **extra,
    }


def s3_file(path: Path, records: list[dict[str, Any]], gz: bool = True) -> Path:
    data = orjson.dumps({"Records": records})
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def jsonl_file(path: Path, records: list[dict[str, Any]], gz: bool = False) -> Path:
    data = b"".join(orjson.dumps(r) + b"\n" for r in records)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def run_json(*args: str | Path) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in report["filters"]}


@pytest.mark.parametrize("gz", [True, False])
def test_s3_delivery_file_gzipped_or_not(tmp_path: Path, gz: bool) -> None:
    path = s3_file(tmp_path / "a.json.gz", [record("StopLogging"), record("GetTrail")], gz=gz)
    report = run_json("backtest", path, "--pattern", STOP)
    assert report["events"] == 2
    assert by_name(report)["pattern-1"]["matched"] == 1


@pytest.mark.parametrize("gz", [True, False])
def test_json_lines_gzipped_or_not(tmp_path: Path, gz: bool) -> None:
    name = "events.jsonl.gz" if gz else "events.jsonl"
    records = [record("StopLogging"), record("StopLogging"), record("GetTrail")]
    path = jsonl_file(tmp_path / name, records, gz=gz)
    report = run_json("backtest", path, "--pattern", STOP)
    assert (report["events"], by_name(report)["pattern-1"]["matched"]) == (3, 2)


def test_directory_is_searched_recursively_for_log_files(tmp_path: Path) -> None:
    nested = tmp_path / "AWSLogs" / "123456789012" / "CloudTrail" / "eu-west-1" / "2024"
    nested.mkdir(parents=True)
    s3_file(nested / "one.json.gz", [record("StopLogging")])
    s3_file(tmp_path / "two.json", [record("StopLogging")], gz=False)
    jsonl_file(tmp_path / "three.jsonl", [record("GetTrail")])
    (tmp_path / "notes.txt").write_text("not a log file")
    report = run_json("backtest", tmp_path, "--pattern", STOP)
    assert (report["files"], report["events"], report["skipped_count"]) == (3, 3, 0)
    assert by_name(report)["pattern-1"]["matched"] == 2


def test_malformed_file_is_skipped_and_reported(tmp_path: Path) -> None:
    s3_file(tmp_path / "good.json.gz", [record("StopLogging")])
    (tmp_path / "broken.json.gz").write_bytes(gzip.compress(b'{"Records": [{"event')[:-4])
    (tmp_path / "garbage.json").write_bytes(b"not json at all")
    s3_file(tmp_path / "digest.json", [], gz=False).write_bytes(b'{"digestStartTime": "x"}')
    report = run_json("backtest", tmp_path, "--pattern", STOP)
    assert report["events"] == 1
    assert report["skipped_count"] == 3
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert set(skipped) == {"broken.json.gz", "garbage.json", "digest.json"}
    assert "digest file" in skipped["digest.json"]
    table = run("backtest", tmp_path, "--pattern", STOP)
    assert table.exit_code == 0
    assert "Skipped 3 files:" in table.stdout and "garbage.json" in table.stdout


def test_json_lines_with_a_bad_line_keeps_the_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    good = orjson.dumps(record("StopLogging"))
    path.write_bytes(good + b"\n{oops\n" + good + b"\n")
    reader = LogReader([str(path)])
    assert len(list(reader.records())) == 2
    [left_out] = reader.left_out
    assert (left_out.line, left_out.count) == (2, 1)
    assert left_out.reason.startswith("not JSON: ") and "column 2" in left_out.reason


def test_missing_path_is_skipped_and_reported(tmp_path: Path) -> None:
    good = s3_file(tmp_path / "good.json.gz", [record("StopLogging")])
    report = run_json("backtest", good, tmp_path / "missing.json.gz", "--pattern", STOP)
    assert report["events"] == 1
    assert [(Path(s["path"]).name, s["reason"]) for s in report["skipped"]] == [
        ("missing.json.gz", "no such file or directory")
    ]


def test_per_filter_counts_examples_and_hours(tmp_path: Path) -> None:
    records = [
        record("StopLogging", "2024-05-01T10:15:00Z"),
        record("StopLogging", "2024-05-01T10:59:59Z"),
        record("GetTrail", "2024-05-01T11:00:00Z", errorCode="AccessDenied"),
        record("StopLogging", "2024-05-01T13:01:00Z", errorCode="AccessDenied"),
    ]
    path = s3_file(tmp_path / "a.json.gz", records)
    report = run_json("backtest", path, "--pattern", STOP, "--pattern", DENIED, "--examples", "2")
    stop, denied = by_name(report)["pattern-1"], by_name(report)["pattern-2"]
    assert (stop["matched"], denied["matched"]) == (3, 2)
    assert stop["per_hour"] == {"2024-05-01T10:00Z": 2, "2024-05-01T13:00Z": 1}
    assert (stop["first_hour"], stop["last_hour"]) == ("2024-05-01T10:00Z", "2024-05-01T13:00Z")
    assert denied["per_hour"] == {"2024-05-01T11:00Z": 1, "2024-05-01T13:00Z": 1}
    assert stop["share"] == 0.75
    assert stop["examples"] == [
        {
            "event_time": "2024-05-01T10:15:00Z",
            "event_name": "StopLogging",
            "event_source": "cloudtrail.amazonaws.com",
            "user_arn": "arn:aws:iam::123456789012:user/alice",
            "region": "eu-west-1",
        },
        {
            "event_time": "2024-05-01T10:59:59Z",
            "event_name": "StopLogging",
            "event_source": "cloudtrail.amazonaws.com",
            "user_arn": "arn:aws:iam::123456789012:user/alice",
            "region": "eu-west-1",
        },
    ]


def test_json_output_shape(tmp_path: Path) -> None:
    path = s3_file(tmp_path / "a.json.gz", [record("StopLogging")])
    out = tmp_path / "report.json"
    result = run("backtest", path, "--pattern", STOP, "--format", "json", "--output", out)
    assert result.exit_code == 0 and result.stdout == ""
    report = json.loads(out.read_bytes())
    assert set(report) == {"events", "files", "bytes", "seconds", "skipped_count", "skipped",
                           "left_out_count", "left_out", "ignored", "filters",
                           "not_replayed"}  # fmt: skip
    assert set(report["filters"][0]) == {"name", "pattern", "matched", "share", "first_hour",
                                         "last_hour", "per_hour", "examples"}  # fmt: skip
    assert report["filters"][0]["pattern"] == STOP


def test_cis_is_the_default(tmp_path: Path) -> None:
    path = s3_file(
        tmp_path / "a.json.gz",
        [
            record("StopLogging"),
            record("ConsoleLogin", additionalEventData={"MFAUsed": "No"}),
            record("HeadBucket", errorCode="AccessDenied"),  # left out of 4.1 by CIS
            record("DescribeTrails"),
        ],
    )
    report = run_json("backtest", path)
    names = [name for name, _ in cis_patterns()]
    assert [f["name"] for f in report["filters"]] == names and len(names) == 15
    matched = {f["name"][:5]: f["matched"] for f in report["filters"]}
    assert matched["TW105"] == 1 and matched["TW102"] == 1 and matched["TW101"] == 0
    assert sum(matched.values()) == 2
    assert run_json("backtest", path, "--cis")["filters"] == report["filters"]


def test_inventory_filters_are_replayed(tmp_path: Path) -> None:
    inventory = Inventory(
        account_id="123456789012",
        partition="aws",
        collected_at=datetime(2024, 5, 2, tzinfo=UTC),
        metric_filters=(
            LogGroupFilters(
                "us-east-1:trail-logs",
                "us-east-1",
                (
                    MetricFilter("us-east-1:trail-logs", "us-east-1", "trail-changes", STOP),
                    MetricFilter("us-east-1:trail-logs", "us-east-1", "denied", DENIED),
                ),
            ),
        ),
    )
    saved = tmp_path / "inventory.json"
    save_inventory(inventory, saved)
    logs = s3_file(tmp_path / "a.json.gz", [record("StopLogging"), record("StopLogging")])
    report = run_json("backtest", logs, "--inventory", saved)
    assert {f["name"]: f["matched"] for f in report["filters"]} == {
        "trail-changes": 2,
        "denied": 0,
    }


def test_invalid_pattern_exits_2_with_the_parse_error(tmp_path: Path) -> None:
    path = s3_file(tmp_path / "a.json.gz", [record("StopLogging")])
    result = run("backtest", path, "--pattern", STOP, "--pattern", "{ $.eventName = }")
    assert result.exit_code == 2
    assert "pattern-2 is not a valid filter pattern: position " in result.stderr
    assert "expected" in result.stderr


def test_table_output(tmp_path: Path) -> None:
    path = s3_file(tmp_path / "a.json.gz", [record("StopLogging")])
    result = run("backtest", path, "--pattern", STOP)
    assert result.exit_code == 0
    assert "pattern-1" in result.stdout and "100.00%" in result.stdout
    assert "StopLogging" in result.stdout  # the example


def test_library_streams_and_counts_files(tmp_path: Path) -> None:
    for i in range(3):
        s3_file(tmp_path / f"{i}.json.gz", [record("StopLogging")] * 2)
    sizes: list[int] = []
    result = backtest_files([tmp_path], pattern_filters([STOP]), on_file=sizes.append)
    assert (result.events, result.files, len(sizes)) == (6, 3, 3)
    assert sum(sizes) == result.bytes


@pytest.mark.parametrize("size", ["0", "lots", "-5", "1.5G"])
def test_a_cap_that_is_not_a_size_exits_2(tmp_path: Path, size: str) -> None:
    path = s3_file(tmp_path / "a.json.gz", [record("StopLogging")])
    result = run("backtest", path, "--max-file-bytes", size)
    assert result.exit_code == 2
    assert "is not a size such as 512M or 2G" in result.stderr


@pytest.mark.parametrize(("size", "skipped"), [("4096", "4 KiB"), ("2K", "2 KiB"), ("1MiB", None)])
def test_caps_take_binary_units(tmp_path: Path, size: str, skipped: str | None) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(orjson.dumps({"Records": [record("StopLogging")] * 40}))  # ~11 KB
    small = s3_file(tmp_path / "small.json", [record("StopLogging")], gz=False)  # < 1 KB
    report = run_json("backtest", big, small, "--max-document-bytes", size)
    assert report["events"] == (1 if skipped else 41)
    if skipped:
        assert report["skipped"][0]["reason"] == (
            f"line 1: a JSON document larger than {skipped} (--max-document-bytes)"
        )


def test_an_account_filter_trailwarden_cannot_compile_is_reported_and_the_others_replayed(
    tmp_path: Path,
) -> None:
    # Anyone with logs:PutMetricFilter wrote these: one beyond the engine's regex limit
    # (more than 128 positions) must not stop the replay of the others.
    huge = "%" + "a" * 200 + "%"
    inventory = Inventory(
        account_id="123456789012",
        partition="aws",
        collected_at=datetime(2024, 5, 2, tzinfo=UTC),
        metric_filters=(
            LogGroupFilters(
                "us-east-1:trail-logs",
                "us-east-1",
                (
                    MetricFilter("us-east-1:trail-logs", "us-east-1", "trail-changes", STOP),
                    MetricFilter("us-east-1:trail-logs", "us-east-1", "huge\x1b[2J", huge),
                ),
            ),
        ),
    )
    saved = tmp_path / "inventory.json"
    save_inventory(inventory, saved)
    logs = s3_file(tmp_path / "a.json.gz", [record("StopLogging")])
    report = run_json("backtest", logs, "--inventory", saved)
    assert {f["name"]: f["matched"] for f in report["filters"]} == {"trail-changes": 1}
    [skipped] = report["not_replayed"]
    assert skipped["name"] == "huge\x1b[2J" and skipped["pattern"] == huge
    assert "128" in skipped["reason"]
    table = run("backtest", str(logs), "--inventory", str(saved))
    assert table.exit_code == 0, table.output
    assert "Not replayed: 1 filter" in table.output
    assert "huge\\x1b[2J" in table.output and "\x1b[2J" not in table.output
