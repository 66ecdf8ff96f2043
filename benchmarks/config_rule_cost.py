"""Run time of the Config rule's handler on the demo's legacy-apps account, and its cost.

The demo organization's legacy-apps member (6 trails of its own over 4 regions, its own
CIS monitoring half set up) is served by
moto on loopback from a separate server process. For each region of the account, a fresh
Python process plays a Lambda execution environment: it imports the handler (the INIT
phase, billed since AWS's change of 2025-08-01 for on-demand functions), invokes it with a
periodic AWS Config event (a cold invocation) and again (a warm one). Wall time and CPU
time are measured in that process; the server's work is not counted.

Lambda's CPU share is proportional to memory (1,769 MB is one vCPU:
https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html), and this
machine gives the process a whole core, so the billed duration at M MB is estimated as
CPU seconds × 1769 / M plus the time spent waiting (wall − CPU). Against real AWS the
waiting is network round trips (tens of ms each, 16 at a time), not moto's: read the
estimate as the order of magnitude, not to the millisecond.

    python benchmarks/config_rule_cost.py [--runs 3] [--changes 30] [--regions 4]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

# Published prices (us-east-1), as stated in the README with the date they were taken.
CONFIG_EVALUATION_USD = 0.001  # per custom rule evaluation, first 100,000 per account/region
LAMBDA_GB_SECOND_USD = {"x86_64": 0.0000166667, "arm64": 0.0000133334}
LAMBDA_REQUEST_USD = 0.20 / 1_000_000
ONE_VCPU_MB = 1769


def serve() -> None:
    """Server mode: seed the demo, print the environment, serve until stdin closes."""
    from trailwarden.demo.account import LEGACY, TRAILS
    from trailwarden.demo.run import seeded_simulation

    with seeded_simulation() as aws:
        regions = sorted({t.region for t in TRAILS if t.account == LEGACY})
        print(json.dumps({"env": aws.environment(LEGACY), "account": LEGACY, "regions": regions}))
        sys.stdout.flush()
        sys.stdin.read()


def invoke(account: str, region: str) -> None:
    """Environment mode: INIT, a cold and a warm invocation; one JSON line of figures."""
    started, cpu = time.perf_counter(), time.process_time()
    from trailwarden.config_rule.handler import handler

    figures: dict[str, Any] = {
        "init_s": time.perf_counter() - started,
        "init_cpu_s": time.process_time() - cpu,
    }
    event = {
        "invokingEvent": json.dumps(
            {
                "messageType": "ScheduledNotification",
                "notificationCreationTime": "2026-12-07T00:00:00.000Z",
                "awsAccountId": account,
            }
        ),
        "resultToken": "TESTMODE",
        "eventLeftScope": False,
        "configRuleArn": f"arn:aws:config:{region}:{account}:config-rule/config-rule-bench",
        "configRuleName": "trailwarden-cloudtrail-cloudwatch-logs",
        "accountId": account,
        "ruleParameters": "{}",
    }
    for phase in ("cold", "warm"):
        started, cpu = time.perf_counter(), time.process_time()
        result = handler(event, None)
        figures[f"{phase}_s"] = time.perf_counter() - started
        figures[f"{phase}_cpu_s"] = time.process_time() - cpu
        figures["evaluations"] = [
            (e["ComplianceResourceType"], e["ComplianceResourceId"], e["ComplianceType"])
            for e in result["evaluations"]
        ]
        figures["api_calls"] = result["apiCalls"]
    print(json.dumps(figures))


def billed_s(wall: float, cpu: float, memory_mb: int) -> float:
    """Estimated Lambda duration at ``memory_mb``: CPU slowed to its share, plus waiting."""
    return cpu * max(1.0, ONE_VCPU_MB / memory_mb) + max(0.0, wall - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="environments per region")
    parser.add_argument("--changes", type=int, default=30, help="trail changes per month")
    parser.add_argument("--regions", type=int, default=0, help="regions to price (0: the demo's)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--invoke", nargs=2, metavar=("ACCOUNT", "REGION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    if args.invoke:
        invoke(*args.invoke)
        return

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert server.stdout is not None and server.stdin is not None
    try:
        info = json.loads(server.stdout.readline())
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(info["env"])
        per_region: dict[str, list[dict[str, Any]]] = {}
        for region in info["regions"]:
            for _ in range(args.runs):
                done = subprocess.run(
                    [sys.executable, __file__, "--invoke", info["account"], region],
                    env={**env, "AWS_REGION": region, "AWS_DEFAULT_REGION": region},
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                per_region.setdefault(region, []).append(json.loads(done.stdout.splitlines()[-1]))
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    report(info, per_region, args)


def report(info: dict[str, Any], per_region: dict[str, list[dict[str, Any]]], args: Any) -> None:
    def med(region: str, key: str) -> float:
        return statistics.median(r[key] for r in per_region[region])

    print(f"demo account {info['account']}: {len(per_region)} regions, {args.runs} runs each")
    print("region        init s (cpu)   cold s (cpu)   warm s (cpu)   API calls  evaluations")
    for region, runs in per_region.items():
        evaluations = runs[-1]["evaluations"]
        verdicts = ", ".join(f"{t.split('::')[-1] or 'Account'} {c}" for t, _, c in evaluations)
        print(
            f"{region:13} {med(region, 'init_s'):.2f} ({med(region, 'init_cpu_s'):.2f})"
            f"    {med(region, 'cold_s'):.2f} ({med(region, 'cold_cpu_s'):.2f})"
            f"    {med(region, 'warm_s'):.2f} ({med(region, 'warm_cpu_s'):.2f})"
            f"    {runs[-1]['api_calls']:>5}      {verdicts}"
        )
    regions = args.regions or len(per_region)
    scale = regions / len(per_region)
    # A periodic run per region per day; one change-triggered run per trail change (it
    # reports the trail and the account). Each run is priced as a cold one (INIT + run).
    evaluations_per_day = sum(len(r[-1]["evaluations"]) for r in per_region.values()) * scale
    periodic_evaluations = 30 * evaluations_per_day
    change_evaluations = 2 * args.changes
    print(
        f"\nper account per month, {regions} regions, periodic every 24 h, "
        f"{args.changes} trail changes:"
    )
    total_evaluations = periodic_evaluations + change_evaluations
    config_usd = total_evaluations * CONFIG_EVALUATION_USD
    print(f"  Config evaluations: {total_evaluations:.0f} → ${config_usd:.3f}")
    for memory in (256, 512):
        seconds = 0.0
        for region in per_region:
            wall = med(region, "init_s") + med(region, "cold_s")
            cpu = med(region, "init_cpu_s") + med(region, "cold_cpu_s")
            seconds += billed_s(wall, cpu, memory) * scale
        monthly_s = 30 * seconds + args.changes * seconds / regions
        invocations = 30 * regions + args.changes
        for arch, price in LAMBDA_GB_SECOND_USD.items():
            usd = monthly_s * memory / 1024 * price + invocations * LAMBDA_REQUEST_USD
            print(
                f"  Lambda {memory} MB {arch:6}: ~{seconds / regions:.1f} s billed per run, "
                f"{monthly_s:.0f} s/month → ${usd:.4f}"
            )


if __name__ == "__main__":
    main()
