"""TW101–TW115 with filters trailwarden cannot evaluate: an ERROR naming them, never a crash.

A metric filter in an account was accepted by CloudWatch Logs. If trailwarden cannot
compile or match its pattern, it cannot say what the filter catches: the classes it could
serve (its alarm would notify someone) are ERROR, naming the filter and the reason, while
every other filter is still judged.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from monitoring_factories import make_alarm, make_filter, monitored
from trailwarden.checks import CheckOptions, evaluate
from trailwarden.checks import filter_verdict as monitoring_checks
from trailwarden.filterpattern import compile_pattern
from trailwarden.findings import Finding, Status
from trailwarden.inventory import Inventory
from trailwarden.monitoring import CLASSES

UNSUPPORTED = "%a{5000}%"  # more positions than trailwarden evaluates
INVALID = "{ $.eventName = "


def findings(inventory: Inventory) -> dict[str, Finding]:
    found = evaluate(inventory, CheckOptions(monitoring=True))
    return {f.check_id: f for f in found if f.check_id.startswith("TW1")}


def with_extra_filter(inventory: Inventory, pattern: str, *, alarmed: bool) -> Inventory:
    """``inventory`` plus a filter ``extra_metric`` (and, if ``alarmed``, an alarm on it that
    notifies the confirmed topic)."""
    extra = replace(make_filter("TW101", pattern), name="extra_metric")
    extra = replace(extra, transformations=(replace(extra.transformations[0], metric_name="x"),))
    [group] = inventory.metric_filters
    group = replace(group, filters=(*group.filters, extra))
    [alarms] = inventory.alarms
    if alarmed:
        alarm = replace(make_alarm("TW101"), name="extra_alarm", arn="arn:x", metric_name="x")
        alarms = replace(alarms, alarms=(*alarms.alarms, alarm))
    return replace(inventory, metric_filters=(group,), alarms=(alarms,))


def without_class(inventory: Inventory, class_id: str) -> Inventory:
    [group] = inventory.metric_filters
    cls = next(c for c in CLASSES if c.id == class_id)
    kept = tuple(f for f in group.filters if f.name != cls.metric_name)
    return replace(inventory, metric_filters=(replace(group, filters=kept),))


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (INVALID, "position 16: expected '}' at the end of a pattern"),
        (UNSUPPORTED, "position 0: trailwarden cannot evaluate '%a{5000}%'"),
    ],
)
def test_a_notifying_filter_that_cannot_be_evaluated_makes_uncovered_classes_error(
    pattern: str, reason: str
) -> None:
    inventory = with_extra_filter(without_class(monitored(), "TW112"), pattern, alarmed=True)
    result = findings(inventory)
    f = result["TW112"]
    assert f.status is Status.ERROR
    assert "Metric filter extra_metric on log group" in f.message
    assert f"cannot be evaluated: {reason}" in f.message
    assert "may catch changes to network gateways" in f.message
    assert f.evidence["filter"] == "extra_metric" and f.evidence["pattern"] == pattern
    assert "aws logs put-metric-filter" in f.remediation
    # Every class that has a filter of its own is still judged, and passes.
    assert {c for c, g in result.items() if g.status is Status.PASS} == set(result) - {"TW112"}


def test_a_filter_that_cannot_be_evaluated_without_a_working_alarm_only_adds_a_note() -> None:
    inventory = with_extra_filter(without_class(monitored(), "TW112"), INVALID, alarmed=False)
    f = findings(inventory)["TW112"]
    assert f.status is Status.FAIL
    assert "Note: filter extra_metric cannot be evaluated (position 16" in f.message
    assert "no alarm of it could notify anyone" in f.message


def test_a_hostile_but_valid_deep_selector_is_judged_like_any_filter() -> None:
    deep = "{ $" + ".a" * 70 + " = 1 }"  # crashed the code generator (issue 8 §4)
    inventory = with_extra_filter(without_class(monitored(), "TW112"), deep, alarmed=True)
    result = findings(inventory)
    assert result["TW112"].status is Status.FAIL
    assert "No metric filter on log group" in result["TW112"].message
    assert result["TW101"].status is Status.PASS


def test_a_filter_the_engine_fails_on_while_matching_is_an_error_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Defence in depth: whatever the engine raises for an account's filter becomes that
    filter's ERROR; the other filters are judged."""
    probe = '{ $.eventName = "engine-failure-probe" }'

    class Exploding:
        def matches(self, event: Any) -> bool:
            raise RecursionError("maximum recursion depth exceeded")

    def compile_or_explode(text: str) -> Any:
        return Exploding() if text == probe else compile_pattern(text)

    monkeypatch.setattr(monitoring_checks, "compile_pattern", compile_or_explode)
    inventory = with_extra_filter(without_class(monitored(), "TW112"), probe, alarmed=True)
    result = findings(inventory)
    assert result["TW112"].status is Status.ERROR
    assert "matching it failed (RecursionError: maximum recursion depth" in (
        result["TW112"].message
    )
    assert result["TW101"].status is Status.PASS
