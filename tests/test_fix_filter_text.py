"""fix --filter-text cis-exact: filters in Security Hub's exact CIS text, where it is correct."""

from __future__ import annotations

import pytest

from monitoring_factories import monitored
from test_plan_monitoring import plan
from trailwarden.checks.security_hub_text import EXACT_TEXTS
from trailwarden.errors import UsageError
from trailwarden.monitoring import CLASSES_BY_ID
from trailwarden.remediate import Action, FixOptions

NOTHING = "{ $.eventName = Nothing }"


def filters(p) -> dict[str, str]:
    return {
        s.fixes[0]: s.after["filter_pattern"]
        for s in p.steps
        if s.action is Action.PUT_METRIC_FILTER
    }


def test_default_puts_the_corrected_patterns():
    p = plan(monitored(patterns={"TW101": NOTHING, "TW103": NOTHING}))
    assert filters(p) == {c: CLASSES_BY_ID[c].pattern for c in ("TW101", "TW103")}


def test_cis_exact_puts_security_hubs_text():
    inventory = monitored(patterns={"TW101": NOTHING, "TW103": NOTHING})
    p = plan(inventory, filter_text="cis-exact")
    assert filters(p) == {c: EXACT_TEXTS[c][0] for c in ("TW101", "TW103")}


@pytest.mark.parametrize("class_id", ["TW110", "TW115"])
def test_cis_exact_refuses_classes_whose_text_is_wrong_or_has_no_control(class_id):
    inventory = monitored(patterns={class_id: NOTHING, "TW103": NOTHING})
    with pytest.raises(UsageError, match=class_id) as caught:
        plan(inventory, filter_text="cis-exact")
    assert "\n" not in str(caught.value)


def test_an_unknown_filter_text_is_a_usage_error():
    with pytest.raises(UsageError, match="--filter-text"):
        FixOptions(filter_text="exactish")


def test_fix_command_line_takes_filter_text(seed, env):
    from clihelpers import healthy_trail, run

    healthy_trail(seed)
    result = run(["fix", "--filter-text", "cis-exact", "--check", "TW103", "--format", "json"], env)
    assert result.exit_code == 1, result.output
    import json

    [step] = [
        s for s in json.loads(result.stdout)["steps"] if s["action"] == "logs:PutMetricFilter"
    ]
    assert step["after"]["filter_pattern"] == EXACT_TEXTS["TW103"][0]
    refused = run(["fix", "--filter-text", "cis-exact"], env)
    assert refused.exit_code == 2 and "TW110" in refused.stderr and "TW115" in refused.stderr
