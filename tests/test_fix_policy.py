"""policies/trailwarden-fix.json: every call ``fix --apply`` and ``rollback`` make, granted
on the resources they make it on — generated from the registry of changes, and checked
against the calls of applies and rollbacks that use every kind of change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MAIN_ACCOUNT
from remediation import (
    REGION,
    alarm_arn,
    alarm_step,
    create_topic_step,
    enable_actions_step,
    filter_step,
    integration_steps,
    plan_of,
    seed_repairable,
    subscribe_step,
    topic_arn,
    user_alarm,
)
from trailwarden.checks.iam_policy import Decision, Request, evaluate
from trailwarden.remediate import Action, apply_plan, rollback
from trailwarden.remediate.changes import CHANGES
from trailwarden.remediate.changes.permissions import fix_actions, fix_policy

POLICY = Path(__file__).parents[1] / "policies" / "trailwarden-fix.json"


def granted(document: dict) -> set[str]:
    return {a for s in document["Statement"] for a in s["Action"]}


def test_the_shipped_policy_is_the_one_the_registry_generates():
    assert json.loads(POLICY.read_text()) == fix_policy()
    assert POLICY.read_text() == json.dumps(fix_policy(), indent=2) + "\n"


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.name)
def test_it_grants_every_call_of_every_change_and_of_its_undo(action: Action):
    change, allowed = CHANGES[action], granted(fix_policy())
    assert set(change.permissions) <= allowed
    assert set(change.reads) <= allowed
    assert set(change.undo_permissions) <= allowed


def resource_of(action: str, trail: str) -> str:
    """The resource an apply or rollback call acts on, in these tests' account."""
    service = action.split(":", 1)[0]
    return {
        "cloudtrail": trail,
        "logs": f"arn:aws:logs:{REGION}:{MAIN_ACCOUNT}:log-group:aws-cloudtrail-logs/main",
        "iam": f"arn:aws:iam::{MAIN_ACCOUNT}:role/trailwarden-cwl-main",
        "sns": topic_arn(),
        "cloudwatch": alarm_arn("trailwarden-cis-tw103-root"),
    }.get(service, "*")


def test_applies_and_rollbacks_of_every_kind_of_change_call_only_what_it_grants(
    seed, aws, factory, tmp_path, fake
):
    kw = {"sleep": fake.sleep, "clock": fake.clock}
    trail = seed.trail("main", REGION, logging=False)
    _, repair = seed_repairable(seed)
    seed.log_group("cis-logs", REGION)
    user_alarm(aws, "root-alarm", "RootAccountUsage", enabled=False)
    topic = topic_arn()
    plans = [
        plan_of(*integration_steps(trail, "main", logging=False)),
        plan_of(*repair),
        plan_of(
            create_topic_step(),
            subscribe_step(topic),
            filter_step("cis-logs", "trailwarden-cis-tw103", "RootAccountUsage"),
            alarm_step("trailwarden-cis-tw103-root", "RootAccountUsage", topic),
            enable_actions_step("root-alarm"),
        ),
    ]
    for n, plan in enumerate(plans):
        journal = tmp_path / f"{n}.jsonl"
        assert apply_plan(plan, factory, journal, **kw).ok
        assert rollback(journal, factory, **kw).ok

    called = set(factory.call_counts())
    document = fix_policy()
    assert called <= granted(document) == set(fix_actions())
    # And nothing more: what is granted but never called is what calls imply (creating
    # with tags needs the tagging permission; UpdateTrail passes the role).
    implied = {"logs:TagResource", "iam:TagRole", "sns:TagResource", "cloudwatch:TagResource"}
    assert granted(document) - called == implied | {"iam:PassRole"}
    for action in sorted(called):
        request = Request(
            action,
            resource_of(action, trail),
            context={"iam:PassedToService": "cloudtrail.amazonaws.com"},
        )
        assert evaluate([("fix policy", document)], request).decision is Decision.ALLOW, action
    # Roles are passed to CloudTrail only.
    to_ec2 = Request(
        "iam:PassRole",
        resource_of("iam:PassRole", trail),
        context={"iam:PassedToService": "ec2.amazonaws.com"},
    )
    assert evaluate([("fix policy", document)], to_ec2).decision is not Decision.ALLOW
