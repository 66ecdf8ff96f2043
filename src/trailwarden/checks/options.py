"""What an evaluation is asked for: :class:`CheckOptions` (thresholds and selection)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from trailwarden.checks.code_facts import RUNTIME_CHECKS, FactSource
from trailwarden.checks.registry import MONITORING_CHECK_IDS, get_check
from trailwarden.errors import UsageError

__all__ = ["CheckOptions"]


@dataclass(frozen=True)
class CheckOptions:
    """Thresholds and selection; invalid values raise :class:`trailwarden.errors.Error`."""

    max_delivery_age: timedelta = timedelta(hours=24)
    min_retention_days: int = 365
    only: frozenset[str] | None = None  # check ids to report; None reports every check
    # TW101–TW115 (metric filters and alarms) are part of every evaluation, as in Security
    # Hub and Prowler: an audit of CIS 3.x without 4.x is half an audit. False
    # (--no-monitoring) evaluates the trail checks alone; with `only`, they are evaluated
    # when `only` names one of them.
    monitoring: bool = True
    # FactSource.CODE (trailwarden iac): TW004/TW005 are not evaluated, and what the code does
    # not give is "cannot be verified from code" (see checks.code_facts).
    source: FactSource = FactSource.AWS

    def __post_init__(self) -> None:
        if self.max_delivery_age <= timedelta(0):
            raise UsageError(
                f"--max-delivery-age must be positive, not {self.max_delivery_age}; try 24h."
            )
        if not 1 <= self.min_retention_days <= 3653:  # CloudWatch Logs keeps 10 years at most
            raise UsageError(
                f"--min-retention-days must be between 1 and 3653, not "
                f"{self.min_retention_days}; try 365."
            )
        if self.only is not None:
            object.__setattr__(self, "only", frozenset(get_check(i).id for i in self.only))
        if self.source is FactSource.CODE and self.only and self.only & RUNTIME_CHECKS:
            named = sorted(self.only & RUNTIME_CHECKS)
            verb = "judges" if len(named) == 1 else "judge"
            raise UsageError(
                f"{' and '.join(named)} {verb} what CloudTrail delivered, which infrastructure "
                "code cannot say; drop it from --check (trailwarden scan evaluates it)."
            )

    @property
    def wants_monitoring(self) -> bool:
        """Whether the monitoring checks (and their collection) are asked for."""
        if self.only is not None:
            return any(i in MONITORING_CHECK_IDS for i in self.only)
        return self.monitoring
