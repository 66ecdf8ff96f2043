"""Results: statuses, severities, findings and the report that carries them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = [
    "AccountInfo",
    "AccountStatus",
    "Finding",
    "Report",
    "Severity",
    "SourceLocation",
    "Stats",
    "Status",
    "Suppression",
]


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
class Suppression:
    """Why a finding is accepted for now: an entry of a suppressions file that matched it.

    A suppressed finding keeps its status; it only stops counting toward the exit code.
    """

    reason: str
    expires: date
    source: str = ""  # where the entry is, e.g. ".trailwarden.yaml:12"


@dataclass(frozen=True)
class SourceLocation:
    """Where in infrastructure code a resource is defined (``trailwarden iac``)."""

    file: str
    line: int | None = None


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
    account_name: str | None = None  # the owner's name, when known (Organizations, accounts file)
    suppressed: Suppression | None = None
    location: SourceLocation | None = None  # infrastructure code only


class AccountStatus(enum.Enum):
    """What became of one account of a run."""

    SCANNED = "scanned"
    SKIPPED = "skipped"  # not scanned on purpose, e.g. a suspended member: no finding
    FAILED = "failed"  # could not be scanned, e.g. AssumeRole denied: one ERROR finding


@dataclass(frozen=True)
class AccountInfo:
    """One account a run covered, as the report lists it."""

    account_id: str
    name: str | None = None
    ou_path: str | None = None  # e.g. "Root/Workloads/Prod"
    status: AccountStatus = AccountStatus.SCANNED
    reason: str | None = None  # why it was skipped or failed: one sentence


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
    # Every account covered, scanned or not, with its name and OU path when known.
    account_details: tuple[AccountInfo, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when every evaluated check passes, 1 on any FAIL or ERROR that is not
        suppressed."""
        bad = {Status.FAIL, Status.ERROR}
        return 1 if any(f.status in bad and f.suppressed is None for f in self.findings) else 0

    def merged_with(self, other: Report) -> Report:
        """One report over the accounts of both (stats add up)."""
        by_action = dict(self.stats.api_calls_by_action)
        for action, n in other.stats.api_calls_by_action.items():
            by_action[action] = by_action.get(action, 0) + n
        known = {a.account_id for a in self.account_details}
        return Report(
            account_details=self.account_details
            + tuple(a for a in other.account_details if a.account_id not in known),
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
