"""The checks: pure functions from an :class:`~trailwarden.inventory.Inventory` to findings.

Per trail, TW001–TW007: TW001 in :mod:`.trail` (with what every trail check shares),
TW002 and TW007 in :mod:`.log_group`, TW003 in :mod:`.delivery_role`, TW004–TW006 in
:mod:`.trail_status`. Per account, TW010 (:mod:`.account`) and TW101–TW115
(:mod:`.monitoring`). What each check is, and the text ``trailwarden explain`` prints:
:mod:`.registry`. A new per-trail check is a function in its family's module, its row in
``_PER_TRAIL`` below and its :class:`CheckSpec` in the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from trailwarden.checks.account import CoveringTrail, tw010
from trailwarden.checks.code_facts import RUNTIME_CHECKS, FactSource
from trailwarden.checks.delivery_role import check_delivery_role
from trailwarden.checks.log_group import tw002, tw007
from trailwarden.checks.monitoring import monitoring_findings
from trailwarden.checks.options import CheckOptions
from trailwarden.checks.registry import CHECKS, CheckSpec, get_check
from trailwarden.checks.trail import Outcome, TrailContext, tw001
from trailwarden.checks.trail_status import tw004, tw005, tw006
from trailwarden.findings import Finding
from trailwarden.inventory import Inventory, Trail

__all__ = [
    "CHECKS",
    "CheckOptions",
    "CheckSpec",
    "CoveringTrail",
    "FactSource",
    "evaluate",
    "get_check",
]

# A frozen dataclass, so one shared default is safe (ruff B008 forbids the call in the signature).
_DEFAULT_OPTIONS = CheckOptions()
# In check id order: a trail's findings are listed in this order.
_PER_TRAIL: dict[str, Callable[[TrailContext], Outcome]] = {
    "TW001": tw001,
    "TW002": tw002,
    "TW003": check_delivery_role,
    "TW004": tw004,
    "TW005": tw005,
    "TW006": tw006,
    "TW007": tw007,
}


def evaluate(
    inventory: Inventory,
    options: CheckOptions = _DEFAULT_OPTIONS,
    covering: Sequence[CoveringTrail] = (),
) -> tuple[Finding, ...]:
    """Every finding for ``inventory``: per trail (by account, home region, name; then check
    id), then TW010, then TW101–TW115. Ages are measured from ``inventory.collected_at``, so
    a saved inventory gives the same findings later. ``covering``: the organization trails
    of other accounts that cover this one, as their owners' scans evaluated them
    (``scan --org``): TW010 and TW101–TW115 are credited from them. On facts from code
    (``options.source``) TW004 and TW005, runtime facts, are not evaluated."""
    unique: dict[str, Trail] = {}
    for trail in inventory.trails:  # a trail is evaluated once, whoever listed it twice
        unique.setdefault(trail.arn, trail)
    trails = sorted(unique.values(), key=lambda t: (t.account_id, t.home_region, t.name, t.arn))
    code = options.source is FactSource.CODE
    checks = {i: c for i, c in _PER_TRAIL.items() if not (code and i in RUNTIME_CHECKS)}
    per_trail = {
        t.arn: [
            _finding(check_id, t, check(TrailContext(t, inventory, options)))
            for check_id, check in checks.items()
        ]
        for t in trails
    }
    findings = [f for t in trails for f in per_trail[t.arn]]
    account = tw010(inventory, trails, per_trail, covering, options.source)
    findings.append(account)
    if options.wants_monitoring:
        findings += monitoring_findings(
            inventory, trails, account, options.only, covering, options.source
        )
    return tuple(f for f in findings if options.only is None or f.check_id in options.only)


def _finding(check_id: str, trail: Trail, outcome: Outcome) -> Finding:
    spec = CHECKS[check_id]
    return Finding(
        check_id=check_id,
        title=spec.title,
        status=outcome.status,
        severity=spec.severity,
        account_id=trail.account_id,  # the owner, also for an organization trail
        region=trail.home_region,
        resource_type="AWS::CloudTrail::Trail",
        resource_id=trail.arn,
        message=outcome.message,
        remediation=outcome.remediation,
        evidence=outcome.evidence,
    )
