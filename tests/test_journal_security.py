"""A journal cannot be turned into an attack: rollback does only what trailwarden did.

Journals sit in CI artifacts and shared folders; whoever can write one must not borrow the
privileges of whoever runs ``rollback``. Each test takes a real journal of a real apply,
changes it as an attacker would, and checks — through AWS's API — that rollback changed
nothing and made no call at all: the journal is refused first, in one sentence.

- Without the journal key (tamper evidence): any line changed, added, dropped, moved or
  spliced from another journal breaks the signature chain.
- With the key (someone who can read it, or a bug): the whole journal is still validated
  against its own plan before any call — steps, targets, regions, values written back.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from clihelpers import healthy_account, run
from conftest import MAIN_ACCOUNT
from remediation import REGION, integration_steps, monitoring_snapshot, plan_of, snapshot
from trailwarden.errors import JournalError
from trailwarden.monitoring.catalog import CLASSES
from trailwarden.remediate import apply_plan, rollback

HOME = "us-east-1"  # the healthy trail's home region (clihelpers.healthy_trail)
PROD = "org-events"
EVIL_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}
ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def state(aws) -> dict[str, Any]:
    """Everything an attack could change, read through AWS's API."""
    return {
        **snapshot(aws, regions=(HOME, REGION)),
        "monitoring": monitoring_snapshot(aws, HOME),
    }


@pytest.fixture
def applied(seed, factory, aws, journal, fake) -> dict[str, Any]:
    """A healthy, monitored trail (``org-events``) and trail ``main`` fixed by an apply
    whose journal is ``journal``; returns the state after the apply."""
    healthy_account(seed)
    trail = seed.trail("main", REGION, logging=False)
    plan = plan_of(*integration_steps(trail, "main", logging=False))
    assert apply_plan(plan, factory, journal, sleep=fake.sleep, clock=fake.clock).ok
    return state(aws)


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def bodies(path: Path) -> list[dict[str, Any]]:
    """The journal's records, without their signatures."""
    from trailwarden.remediate.engine.journal_seal import unseal

    out = []
    for line in lines(path):
        parts = unseal(line.rstrip(b"\n"))
        assert parts is not None
        out.append(json.loads(parts[0]))
    return out


def resign(path: Path, records: list[dict[str, Any] | bytes]) -> None:
    """Write ``records`` as a journal signed with the user's key: what someone who can read
    the key (or a bug) could write. Bytes are a record's JSON as is."""
    from trailwarden.remediate import load_key
    from trailwarden.remediate.engine.journal_seal import GENESIS, seal

    key, previous, out = load_key(), GENESIS, b""
    for record in records:
        body = record if isinstance(record, bytes) else json.dumps(record).encode()
        line, previous = seal(key, previous, body)
        out += line
    path.write_bytes(out)


def refused(factory, journal: Path, fake, match: str) -> None:
    """Rollback refuses ``journal`` with an error matching ``match``, making no AWS call."""
    before = dict(factory.call_counts())
    with pytest.raises(JournalError, match=match):
        rollback(journal, factory, sleep=fake.sleep, clock=fake.clock)
    assert factory.call_counts() == before


# -- the attack of issue 8: records appended by hand -------------------------------------------
def forged(aws) -> list[dict[str, Any]]:
    """begin/done pairs that would make rollback stop logging on the healthy trail, remove
    its integration, trust account 999999999999, grant "*" on "*", keep its logs 1 day,
    delete a CIS filter and disable an alarm's actions — each "after" being what is there
    now, so that a rollback that believes them acts."""
    cloudtrail = aws.client(MAIN_ACCOUNT, "cloudtrail", HOME)
    [trail] = cloudtrail.describe_trails(trailNameList=[PROD])["trailList"]
    arns = {
        "cloud_watch_logs_log_group_arn": trail["CloudWatchLogsLogGroupArn"],
        "cloud_watch_logs_role_arn": trail["CloudWatchLogsRoleArn"],
    }
    iam = aws.client(MAIN_ACCOUNT, "iam")
    role_name = f"{PROD}-role"
    role = iam.get_role(RoleName=role_name)["Role"]
    policy = iam.get_role_policy(RoleName=role_name, PolicyName="deliver")["PolicyDocument"]
    group = f"aws-cloudtrail-logs/{PROD}"
    group_key = f"arn:aws:logs:{HOME}:{MAIN_ACCOUNT}:log-group:{group}"
    cis = CLASSES[0]
    alarm = f"arn:aws:cloudwatch:{HOME}:{MAIN_ACCOUNT}:alarm:{CLASSES[1].metric_name}-alarm"
    changes = [
        ("cloudtrail:StartLogging", trail["TrailARN"], {"is_logging": False}, {"is_logging": True}),
        ("cloudtrail:UpdateTrail", trail["TrailARN"], dict.fromkeys(arns), arns),
        (
            "iam:UpdateAssumeRolePolicy",
            role["Arn"],
            {"role_name": role_name, "assume_role_policy": EVIL_TRUST},
            {"role_name": role_name, "assume_role_policy": role["AssumeRolePolicyDocument"]},
        ),
        (
            "iam:PutRolePolicy",
            role["Arn"],
            {"policy_name": "deliver", "policy_document": ADMIN},
            {"role_name": role_name, "policy_name": "deliver", "policy_document": policy},
        ),
        (
            "logs:PutRetentionPolicy",
            group_key,
            {"retention_in_days": 1},
            {"log_group_name": group, "retention_in_days": 365},
        ),
        (
            "logs:PutMetricFilter",
            f"{group_key}:metric-filter:{cis.metric_name}",
            None,
            {
                "log_group_name": group,
                "filter_name": cis.metric_name,
                "filter_pattern": cis.pattern,
                "metric_transformations": [
                    {
                        "metric_name": cis.metric_name,
                        "metric_namespace": cis.namespace,
                        "metric_value": "1",
                        "default_value": None,
                    }
                ],
            },
        ),
        (
            "cloudwatch:EnableAlarmActions",
            alarm,
            {"actions_enabled": False},
            {"actions_enabled": True},
        ),
    ]
    records: list[dict[str, Any]] = []
    for n, (action, target, before, after) in enumerate(changes, start=100):
        at = "2026-01-01T00:00:00.000+00:00"
        region = "" if action.startswith("iam:") else HOME
        records.append(
            {"type": "begin", "step": str(n), "at": at, "action": action, "target": target}
            | {"region": region or HOME, "before": before, "after": after}
        )
        records.append({"type": "done", "step": str(n), "at": at, "after": after})
    return records


def test_records_appended_by_hand_are_refused_and_nothing_is_changed(
    applied, aws, factory, journal, fake, env
):
    with journal.open("a") as f:
        for record in forged(aws):
            f.write(json.dumps(record) + "\n")

    result = run(["rollback", str(journal), "--yes"], env)

    assert result.exit_code == 2, result.output
    # 14 lines: the header, begin + done of 6 steps, the end; then the forged ones.
    assert "line 15 was changed, added or removed after trailwarden wrote it" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert state(aws) == applied  # nothing undone, nothing done: not even the real steps
    refused(factory, journal, fake, "line 15 was changed")


# -- tamper evidence: the signature chain -----------------------------------------------------
def _edit_a_value(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"retention_in_days":365', b'"retention_in_days":1', 1))


def _drop(n: int):
    def drop(path: Path) -> None:
        kept = lines(path)
        del kept[n]
        path.write_bytes(b"".join(kept))

    return drop


def _swap(path: Path) -> None:
    kept = lines(path)
    kept[2], kept[3] = kept[3], kept[2]
    path.write_bytes(b"".join(kept))


@pytest.mark.parametrize(
    ("tamper", "line"),
    [
        (_edit_a_value, 1),  # the plan in the header: retention 365 → 1
        (_drop(2), 3),  # a "done" record removed
        (_swap, 3),  # two records exchanged
    ],
    ids=["edited", "dropped", "reordered"],
)
def test_a_journal_changed_after_it_was_written_is_refused(
    applied, aws, factory, journal, fake, tamper, line
):
    tamper(journal)

    refused(factory, journal, fake, f"line {line} was changed")
    assert state(aws) == applied


def test_a_record_spliced_from_another_journal_signed_with_the_same_key_is_refused(
    applied, seed, aws, factory, journal, fake, tmp_path
):
    other = tmp_path / "other.jsonl"
    trail = seed.trail("second", REGION, logging=False)
    plan = plan_of(*integration_steps(trail, "second", logging=False))
    assert apply_plan(plan, factory, other, sleep=fake.sleep, clock=fake.clock).ok
    after_both = state(aws)
    spliced = lines(journal)
    spliced.insert(-1, lines(other)[1])  # the other apply's first "begin", before "end"
    journal.write_bytes(b"".join(spliced))

    refused(factory, journal, fake, f"line {len(spliced) - 1} was changed")
    assert state(aws) == after_both


def test_a_journal_signed_with_another_key_names_the_key_to_pass(
    applied, aws, journal, env, tmp_path
):
    other_home = tmp_path / "elsewhere"
    result = run(["rollback", str(journal), "--yes"], {**env, "XDG_CONFIG_HOME": str(other_home)})
    assert result.exit_code == 2
    assert "There is no journal key" in result.stderr and "--journal-key" in result.stderr

    from trailwarden.remediate import load_key

    load_key(other_home / "trailwarden" / "journal.key", create=True)
    result = run(["rollback", str(journal), "--yes"], {**env, "XDG_CONFIG_HOME": str(other_home)})
    assert result.exit_code == 2
    assert "signed with another journal key" in result.stderr and "--journal-key" in result.stderr
    assert state(aws) == applied


# -- validated whole, independently of the signatures ----------------------------------------
def _append_forged(records: list[dict[str, Any]], aws) -> list[dict[str, Any] | bytes]:
    return [*records[:-1], *forged(aws)[:2], records[-1]]  # before the "end" record


def _plan_step(records: list[dict[str, Any]], n: int) -> dict[str, Any]:
    return records[0]["plan"]["steps"][n - 1]


def _other_account(records, aws):
    # The plan's and the begin's role, in account 999999999999 (same name).
    for step in (_plan_step(records, 3), _plan_step(records, 4), records[5], records[7]):
        step["target"] = step["target"].replace(MAIN_ACCOUNT, "999999999999")
    return records


def _evil_region(records, aws):
    _plan_step(records, 2)["region"] = records[3]["region"] = "evil.example.com/#"
    return records


def _wrong_types(records, aws):
    _plan_step(records, 2)["region"] = 12
    _plan_step(records, 3)["target"] = ["arn:aws:iam::111111111111:role/x"]
    return records


def _no_after(records, aws):
    del records[3]["after"]  # the second step's begin record
    return records


def _deep(records, aws):
    begin = json.dumps(records[3]).encode()
    deep = b"[" * 100_000 + b"]" * 100_000
    return [*records[:3], begin[:-1] + b',"nested":' + deep + b"}", *records[4:]]


def _before_not_seen_by_the_plan(records, aws):
    records[3]["before"] = {"retention_in_days": 1}  # the plan saw none: never expire
    return records


def _after_not_the_plans(records, aws):
    records[3]["after"] = {**records[3]["after"], "retention_in_days": 1}
    return records


def _trust_not_trailwardens(records, aws):
    # A plan step that "adds trailwarden's statement" but writes another trust policy.
    step = _plan_step(records, 3)
    step["action"], step["permissions"] = (
        "iam:UpdateAssumeRolePolicy",
        ["iam:UpdateAssumeRolePolicy"],
    )
    step["before"] = {"role_name": "trailwarden-cwl-main", "assume_role_policy": EVIL_TRUST}
    step["after"] = {"role_name": "trailwarden-cwl-main", "assume_role_policy": EVIL_TRUST}
    return records


def _admin_policy(records, aws):
    step = _plan_step(records, 4)
    step["after"] = {**step["after"], "policy_document": ADMIN}
    records[7]["after"] = records[8]["after"] = step["after"]
    return records


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (_append_forged, "line 14 cannot be rolled back: it begins step 100"),
        (_other_account, "step 3 of its plan targets a resource of account '999999999999'"),
        (_evil_region, "names 'evil.example.com/#', which is not an AWS region"),
        (_wrong_types, "step 2 of its plan has a field that is not a string"),
        (_no_after, "line 4 cannot be rolled back: the begin record lacks its 'after'"),
        (_deep, "line 4 cannot be rolled back: it is not JSON .*depth"),
        (_before_not_seen_by_the_plan, "line 4 .* its before is not the state the plan saw"),
        (_after_not_the_plans, "line 4 .* its region or after differs from step 2"),
        (_trust_not_trailwardens, "step 3 of its plan is not a step trailwarden plans"),
        (_admin_policy, "not the delivery policy trailwarden writes"),
    ],
    ids=[
        "appended-steps",
        "target-in-another-account",
        "region-not-aws",
        "fields-of-other-types",
        "missing-after",
        "100k-deep-value",
        "before-not-read-by-the-apply",
        "after-not-the-plans",
        "trust-not-trailwardens",
        "policy-not-trailwardens",
    ],
)
def test_a_journal_signed_with_the_key_is_still_validated_whole_before_any_call(
    applied, aws, factory, journal, fake, mutate, match
):
    resign(journal, mutate(bodies(journal), aws))

    refused(factory, journal, fake, match)
    assert state(aws) == applied


def test_a_refused_journal_is_one_sentence_and_exit_2(applied, aws, journal, env):
    resign(journal, _evil_region(bodies(journal), aws))

    result = run(["rollback", str(journal), "--yes"], env)

    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert "is not an AWS region" in result.stderr
    assert state(aws) == applied


def test_the_real_journal_still_rolls_back(applied, aws, factory, journal, fake):
    resign(journal, bodies(journal))  # signed again, unchanged: the same journal

    assert rollback(journal, factory, sleep=fake.sleep, clock=fake.clock).ok
    assert state(aws)["trails"] != applied["trails"]  # main is back to no integration


def test_rollback_of_a_file_that_is_not_a_journal_says_so(seed, env, tmp_path):
    healthy_account(seed)
    scan = tmp_path / "scan.json"
    assert run(["scan", "--format", "json", "--output", str(scan)], env).exit_code == 0

    result = run(["rollback", str(scan), "--yes"], env)

    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"trailwarden: error: {scan} is not a trailwarden journal (its first line is not a "
        "journal header); pass the journal file that trailwarden fix --apply wrote."
    )


# -- the key and the files ---------------------------------------------------------------------
def test_the_key_and_the_journal_are_readable_by_their_owner_only(seed, env, tmp_path):
    seed.trail("no-cwl", REGION, logging=False)
    home, journal = tmp_path / "config", tmp_path / "journal.jsonl"
    own = {**env, "XDG_CONFIG_HOME": str(home)}

    applied = run(["fix", "--no-monitoring", "--apply", "--yes", "--journal", str(journal)], own)

    assert applied.exit_code == 0, applied.output
    key = home / "trailwarden" / "journal.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert len(bytes.fromhex(key.read_text().strip())) == 32


@pytest.mark.parametrize("mode", [0o640, 0o604])
def test_a_key_other_users_can_read_is_refused(applied, aws, journal, env, journal_key_home, mode):
    key = journal_key_home / "journal.key"
    os.chmod(key, mode)
    try:
        result = run(["rollback", str(journal), "--yes"], env)
    finally:
        os.chmod(key, 0o600)
    assert result.exit_code == 2
    assert f"can be read by other users (mode {mode:04o})" in result.stderr
    assert f"chmod 600 {key}" in result.stderr
    assert state(aws) == applied


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_key_another_user_owns_is_refused(applied, aws, journal, env, journal_key_home):
    key = journal_key_home / "journal.key"
    os.chown(key, 65534, -1)
    try:
        result = run(["rollback", str(journal), "--yes"], env)
    finally:
        os.chown(key, 0, -1)
    assert result.exit_code == 2 and "belongs to another user" in result.stderr
    assert state(aws) == applied


def test_a_key_named_with_journal_key_signs_and_verifies(seed, env, tmp_path):
    seed.trail("no-cwl", REGION, logging=False)
    key, journal = tmp_path / "ci.key", tmp_path / "journal.jsonl"
    before = snapshot(seed.aws)
    fix = ["fix", "--no-monitoring", "--apply", "--yes", "--journal", str(journal)]

    applied = run([*fix, "--journal-key", str(key)], env)

    assert applied.exit_code == 0, applied.output
    assert f"trailwarden rollback {journal} --journal-key {key}" in applied.stderr
    assert run(["rollback", str(journal), "--yes"], env).exit_code == 2  # the user's key
    with_env = run(
        ["rollback", str(journal), "--yes"], {**env, "TRAILWARDEN_JOURNAL_KEY": str(key)}
    )
    assert with_env.exit_code == 0, with_env.output
    assert snapshot(seed.aws) == before
