"""Endpoints that never answer, answer with a web page, or stall mid-apply; Ctrl-C; secrets.

Real sockets and real processes: a scan must end within its --timeout with exit 2 and one
sentence naming the endpoint, Ctrl-C must end any command within about 2 s with exit 130,
and neither a secret key nor a password in AWS_ENDPOINT_URL may reach the output.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clihelpers import run
from endpoints import black_hole, stalling_proxy, web_page
from trailwarden.collect.clients import open_factory
from trailwarden.collect.endpoint_guard import DEFAULT_TIMEOUT_S, Patience

SECRET = "s3cr3t-KEY-marker-7f1d"
PASSWORD = "pa55-marker-9c2e"
STARTUP_S = 6.0  # a trailwarden process on a shared 2-core machine, imports included


def process_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TRAILWARDEN_"))}
    env.update(
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
    )
    env.update(extra)
    return env


def trailwarden(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "trailwarden", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_default_patience_gives_up_within_60_seconds():
    patience = Patience()
    assert patience.timeout_s == DEFAULT_TIMEOUT_S
    assert patience.worst_case_s <= 60
    assert patience.unanswered_s > 0
    client = open_factory(endpoint_url="http://127.0.0.1:9").client("sts", "us-east-1")
    assert client.meta.config.read_timeout == patience.read_timeout_s <= 15
    assert client.meta.config.connect_timeout == patience.connect_timeout_s <= 5


@pytest.mark.parametrize("command", [["scan"], ["fix"]])
def test_a_silent_endpoint_ends_the_run_with_exit_2_naming_it(tmp_path, command):
    with black_hole() as (url, _):
        env = process_env(tmp_path, AWS_ENDPOINT_URL=url, TRAILWARDEN_TIMEOUT="2")
        started = time.monotonic()
        proc = trailwarden(*command, env=env)
        _, stderr = proc.communicate(timeout=60)
        elapsed = time.monotonic() - started
    assert proc.returncode == 2, stderr
    assert elapsed < Patience(2).worst_case_s + STARTUP_S
    assert url in stderr and "has not answered" in stderr and "--timeout" in stderr
    assert len(stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["scan"], ["scan", "--format", "json"], ["fix"]])
def test_ctrl_c_ends_a_run_within_2_seconds_with_exit_130(tmp_path, command):
    with black_hole() as (url, connected):
        proc = trailwarden(*command, env=process_env(tmp_path, AWS_ENDPOINT_URL=url))
        assert connected.wait(30), "trailwarden never connected"
        time.sleep(0.3)  # inside the (unanswered) request
        interrupted = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
        elapsed = time.monotonic() - interrupted
    assert proc.returncode == 130, stderr
    assert elapsed < 2.5
    assert "Traceback" not in stderr and "interrupted" in stderr


def test_ctrl_c_ends_the_demo_within_2_seconds_with_exit_130(tmp_path):
    proc = trailwarden("demo", env=process_env(tmp_path))
    assert proc.stderr is not None
    assert "simulated AWS" in proc.stderr.readline()
    time.sleep(1.0)  # the simulated AWS is starting or being seeded
    interrupted = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    elapsed = time.monotonic() - interrupted
    assert proc.returncode == 130
    assert elapsed < 2.5


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><h1>Sign in to the guest Wi-Fi</h1></body></html>",  # well-formed XML
        b"<!DOCTYPE html><html><body><p>Login<br></body></html>",  # not XML
        b"OK",
    ],
)
def test_an_endpoint_answering_a_web_page_exits_2_in_one_sentence(env, body):
    with web_page(body) as url:
        result = run(["scan"], {**env, "AWS_ENDPOINT_URL": url})
    assert result.exit_code == 2, result.output
    assert url in result.stderr and "not an AWS API response" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_web_page_is_never_read_as_an_account_without_trails(aws, env):
    # STS and the rest answer; CloudTrail's endpoint is a web server answering 200.
    with web_page(b"<html><body>It works!</body></html>") as url:
        routed = {k: v for k, v in env.items() if k != "AWS_ENDPOINT_URL"}
        for service in ("STS", "IAM", "LOGS", "CLOUDWATCH", "SNS"):
            routed[f"AWS_ENDPOINT_URL_{service}"] = aws.endpoint_url
        routed["AWS_ENDPOINT_URL_CLOUDTRAIL"] = url
        result = run(["scan", "--format", "json"], routed)
    assert result.exit_code == 2, result.output
    assert "cloudtrail:ListTrails" in result.stderr and "HTML page" in result.stderr


@pytest.mark.parametrize("debug", [[], ["--debug"]])
@pytest.mark.parametrize("endpoint", ["refused", "silent", "web page", "service variable"])
def test_no_secret_reaches_the_output(tmp_path, debug, endpoint):
    with black_hole() as (silent, _), web_page(b"<html></html>") as page:
        urls = {"refused": "http://127.0.0.1:9", "silent": silent, "web page": page}
        host = urls.get(endpoint, page).removeprefix("http://")
        with_password = f"http://user:{PASSWORD}@{host}"
        name = "AWS_ENDPOINT_URL_STS" if endpoint == "service variable" else "AWS_ENDPOINT_URL"
        env = process_env(tmp_path, TRAILWARDEN_TIMEOUT="2", **{name: with_password})
        proc = trailwarden(*debug, "scan", env=env)
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2, stderr
    assert SECRET not in stdout + stderr
    assert PASSWORD not in stdout + stderr
    if debug:
        assert "Traceback" in stderr


def test_an_interrupted_apply_names_its_journal_and_the_rollback_command(seed, aws, tmp_path):
    seed.trail("no-cwl", "eu-west-1")
    journal = tmp_path / "journal.jsonl"
    # Reads pass through; the apply's first change (CreateLogGroup) is never answered.
    with stalling_proxy(aws.endpoint_url, "CreateLogGroup", "CreateRole") as (url, stalled):
        env = {**os.environ, **aws.environment("111111111111")}
        env.update(AWS_ENDPOINT_URL=url, AWS_CONFIG_FILE=str(tmp_path / "none"))
        env.pop("AWS_PROFILE", None)
        proc = trailwarden(
            "fix", "--no-monitoring", "--apply", "--yes", "--journal", str(journal), env=env
        )
        assert stalled.wait(60), proc.communicate(timeout=5)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert journal.exists()
    assert f"journal {journal}" in stderr
    assert f"trailwarden rollback {journal}" in stderr


@pytest.mark.parametrize(
    "command",
    [["test-pattern", "ERROR", "-"], ["backtest", "-"], ["backtest", "--pattern", "ERROR", "-"]],
)
def test_ctrl_c_ends_a_command_waiting_on_its_input_within_2_seconds_with_exit_130(
    tmp_path, command
):
    """test-pattern and backtest read standard input until it ends: a user who typed the
    wrong command (or piped a stream that never ends) gets out with Ctrl-C."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "trailwarden", *command],
        env=process_env(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.write('{"Records": [{"eventName": "ConsoleLogin"}]}\nsome ERROR line\n')
    proc.stdin.flush()
    time.sleep(STARTUP_S / 2)  # started and blocked on the open standard input
    interrupted = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    elapsed = time.monotonic() - interrupted
    assert proc.returncode == 130, stderr
    assert elapsed < 2.5
    assert "Traceback" not in stderr and "interrupted" in stderr
