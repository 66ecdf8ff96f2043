"""Wall time, peak memory and API calls of a whole `trailwarden scan` process.

The demo's member with six trails of its own (6 trails over 4 regions, plus the
organization trail it lists) is served by moto on loopback from a separate server
process; `trailwarden scan --format json` runs as a child process of this small parent,
as a user would run it. The peak RSS of each scan is read from that child's
own resource usage (`os.wait4`): the parent imports neither boto3 nor moto, so the child's
high-water mark is its own.

    python benchmarks/scan_speed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any


def serve() -> None:
    """Server mode: seed the demo, print the scan environment, serve until stdin closes."""
    from trailwarden.demo.account import LEGACY, TRAILS
    from trailwarden.demo.run import seeded_simulation

    with seeded_simulation() as aws:
        trails = [t for t in TRAILS if t.account == LEGACY]
        info = {
            "env": aws.environment(LEGACY),
            "trails": len(trails),
            "regions": sorted({t.region for t in trails}),
        }
        print(json.dumps(info), flush=True)
        sys.stdin.read()


def scan_once(env: dict[str, str]) -> tuple[float, float, dict[str, Any]]:
    """One scan process: (wall seconds, peak RSS in MB, JSON report)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "trailwarden", "scan", "--format", "json"],
            env=env,
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"scan failed with exit code {proc.returncode}")
        out.seek(0)
        report = json.loads(out.read())
    return wall, usage.ru_maxrss / 1024, report  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    try:
        info = json.loads(server.stdout.readline())
        env = {k: v for k, v in os.environ.items() if k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN")}
        env.update(info["env"])
        runs = [scan_once(env) for _ in range(args.runs)]
    finally:
        server.stdin.close()
        server.wait(timeout=30)

    walls = [r[0] for r in runs]
    peaks = [r[1] for r in runs]
    stats = runs[-1][2]["stats"]
    print(f"simulated account: {info['trails']} trails over {len(info['regions'])} regions")
    print(f"  regions: {', '.join(info['regions'])}")
    print(f"scan processes: {args.runs}")
    print(f"wall time: median {statistics.median(walls):.3f} s, max {max(walls):.3f} s")
    print(f"peak RSS: median {statistics.median(peaks):.1f} MB, max {max(peaks):.1f} MB")
    print(f"API calls: {stats['api_calls']}")
    for action, count in sorted(stats["api_calls_by_action"].items()):
        print(f"  {action:32} {count}")


if __name__ == "__main__":
    main()
