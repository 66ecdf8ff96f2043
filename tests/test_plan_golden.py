"""Every plan output format, byte for byte, for plans that together use every kind of change.

The golden files under ``tests/golden/`` are what users see (``trailwarden fix --format …``);
a refactoring must leave them as they are. After an intended change of output, regenerate
them with ``TRAILWARDEN_UPDATE_GOLDEN=1 python -m pytest tests/test_plan_golden.py`` and
review the diff.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from factories import make_inventory, make_trail
from monitoring_factories import GROUP_KEY, make_alarm, make_topic, monitored
from plan_cases import CASES
from trailwarden.checks import CheckOptions, evaluate
from trailwarden.inventory import Inventory, LogGroupFilters, MetricFilter, MetricTransformation
from trailwarden.remediate import Action, FixOptions, Plan, make_plan, render_machine, render_text

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"text": "plans.txt", "json": "plans.json", "cli": "plans.sh"}
FORMATS |= {"terraform": "plans.tf", "cloudformation": "plans.cfn.json"}
KMS = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _replaced_filter_and_alarm() -> Inventory:
    """trailwarden's own TW101 filter and alarm exist with other settings: both are put
    again, with a ``before``."""
    base = monitored(alarms={"TW101": make_alarm("TW101", alarm_actions=())})
    ours = MetricFilter(
        GROUP_KEY,
        "us-east-1",
        "trailwarden-cis-tw101",
        "{ $.errorCode = Nope }",
        (MetricTransformation("unauthorized_api_calls_metric", "CISBenchmark", "1"),),
    )
    [group] = base.metric_filters
    filters = tuple(f for f in group.filters if not f.name.startswith("unauthorized"))
    alarm = make_alarm(
        "TW101",
        arn="arn:aws:cloudwatch:us-east-1:111111111111:alarm:"
        "trailwarden-cis-tw101-unauthorized-api-calls",
        name="trailwarden-cis-tw101-unauthorized-api-calls",
        alarm_actions=(),
    )
    [region] = base.alarms
    return replace(
        base,
        metric_filters=(LogGroupFilters(group.log_group_key, group.region, (*filters, ours)),),
        alarms=(replace(region, alarms=(*region.alarms, alarm)),),
    )


def _cases() -> list[tuple[str, Inventory, FixOptions, bool]]:
    """(id, inventory, options, monitoring checks evaluated)."""
    out = [(str(p.id), p.values[0], p.values[1], False) for p in CASES]
    two_regions = make_inventory(
        (
            make_trail(log_group_arn=None, role_arn=None),
            make_trail(home_region="eu-west-1", log_group_arn=None, role_arn=None),
        ),
        log_groups=(),
        roles=(),
    )
    bare = make_inventory((make_trail(log_group_arn=None, role_arn=None),), log_groups=())
    out += [
        ("two-regions", two_regions, FixOptions(), False),
        ("kms-and-name", bare, FixOptions(kms_key_id=KMS, log_group_name="audit/ct"), False),
        (
            "monitoring-filter",
            monitored(patterns={"TW101": "{ $.errorCode = Nope }"}),
            FixOptions(),
            True,
        ),
        (
            "monitoring-alarm-email",
            monitored(
                alarms={"TW102": None, "TW103": make_alarm("TW103", actions_enabled=False)},
                topic=make_topic(confirmed_subscriptions=0),
            ),
            FixOptions(alarm_email="sec@example.com"),
            True,
        ),
        (
            "monitoring-new-topic",
            monitored(alarms={"TW104": make_alarm("TW104", alarm_actions=())}),
            FixOptions(),
            True,
        ),
        ("monitoring-replaced", _replaced_filter_and_alarm(), FixOptions(), True),
    ]
    return out


def _plan(inventory: Inventory, options: FixOptions, monitoring: bool) -> Plan:
    findings = evaluate(inventory, CheckOptions(monitoring=monitoring))
    return make_plan(inventory, findings, options)


def _render(plan: Plan, inventory: Inventory, fmt: str) -> str:
    if fmt == "text":
        buffer = io.StringIO()
        console = Console(file=buffer, width=100, force_terminal=True, color_system="standard")
        render_text(plan, console)
        return buffer.getvalue()
    return render_machine(plan, inventory, fmt).decode()


def _rendered(fmt: str) -> dict[str, str]:
    return {
        case: _render(_plan(inventory, options, monitoring), inventory, fmt)
        for case, inventory, options, monitoring in _cases()
    }


def _join(outputs: dict[str, str]) -> str:
    return "".join(f"===== {case} =====\n{text}" for case, text in outputs.items())


def _split(text: str) -> dict[str, str]:
    _, *parts = re.split(r"^===== (\S+) =====\n", text, flags=re.MULTILINE)
    return dict(zip(parts[::2], parts[1::2], strict=True))


def test_the_golden_plans_use_every_kind_of_change() -> None:
    used = {
        s.action
        for _, inv, opts, monitoring in _cases()
        for s in _plan(inv, opts, monitoring).steps
    }
    assert used == set(Action)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_plan_output_is_unchanged(fmt: str) -> None:
    path = GOLDEN / FORMATS[fmt]
    outputs = _rendered(fmt)
    if os.environ.get("TRAILWARDEN_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(_join(outputs), encoding="utf-8")
    expected = _split(path.read_text(encoding="utf-8"))
    assert list(outputs) == list(expected)
    for case, text in outputs.items():
        assert text == expected[case], f"{fmt} output of case {case} changed"
