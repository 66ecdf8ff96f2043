"""Results: statuses, severities, findings and the report that carries them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Finding", "Report", "Severity", "Stats", "Status"]


class Status(enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    # Could not be evaluated: an API call was denied or failed, or the resource is
    # owned by another account. The message names the API action and AWS error code.
    ERROR = "ERROR"
    # The check does not apply, e.g. TW002–TW005 when TW001 fails (no integration).
    NOT_APPLICABLE = "NOT_APPLICABLE"


class Severity(enum.Enum):
    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    INFORMATIONAL = "INFORMATIONAL"


@dataclass(frozen=True)
class Finding:
    check_id: str
    title: str
    status: Status
    severity: Severity
    account_id: str
    region: str
    resource_type: str
    resource_id: str
    message: str
    remediation: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Stats:
    api_calls: int = 0
    api_calls_by_action: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0


@dataclass(frozen=True)
class Report:
    """Findings of one or more accounts (the scanned accounts, not resource owners)."""

    accounts: tuple[str, ...]
    generated_at: datetime
    findings: tuple[Finding, ...]
    stats: Stats = field(default_factory=Stats)

    @property
    def exit_code(self) -> int:
        """0 when every evaluated check passes, 1 on any FAIL or ERROR."""
        bad = {Status.FAIL, Status.ERROR}
        return 1 if any(f.status in bad for f in self.findings) else 0

    def merged_with(self, other: Report) -> Report:
        """One report over the accounts of both (stats add up)."""
        by_action = dict(self.stats.api_calls_by_action)
        for action, n in other.stats.api_calls_by_action.items():
            by_action[action] = by_action.get(action, 0) + n
        return Report(
            accounts=self.accounts + tuple(a for a in other.accounts if a not in self.accounts),
            generated_at=max(self.generated_at, other.generated_at),
            findings=self.findings + other.findings,
            stats=Stats(
                api_calls=self.stats.api_calls + other.stats.api_calls,
                api_calls_by_action=dict(sorted(by_action.items())),
                duration_s=round(self.stats.duration_s + other.stats.duration_s, 3),
            ),
        )

    def counts(self) -> dict[Status, int]:
        out = dict.fromkeys(Status, 0)
        for f in self.findings:
            out[f.status] += 1
        return out
