"""`trailwarden demo --serve`: a simulated organization a user can point the CLI at."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys


def test_serve_prints_an_environment_that_scan_can_use_and_stops_on_ctrl_c(tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-m", "trailwarden", "demo", "--serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "none")
        for line in server.stdout:
            if line.strip().startswith("export "):
                name, _, value = line.strip()[len("export ") :].partition("=")
                env[name] = shlex.split(value)[0]
            if line.startswith("Press Ctrl-C"):
                break
        assert env.get("AWS_ENDPOINT_URL", "").startswith("http://127.0.0.1:")
        scan = subprocess.run(
            [sys.executable, "-m", "trailwarden", "scan", "--format", "json"],
            env=env,
            capture_output=True,
            timeout=60,
        )
        assert scan.returncode == 1  # the demo accounts are broken on purpose
        assert json.loads(scan.stdout)["accounts"] == ["123456789012"]
        # The management account's credentials reach the whole organization.
        org = subprocess.run(
            [sys.executable, "-m", "trailwarden", "scan", "--org", "--format", "json"],
            env=env,
            capture_output=True,
            timeout=60,
        )
        assert org.returncode == 1
        assert len(json.loads(org.stdout)["accounts"]) == 7
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
