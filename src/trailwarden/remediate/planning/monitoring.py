"""Planning the monitoring fix (TW101–TW115): filter → alarm → SNS topic → subscriber (pure).

Per failing class, the check's own chain (:mod:`trailwarden.checks.monitoring_alarms`) is
followed on the log group of TW010's first qualifying trail. Each broken link gets the step
that mends it, the step is applied to a working copy of the inventory, and the chain is
followed again: what the plan does is exactly what the check would next complain about.
A user's filter or alarm is never rewritten: trailwarden adds its own next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from trailwarden.arns import parse_arn, parse_log_group_arn
from trailwarden.errors import UsageError
from trailwarden.findings import Finding, Status
from trailwarden.inventory import Inventory, Trail
from trailwarden.monitoring import CLASSES_BY_ID
from trailwarden.remediate.model import Action, Skip, Step
from trailwarden.remediate.planning.chain import ChainWork
from trailwarden.remediate.planning.monitoring_links import (
    MONITORING_ORDER,
    exact_text_problems,
)
from trailwarden.remediate.planning.options import FixOptions, elsewhere

__all__ = ["MonitoringPlan", "plan_monitoring"]

TW010_FIRST = "fix TW010 first (its trail's log group is where the filters go), then run fix again"


@dataclass(frozen=True)
class MonitoringPlan:
    steps: tuple[Step, ...] = ()
    skips: tuple[Skip, ...] = ()
    diagnoses: tuple[str, ...] = ()
    wanted_topics: tuple[str, ...] = ()  # topic ARNs to look up (not in the inventory)
    diagnosed: frozenset[tuple[str, str]] = frozenset()  # (account resource, check id)


def plan_monitoring(
    inventory: Inventory,
    findings: Mapping[str, Finding],
    options: FixOptions,
    selected: Callable[[Trail], bool],
) -> MonitoringPlan:
    """``findings``: the account's TW010 and TW1xx findings by check id (those in scope)."""
    failing = [
        f
        for cid, f in sorted(findings.items())
        if cid in CLASSES_BY_ID and f.status is not Status.PASS
    ]
    if not failing:
        return MonitoringPlan()
    account = f"AWS::::Account:{inventory.account_id}"
    skips = [
        Skip(
            f.check_id,
            account,
            f"{f.check_id} could not be evaluated ({_text(f)}), so "
            "trailwarden plans no change for it.",
        )
        for f in failing
        if f.status is Status.ERROR
    ]
    todo = [CLASSES_BY_ID[f.check_id] for f in failing if f.status is Status.FAIL]
    if options.filter_text == "cis-exact" and (wrong := exact_text_problems(todo)):
        raise UsageError(
            f"--filter-text cis-exact cannot write {', '.join(wrong)}; leave "
            "--filter-text out for the corrected patterns, or leave those classes out with --check."
        )
    tw010 = findings.get("TW010")
    trail = _qualifying_trail(inventory, tw010)
    ref = parse_log_group_arn(trail.config.log_group_arn or "") if trail and trail.config else None
    if tw010 is None or tw010.status is not Status.PASS or trail is None or ref is None:
        state = (
            f"TW010 {tw010.status.value}: {_text(tw010)}" if tw010 else "TW010 was not evaluated"
        )
        skips += [Skip(c.id, account, f"{state}; {TW010_FIRST}.") for c in todo]
        return MonitoringPlan(skips=tuple(skips))
    if not selected(trail):
        why = f"--trail leaves out trail {trail.name}, whose log group {ref.name} the filters need."
        skips += [Skip(c.id, trail.arn, why) for c in todo]
        return MonitoringPlan(skips=tuple(skips))
    if ref.account_id != inventory.account_id:
        # An organization trail's log group is the management account's: only it can add
        # filters and alarms there.
        why = (
            f"the log group of trail {trail.name}, {ref.name}, belongs to account "
            f"{ref.account_id}: "
            f"{elsewhere(ref.account_id, options, 'adds them', ' to add filters there')}."
        )
        skips += [Skip(c.id, account, why) for c in todo]
        return MonitoringPlan(skips=tuple(skips))
    arn = parse_arn(options.alarm_topic_arn or "")
    if arn is not None and (arn.region, arn.account_id) != (ref.region, ref.account_id):
        raise UsageError(
            f"--alarm-topic-arn must name a topic in account {ref.account_id} and region "
            f"{ref.region} (that of log group {ref.name}): CloudWatch alarms notify "
            f"topics of their own region, not {options.alarm_topic_arn}."
        )
    work = ChainWork(inventory, trail, ref, options)
    for cls in todo:
        work.follow(cls)
    steps = sorted(work.steps.values(), key=lambda s: MONITORING_ORDER[s.action])
    heard_of = [c for ids in (*work.unheard.values(), *work.unknown.values()) for c in ids]
    return MonitoringPlan(
        tuple(steps),
        tuple(skips + work.skips),
        tuple(_diagnoses(work)),
        tuple(work.wanted_topics),
        frozenset((account, c) for c in heard_of),
    )


def _keep(ids: list[str]) -> str:
    return "keeps" if len(set(ids)) == 1 else "keep"


def _text(f: Finding) -> str:
    return f.message.rstrip(".")


def _qualifying_trail(inventory: Inventory, tw010: Finding | None) -> Trail | None:
    """TW010's first qualifying trail, one of the account's own if there is one."""
    arns = tw010.evidence.get("qualifying", ()) if tw010 else ()
    by_arn = {t.arn: t for t in inventory.trails}
    trails = [by_arn[a] for a in arns if a in by_arn]
    own = [t for t in trails if t.account_id == inventory.account_id]
    return next(iter(own or trails), None)


def _diagnoses(work: ChainWork) -> list[str]:
    out = []
    for arn, ids in work.unheard.items():
        classes = ", ".join(sorted(set(ids)))
        subscribing = (Action.SUBSCRIBE, arn) in work.steps
        created = (Action.CREATE_TOPIC, arn) in work.steps
        if subscribing:
            out.append(
                f"Topic {arn}: the subscription of {work.options.alarm_email} stays "
                '"PendingConfirmation" until its recipient follows the link in the email '
                f"AWS sends; until then {classes} {_keep(ids)} failing the check."
            )
        elif created:
            out.append(
                f"Topic {arn} will have no subscriber: the alarms will notify nobody until "
                f"someone subscribes and confirms, and {classes} will keep failing the check; "
                "pass --alarm-email to subscribe an address."
            )
        else:
            out.append(
                f"Topic {arn} has no confirmed subscription, so the check keeps failing for "
                f"{classes}: confirm the pending subscription, or pass --alarm-email to "
                "subscribe one."
            )
    for arn, ids in work.unknown.items():
        out.append(
            f"Topic {arn} was not read, so whether anyone is subscribed is unknown; if nobody "
            "has confirmed a subscription, the check keeps failing for "
            f"{', '.join(sorted(set(ids)))} (pass --alarm-email to subscribe an address)."
        )
    return out
