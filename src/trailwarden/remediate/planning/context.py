"""What the planning passes share: the inventory's lookups (remembering what it lacks), the
findings, the options, and the steps and skips planned so far.

The integration planner (:mod:`.integration`, :mod:`.roles`) works on a :class:`PlanContext`;
the pass that drives it (:class:`.planner.Planner`) is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from trailwarden.arns import LogGroupRef, parse_role_arn
from trailwarden.findings import Finding, Status
from trailwarden.inventory import Inventory, LogGroup, Role, Trail
from trailwarden.remediate.model import Action, Skip, Step
from trailwarden.remediate.planning.options import FixOptions

__all__ = ["PlanContext"]


class PlanContext:
    """The state of one planning pass; :attr:`missing_groups` / :attr:`missing_roles` /
    :attr:`missing_topics` hold the lookup misses."""

    def __init__(self, inventory: Inventory, findings: Sequence[Finding], options: FixOptions):
        self.inventory, self.options = inventory, options
        self.findings: dict[str, dict[str, Finding]] = {}
        for f in findings:
            self.findings.setdefault(f.resource_id, {}).setdefault(f.check_id, f)
        self.steps: list[Step] = []
        self.skips: list[Skip] = []
        self.missing_groups: dict[str, LogGroupRef] = {}
        self.missing_roles: dict[str, str] = {}  # ARN → name
        self.missing_topics: tuple[str, ...] = ()  # SNS topic ARNs
        self.created_groups: set[str] = set()  # log group keys a step creates
        self.claimed_roles: set[str] = set()  # role ARNs a trail of this plan will use
        self.named_group_for: list[str] = []  # trails given options.log_group_name
        self.explain: list[tuple[Trail, str]] = []  # (trail, TW004/TW005) to diagnose

    # -- lookups that remember what the inventory lacks ---------------------------------
    def group(self, ref: LogGroupRef) -> LogGroup | None:
        found = self.inventory.log_group(ref.key)
        if found is None and ref.account_id == self.inventory.account_id:
            self.missing_groups.setdefault(ref.key, ref)
        return found

    def role(self, arn: str, name: str) -> Role | None:
        found = self.inventory.role(arn)
        if found is None:
            self.missing_roles.setdefault(arn, name)
        return found

    def current_role(self, trail: Trail) -> Role | None:
        """The trail's role record, when it is a role of the scanned account."""
        arn = trail.config.role_arn if trail.config else None
        parsed = parse_role_arn(arn) if arn else None
        if arn is None or parsed is None or parsed[1] != self.inventory.account_id:
            return None
        return self.role(arn, parsed[2])

    # -- helpers for the integration planner --------------------------------------------
    def in_scope(self, check_id: str) -> bool:
        return self.options.checks is None or check_id in self.options.checks

    def because(self, trail: Trail, check_ids: Iterable[str]) -> str:
        """'TW00x failed: <its message>' for the first of ``check_ids`` that failed."""
        found = self.findings.get(trail.arn, {})
        for cid in sorted(check_ids):
            if (f := found.get(cid)) is not None and f.status is Status.FAIL:
                return f"{cid} failed: {f.message.rstrip('.')}"
        return "the selected checks failed"

    def skip(self, check_ids: Iterable[str], trail: Trail, reason: str) -> None:
        self.skips.extend(Skip(cid, trail.arn, reason) for cid in sorted(set(check_ids)))

    def other_trails(self, role: Role, trail: Trail) -> list[str]:
        """Other trails that use ``role``, or whose configuration could not be read (and so
        might): a role that may serve another trail is never widened."""
        return [
            t.name
            for t in self.inventory.trails
            if t.arn != trail.arn
            and t.account_id == trail.account_id
            and (t.config is None or t.config.role_arn == role.arn)
        ]

    def has_step(self, action: Action, target: str, pending: Sequence[Step]) -> bool:
        return any(s.action is action and s.target == target for s in [*self.steps, *pending])

    def selected(self, trail: Trail) -> bool:
        wanted = self.options.trails
        return wanted is None or trail.name in wanted or trail.arn in wanted
