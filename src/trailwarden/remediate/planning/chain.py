"""Following one class's chain for the monitoring plan (see :mod:`.monitoring`).

:class:`ChainWork` keeps a working copy of the inventory: each planned step is applied to
it, so the next look at the chain sees what the account would be after the plan.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from trailwarden.arns import LogGroupRef
from trailwarden.checks.monitoring_alarms import Chain, Group, alarm_chains, rank
from trailwarden.errors import UsageError
from trailwarden.findings import Status
from trailwarden.inventory import (
    Inventory,
    LogGroupFilters,
    MetricTransformation,
    Topic,
    Trail,
)
from trailwarden.monitoring import EventClass
from trailwarden.remediate.changes.create_topic import CreateTopic
from trailwarden.remediate.changes.enable_alarm_actions import EnableAlarmActions
from trailwarden.remediate.changes.put_metric_alarm import PutMetricAlarm
from trailwarden.remediate.changes.put_metric_filter import PutMetricFilter
from trailwarden.remediate.changes.subscribe import Subscribe
from trailwarden.remediate.model import Action, Skip, Step
from trailwarden.remediate.planning import monitoring_links as ml
from trailwarden.remediate.planning.options import FixOptions

__all__ = ["ChainWork"]

_MAX_LINKS = 8  # filter, alarm, enable, alarm, topic, subscribe: a chain never needs more


class ChainWork:
    """The working inventory, the steps planned so far (by action and target) and notes."""

    def __init__(self, inventory: Inventory, trail: Trail, ref: LogGroupRef, options: FixOptions):
        self.inv, self.trail, self.ref, self.options = inventory, trail, ref, options
        self.group = Group(ref.key, ref.name, ref.region)
        self.steps: dict[tuple[Action, str], Step] = {}
        self.skips: list[Skip] = []
        self.wanted_topics: list[str] = []
        self.unheard: dict[str, list[str]] = {}  # topic ARN → classes nobody will hear of
        self.unknown: dict[str, list[str]] = {}  # the same, for topics that were not read
        self.topic = options.alarm_topic_arn or ml.topic_arn(
            ref.partition, ref.region, ref.account_id
        )

    # -- following one class's chain --------------------------------------------------------
    def follow(self, cls: EventClass) -> None:
        for _ in range(_MAX_LINKS):
            before = len(self.steps), sum(len(s.fixes) for s in self.steps.values())
            if not self._mend(cls):
                return
            if (len(self.steps), sum(len(s.fixes) for s in self.steps.values())) == before:
                return  # no progress: the check would stay where it is

    def _mend(self, cls: EventClass) -> bool:
        """Plan the step for the first broken link; False when there is nothing more to do."""
        filters = self._filters()
        if filters is None or filters.error is not None:
            self._skip(cls, f"the metric filters of log group {self.ref.name} could not be read")
            return False
        best = self._best(cls, filters)
        if best is None:
            return self._put_filter(cls, filters)
        chain, metric = best
        outcome, evidence = chain.outcome, chain.outcome.evidence
        if outcome.status is Status.PASS:
            return False
        if outcome.status is Status.ERROR:
            self._skip(cls, outcome.message.rstrip("."))
            return False
        if chain.depth == 2:
            return self._enable(cls, evidence["alarm"])
        topic = next((t for t in self.inv.topics if t.arn == evidence.get("topic")), None)
        if chain.depth == 4 and topic is not None and topic.exists is not False:
            self._no_subscriber(cls, topic)
            return False
        if chain.depth == 4 and evidence.get("topic") == self.topic:
            return self._ensure_topic(cls)
        return self._put_alarm(cls, metric, outcome.message)  # no alarm, no SNS action, no topic

    def _filters(self) -> LogGroupFilters | None:
        return next((f for f in self.inv.metric_filters if f.log_group_key == self.ref.key), None)

    def _best(
        self, cls: EventClass, filters: LogGroupFilters
    ) -> tuple[Chain, MetricTransformation] | None:
        # A filter this plan puts serves the class it is put for only: each CIS class gets
        # its own filter and alarm, as CIS lays them out, even where another class's
        # pattern happens to catch its events too (4.2's catches 4.6's failed sign-ins).
        planned = {
            s.after["filter_name"]: s.fixes
            for (action, _), s in self.steps.items()
            if action is Action.PUT_METRIC_FILTER
        }
        judged = []
        for f in filters.filters:
            if f.name in planned and cls.id not in planned[f.name]:
                continue
            if f.transformations and ml.catches_all(f, cls):
                for chain in alarm_chains(cls.title, self.inv, self.group, f):
                    metric = chain.outcome.evidence.get("metric")
                    for t in f.transformations:
                        if f"{t.metric_namespace}/{t.metric_name}" == metric:
                            judged.append((chain, t))
                            break
        return min(judged, key=lambda ct: rank(ct[0])) if judged else None

    # -- the steps ---------------------------------------------------------------------------
    def _put_filter(self, cls: EventClass, filters: LogGroupFilters) -> bool:
        new = ml.new_filter(cls, self.ref.key, self.ref.region)
        old = next((f for f in filters.filters if f.name == new.name), None)
        partial = [f.name for f in filters.filters if f.name != new.name and ml.meant_for(f, cls)]
        left = (
            f"; {', '.join(partial)} miss{'es' if len(partial) == 1 else ''} some of them and "
            "trailwarden leaves user filters as they are"
            if partial
            else ""
        )
        reason = (
            f"Put metric filter {new.name} with the corrected CIS pattern on log group "
            f"{self.ref.name}, because no filter there catches every event of {cls.title}{left}."
        )
        self._add(PutMetricFilter.build(self.ref, new, old, self.trail.arn, (cls.id,), reason), cls)
        kept = tuple(f for f in filters.filters if f.name != new.name)
        self._replace(
            metric_filters=tuple(
                replace(g, filters=(*kept, new)) if g is filters else g
                for g in self.inv.metric_filters
            )
        )
        return True

    def _put_alarm(self, cls: EventClass, metric: MetricTransformation, why: str) -> bool:
        if not self._ensure_topic(cls):
            return False
        name = ml.alarm_name(cls)
        arn = ml.alarm_arn(self.ref.partition, self.ref.region, self.ref.account_id, name)
        region = next((r for r in self.inv.alarms if r.region == self.ref.region), None)
        if region is None:
            return False
        old = next((a for a in region.alarms if a.arn == arn), None)
        description = f"trailwarden: CIS {cls.cis_refs}: {cls.title} ({cls.id})"
        reason = (
            f"Put alarm {name} on metric {metric.metric_namespace}/{metric.metric_name}, "
            f"notifying {self.topic}, because {why[:1].lower()}{why[1:].rstrip('.')}."
        )
        step = PutMetricAlarm.build(
            self.ref, arn, description, metric, self.topic, old, self.trail.arn, (cls.id,), reason
        )
        self._add(step, cls)
        alarm = ml.new_alarm(arn, self.ref.region, step.after)
        others = tuple(a for a in region.alarms if a.arn != arn)
        self._replace(
            alarms=tuple(
                replace(r, alarms=(*others, alarm)) if r is region else r for r in self.inv.alarms
            )
        )
        return True

    def _enable(self, cls: EventClass, arn: str) -> bool:
        name = arn.split(":alarm:", 1)[-1]
        reason = (
            f"Enable the actions of alarm {name}, because they are disabled: it notifies nobody."
        )
        self._add(EnableAlarmActions.build(self.ref, arn, self.trail.arn, (cls.id,), reason), cls)
        self._replace(
            alarms=tuple(
                replace(
                    r,
                    alarms=tuple(
                        replace(a, actions_enabled=True) if a.arn == arn else a for a in r.alarms
                    ),
                )
                for r in self.inv.alarms
            )
        )
        return True

    def _ensure_topic(self, cls: EventClass) -> bool:
        """Make sure the topic for trailwarden's alarms exists (in the plan, at least)."""
        if (key := (Action.CREATE_TOPIC, self.topic)) in self.steps:
            self.steps[key] = ml.serving(self.steps[key], cls)
            return True
        known = next((t for t in self.inv.topics if t.arn == self.topic), None)
        if known is None and self.topic not in self.wanted_topics:
            self.wanted_topics.append(self.topic)
        if self.options.alarm_topic_arn:
            if known is not None and known.exists is False:
                raise UsageError(
                    f"--alarm-topic-arn names topic {self.topic}, which does not exist."
                )
            if known is None:  # not looked up: taken to exist, its subscribers unknown
                self._add_topic(Topic(self.topic, self.ref.region, exists=None))
            return True
        if known is not None and known.exists is not False:
            return True
        reason = (
            f"Create SNS topic {ml.TOPIC_NAME} in {self.ref.region} for trailwarden's alarms to "
            "notify, because no --alarm-topic-arn names one to reuse."
        )
        topic = CreateTopic.build(
            self.ref, self.topic, ml.TOPIC_NAME, self.trail.arn, (cls.id,), reason
        )
        self._add(topic, cls)
        self._add_topic(Topic(self.topic, self.ref.region, exists=True))
        return True

    def _no_subscriber(self, cls: EventClass, topic: Topic) -> None:
        email = self.options.alarm_email
        if email is None:
            unknown = topic.exists is None and not topic.pending_subscriptions
            (self.unknown if unknown else self.unheard).setdefault(topic.arn, []).append(cls.id)
            return
        reason = (
            f"Subscribe {email} to topic {topic.arn.rsplit(':', 1)[-1]}, because it has no "
            "confirmed subscription: the alarms on it notify nobody."
        )
        self._add(
            Subscribe.build(self.ref, topic.arn, email, self.trail.arn, (cls.id,), reason), cls
        )
        self.unheard.setdefault(topic.arn, []).append(cls.id)

    # -- bookkeeping -------------------------------------------------------------------------
    def _add(self, step: Step, cls: EventClass) -> None:
        """Plan ``step`` for ``cls``; the same change to the same target serves both."""
        key = (step.action, step.target)
        if key in self.steps:
            self.steps[key] = ml.serving(self.steps[key], cls)
            return
        self.steps[key] = step

    def _add_topic(self, topic: Topic) -> None:
        self._replace(topics=(*(t for t in self.inv.topics if t.arn != topic.arn), topic))

    def _replace(self, **changes: Any) -> None:
        self.inv = replace(self.inv, **changes)

    def _skip(self, cls: EventClass, why: str) -> None:
        self.skips.append(
            Skip(cls.id, self.trail.arn, f"{why}, so trailwarden plans no change for it.")
        )
