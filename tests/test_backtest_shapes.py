"""Every CloudTrail record the user hands over is read, whatever the file's shape."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from backtest_samples import (
    STOP,
    eventbridge,
    filter_log_events,
    lambda_event,
    lookup_events,
    record,
    records,
    run_measured,
    s3_body,
    subscription_payload,
    write,
)
from trailwarden.backtest.documents import Document, Unreadable, split_documents
from trailwarden.cli import cli


def run(*args: str | Path, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=stdin)


def replay(*paths: Path, pattern: str = STOP) -> dict[str, Any]:
    result = run("backtest", *paths, "--pattern", pattern, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def matched(report: dict[str, Any]) -> int:
    count: int = report["filters"][0]["matched"]
    return count


def delivery_files(count: int = 55, per_file: int = 53) -> list[bytes]:
    """``count`` S3 delivery files of ``per_file`` records (every 10th a StopLogging)."""
    return [s3_body(records(per_file, stop_every=10)) for _ in range(count)]


def test_concatenated_delivery_files_one_per_line_are_all_read(tmp_path: Path) -> None:
    # `zcat *.json.gz > all.json` of 55 files of 53 records: 2,915 records, 6 stops each.
    path = write(tmp_path / "all.json", b"\n".join(delivery_files()) + b"\n")
    report = replay(path)
    assert (report["events"], matched(report)) == (55 * 53, 55 * 6)
    assert (report["left_out_count"], report["skipped_count"]) == (0, 0)


def test_delivery_files_concatenated_without_newlines_are_all_read(tmp_path: Path) -> None:
    path = write(tmp_path / "all.json", b"".join(delivery_files()))  # `cat *.json`
    report = replay(path)
    assert (report["events"], matched(report)) == (55 * 53, 55 * 6)


def test_multi_member_gzip_is_read_to_the_end(tmp_path: Path) -> None:
    # `cat *.json.gz > all.json.gz`: one gzip member per delivery file.
    members = b"".join(gzip.compress(body) for body in delivery_files(count=5))
    report = replay(write(tmp_path / "all.json.gz", members))
    assert (report["events"], matched(report)) == (5 * 53, 5 * 6)


@pytest.mark.parametrize("gz", [False, True])
def test_a_utf8_byte_order_mark_is_ignored(tmp_path: Path, gz: bool) -> None:
    bom = b"\xef\xbb\xbf"
    path = write(tmp_path / "bom.json", bom + s3_body([record(), record("GetTrail")]), gz=gz)
    assert (replay(path)["events"], matched(replay(path))) == (2, 1)


def test_utf16_text_from_powershell_is_read(tmp_path: Path) -> None:
    text = json.dumps({"Records": [record(), record("GetTrail")]}, indent=2)
    path = write(tmp_path / "ps.json", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    report = replay(path)
    assert (report["events"], matched(report)) == (2, 1)


def test_pretty_printed_documents_one_after_another(tmp_path: Path) -> None:
    docs = [json.dumps({"Records": records(3, stop_every=3)}, indent=4) for _ in range(4)]
    report = replay(write(tmp_path / "pretty.json", "\n".join(docs).encode()))
    assert (report["events"], matched(report)) == (12, 4)


def test_json_lines_of_bare_records(tmp_path: Path) -> None:
    lines = b"".join(orjson.dumps(r) + b"\n" for r in records(10, stop_every=5))
    report = replay(write(tmp_path / "records.jsonl.gz", lines, gz=True))
    assert (report["events"], matched(report)) == (10, 2)


def test_bare_json_array_of_records(tmp_path: Path) -> None:
    report = replay(write(tmp_path / "array.json", orjson.dumps(records(6, stop_every=3))))
    assert (report["events"], matched(report)) == (6, 2)


def test_filter_log_events_output_reads_each_message(tmp_path: Path) -> None:
    report = replay(write(tmp_path / "fle.json", filter_log_events(records(7, stop_every=3))))
    assert (report["events"], matched(report)) == (7, 3)


def test_lookup_events_output_reads_each_cloudtrail_event(tmp_path: Path) -> None:
    report = replay(write(tmp_path / "lookup.json", lookup_events(records(5, stop_every=2))))
    assert (report["events"], matched(report)) == (5, 3)


def test_subscription_payloads_from_firehose(tmp_path: Path) -> None:
    # Firehose stores each gzipped payload as it came: members joined without newlines,
    # including CloudWatch Logs' CONTROL_MESSAGE health checks.
    payloads = [
        subscription_payload([], "CONTROL_MESSAGE"),
        subscription_payload(records(4, stop_every=2)),
        subscription_payload(records(3, stop_every=3)),
    ]
    data = b"".join(gzip.compress(orjson.dumps(p)) for p in payloads)
    report = replay(write(tmp_path / "firehose-1", data))
    assert (report["events"], matched(report)) == (7, 3)
    [left_out] = report["left_out"]
    assert left_out["count"] == 1 and "CONTROL_MESSAGE" in left_out["reason"]


def test_a_control_message_alone_is_not_a_clean_result(tmp_path: Path) -> None:
    path = write(
        tmp_path / "control.json", orjson.dumps(subscription_payload([], "CONTROL_MESSAGE"))
    )
    result = run("backtest", path, "--pattern", STOP)
    assert result.exit_code == 2
    assert "CONTROL_MESSAGE" in result.stdout


def test_lambda_subscription_event_is_unwrapped(tmp_path: Path) -> None:
    event = lambda_event(subscription_payload(records(4, stop_every=2)))
    report = replay(write(tmp_path / "lambda-event.json", event))
    assert (report["events"], matched(report)) == (4, 2)


def test_eventbridge_events_of_cloudtrail_are_read_and_others_left_out(tmp_path: Path) -> None:
    events = [
        eventbridge(record()),
        eventbridge(record("ConsoleLogin"), "AWS Console Sign In via CloudTrail"),
        {**eventbridge({"instance-id": "i-0abc", "state": "stopped"}),
         "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2"},
    ]  # fmt: skip
    lines = b"".join(orjson.dumps(e) + b"\n" for e in events)
    report = replay(write(tmp_path / "eventbridge.jsonl", lines))
    assert (report["events"], matched(report)) == (2, 1)
    [left_out] = report["left_out"]
    assert left_out["line"] == 3
    assert "EC2 Instance State-change Notification" in left_out["reason"]


def test_left_out_lines_are_counted_per_file_with_the_json_error(tmp_path: Path) -> None:
    good = orjson.dumps(record())
    data = b"\n".join([good, b'{"eventName": "StopLogging", oops}', good, b"not json", good])
    report = replay(write(tmp_path / "mixed.jsonl", data + b"\n"))
    assert (report["events"], matched(report)) == (3, 3)
    assert report["left_out_count"] == 2
    first, second = report["left_out"]
    assert (first["line"], first["count"], second["line"]) == (2, 1, 4)
    assert first["reason"].startswith("not JSON: ") and "(column 30)" in first["reason"]


def test_skip_reason_names_the_json_error_and_line(tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", s3_body([record()]))
    broken = json.dumps({"Records": [record()]}, indent=2).replace('"eventName"', "eventName")
    bad = write(tmp_path / "bad.json", broken.encode())
    report = replay(good, bad)
    [skipped] = report["skipped"]
    assert skipped["path"].endswith("bad.json")
    lines = broken.splitlines()
    number, text = next((n, x) for n, x in enumerate(lines, 1) if "eventName" in x)
    assert skipped["reason"].startswith("line 1: not JSON: ")
    assert f"(line {number}, column {text.index('eventName') + 1})" in skipped["reason"]


def test_standard_input_is_read(tmp_path: Path) -> None:
    result = run("backtest", "-", "--pattern", STOP, "--format", "json",
                 stdin=b"\n".join(delivery_files(count=3)))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["events"] == 3 * 53


def test_nothing_readable_exits_2_with_the_reasons(tmp_path: Path) -> None:
    write(tmp_path / "digest.json", b'{"digestStartTime": "2024-05-01T10:00:00Z"}')
    write(tmp_path / "empty.json.gz", b"", gz=True)
    write(tmp_path / "empty-records.json", b'{"Records": []}')
    result = run("backtest", tmp_path, "--pattern", STOP, "--format", "json")
    assert result.exit_code == 2
    assert "No CloudTrail event was read" in result.stderr and "3 file(s) skipped" in result.stderr
    reasons = {Path(s["path"]).name: s["reason"] for s in json.loads(result.stdout)["skipped"]}
    assert reasons == {
        "digest.json": "line 1: a CloudTrail digest file: it holds hashes of log files, "
        "not records",
        "empty.json.gz": "an empty file",
        "empty-records.json": "no CloudTrail record in it (an empty list of records)",
    }


def test_empty_directory_says_no_log_file_was_found(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a log")
    result = run("backtest", tmp_path)
    assert result.exit_code == 2
    assert "No log file was found in" in result.stderr
    assert "1 other file(s) there have none of those suffixes" in result.stderr
    assert result.stdout == ""


def test_json_report_accounts_for_every_input(tmp_path: Path) -> None:
    write(tmp_path / "a.json.gz", s3_body([record(), 7, record()]), gz=True)  # type: ignore[list-item]
    write(tmp_path / "b.json", b'{"digestEndTime": "x"}')
    write(tmp_path / "c.txt", b"ignored")
    report = replay(tmp_path)
    assert (report["events"], report["files"], report["skipped_count"]) == (2, 1, 1)
    assert report["ignored"] == 1
    [left_out] = report["left_out"]
    assert left_out["reason"] == "Records[1] is a number, not a record object"


# orjson reads integers beyond 64 bits as floats (they still compare as numbers), so the
# round trip is checked within 64 bits.
_INTEGERS = st.integers(min_value=-(2**63), max_value=2**64 - 1)
_RECORDS = st.lists(
    st.fixed_dictionaries({"eventName": st.text(max_size=8), "n": _INTEGERS}), max_size=4
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(_RECORDS.map(lambda r: {"Records": r}), _RECORDS), min_size=1, max_size=5),
    st.sampled_from([None, 0, 2]),
    st.sampled_from(["\n", "", " ", "\r\n", "\n\n"]),
    st.integers(min_value=1, max_value=64),
    st.sampled_from([1, 32, 1 << 20]),
)
def test_splitter_returns_every_document_however_joined(
    docs: list[Any], indent: int | None, separator: str, chunk: int, first_try: int
) -> None:
    text = separator.join(json.dumps(d, indent=indent) for d in docs).encode()
    pieces = [text[i : i + chunk] for i in range(0, len(text), chunk)]
    items = list(split_documents(pieces, 1 << 20, first_try))
    assert [i.value for i in items if isinstance(i, Document)] == docs
    assert not [i for i in items if isinstance(i, Unreadable)]


@pytest.mark.parametrize("tail", [b"", b"\n"])
@pytest.mark.parametrize("indent", [None, 2])
def test_a_document_cut_short_is_reported_not_dropped(
    tmp_path: Path, tail: bytes, indent: int | None
) -> None:
    good = orjson.dumps(record())
    text = json.dumps({"Records": [record()]}, indent=indent).encode()
    cut = text[: text.index(b",", 150) + 1]  # after a value, as a download cut short
    report = replay(write(tmp_path / "cut.json", good + b"\n" + cut + tail))
    assert report["events"] == 1
    [left_out] = report["left_out"]
    assert (left_out["line"], left_out["count"]) == (2, 1)
    assert left_out["reason"] == "an incomplete JSON document (the input ends inside it)"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(_RECORDS.map(lambda r: {"Records": r}), st.text("abc xyz", min_size=1)),
        min_size=1,
        max_size=8,
    ),  # fmt: skip
    st.integers(min_value=1, max_value=64),
    st.sampled_from([1, 32, 1 << 20]),
)
def test_splitter_keeps_every_good_line_around_bad_ones(
    lines: list[Any], chunk: int, first_try: int
) -> None:
    text = "\n".join(f"x{line}" if isinstance(line, str) else json.dumps(line) for line in lines)
    data = text.encode()
    pieces = [data[i : i + chunk] for i in range(0, len(data), chunk)]
    items = list(split_documents(pieces, 1 << 20, first_try))
    assert [i.value for i in items if isinstance(i, Document)] == [
        line for line in lines if not isinstance(line, str)
    ]
    # one problem per run of bad lines, at the run's first line
    assert [i.line for i in items if isinstance(i, Unreadable)] == [
        n + 1
        for n, line in enumerate(lines)
        if isinstance(line, str) and (n == 0 or not isinstance(lines[n - 1], str))
    ]


@pytest.mark.parametrize("joiner", [b"", b"\n"], ids=["run-together", "one-per-line"])
def test_memory_stays_flat_through_a_large_concatenation(tmp_path: Path, joiner: bytes) -> None:
    # 120 delivery files of 500 records (~70 MB): far more than is held at once.
    body = s3_body(records(500, stop_every=50))
    path = tmp_path / "all.json"
    with path.open("wb") as out:
        for _ in range(120):
            out.write(body + joiner)
    done, peak_mb = run_measured("backtest", str(path), "--pattern", STOP, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["events"], matched(report)) == (120 * 500, 120 * 10)
    assert peak_mb < 200


def test_past_100_skipped_files_the_count_stays_complete(tmp_path: Path) -> None:
    write(tmp_path / "good.json", s3_body([record()]))
    for i in range(105):
        write(tmp_path / f"junk-{i:03d}.json", b"junk")
    report = replay(tmp_path)
    assert (report["skipped_count"], len(report["skipped"])) == (105, 100)
    table = run("backtest", tmp_path, "--pattern", STOP)
    assert "Skipped 105 files:" in table.stdout
    assert "… and 5 more files, not listed" in table.stdout
