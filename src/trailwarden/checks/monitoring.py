"""TW101–TW115: each CIS event class reaches someone — filter → metric → alarm → SNS.

Per account and class, every chain that starts at a log group of TW010's qualifying trails is
followed: a metric filter that matches every positive of the class's corpus, an alarm on its
metric in the same region with actions enabled, an SNS action, a confirmed subscription. The
best chain is the verdict: a clean PASS, a noisy PASS, an ERROR (an unread fact might have
passed), else the FAIL that got furthest, naming its first broken link.

A filter whose pattern trailwarden cannot compile or evaluate is not taken to match
nothing: AWS accepted it, so it may catch the class. If its alarm chain would notify
someone, it is an ERROR chain for every class, naming the filter and the reason; the other
filters are still judged, and one that passes wins.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from trailwarden.arns import parse_log_group_arn
from trailwarden.checks.code_facts import UNVERIFIABLE, FactSource
from trailwarden.checks.covering import CoveringTrail
from trailwarden.checks.filter_verdict import UnevaluableFilterError, filter_verdict
from trailwarden.checks.monitoring_alarms import Chain, Group, alarm_chains, rank
from trailwarden.checks.monitoring_text import remediation
from trailwarden.checks.registry import CHECKS
from trailwarden.checks.security_hub_text import with_security_hub_verdict
from trailwarden.checks.trail import VERIFY_DEPLOYED, Outcome, unverifiable
from trailwarden.findings import Finding, Status
from trailwarden.inventory import Inventory, LogGroupFilters, MetricFilter, Trail, Unknown
from trailwarden.monitoring.catalog import CLASSES, EventClass
from trailwarden.monitoring.corpus import Sample, corpus

__all__ = ["UnevaluableFilterError", "filter_verdict", "monitoring_findings"]


# A log group to judge, with the inventory that holds its filters, alarms and topics: the
# scanned account's, or the owner's for an organization trail credited from its owner's scan.
Judged = tuple[Group, Inventory]


def monitoring_findings(
    inventory: Inventory,
    trails: list[Trail],
    tw010: Finding,
    only: frozenset[str] | None,
    covering: Sequence[CoveringTrail] = (),
    source: FactSource = FactSource.AWS,
) -> list[Finding]:
    """TW101–TW115 on every log group that receives the account's events: those of its own
    qualifying trails, and those of the qualifying organization trails that cover it."""
    qualifying = set(tw010.evidence.get("qualifying", ()))
    groups: dict[str, Judged] = {}
    # The organization trails' groups first: of equally good chains, the one to show (and
    # to fix, once for every member) is on the organization's log group.
    sources = [(c.trail, c.facts) for c in covering if c.trail is not None and c.facts]
    sources += [(t, inventory) for t in trails]
    for t, facts in sources:
        ref = parse_log_group_arn(t.config.log_group_arn or "") if t.config else None
        if t.arn in qualifying and ref is not None:
            groups.setdefault(ref.key, (Group(ref.key, ref.name, ref.region), facts))
    out = []
    for cls in CLASSES:
        if only is None or cls.id in only:
            region, outcome = _verdict(cls, inventory, list(groups.values()), tw010, source)
            out.append(_finding(cls, inventory, region, outcome))
    return out


def _verdict(
    cls: EventClass, inventory: Inventory, groups: list[Judged], tw010: Finding, source: FactSource
) -> tuple[str, Outcome]:
    code = source is FactSource.CODE
    if code and UNVERIFIABLE in tw010.evidence:
        return "global", unverifiable(f"it depends on TW010, and {tw010.evidence[UNVERIFIABLE]}")
    if tw010.status is not Status.PASS or not groups:
        status = Status.ERROR if tw010.status is Status.ERROR else Status.FAIL
        return "global", Outcome(
            status,
            "No log group receives a qualifying trail, so no alarm can see these events "
            f"(depends on TW010, {tw010.status.value}: {tw010.message})",
            tw010.remediation,
        )
    filters = {f.log_group_key: f for _, facts in groups for f in facts.metric_filters}
    if not any(g.key in filters for g, _ in groups):
        names = ", ".join(g.name for g, _ in groups)
        return groups[0][0].region, Outcome(
            Status.ERROR,
            f"Monitoring data (metric filters, alarms, topics) was not collected for log group "
            f"{names}; the inventory predates it or the collection was skipped.",
            "Scan again with a trailwarden that collects metric filters, alarms and SNS topics.",
        )
    judged = [
        (g, facts, _located(c, facts, inventory))
        for g, facts in groups
        for c in _chains(cls, facts, g, filters.get(g.key), source)
    ]
    group, facts, best = min(judged, key=lambda j: rank(j[2]))
    outcome = best.outcome
    if code and outcome.status is Status.ERROR and UNVERIFIABLE in outcome.evidence:
        # The best chain's missing link is a value the code does not give: it may be there.
        message = (
            f"Cannot be verified from code: {outcome.message[:1].lower()}{outcome.message[1:]}"
        )
        outcome = Outcome(Status.NOT_APPLICABLE, message, VERIFY_DEPLOYED, outcome.evidence)
    if outcome.status is not Status.PASS and not outcome.remediation:
        fix = remediation(cls, group.name, group.region, facts.account_id)
        if facts.account_id != inventory.account_id:
            fix = f"In account {facts.account_id}, which owns the organization trail: {fix}"
        outcome = Outcome(outcome.status, outcome.message, fix, outcome.evidence)
    return group.region, outcome


def _located(chain: Chain, facts: Inventory, inventory: Inventory) -> Chain:
    """The chain, saying in which account it is when that is not the scanned one."""
    if facts.account_id == inventory.account_id:
        return chain
    o = chain.outcome
    message = f"In management account {facts.account_id} (organization trail): {o.message}"
    evidence = {**o.evidence, "account_id": facts.account_id}
    return Chain(Outcome(o.status, message, o.remediation, evidence), chain.depth, chain.noisy)


def _chains(
    cls: EventClass,
    inventory: Inventory,
    group: Group,
    filters: LogGroupFilters | None,
    source: FactSource,
) -> Iterator[Chain]:
    where = f"log group {group.name} ({group.region})"
    if filters is None:
        yield Chain(Outcome(Status.ERROR, f"The metric filters of {where} were not collected."))
        return
    if filters.error is not None:
        yield Chain(
            Outcome(
                Status.ERROR,
                f"Could not read the metric filters of {where}: {filters.error.describe()}.",
            )
        )
        return
    unevaluable: list[str] = []
    scored: list[tuple[MetricFilter, tuple[Sample, ...], tuple[Sample, ...]]] = []
    for f in filters.filters:
        try:
            if isinstance(f.pattern, Unknown):
                raise UnevaluableFilterError(f.pattern.reason)
            missed, noise = filter_verdict(f.pattern, cls.id)
        except UnevaluableFilterError as e:
            chains = list(_unevaluable_chains(cls, inventory, group, f, where, str(e), source))
            yield from chains
            if not chains:
                unevaluable.append(
                    f"filter {f.name} cannot be evaluated ({e}), and no alarm of it could "
                    "notify anyone"
                )
            continue
        scored.append((f, missed, noise))
    notes = "".join(f" Note: {n}." for n in unevaluable)
    complete = [s for s in scored if not s[1]]
    if not complete:
        yield Chain(Outcome(Status.FAIL, _no_filter(cls, where, scored) + notes))
        return
    for f, _, noise in complete:
        for chain in alarm_chains(cls.title, inventory, group, f, source):
            if noise and chain.outcome.status is Status.PASS:
                message = (
                    f"{chain.outcome.message} The filter is broader than CIS and will be noisy: "
                    f"it also matches {noise[0].label}."
                )
                chain = Chain(Outcome(Status.PASS, message, "", chain.outcome.evidence), 5, True)
            yield Chain(
                Outcome(
                    chain.outcome.status,
                    chain.outcome.message + notes,
                    "",
                    {**chain.outcome.evidence, "pattern": f.pattern},
                ),
                chain.depth,
                chain.noisy,
            )


def _unevaluable_chains(
    cls: EventClass,
    inventory: Inventory,
    group: Group,
    f: MetricFilter,
    where: str,
    reason: str,
    source: FactSource,
) -> Iterator[Chain]:
    """ERROR chains for a filter whose matches are unknown, one per alarm chain of it that
    would notify someone (or could not be checked); none when every one of them is broken,
    since then the filter cannot serve the class whatever it matches."""
    head = (
        f"Metric filter {f.name} on {where} cannot be evaluated: {reason}. CloudWatch Logs "
        f"accepted it, so it may catch {cls.title}"
    )
    unknown = {UNVERIFIABLE: f.pattern.reason} if isinstance(f.pattern, Unknown) else {}
    if unknown:
        head = f"Metric filter {f.name} on {where} may catch {cls.title}: {reason}"
    for chain in alarm_chains(cls.title, inventory, group, f, source):
        if chain.outcome.status is Status.FAIL:
            continue
        tail = (
            "; an alarm on its metric notifies someone, so trailwarden cannot tell whether "
            "this class is monitored. Check the pattern by hand or correct it."
            if chain.outcome.status is Status.PASS
            else f". Its alarm chain could not be checked either: {chain.outcome.message}"
        )
        evidence = {
            **chain.outcome.evidence,
            "pattern": f.pattern,
            "unevaluable": reason,
            **unknown,
        }
        yield Chain(Outcome(Status.ERROR, head + tail, "", evidence), chain.depth)


# What a filter aimed at a class without event names of its own mentions.
_SIGNATURE: dict[str, tuple[str, ...]] = {
    "TW101": ("UnauthorizedOperation", "AccessDenied"),
    "TW103": ('"Root"', "= Root"),
}


def _no_filter(
    cls: EventClass,
    where: str,
    scored: list[tuple[MetricFilter, tuple[Sample, ...], tuple[Sample, ...]]],
) -> str:
    if not scored:
        return f"No valid metric filter on {where} catches {cls.title}."
    total = len(corpus(cls.id).positives)
    # The filter meant for this class is one whose pattern names the class's events (or error
    # codes), or one that catches most of the class. Naming a filter written for another class
    # that happens to catch one event (root's AccessDenied, say) would only mislead. This
    # choice affects the message only, never the verdict.
    tokens = _SIGNATURE.get(cls.id, ()) + tuple(cls.event_names)
    own = [s for s in scored if any(t in s[0].pattern for t in tokens)]
    candidates = own or [s for s in scored if 2 * (total - len(s[1])) >= total]
    if not candidates:
        return (
            f"No metric filter on {where} catches {cls.title} "
            f"({len(scored)} other filter(s) there catch at most a few of its events)."
        )
    best, missed, _ = min(candidates, key=lambda s: len(s[1]))  # the first that matches the most
    return (
        f"No metric filter on {where} catches every event of {cls.title}: the closest, "
        f"{best.name} ({best.pattern}), misses {len(missed)} of {total}, first {missed[0].label}."
    )


def _finding(cls: EventClass, inventory: Inventory, region: str, outcome: Outcome) -> Finding:
    spec = CHECKS[cls.id]
    outcome = with_security_hub_verdict(cls.id, outcome)
    return Finding(
        check_id=cls.id,
        title=spec.title,
        status=outcome.status,
        severity=spec.severity,
        account_id=inventory.account_id,
        region=region,
        resource_type="AWS::::Account",
        resource_id=f"AWS::::Account:{inventory.account_id}",
        message=outcome.message,
        remediation=outcome.remediation,
        evidence=outcome.evidence,
    )
