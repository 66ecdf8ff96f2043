"""Ctrl-C during ``fix``'s lookups (what the plan would create or reuse) ends the run at
once, even when the endpoint stalls: nothing waits for the calls in flight."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from endpoints import stalling_proxy


def test_ctrl_c_while_a_lookup_stalls_exits_130_within_2_seconds(seed, aws, tmp_path):
    # A trail without a log group: the scan describes no log group; the lookup of the one
    # the plan would create (aws-cloudtrail-logs/no-cwl) is fix's first DescribeLogGroups.
    seed.trail("no-cwl", "eu-west-1")
    with stalling_proxy(aws.endpoint_url, "DescribeLogGroups") as (url, stalled):
        env = {**os.environ, **aws.environment("111111111111")}
        env.update(AWS_ENDPOINT_URL=url, AWS_CONFIG_FILE=str(tmp_path / "none"))
        env.pop("AWS_PROFILE", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "trailwarden", "fix", "--no-monitoring"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert stalled.wait(60), proc.communicate(timeout=5)
        time.sleep(0.3)  # inside the unanswered request
        interrupted = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
        elapsed = time.monotonic() - interrupted
    assert proc.returncode == 130, stderr
    assert elapsed < 2.5, f"Ctrl-C took {elapsed:.1f} s"
    assert "Traceback" not in stderr and "interrupted" in stderr
