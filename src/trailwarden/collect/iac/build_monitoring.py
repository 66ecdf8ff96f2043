"""Metric filters, alarms, SNS topics and subscriptions of code → the inventory's monitoring
facts (TW101–TW115).

What the code does not give never completes a chain by itself, and never breaks one either: a
filter on a log group the code does not name may be on any log group of its region (its
pattern is then unknown there); an alarm action, metric or topic the code does not give is an
:class:`~trailwarden.inventory.Unknown` or a ``NOT_IN_CODE`` error; a resource that may not
exist (unresolved count, for_each or Condition) counts as unknown. Subscriptions are counted as
declared (``pending_subscriptions``): whether they are confirmed is a runtime fact.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from trailwarden.collect.iac.names import alarm_arn, log_group_arn
from trailwarden.collect.iac.specs import AlarmSpec, Code, FilterSpec, Text, Unresolved
from trailwarden.inventory import (
    NOT_IN_CODE,
    Alarm,
    ApiError,
    LogGroup,
    LogGroupFilters,
    MetricFilter,
    MetricTransformation,
    RegionAlarms,
    Topic,
    Unknown,
)

__all__ = ["monitoring"]

Monitoring = tuple[tuple[LogGroupFilters, ...], tuple[RegionAlarms, ...], tuple[Topic, ...]]


def _error(reason: str) -> ApiError:
    return ApiError(action="trailwarden:iac", code=NOT_IN_CODE, message=reason)


def _text(value: Text) -> str:
    return value if isinstance(value, str) else Unknown(value.text, value.reason)


def _name(value: Text, address: str) -> str:
    """A name the code leaves to AWS is shown as the resource's address."""
    return value if isinstance(value, str) else Unknown(address, value.reason)


def _maybe(value: Text, reason: str | None) -> str:
    """A value whose resource may not exist is unknown whatever it says."""
    if reason is None:
        return _text(value)
    text = value if isinstance(value, str) else value.text
    return Unknown(text, reason)


def monitoring(
    code: Code, account: str, groups: Mapping[str, LogGroup], group_by_address: Mapping[str, str]
) -> Monitoring:
    """The monitoring facts of ``code`` for the log groups it defines (``groups``)."""
    return (
        _filters(code, account, groups, group_by_address),
        _alarms(code, account, groups),
        _topics(code),
    )


def _filters(
    code: Code, account: str, groups: Mapping[str, LogGroup], by_address: Mapping[str, str]
) -> tuple[LogGroupFilters, ...]:
    by_key: dict[str, list[MetricFilter]] = {k: [] for k, g in groups.items() if g.exists}
    regions = {k: g.region for k, g in groups.items()}
    for spec in code.filters:
        group = spec.log_group_name
        if isinstance(group, str):
            key = log_group_arn(spec.region, account, group)
        elif linked := [by_address[a] for a in group.refs if a in by_address]:
            key = linked[0]
        else:
            # On no log group the code names: it may be on any of its region.
            reason = f"{spec.where.address}'s log group is not known from code ({group.reason})"
            for k, region in regions.items():
                if region == spec.region and k in by_key:
                    by_key[k].append(_filter(spec, k, reason))
            continue
        regions.setdefault(key, spec.region)
        by_key.setdefault(key, []).append(_filter(spec, key))
    return tuple(LogGroupFilters(k, regions[k], tuple(fs)) for k, fs in by_key.items())


def _filter(spec: FilterSpec, key: str, reason: str | None = None) -> MetricFilter:
    maybe = spec.where.maybe and f"{spec.where.address} may not exist ({spec.where.maybe})"
    why = reason or maybe or None
    return MetricFilter(
        log_group_key=key,
        region=spec.region,
        name=_name(spec.name, spec.where.address),
        pattern=_maybe(spec.pattern, why),
        transformations=tuple(
            MetricTransformation(_text(m.name), _text(m.namespace), _text(m.value), m.default_value)
            for m in spec.metrics
        ),
    )


def _alarms(code: Code, account: str, groups: Mapping[str, LogGroup]) -> tuple[RegionAlarms, ...]:
    by_region: dict[str, list[Alarm]] = {g.region: [] for g in groups.values()}
    topics = {t.where.address: _text(t.arn) for t in code.topics}
    for spec in code.alarms:
        by_region.setdefault(spec.region, []).append(_alarm(spec, account, topics))
    return tuple(RegionAlarms(region, tuple(alarms)) for region, alarms in by_region.items())


def _linked(value: Text, topics: Mapping[str, str]) -> tuple[str, ...]:
    """Actions that come from topics of the code (an ARN known only after apply) are those
    topics; anything else unknown stays unknown."""
    if isinstance(value, str):
        return (value,)
    linked = tuple(topics[a] for a in sorted(value.refs) if a in topics)
    return linked or (_text(value),)


def _alarm(spec: AlarmSpec, account: str, topics: Mapping[str, str]) -> Alarm:
    address, actions = spec.where.address, spec.alarm_actions
    if isinstance(actions, Unresolved):
        listed: tuple[str, ...] = _linked(actions, topics)
    else:
        listed = tuple(a for action in actions for a in _linked(action, topics))
    unknown = [
        f"{address} may not exist ({spec.where.maybe})" if spec.where.maybe else "",
        f"whether {address}'s actions are enabled is not known from code "
        f"({spec.actions_enabled.reason})"
        if isinstance(spec.actions_enabled, Unresolved)
        else "",
    ]
    if reason := next((r for r in unknown if r), None):
        listed = (Unknown("(its actions)", reason),)
    metrics = spec.metrics
    metric_name = _text(spec.metric_name) if spec.metric_name is not None else None
    if isinstance(metrics, Unresolved):
        metric_name, metrics = Unknown(metrics.text, metrics.reason), ()
    name = _name(spec.name, address)
    return Alarm(
        arn=alarm_arn(spec.region, account, name),
        name=name,
        region=spec.region,
        metric_name=metric_name,
        namespace=_text(spec.namespace) if spec.namespace is not None else None,
        actions_enabled=spec.actions_enabled is not False,
        alarm_actions=listed,
        statistic=spec.statistic,
        comparison_operator=spec.comparison_operator,
        threshold=spec.threshold,
        period=spec.period,
        evaluation_periods=spec.evaluation_periods,
        metrics=metrics,
    )


def _topics(code: Code) -> tuple[Topic, ...]:
    by_arn = {_text(t.arn): t for t in code.topics}
    by_address = {t.where.address: _text(t.arn) for t in code.topics}
    protocols: dict[str, list[str]] = defaultdict(list)
    for t in code.topics:
        protocols[_text(t.arn)] += [_text(p) for p in t.protocols]
    unplaced: Counter[str] = Counter()  # subscriptions to a topic the code does not give
    for sub in code.subscriptions:
        topic = sub.topic_arn
        if sub.where.maybe:
            unplaced[sub.region] += 1
        elif isinstance(topic, str):
            protocols[topic].append(_text(sub.protocol))
        elif linked := [by_address[a] for a in topic.refs if a in by_address]:
            protocols[linked[0]].append(_text(sub.protocol))
        else:
            unplaced[sub.region] += 1
    out = []
    for arn, spec in by_arn.items():
        declared = protocols.get(arn, [])
        problem = (
            f"{spec.where.address} may not exist ({spec.where.maybe})" if spec.where.maybe else ""
        )
        if not declared and unplaced[spec.region]:
            problem = (
                f"a subscription of {spec.region} is to a topic the code does not give, "
                f"maybe {spec.where.address}"
            )
        out.append(
            Topic(
                arn=arn,
                region=spec.region,
                confirmed_subscriptions=0,
                pending_subscriptions=len(declared),
                protocols=tuple(dict.fromkeys(declared)),
                exists=None if spec.where.maybe else True,
                error=_error(problem) if problem else None,
            )
        )
    notified = {
        a
        for al in code.alarms
        if not isinstance(al.alarm_actions, Unresolved)
        for a in al.alarm_actions
        if isinstance(a, str)
    }
    for arn in sorted(notified - set(by_arn)):
        if arn.split(":")[2:3] == ["sns"]:
            reason = f"topic {arn} is not defined in this configuration"
            out.append(Topic(arn, arn.split(":")[3], exists=None, error=_error(reason)))
    return tuple(out)
