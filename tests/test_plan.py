"""Planning (pure): inventory + findings in, plan out; plus the JSON and text renderings."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from rich.console import Console

from factories import (
    ACCOUNT,
    COLLECTED_AT,
    ORG_ID,
    REGION,
    denied,
    make_inventory,
    make_log_group,
    make_role,
    make_trail,
    role_arn,
    trail_arn,
)
from monitoring_factories import make_alarm, make_topic, monitored
from plan_cases import (
    CASES,
    EC2_TRUST,
    MEMBER_VIEW,
    NOT_INTEGRATED,
    SHARED,
    inv,
    simulate,
    summary,
    with_role,
)
from trailwarden.arns import LogGroupRef
from trailwarden.checks import CHECKS, CheckOptions, evaluate
from trailwarden.errors import UnknownCheckError, UsageError
from trailwarden.findings import Status
from trailwarden.inventory import Inventory, LogGroup, PolicyDocument, Role
from trailwarden.remediate import (
    Action,
    FixOptions,
    Plan,
    PlanFormatError,
    Wanted,
    make_plan,
    plan_from_dict,
    plan_to_dict,
    wanted_resources,
)
from trailwarden.remediate.engine.journal_check import step_problem
from trailwarden.remediate.planning.plan import desired_names
from trailwarden.remediate.planning.planner import ORDER
from trailwarden.remediate.policies import POLICY_NAME, role_policy, trust_policy
from trailwarden.remediate.render.json import render_plan_json
from trailwarden.remediate.render.text import render_plan

MAIN = trail_arn()
OPTS = FixOptions()
# These inventories have no monitoring facts; the monitoring plans are in test_plan_monitoring.
TRAIL_CHECKS = CheckOptions(monitoring=False)


def plan_for(inventory: Inventory, options: FixOptions = OPTS) -> Plan:
    return make_plan(inventory, evaluate(inventory, TRAIL_CHECKS), options)


def text_of(plan: Plan) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    render_plan(plan, console)
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("inventory", "options", "expected"), CASES)
def test_plan_contents(inventory: Inventory, options: FixOptions, expected: tuple[str]) -> None:
    assert summary(plan_for(inventory, options)) == expected


@pytest.mark.parametrize(("inventory", "options", "expected"), CASES)
def test_plan_invariants(inventory: Inventory, options: FixOptions, expected: object) -> None:
    findings = evaluate(inventory, TRAIL_CHECKS)
    plan = make_plan(inventory, findings, options)
    assert [s.id for s in plan.steps] == [str(i) for i in range(1, len(plan.steps) + 1)]
    for trail in {s.trail_arn for s in plan.steps}:
        order = [ORDER[s.action] for s in plan.steps if s.trail_arn == trail]
        assert order == sorted(order)
    for step in plan.steps:
        assert step.reason.endswith(".") and step.fixes and step.account_id == ACCOUNT
        trail = next(t for t in inventory.trails if t.arn == step.trail_arn)
        assert step.region == trail.home_region  # IAM steps too: they belong to that trail
    # Deterministic, whatever the order of the findings.
    assert make_plan(inventory, tuple(reversed(findings)), options) == plan
    # Every FAIL or ERROR is fixed, diagnosed, or skipped with the reason — also those that
    # --check or --trail leave out: a plan never reads "nothing to do" while a check fails.
    fixed = {(s.trail_arn, c) for s in plan.steps for c in s.fixes}
    skipped = {(s.trail_arn, s.check_id) for s in plan.skipped}
    for f in findings:
        if f.status is Status.FAIL and f.check_id in ("TW004", "TW005", "TW010"):
            diagnosed = any(f.check_id in d for d in plan.diagnoses)
            assert diagnosed or (f.resource_id, f.check_id) in skipped, f
        elif f.status in (Status.FAIL, Status.ERROR):
            assert (f.resource_id, f.check_id) in fixed | skipped, f
    # Every step is one a journal of it is accepted with (rollback refuses any other).
    for step in plan.steps:
        assert step_problem(step, inventory.account_id) is None, step


@pytest.mark.parametrize(("inventory", "options", "expected"), CASES)
def test_after_the_plan_a_rescan_passes_and_plans_nothing(
    inventory: Inventory, options: FixOptions, expected: object
) -> None:
    findings = evaluate(inventory, TRAIL_CHECKS)
    plan = make_plan(inventory, findings, options)
    fixed = simulate(inventory, plan)
    assert plan_for(fixed, options).steps == ()
    fixable = {"TW001", "TW002", "TW003", "TW006", "TW007"} & (options.checks or set(CHECKS))
    were = {(f.resource_id, f.check_id) for f in findings if f.status is Status.FAIL}
    for f in evaluate(fixed, TRAIL_CHECKS):
        if f.resource_id in {s.trail_arn for s in plan.steps} and f.check_id in fixable:
            assert f.status is Status.PASS or (f.resource_id, f.check_id) not in were, f


@pytest.mark.parametrize(("inventory", "options", "expected"), CASES)
def test_json_round_trip(inventory: Inventory, options: FixOptions, expected: object) -> None:
    plan = plan_for(inventory, options)
    assert plan_from_dict(plan_to_dict(plan)) == plan
    data = json.loads(render_plan_json(plan))
    assert plan_from_dict(data) == plan
    assert data["schema_version"] == 1 and data["account_id"] == inventory.account_id
    assert isinstance(data["steps"], list) and len(data["steps"]) == len(plan.steps)


def test_json_step_fields() -> None:
    data = plan_to_dict(plan_for(NOT_INTEGRATED))
    step = data["steps"][0]
    assert set(step) >= {"id", "action", "target", "region", "before", "after", "permissions"}
    assert step["action"] == "logs:CreateLogGroup" and step["before"] is None
    assert plan_to_dict(plan_for(make_inventory()))["steps"] == []


def test_plan_from_dict_rejects_other_documents() -> None:
    with pytest.raises(PlanFormatError, match="schema version 2"):
        plan_from_dict({**plan_to_dict(plan_for(NOT_INTEGRATED)), "schema_version": 2})
    with pytest.raises(PlanFormatError, match="not a trailwarden plan"):
        plan_from_dict({"schema_version": 1})


# -- what each step says ------------------------------------------------------------------
def test_new_integration_steps_follow_the_contract() -> None:
    steps = {s.action: s for s in plan_for(NOT_INTEGRATED).steps}
    group_key = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:aws-cloudtrail-logs/main"
    create = steps[Action.CREATE_LOG_GROUP]
    assert (create.target, create.before) == (group_key, None)
    assert create.after == {
        "log_group_name": "aws-cloudtrail-logs/main",
        "kms_key_id": None,
        "tags": {"created-by": "trailwarden"},
    }
    assert create.permissions == ("logs:CreateLogGroup", "logs:TagResource")
    retention = steps[Action.PUT_RETENTION_POLICY]
    assert retention.before == {"retention_in_days": None}
    assert retention.after == {
        "log_group_name": "aws-cloudtrail-logs/main",
        "retention_in_days": 365,
    }
    role = steps[Action.CREATE_ROLE]
    assert role.target == role_arn("trailwarden-cwl-main")
    assert role.permissions == ("iam:CreateRole", "iam:TagRole")
    statement = role.after["assume_role_policy"]["Statement"][0]
    assert statement["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceArn": MAIN, "aws:SourceAccount": ACCOUNT}
    }
    policy = steps[Action.PUT_ROLE_POLICY]
    assert policy.before == {"policy_name": POLICY_NAME, "policy_document": None}
    resources = {r for s in policy.after["policy_document"]["Statement"] for r in s["Resource"]}
    assert resources == {f"{group_key}:log-stream:{ACCOUNT}_CloudTrail_{REGION}*"}
    update = steps[Action.UPDATE_TRAIL]
    assert (update.target, update.region) == (MAIN, REGION)
    assert update.before == {
        "cloud_watch_logs_log_group_arn": None,
        "cloud_watch_logs_role_arn": None,
    }
    assert update.after == {
        "cloud_watch_logs_log_group_arn": f"{group_key}:*",
        "cloud_watch_logs_role_arn": role_arn("trailwarden-cwl-main"),
    }
    assert update.permissions == ("cloudtrail:UpdateTrail", "iam:PassRole")


def test_trust_repair_keeps_what_the_role_trusted() -> None:
    (step,) = plan_for(with_role(trust=EC2_TRUST)).steps
    assert step.before == {
        "role_name": "CloudTrail_CloudWatchLogs_Role",
        "assume_role_policy": EC2_TRUST,
    }
    statements = step.after["assume_role_policy"]["Statement"]
    assert statements[0] == EC2_TRUST["Statement"][0]
    assert statements[1]["Condition"]["StringEquals"]["aws:SourceArn"] == MAIN
    assert "TW003 failed" in step.reason


def test_shared_role_is_never_changed() -> None:
    plan = plan_for(SHARED)
    assert all(s.target != role_arn() for s in plan.steps)
    assert "never widens a role that serves another trail" in plan.steps[0].reason


def test_organization_trail_role_allows_the_organization_streams() -> None:
    inventory = make_inventory(
        (make_trail("org", organization=True, log_group_arn=None, role_arn=None),),
        log_groups=(),
        roles=(),
        organization_id=ORG_ID,
    )
    (policy,) = [s for s in plan_for(inventory).steps if s.action is Action.PUT_ROLE_POLICY]
    resources = policy.after["policy_document"]["Statement"][0]["Resource"]
    assert resources[1].endswith(f":log-stream:{ORG_ID}_*") and len(resources) == 2


def test_member_account_organization_trail_is_skipped_with_the_reason() -> None:
    plan = plan_for(MEMBER_VIEW)
    assert plan.steps == () and {s.check_id for s in plan.skipped} == {
        "TW002",
        "TW003",
        "TW006",
        "TW007",
    }
    assert "belongs to account 111111111111" in plan.skipped[0].reason
    assert "management account" in plan.skipped[0].reason


def test_facts_that_could_not_be_read_are_skipped() -> None:
    plan = plan_for(inv(status_error=denied()))
    # TW010 too: whether the trail is logging is part of it.
    assert {s.check_id for s in plan.skipped} == {"TW004", "TW005", "TW006", "TW010"}
    assert all(
        "AccessDeniedException on cloudtrail:GetTrailStatus" in s.reason for s in plan.skipped
    )


def test_unreadable_desired_resource_is_skipped() -> None:
    unreadable = Role(
        role_arn("trailwarden-cwl-main"),
        "trailwarden-cwl-main",
        ACCOUNT,
        None,
        error=denied("iam:GetRole", "AccessDenied"),
    )
    plan = plan_for(replace(NOT_INTEGRATED, roles=(unreadable,)))
    assert plan.steps == ()
    assert "Cannot tell whether role trailwarden-cwl-main exists" in plan.skipped[0].reason


def test_retention_step_says_why_and_what_it_deletes() -> None:
    inventory = make_inventory(
        log_groups=(make_log_group(retention_in_days=None),), roles=(make_role(trust=EC2_TRUST),)
    )
    step = plan_for(inventory).steps[0]
    assert step.fixes == ("TW007",) and step.reason.startswith(
        "Set the retention of log group aws-cloudtrail-logs/main to 365 days, because TW007 failed"
    )
    assert step.reason.endswith("CloudWatch Logs will then delete events older than 365 days.")


def test_retention_is_never_shortened() -> None:
    inventory = make_inventory(log_groups=(make_log_group(retention_in_days=90),))
    plan = plan_for(inventory, FixOptions(retention_days=30))
    assert plan.steps == () and "never does" in plan.skipped[0].reason


def test_kms_key_of_another_region_is_skipped_and_of_the_same_region_used() -> None:
    key = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234"
    plan = plan_for(NOT_INTEGRATED, FixOptions(kms_key_id=key))
    assert plan.steps == () and "CloudWatch Logs uses only keys" in plan.skipped[0].reason
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234"
    create = plan_for(NOT_INTEGRATED, FixOptions(kms_key_id=key)).steps[0]
    assert create.after["kms_key_id"] == key and f"logs.{REGION}.amazonaws.com" in create.reason


# -- the dedicated role's name ---------------------------------------------------------------
def _exact_role(name: str) -> Role:
    """The role trailwarden would create for trail main and its default log group."""
    trail = make_trail(log_group_arn=None, role_arn=None)
    group = LogGroupRef("aws", REGION, ACCOUNT, "aws-cloudtrail-logs/main")
    policy = PolicyDocument(POLICY_NAME, "inline", role_policy(trail, group, None))
    trust = trust_policy(trail.arn, trail.account_id)
    return Role(role_arn(name), name, ACCOUNT, True, trust, (policy,))


def test_existing_dedicated_role_is_reused_only_if_exact() -> None:
    exact = replace(NOT_INTEGRATED, roles=(_exact_role("trailwarden-cwl-main"),))
    assert "CREATE_ROLE trailwarden-cwl-main" not in summary(plan_for(exact))
    assert summary(plan_for(exact))[-1] == "UPDATE_TRAIL main"
    other = replace(NOT_INTEGRATED, roles=(make_role("trailwarden-cwl-main"),))
    assert "CREATE_ROLE trailwarden-cwl-main-2" in summary(plan_for(other))
    both = replace(
        other, roles=(make_role("trailwarden-cwl-main"), make_role("trailwarden-cwl-main-2"))
    )
    plan = plan_for(both)
    assert plan.steps == () and "does not change roles it did not plan" in plan.skipped[0].reason


def test_same_trail_name_in_two_regions_gets_two_roles() -> None:
    trails = (
        make_trail(log_group_arn=None, role_arn=None),
        make_trail(home_region="eu-west-1", log_group_arn=None, role_arn=None),
    )
    names = [
        s.target.rsplit("/")[-1]
        for s in plan_for(make_inventory(trails, log_groups=(), roles=())).steps
        if s.action is Action.CREATE_ROLE
    ]
    assert names == ["trailwarden-cwl-main", "trailwarden-cwl-main-2"]


def test_long_trail_names_give_valid_role_names() -> None:
    trail = make_trail("t" * 120, log_group_arn=None, role_arn=None)
    _, name = desired_names(trail, OPTS)
    assert len(name) == 64 and name.startswith("trailwarden-cwl-ttt")
    assert desired_names(trail, FixOptions(log_group_name="x"))[0] == "x"


# -- options -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"retention_days": 100}, "must be one of the values"),
        ({"kms_key_id": "alias/logs"}, "must be a KMS key ARN"),
        ({"log_group_name": "bad name!"}, "not a valid log group name"),
    ],
)
def test_invalid_options(options: dict[str, object], error: str) -> None:
    with pytest.raises(UsageError, match=error):
        FixOptions(**options)  # type: ignore[arg-type]


def test_unknown_check_and_trail() -> None:
    with pytest.raises(UnknownCheckError):
        FixOptions(checks=frozenset({"TW999"}))
    with pytest.raises(UsageError, match="No trail nope in account"):
        plan_for(NOT_INTEGRATED, FixOptions(trails=frozenset({"nope"})))


def test_trail_selected_by_arn() -> None:
    inventory = make_inventory((make_trail(is_logging=False), make_trail("b", is_logging=False)))
    plan = plan_for(inventory, FixOptions(trails=frozenset({trail_arn("b")})))
    assert summary(plan) == ("START_LOGGING b",)


def test_log_group_name_for_two_trails_is_refused() -> None:
    trails = (
        make_trail(log_group_arn=None, role_arn=None),
        make_trail("b", log_group_arn=None, role_arn=None),
    )
    with pytest.raises(UsageError, match="choose one trail with --trail"):
        plan_for(make_inventory(trails, log_groups=(), roles=()), FixOptions(log_group_name="x"))


def test_check_narrowed_to_tw003_waits_for_a_valid_log_group() -> None:
    inventory = inv(log_group_arn="arn:aws:s3:::b", role_arn=f"arn:aws:iam::{ACCOUNT}:user/u")
    plan = plan_for(inventory, FixOptions(checks=frozenset({"TW003"})))
    assert plan.steps == () and "select TW002 as well" in plan.skipped[0].reason


# -- diagnoses ------------------------------------------------------------------------------
def test_delivery_error_is_explained_by_the_role_and_the_steps_that_fix_it() -> None:
    inventory = make_inventory(
        (make_trail(delivery_error="Access denied by role"),), roles=(make_role(trust=EC2_TRUST),)
    )
    plan = plan_for(inventory)
    (diagnosis,) = [d for d in plan.diagnoses if d.startswith("Trail main, TW005")]
    cause = "The plan believes the cause is TW003: Role CloudTrail_CloudWatchLogs_Role cannot"
    assert cause in diagnosis
    assert diagnosis.endswith("Addressed by step 1.")


def test_late_delivery_without_a_cause_says_so() -> None:
    plan = plan_for(inv(delivered_at=COLLECTED_AT - timedelta(days=3)))
    assert plan.steps == () and "shows no cause" in plan.diagnoses[0]


# -- lookups before planning ---------------------------------------------------------------
def _fill(inventory: Inventory, wanted: Wanted) -> Inventory:
    """What the lookup adds when none of the wanted resources exists."""
    groups = tuple(
        LogGroup(g.key, g.name, g.region, g.account_id, False) for g in wanted.log_groups
    )
    roles = tuple(Role(arn, name, ACCOUNT, False) for arn, name in wanted.roles)
    return replace(
        inventory, log_groups=inventory.log_groups + groups, roles=inventory.roles + roles
    )


def test_wanted_resources_need_one_round_of_lookups() -> None:
    wanted = wanted_resources(NOT_INTEGRATED, evaluate(NOT_INTEGRATED, TRAIL_CHECKS), OPTS)
    assert [g.name for g in wanted.log_groups] == ["aws-cloudtrail-logs/main"]
    assert [name for _, name in wanted.roles] == ["trailwarden-cwl-main", "trailwarden-cwl-main-2"]
    filled = _fill(NOT_INTEGRATED, wanted)
    assert wanted_resources(filled, evaluate(NOT_INTEGRATED, TRAIL_CHECKS), OPTS).is_empty
    assert plan_for(filled) == plan_for(NOT_INTEGRATED)
    healthy = make_inventory()
    assert wanted_resources(healthy, evaluate(healthy, TRAIL_CHECKS), OPTS).is_empty


def test_wanted_includes_the_trails_own_unlooked_resources() -> None:
    inventory = make_inventory((make_trail(role_arn=None),), log_groups=())
    wanted = wanted_resources(inventory, evaluate(inventory, TRAIL_CHECKS), OPTS)
    assert [g.name for g in wanted.log_groups] == ["aws-cloudtrail-logs/main"]


# -- renderers handle every action ---------------------------------------------------------
ALL_PLANS = [plan_for(p.values[0], p.values[1]) for p in CASES]  # type: ignore[arg-type]
# TW101–TW115: a broken filter, a missing alarm, disabled actions, an unconfirmed topic.
_MONITORED = monitored(
    patterns={"TW101": "{ $.errorCode = Nope }"},
    alarms={"TW102": None, "TW103": make_alarm("TW103", actions_enabled=False)},
    topic=make_topic(confirmed_subscriptions=0),
)
ALL_PLANS.append(
    make_plan(
        _MONITORED,
        evaluate(_MONITORED, CheckOptions(monitoring=True)),
        FixOptions(alarm_email="sec@example.com"),
    )
)


@pytest.mark.parametrize("action", list(Action))
def test_every_action_is_planned_somewhere_and_rendered(action: Action) -> None:
    step = next(s for p in ALL_PLANS for s in p.steps if s.action is action)
    plan = Plan(ACCOUNT, (step,))
    text = text_of(plan)
    assert f"{step.id}. " in text and "why: " in text and "needs: " in text
    assert text.rstrip().endswith(
        "1 change planned; nothing changed. Run with --apply to make them."
    )
    assert plan_from_dict(json.loads(render_plan_json(plan))) == plan


def test_text_shows_skips_diagnoses_and_nothing_to_do() -> None:
    text = text_of(plan_for(MEMBER_VIEW))
    assert "skipped TW002, TW003, TW006, TW007: Organization trail org belongs to account" in text
    assert (
        "No change planned, but failing checks remain (TW002, TW003, TW006, TW007): the "
        "skipped findings and diagnoses above say why each is left as it is."
    ) in text
    assert text_of(plan_for(make_inventory())).strip() == (
        "Nothing to do: no selected check fails on the selected trails."
    )
    text = text_of(plan_for(inv(is_logging=False)))
    assert (
        "1. start logging on trail main in us-east-1" in text and "IsLogging: false → true" in text
    )


def test_every_action_says_which_iam_permissions_it_needs():
    from trailwarden.remediate.changes import CHANGES

    for action in Action:
        needed = CHANGES[action].permissions
        assert needed and needed[0] == action.value, action
