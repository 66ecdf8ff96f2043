"""The registry of kinds of change: every Action has one change, and every change answers
for every facet (build, describe, cli, iac, read, do, undo …) of a real step of its kind.

The representative steps are planned from the plan test cases, so they are the steps users
get; the facets that touch AWS run against moto's server, on an empty account.
"""

from __future__ import annotations

import shlex

import pytest
from botocore import xform_name

from monitoring_factories import make_alarm, make_topic, monitored
from plan_cases import CASES
from trailwarden.checks import CheckOptions, evaluate
from trailwarden.remediate import Action, FixOptions, Step, StepRecord, UndoOutcome, make_plan
from trailwarden.remediate.changes import CHANGES
from trailwarden.remediate.changes.base import AttributeChange, Change, UndoContext
from trailwarden.remediate.changes.support.iac import Resources
from trailwarden.remediate.engine.journal_check import step_problem
from trailwarden.remediate.render.text import describe_step

ACTIONS = list(Action)
JOURNAL_ID = "0123456789abcdef0123456789abcdef"


def _representatives() -> dict[Action, Step]:
    """The first step of each action in the plans of the plan test cases."""
    candidates = [(p.values[0], p.values[1], False) for p in CASES]
    candidates += [
        (monitored(patterns={"TW101": "{ $.errorCode = Nope }"}), FixOptions(), True),
        (
            monitored(
                alarms={"TW102": None, "TW103": make_alarm("TW103", actions_enabled=False)},
                topic=make_topic(confirmed_subscriptions=0),
            ),
            FixOptions(alarm_email="sec@example.com"),
            True,
        ),
    ]
    found: dict[Action, Step] = {}
    for inventory, options, monitoring in candidates:
        findings = evaluate(inventory, CheckOptions(monitoring=monitoring))
        for step in make_plan(inventory, findings, options).steps:
            found.setdefault(step.action, step)
    return found


STEPS = _representatives()


def _service(action: Action) -> str:
    return action.value.split(":", 1)[0]


def test_every_action_is_registered_under_its_own_change() -> None:
    assert set(CHANGES) == set(Action)
    for action, change in CHANGES.items():
        assert isinstance(change, Change) and change.action is action


def test_every_action_has_a_representative_step() -> None:
    assert set(STEPS) == set(Action)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_a_planned_step_is_one_its_change_accepts_in_a_journal(action: Action) -> None:
    step = STEPS[action]
    assert CHANGES[action].problem(step) is None
    assert step_problem(step, step.account_id) is None


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_steps_are_built_by_their_change_with_its_permissions(action: Action) -> None:
    change, step = CHANGES[action], STEPS[action]
    assert "build" in vars(type(change))  # its own constructor, not an inherited one
    assert step.permissions == change.permissions
    assert change.permissions[0] == action.value  # the action's own permission first


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_describe_gives_a_headline_and_before_after_lines(action: Action) -> None:
    headline, lines = CHANGES[action].describe(STEPS[action])
    assert headline and not headline.endswith(".")
    assert lines and all(isinstance(line, str) and line for line in lines)
    assert describe_step(STEPS[action]) == (headline, lines)  # the text plan asks the change


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_cli_is_the_aws_command_of_the_action(action: Action) -> None:
    words = shlex.split(" ".join(CHANGES[action].cli(STEPS[action])))
    aws = words.index("aws")
    operation = xform_name(action.value.split(":", 1)[1], "-")
    assert words[aws + 1 : aws + 3] == [_service(action), operation]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_iac_folds_the_step_into_the_one_resource_it_touches(action: Action) -> None:
    resources, step = Resources(), STEPS[action]
    CHANGES[action].iac(resources, step)
    kinds = (resources.groups, resources.roles, resources.trails, resources.monitoring)
    holding = [target for kind in kinds for target, spec in kind.items() if step in spec.steps]
    assert holding == [step.target]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_the_planned_state_differs_from_the_state_before(action: Action) -> None:
    change, step = CHANGES[action], STEPS[action]
    after = change.after_state(step.after)
    assert after is not None and not change.matches(step.before, after)
    message = change.describe_change(step.target, step.before, after)
    assert message.startswith(f"{change.subject} {step.target} ") and message.endswith(".")


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_do_makes_the_action_in_the_steps_region(action: Action, factory) -> None:
    step = STEPS[action]
    call = CHANGES[action].do(factory, step.target, step.region, step.after, JOURNAL_ID)
    assert (call.action, call.region) == (action.value, step.region)
    assert call.paced is (_service(action) == "cloudtrail")  # CloudTrail's 1 TPS writes


@pytest.mark.parametrize(
    "action",
    [a for a in ACTIONS if isinstance(CHANGES.get(a), AttributeChange)],
    ids=lambda a: a.name,
)
def test_an_attribute_change_is_put_back_by_the_same_service(action: Action, factory) -> None:
    change, step = CHANGES[action], STEPS[action]
    assert isinstance(change, AttributeChange)
    before = step.before if step.before is not None else change.after_state(step.after)
    assert before is not None
    calls = [change.restore(factory, step.target, step.region, before)]
    if change.deleted_when_new:
        calls.append(change.remove(factory, step.target, step.region))
    for call in calls:
        assert _service(action) == call.action.split(":", 1)[0] and call.region == step.region
        assert call.action in change.undo_permissions  # what the journal and IAM policy allow


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_read_of_a_target_that_does_not_exist_is_none(action: Action, factory) -> None:
    step = STEPS[action]
    assert CHANGES[action].read(factory, step.target, step.region, step.after) is None


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_undo_of_a_target_that_does_not_exist_calls_nothing(action: Action, factory) -> None:
    step = STEPS[action]
    record = StepRecord(step.id, action, step.target, step.region, step.before, step.after, True)
    decision = CHANGES[action].undo(UndoContext(factory, (record,), JOURNAL_ID), record)
    assert isinstance(decision, tuple) and decision[0] is UndoOutcome.NOTHING_TO_DO
