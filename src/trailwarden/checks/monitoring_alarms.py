"""TW101–TW115, second half of the chain: the alarm on a filter's metric and its SNS topic."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from trailwarden.checks.code_facts import UNVERIFIABLE, FactSource, from_code
from trailwarden.checks.trail import Outcome
from trailwarden.findings import Status
from trailwarden.inventory import Alarm, Inventory, MetricFilter, Unknown

__all__ = ["Chain", "Group", "alarm_chains", "alarm_watches", "rank"]


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    region: str


@dataclass(frozen=True)
class Chain:
    """How far one chain got: depth 0 filter, 1 alarm, 2 actions, 3 SNS action, 4 topic."""

    outcome: Outcome
    depth: int = 0
    noisy: bool = False


def alarm_watches(alarm: Alarm, metric_name: str, namespace: str) -> bool:
    """Whether the alarm evaluates this metric, directly or in a metric-math query."""
    if alarm.metric_name == metric_name and alarm.namespace == namespace:
        return True
    for query in alarm.metrics:
        metric = (query.get("MetricStat") or {}).get("Metric") or {}
        if metric.get("MetricName") == metric_name and metric.get("Namespace") == namespace:
            return True
    return False


def rank(chain: Chain) -> tuple[int, int]:
    order = {Status.PASS: 1 if chain.noisy else 0, Status.ERROR: 2, Status.FAIL: 3}
    return order.get(chain.outcome.status, 4), -chain.depth


def _unknown(*values: object) -> str | None:
    """The reason of the first value infrastructure code does not give, if any."""
    return next((v.reason for v in values if isinstance(v, Unknown)), None)


def _unverifiable(message: str, reason: str, evidence: dict[str, str], depth: int) -> Chain:
    """A chain whose next link is a value the code does not give: it may be complete."""
    text = f"{message}: {reason}."
    return Chain(Outcome(Status.ERROR, text, "", {**evidence, UNVERIFIABLE: reason}), depth)


def alarm_chains(
    title: str,
    inventory: Inventory,
    group: Group,
    f: MetricFilter,
    source: FactSource = FactSource.AWS,
) -> Iterator[Chain]:
    region = group.region
    alarms = next((r for r in inventory.alarms if r.region == region), None)
    for t in f.transformations or ():
        metric = f"{t.metric_namespace}/{t.metric_name}"
        evidence = {"log_group": group.key, "filter": f.name, "metric": metric}
        head = f"Metric filter {f.name} on log group {group.name} catches {title} into {metric}"
        if reason := _unknown(t.metric_name, t.metric_namespace):
            yield _unverifiable(f"{head}, a metric", reason, evidence, 1)
            continue
        if alarms is None:
            yield Chain(
                Outcome(
                    Status.ERROR,
                    f"{head}, but the alarms of {region} were not collected.",
                    "",
                    evidence,
                ),
                1,
            )
            continue
        if alarms.error is not None:
            yield Chain(
                Outcome(
                    Status.ERROR,
                    f"{head}, but the alarms of {region} could not be "
                    f"read: {alarms.error.describe()}.",
                    "",
                    evidence,
                ),
                1,
            )
            continue
        watching = [a for a in alarms.alarms if alarm_watches(a, t.metric_name, t.metric_namespace)]
        if not watching:
            elsewhere = [a for a in alarms.alarms if a.metric_name == t.metric_name]
            hint = "".join(
                f" (alarm {a.name} watches {a.namespace}/{a.metric_name}, another namespace)"
                for a in elsewhere[:1]
            )
            yield Chain(
                Outcome(
                    Status.FAIL,
                    f"{head}, but no alarm in {region} watches that metric{hint}.",
                    "",
                    evidence,
                ),
                1,
            )
        for a in watching:
            yield _topic_chain(inventory, a, head, {**evidence, "alarm": a.arn}, source)
        # On code, an alarm whose metric the code does not give may be watching this one.
        for a in alarms.alarms:
            if isinstance(a.metric_name, Unknown) or isinstance(a.namespace, Unknown):
                reason = _unknown(a.metric_name, a.namespace) or ""
                ev = {**evidence, "alarm": a.arn}
                yield _unverifiable(f"{head}; alarm {a.name} may watch it", reason, ev, 1)
    if not f.transformations:
        yield Chain(
            Outcome(
                Status.FAIL,
                f"Metric filter {f.name} on log group {group.name} "
                "catches the events but publishes no metric to alarm on.",
            ),
            1,
        )


def _topic_chain(
    inventory: Inventory, a: Alarm, head: str, evidence: dict[str, str], source: FactSource
) -> Chain:
    head = f"{head}; alarm {a.name}"
    if not a.actions_enabled:
        return Chain(Outcome(Status.FAIL, f"{head} has its actions disabled.", "", evidence), 2)
    sns = [arn for arn in a.alarm_actions if arn.split(":")[2:3] == ["sns"]]
    # Actions the code does not give may be SNS topics with subscribers.
    chains = [
        _unverifiable(f"{head} has an action", arn.reason, evidence, 4)
        for arn in a.alarm_actions
        if isinstance(arn, Unknown) and arn not in sns
    ]
    if not sns and not chains:
        return Chain(
            Outcome(Status.FAIL, f"{head} has no alarm action to an SNS topic.", "", evidence), 3
        )
    for arn in sns:
        topic = next((t for t in inventory.topics if t.arn == arn), None)
        ev = {**evidence, "topic": arn}
        if topic is None:
            chains.append(
                Chain(
                    Outcome(
                        Status.ERROR,
                        f"{head} notifies {arn}, whose subscriptions were not collected.",
                        "",
                        ev,
                    ),
                    4,
                )
            )
        elif from_code(topic.error):
            chains.append(_unverifiable(f"{head} notifies {arn}", topic.error.message, ev, 4))
        elif topic.error is not None:
            chains.append(
                Chain(
                    Outcome(
                        Status.ERROR,
                        f"{head} notifies {arn}, whose "
                        f"subscriptions could not be read: "
                        f"{topic.error.describe()}.",
                        "",
                        ev,
                    ),
                    4,
                )
            )
        elif topic.exists is False:
            chains.append(
                Chain(
                    Outcome(Status.FAIL, f"{head} notifies {arn}, which does not exist.", "", ev), 4
                )
            )
        elif source is FactSource.CODE and topic.confirmed_subscriptions < 1:
            chains.append(_declared(topic.pending_subscriptions, head, arn, ev))
        elif topic.confirmed_subscriptions < 1:
            chains.append(
                Chain(
                    Outcome(
                        Status.FAIL,
                        f"{head} notifies {arn}, which has no "
                        f"confirmed subscription ({topic.pending_subscriptions}"
                        " pending confirmation).",
                        "",
                        ev,
                    ),
                    4,
                )
            )
        else:
            chains.append(
                Chain(
                    Outcome(
                        Status.PASS,
                        f"{head} notifies {arn} "
                        f"({topic.confirmed_subscriptions} confirmed "
                        "subscription(s)).",
                        "",
                        ev,
                    ),
                    5,
                )
            )
    return min(chains, key=rank)


def _declared(subscriptions: int, head: str, arn: str, evidence: dict[str, str]) -> Chain:
    """On code: a subscription resource is all there is to see; confirming it is a runtime fact
    (an e-mail subscriber clicks a link), so it passes with a note."""
    if subscriptions < 1:
        return Chain(
            Outcome(
                Status.FAIL, f"{head} notifies {arn}, which has no subscription.", "", evidence
            ),
            4,
        )
    return Chain(
        Outcome(
            Status.PASS,
            f"{head} notifies {arn} ({subscriptions} subscription(s) in the code). Note: "
            "whether a subscription is confirmed is known only once deployed (trailwarden scan).",
            "",
            evidence,
        ),
        5,
    )
