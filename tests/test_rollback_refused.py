"""Rollback when AWS refuses the exact prior state, and fixes whose undo AWS accepts.

CloudTrail validates the role and log group on every UpdateTrail, so a trail cannot be
pointed back at a role deleted since. ``fix`` therefore recreates a missing role where it
was (the trail is not touched at all), and ``rollback`` that meets a refused restore keeps
what the refused step still uses, undoes every independent step, says exactly what is
left and why, and exits 1.
"""

from __future__ import annotations

import json

import pytest

from clihelpers import run
from conftest import MAIN_ACCOUNT, cloudtrail_trust, delivery_policy
from remediation import (
    REGION,
    group_key,
    plan_of,
    role_arn,
    role_policy,
    snapshot,
    step,
    trust,
    update_trail_step,
)
from trailwarden.checks import CheckOptions
from trailwarden.fix import plan_fix
from trailwarden.remediate import (
    Action,
    FixOptions,
    RollbackStatus,
    UndoOutcome,
    apply_plan,
    rollback,
)

TRAIL_CHECKS = CheckOptions(monitoring=False)
OLD_ROLE = "CloudTrail_CloudWatchLogs_Role"


def broken_trail(seed, name: str = "main", *, path: str = "/") -> tuple[str, str, str]:
    """A trail integrated with a log group and a role, whose role was then deleted:
    (trail ARN, log group ARN as the trail names it, the deleted role's ARN)."""
    group = seed.log_group(f"{name}-logs", REGION, retention_days=365)
    iam = seed.client("iam")
    arn = iam.create_role(
        RoleName=f"{name}-{OLD_ROLE}",
        Path=path,
        AssumeRolePolicyDocument=json.dumps(cloudtrail_trust(MAIN_ACCOUNT)),
    )["Role"]["Arn"]
    trail = seed.trail(name, REGION, log_group_arn=group, role_arn=arn)
    iam.delete_role(RoleName=f"{name}-{OLD_ROLE}")
    return trail, group, arn


# -- the simulated AWS validates UpdateTrail as CloudTrail does ---------------------------------
def test_update_trail_naming_a_deleted_role_or_log_group_is_refused(seed):
    trail, group, deleted = broken_trail(seed)
    cloudtrail = seed.client("cloudtrail", REGION)
    alive = seed.role("alive", trust=cloudtrail_trust(MAIN_ACCOUNT))
    missing_group = seed.log_group_arn("nope", REGION)

    for log_group, role, code in [
        (group, deleted, "InvalidCloudWatchLogsRoleArnException"),
        (missing_group, alive, "InvalidCloudWatchLogsLogGroupArnException"),
        (group, seed.role("ec2", trust={"Version": "2012-10-17", "Statement": []}), None),
    ]:
        with pytest.raises(cloudtrail.exceptions.ClientError) as refused:
            cloudtrail.update_trail(
                Name=trail, CloudWatchLogsLogGroupArn=log_group, CloudWatchLogsRoleArn=role
            )
        assert code is None or refused.value.response["Error"]["Code"] == code
    cloudtrail.update_trail(
        Name=trail, CloudWatchLogsLogGroupArn=group, CloudWatchLogsRoleArn=alive
    )
    [found] = cloudtrail.describe_trails(trailNameList=[trail])["trailList"]
    assert found["CloudWatchLogsRoleArn"] == alive


# -- fix recreates a deleted role where it was ----------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/service-role/"])
def test_a_deleted_role_is_recreated_where_it_was_and_the_trail_is_not_touched(
    seed, factory, aws, journal, fake, path
):
    trail, group, deleted = broken_trail(seed, path=path)
    before = snapshot(aws)

    planned = plan_fix(factory, FixOptions(), check_options=TRAIL_CHECKS)

    assert [(s.action, s.target) for s in planned.plan.steps] == [
        (Action.CREATE_ROLE, deleted),
        (Action.PUT_ROLE_POLICY, deleted),
    ]
    assert planned.plan.steps[0].after["path"] == path
    assert apply_plan(planned.plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok
    again = plan_fix(factory, FixOptions(), check_options=TRAIL_CHECKS)
    assert {f.check_id: f.status.value for f in again.report.findings}["TW003"] == "PASS"
    assert again.plan.steps == ()

    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok
    assert snapshot(aws) == before  # the trail names its role again, which is gone again
    assert "cloudtrail:UpdateTrail" not in factory.call_counts()


# -- rollback keeps what a refused restore still uses --------------------------------------------
def refused_plan(seed):
    """Trail main's role was deleted; the plan gives it a new role and repoints it (as when
    recreating is unsafe), and first sets another log group's retention (independent)."""
    trail, group, deleted = broken_trail(seed)
    other = seed.log_group("other-logs", REGION, retention_days=30)
    new = role_arn("trailwarden-cwl-main")
    key = group_key("other-logs")
    return plan_of(
        step(
            Action.PUT_RETENTION_POLICY,
            key,
            trail,
            {"retention_in_days": 30},
            {"log_group_name": "other-logs", "retention_in_days": 365},
        ),
        step(
            Action.CREATE_ROLE,
            new,
            trail,
            None,
            {
                "role_name": "trailwarden-cwl-main",
                "path": "/",
                "assume_role_policy": trust(trail),
                "description": "test",
                "tags": {"created-by": "trailwarden"},
            },
        ),
        step(
            Action.PUT_ROLE_POLICY,
            new,
            trail,
            {"policy_name": "trailwarden-cloudtrail-to-cwl", "policy_document": None},
            {
                "role_name": "trailwarden-cwl-main",
                "policy_name": "trailwarden-cloudtrail-to-cwl",
                "policy_document": role_policy("main-logs"),
            },
        ),
        update_trail_step(trail, group, deleted, group, new),
    ), other


def test_a_refused_restore_keeps_what_it_uses_and_undoes_the_rest(
    seed, factory, aws, journal, fake
):
    plan, other = refused_plan(seed)
    before = snapshot(aws)
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok

    result = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert result.status is RollbackStatus.FAILED and not result.ok
    outcomes = {u.step.id: u.outcome for u in result.undos}
    assert outcomes == {
        "4": UndoOutcome.FAILED,  # CloudTrail refuses the deleted role
        "3": UndoOutcome.KEPT,  # the trail still uses the new role: not deleted under it
        "2": UndoOutcome.KEPT,
        "1": UndoOutcome.UNDONE,  # independent: the other group's retention is back to 30
    }
    assert result.error is not None
    assert result.error.code == "InvalidCloudWatchLogsRoleArnException"
    now = snapshot(aws)
    assert now["log_groups"][(REGION, "other-logs")] == before["log_groups"][(REGION, "other-logs")]
    assert "trailwarden-cwl-main" in now["roles"]  # still there, and the trail points at it
    trail = plan.steps[-1].target
    assert now["trails"][trail][1] == role_arn("trailwarden-cwl-main")
    text = result.summary()
    assert text.startswith("Rollback incomplete")
    assert "1 change undone; 3 changes left in place" in text
    assert "CloudTrail checks the role and log group on every UpdateTrail" in text
    assert "kept — step 4 could not be undone and still uses it" in text
    assert "run trailwarden rollback" in text and "again" in text


def test_once_the_cause_is_fixed_rolling_back_again_finishes(seed, factory, aws, journal, fake):
    plan, _ = refused_plan(seed)
    before = snapshot(aws)
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok
    assert not rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok
    # The user recreates the old role (as it was) so that CloudTrail accepts it again.
    seed.client("iam").create_role(
        RoleName=f"main-{OLD_ROLE}",
        AssumeRolePolicyDocument=json.dumps(cloudtrail_trust(MAIN_ACCOUNT)),
    )

    again = rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)

    assert again.ok, again.summary()
    assert [u.step.id for u in again.undone] == ["4", "3", "2"]
    now = snapshot(aws)
    del now["roles"][f"main-{OLD_ROLE}"]
    assert now == before


def test_rollback_that_leaves_changes_exits_1_and_says_which(seed, env, tmp_path):
    # Two trails name the deleted role: recreating it for one would still fail the other,
    # so each gets a new role and an UpdateTrail, which rollback cannot undo.
    group = seed.log_group("shared-logs", REGION, retention_days=365)
    deleted = seed.role(OLD_ROLE, inline={"deliver": delivery_policy(group)})
    for name in ("a-trail", "b-trail"):
        seed.trail(name, REGION, log_group_arn=group, role_arn=deleted)
    seed.client("iam").delete_role_policy(RoleName=OLD_ROLE, PolicyName="deliver")
    seed.client("iam").delete_role(RoleName=OLD_ROLE)
    journal = tmp_path / "journal.jsonl"
    fix = ["fix", "--no-monitoring", "--apply", "--yes", "--journal", str(journal)]
    assert run(fix, env).exit_code == 0

    result = run(["rollback", str(journal), "--yes"], env)

    assert result.exit_code == 1, result.output
    assert "Rollback incomplete" in result.stderr
    assert result.stderr.count("not undone — InvalidCloudWatchLogsRoleArnException") == 2
    assert result.stderr.count("kept — step") == 4  # each new role and its policy
    roles = {r["RoleName"] for r in seed.client("iam").list_roles()["Roles"]}
    assert {"trailwarden-cwl-a-trail", "trailwarden-cwl-b-trail"} <= roles
