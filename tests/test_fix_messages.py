"""What ``fix`` and ``rollback`` say: which failing checks remain and why, what was applied
and where its journal is, counts in English, and outside text made inert."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console

from clihelpers import run
from conftest import delivery_policy
from factories import REGION as FACTORY_REGION
from monitoring_factories import GROUP_KEY, make_alarm, monitored
from trailwarden.checks import CheckOptions, evaluate
from trailwarden.inventory import LogGroupFilters, MetricFilter, MetricTransformation, Topic
from trailwarden.remediate import FixOptions, make_plan, render_text

REGION = "eu-west-1"


def integrated_trail(seed, name: str = "main", **trail) -> str:
    group = seed.log_group(f"{name}-logs", REGION, retention_days=365)
    role = seed.role(f"{name}-role", inline={"deliver": delivery_policy(group)})
    return seed.trail(name, REGION, log_group_arn=group, role_arn=role, **trail)


# -- what remains ----------------------------------------------------------------------------------
def test_fix_names_the_failing_checks_that_check_leaves_out(seed, env):
    seed.trail("no-cwl", REGION)  # logging, not integrated: TW006 passes, TW001 fails

    result = run(["fix", "--no-monitoring", "--check", "TW006"], env)

    assert result.exit_code == 0, result.output
    assert "Nothing to do" not in result.stdout
    assert "skipped TW001: not selected: this fix is for --check TW006 only" in result.stdout
    assert "No change planned, but failing checks remain (TW001, TW010)" in result.stdout


def test_fix_says_a_late_delivery_remains_when_its_cause_is_not_in_the_configuration(seed, env):
    integrated_trail(seed, delivered_at=datetime.now(UTC) - timedelta(days=3))

    result = run(["fix", "--no-monitoring"], env)

    assert result.exit_code == 0, result.output
    assert "Nothing to do" not in result.stdout
    assert "TW004" in result.stdout and "shows no cause" in result.stdout
    assert "No change planned, but failing checks remain" in result.stdout


# -- what was applied ------------------------------------------------------------------------------
def test_fix_apply_says_what_it_applied_and_where_the_journal_is(seed, env, tmp_path):
    seed.trail("no-cwl", REGION, logging=False)
    journal = tmp_path / "journal.jsonl"

    result = run(["fix", "--no-monitoring", "--apply", "--yes", "--journal", str(journal)], env)

    assert result.exit_code == 0, result.output
    assert "nothing changed" not in result.output and "Run with --apply" not in result.output
    assert "6 changes planned." in result.stdout
    assert result.stderr.strip() == (
        f"Applied 6 changes; journal {journal}. To undo: trailwarden rollback {journal}"
    )


def test_one_change_is_one_change(seed, env, tmp_path):
    integrated_trail(seed, logging=False)
    journal = tmp_path / "journal.jsonl"

    planned = run(["fix", "--no-monitoring"], env)
    applied = run(["fix", "--no-monitoring", "--apply", "--yes", "--journal", str(journal)], env)
    undone = run(["rollback", str(journal), "--yes"], env)

    assert "1 change planned; nothing changed." in planned.stdout
    assert applied.exit_code == 0 and f"Applied 1 change; journal {journal}." in applied.stderr
    assert undone.exit_code == 0 and f"Rolled back 1 change (journal {journal})." in undone.stderr


def test_a_class_nobody_will_hear_of_keeps_failing_in_the_singular() -> None:
    other = f"arn:aws:sns:{FACTORY_REGION}:111111111111:other"
    inventory = monitored(alarms={"TW108": make_alarm("TW108", alarm_actions=(other,))})
    unheard = Topic(other, FACTORY_REGION, confirmed_subscriptions=0, pending_subscriptions=1)
    inventory = replace(inventory, topics=(*inventory.topics, unheard))
    findings = evaluate(inventory, CheckOptions(monitoring=True))

    plan = make_plan(inventory, findings, FixOptions(alarm_email="soc@example.com"))

    assert any("until then TW108 keeps failing the check" in d for d in plan.diagnoses)


# -- outside text is escaped -------------------------------------------------------------------
def test_a_filter_name_with_control_characters_is_shown_escaped_in_the_plan() -> None:
    evil = "evil\x1b[2J\nFORGED LINE"
    [group] = monitored().metric_filters
    broken = MetricFilter(
        GROUP_KEY,
        FACTORY_REGION,
        evil,
        '{ $.errorCode = "AccessDenied*" }',  # catches some of TW101's events, not all
        (MetricTransformation("unauthorized_api_calls_metric", "CISBenchmark", "1"),),
    )
    kept = tuple(f for f in group.filters if not f.name.startswith("unauthorized"))
    inventory = monitored()
    inventory = inventory.__class__(
        **{
            **vars(inventory),
            "metric_filters": (
                LogGroupFilters(group.log_group_key, group.region, (*kept, broken)),
            ),
        }
    )
    plan = make_plan(inventory, evaluate(inventory, CheckOptions(monitoring=True)), FixOptions())
    assert any(evil in s.reason for s in plan.steps)  # the plan holds it as it is

    buffer = io.StringIO()
    render_text(plan, Console(file=buffer, width=300, color_system=None))
    text = buffer.getvalue()

    assert "\x1b" not in text and "\nFORGED LINE" not in text
    assert "evil\\x1b[2J\\x0aFORGED" in text  # (the plan may wrap at the space after it)


def test_aws_errors_and_journal_paths_are_shown_escaped(seed, aws, env, tmp_path):
    seed.trail("no-cwl", REGION, logging=False)
    journal = tmp_path / "j\x1b[31m.jsonl"
    aws.deny("logs:CreateLogGroup", code="Evil\x1b[2JCode")

    applied = run(["fix", "--no-monitoring", "--apply", "--yes", "--journal", str(journal)], env)
    undone = run(["rollback", str(journal), "--yes"], env)

    for result in (applied, undone):
        assert "\x1b" not in result.output, result.output
    assert applied.exit_code == 1 and "Evil\\x1b[2JCode" in applied.stderr
    assert "j\\x1b[31m.jsonl" in applied.stderr and "j\\x1b[31m.jsonl" in undone.stderr
    assert undone.exit_code == 0


def test_the_cli_uses_the_engines_rollback_command() -> None:
    import trailwarden.cli.common as common
    from trailwarden.remediate import rollback_command

    assert not hasattr(common, "rollback_command")
    assert rollback_command(Path("my journal.jsonl")) == "trailwarden rollback 'my journal.jsonl'"
