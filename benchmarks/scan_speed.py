"""Wall time, peak memory and API calls of a whole `trailwarden scan` process.

The demo's main account (6 trails over 4 regions) is served by moto on loopback from this
process; `trailwarden scan --format json` runs as a child process against it, as a user
would run it. Prints a table of N runs and the API calls by action.

    python benchmarks/scan_speed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from trailwarden.demo.account import MAIN, TRAILS
    from trailwarden.demo.run import seeded_simulation

    main_trails = [t for t in TRAILS if t.account == MAIN]
    regions = sorted({t.region for t in main_trails})
    with seeded_simulation(datetime.now(UTC)) as aws:
        env = dict(os.environ)
        env.update(aws.environment(MAIN))
        walls: list[float] = []
        report: dict[str, Any] = {}
        for _ in range(args.runs):
            started = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "trailwarden", "scan", "--format", "json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            out, err = proc.communicate()
            walls.append(time.perf_counter() - started)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"scan failed ({proc.returncode}): {err.decode()}")
            report = json.loads(out)
        # The largest peak RSS among the scan processes (the only children we started).
        rss_mb = _peak_rss_of_children_mb()
    stats = report["stats"]
    print(f"account {MAIN}: {len(main_trails)} trails over {len(regions)} regions {regions}")
    print(f"runs: {args.runs}")
    print(f"wall time: median {statistics.median(walls):.3f} s, max {max(walls):.3f} s")
    print(f"peak RSS (largest scan process): {rss_mb:.1f} MB")
    print(f"API calls: {stats['api_calls']}")
    for action, count in sorted(stats["api_calls_by_action"].items()):
        print(f"  {action:40} {count}")


def _peak_rss_of_children_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


if __name__ == "__main__":
    main()
