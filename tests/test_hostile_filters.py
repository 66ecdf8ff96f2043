"""`scan --monitoring` and `backtest --inventory` with hostile metric filters.

Issue 8 §4: a 70-step selector crashed the whole scan, and a backtracking regex kept it
running past 120 s. Here the account holds, on its trail's log group, the corrected CIS
root-usage filter with a notifying alarm, and three hostile filters: that selector, that
regex, and a regex too large for trailwarden to evaluate, which feeds a notifying alarm.
The scan completes; root usage passes; every other class is ERROR naming the filter that
could not be evaluated (it might catch them); the exit code is 1.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import orjson

from clihelpers import healthy_trail, run
from conftest import AccountSeeder
from trailwarden.monitoring import CLASSES

GROUP = "aws-cloudtrail-logs/org-events"
ROOT_USAGE = next(c for c in CLASSES if c.id == "TW103")


def metric_filter(seed: AccountSeeder, name: str, pattern: str) -> None:
    seed.client("logs").put_metric_filter(
        logGroupName=GROUP,
        filterName=name,
        filterPattern=pattern,
        metricTransformations=[
            {"metricName": name, "metricNamespace": "CISBenchmark", "metricValue": "1"}
        ],
    )


def notifying_alarm(seed: AccountSeeder, metric: str, topic: str) -> None:
    seed.client("cloudwatch").put_metric_alarm(
        AlarmName=f"{metric}-alarm",
        MetricName=metric,
        Namespace="CISBenchmark",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[topic],
    )


def test_a_scan_with_hostile_filters_completes_and_judges_the_good_one(seed, env) -> None:
    healthy_trail(seed)
    sns = seed.client("sns")
    topic = sns.create_topic(Name="security-alerts")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="soc@example.com")
    metric_filter(seed, "root-usage", ROOT_USAGE.pattern)
    notifying_alarm(seed, "root-usage", topic)
    metric_filter(seed, "deep-selector", "{ $" + ".a" * 70 + " = 1 }")
    metric_filter(seed, "backtracking", r"%\w*\w*\w*\w*\w*\w*\w*=QQ%")
    metric_filter(seed, "too-large", "%a{1,1000}a{1,1000}b%")
    notifying_alarm(seed, "too-large", topic)

    started = time.monotonic()
    result = run(["scan", "--monitoring", "--format", "json"], env)
    assert time.monotonic() - started < 60
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    monitoring = {f["check_id"]: f for f in report["findings"] if f["check_id"] >= "TW101"}
    assert monitoring["TW103"]["status"] == "PASS"
    others = [f for check_id, f in monitoring.items() if check_id != "TW103"]
    assert len(others) == 14
    for finding in others:
        assert finding["status"] == "ERROR", finding
        assert finding["message"].startswith("Metric filter too-large on log group " + GROUP)
        assert "trailwarden cannot evaluate '%a{1,1000}a{1,1000}b%'" in finding["message"]


def test_backtest_replays_a_saved_inventory_with_a_deep_selector_filter(
    seed, env, tmp_path: Path
) -> None:
    healthy_trail(seed)
    deep = "{ $" + ".a" * 70 + " = 1 }"
    metric_filter(seed, "deep-selector", deep)
    metric_filter(seed, "root-usage", ROOT_USAGE.pattern)
    saved = tmp_path / "inventory.json"
    assert run(["scan", "--monitoring", "--save-inventory", str(saved)], env).exit_code == 1
    deep_record: object = 1
    for _ in range(70):
        deep_record = {"a": deep_record}
    logs = tmp_path / "logs.json.gz"
    logs.write_bytes(gzip.compress(orjson.dumps({"Records": [{"a": 1}, deep_record]})))

    result = run(["backtest", str(logs), "--inventory", str(saved), "--format", "json"], env)
    assert result.exit_code == 0, result.output
    matched = {f["name"]: f["matched"] for f in json.loads(result.stdout)["filters"]}
    assert matched == {"deep-selector": 1, "root-usage": 0}
