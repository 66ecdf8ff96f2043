"""TW010: the account has a multi-region trail that captures and delivers management events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import assert_never

from trailwarden.checks.code_facts import UNVERIFIABLE, FactSource, from_code
from trailwarden.checks.covering import CoveringTrail
from trailwarden.checks.management_events import Coverage, management_coverage
from trailwarden.checks.registry import CHECKS
from trailwarden.checks.trail import Outcome, unverifiable
from trailwarden.findings import Finding, Status
from trailwarden.inventory import Inventory, Trail

__all__ = ["Coverage", "CoveringTrail", "management_coverage", "prerequisite_met", "tw010"]

_PREREQUISITES = ("TW001", "TW002", "TW003", "TW004", "TW005")


def prerequisite_met(status: Status) -> bool | None:
    """Whether a TW001–TW005 status lets a trail count for TW010 (None: unknown)."""
    match status:
        case Status.PASS:
            return True
        case Status.FAIL | Status.NOT_APPLICABLE:
            return False
        case Status.ERROR:
            return None
        case _:
            assert_never(status)


@dataclass
class _Candidate:
    """A trail that applies to the account, and what keeps it from qualifying for TW010."""

    trail: Trail
    problems: list[str]  # known disqualifiers: "is not logging", "fails TW003"
    fixes: list[str]
    unknown: list[str]  # facts that could not be read
    notes: tuple[str, ...] = ()
    credited: bool = False  # an organization trail judged in its owner's scan (scan --org)
    guesses: list[str] = field(default_factory=list)  # facts infrastructure code does not give

    @property
    def qualifies(self) -> bool:
        return not self.problems and not self.unknown and not self.guesses


def _candidate(trail: Trail, findings: list[Finding]) -> _Candidate:
    c = _Candidate(trail, [], [], [])
    where = f"--name {trail.name} --region {trail.home_region}"
    config, status = trail.config, trail.status
    if config is not None and not config.is_multi_region:
        c.problems.append("is not multi-region")
        c.fixes.append(f"aws cloudtrail update-trail {where} --is-multi-region-trail")
    if status is not None and not status.is_logging:
        c.problems.append("is not logging")
        c.fixes.append(f"aws cloudtrail start-logging {where}")
    coverage = management_coverage(config, trail.event_selectors) if config else None
    if config is not None and coverage is None:
        error = trail.event_selectors_error
        if from_code(error):
            c.guesses.append(error.message)
        else:
            c.unknown.append(
                error.describe() if error else "its event selectors were not collected"
            )
    if coverage is not None:
        c.notes = coverage.notes
        missing = [k for k, ok in (("read", coverage.read), ("write", coverage.write)) if not ok]
        if missing:
            c.problems.append(f"misses {' and '.join(missing)} management events")
            c.fixes.append(
                f"aws cloudtrail put-event-selectors --trail-name {trail.name} --region "
                f"{trail.home_region} with a selector capturing all management events "
                "(it replaces every selector: include the existing ones)"
            )
    for f in findings:
        met = prerequisite_met(f.status) if f.check_id in _PREREQUISITES else True
        if f.check_id in _PREREQUISITES and UNVERIFIABLE in f.evidence:
            c.guesses.append(f"{f.check_id}: {f.evidence[UNVERIFIABLE]}")
        elif met is None:
            c.unknown.append(f.message.rstrip("."))
            c.fixes.append(f.remediation)
        elif not met and f.status is Status.FAIL:  # NOT_APPLICABLE comes with TW001's FAIL
            c.problems.append(f"fails {f.check_id}")
            c.fixes.append(f"fix {f.check_id}: {f.remediation}")
    if status is None and from_code(trail.status_error):  # TW006 says why
        c.guesses.append(trail.status_error.message)
    elif config is None or status is None:  # TW001 or TW004 is ERROR and says why
        c.unknown = c.unknown or ["its configuration or status could not be read"]
    c.unknown = list(dict.fromkeys(c.unknown))
    c.guesses = list(dict.fromkeys(c.guesses))
    return c


def _covering_candidate(covering: CoveringTrail) -> _Candidate:
    """A covering organization trail as its owner's scan judged it (or why it could not)."""
    if covering.trail is None:
        unknown = [covering.unknown or ""]
        return _Candidate(covering.as_trail(), [], [covering.fix], unknown, credited=True)
    c = _candidate(covering.trail, list(covering.findings))
    c.credited = True
    owner = covering.ref.account_id
    where = f"From account {owner}, which owns this organization trail"
    c.fixes = [f"{where}: {fix}" for fix in c.fixes]
    return c


def tw010(
    inventory: Inventory,
    trails: list[Trail],
    per_trail: dict[str, list[Finding]],
    covering: Sequence[CoveringTrail] = (),
    source: FactSource = FactSource.AWS,
) -> Finding:
    # Trails that apply to this account: its own, and organization trails of any owner —
    # seen from here (a single-account scan), or credited from their owner's scan.
    candidates = [
        _candidate(t, per_trail[t.arn])
        for t in trails
        if t.account_id == inventory.account_id
        or t.config is None
        or t.config.is_organization_trail
    ]
    candidates += [_covering_candidate(c) for c in covering]
    outcome = _account_verdict(inventory, candidates, source)
    return Finding(
        check_id="TW010",
        title=CHECKS["TW010"].title,
        status=outcome.status,
        severity=CHECKS["TW010"].severity,
        account_id=inventory.account_id,
        region="global",
        resource_type="AWS::::Account",
        resource_id=f"AWS::::Account:{inventory.account_id}",
        message=outcome.message,
        remediation=outcome.remediation,
        evidence={
            "qualifying": [c.trail.arn for c in candidates if c.qualifies],
            "candidates": [
                {
                    "trail_arn": c.trail.arn,
                    "problems": c.problems,
                    "unknown": c.unknown,
                    "notes": list(c.notes),
                    **({UNVERIFIABLE: c.guesses} if c.guesses else {}),
                }
                for c in candidates
            ],
            "errors": [e.describe() for e in inventory.errors],
            # Organization trails of other accounts credited here (scan --org).
            "organization_trails": [
                {
                    "trail_arn": c.trail.arn,
                    "owner_account_id": c.trail.account_id,
                    "qualifies": c.qualifies,
                }
                for c in candidates
                if c.credited
            ],
            **outcome.evidence,
        },
    )


def _named(c: _Candidate) -> str:
    if c.credited:
        return f"Organization trail {c.trail.name} of management account {c.trail.account_id}"
    return f"Trail {c.trail.name}"


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _account_verdict(
    inventory: Inventory, candidates: list[_Candidate], source: FactSource
) -> Outcome:
    code = source is FactSource.CODE
    prerequisites = "TW001–TW003" if code else "TW001–TW005"
    qualifying = [c for c in candidates if c.qualifies]
    if qualifying and not any(c.credited for c in qualifying):
        return Outcome(
            Status.PASS,
            f"Trail {', '.join(c.trail.name for c in qualifying)} is multi-region, logging, "
            f"captures read and write management events and passes {prerequisites}.",
        )
    if qualifying:
        named = [_named(c) for c in qualifying]
        names = named[0] + "".join(
            f"{' and' if i == len(named) - 1 else ','} {_lower(n)}"
            for i, n in enumerate(named[1:], start=1)
        )
        many = len(qualifying) > 1
        return Outcome(
            Status.PASS,
            f"{names} {'are' if many else 'is'} multi-region, logging, "
            f"capture{'' if many else 's'} read and write management events and "
            f"pass{'' if many else 'es'} {prerequisites}.",
        )
    # Not knowing is not failing: a candidate that only lacks facts, or a failed listing,
    # might have qualified.
    unknown = [c for c in candidates if not c.problems]
    guesses = [e.message for e in inventory.errors] + [
        f"trail {c.trail.name}: {'; '.join(c.guesses)}" for c in unknown
    ]
    only_code = not any(c.unknown for c in unknown) and all(map(from_code, inventory.errors))
    if code and guesses and only_code:
        return unverifiable(f"no trail is known to qualify ({'; '.join(guesses)})")
    if inventory.errors or unknown:
        reasons = [e.describe() for e in inventory.errors]
        reasons += [f"{_lower(_named(c))}: {'; '.join(c.unknown + c.guesses)}" for c in unknown]
        fixes = [fix for c in unknown for fix in c.fixes if fix]
        if inventory.errors or not fixes:
            fixes.append(
                "Make the failed calls succeed for the scanning principal (AWS's SecurityAudit "
                "managed policy grants them) and scan again."
            )
        return Outcome(
            Status.ERROR,
            f"No trail is known to qualify; these could not be read: {'; '.join(reasons)}.",
            " ".join(dict.fromkeys(fixes)),
        )
    if not candidates:
        return Outcome(
            Status.FAIL,
            "The account has no trail, so its activity is not recorded.",
            "aws cloudtrail create-trail --name management-events --s3-bucket-name BUCKET "
            "--is-multi-region-trail, then aws cloudtrail start-logging --name management-events",
        )
    multi = [c for c in candidates if c.trail.config and c.trail.config.is_multi_region]
    if not multi:
        names = ", ".join(c.trail.name for c in candidates)
        return Outcome(
            Status.FAIL,
            f"No multi-region trail: the trails that apply ({names}) are single-region.",
            candidates[0].fixes[0],
        )
    best = min(multi, key=lambda c: len(c.problems))  # the first of the closest ones
    return Outcome(
        Status.FAIL,
        f"No trail qualifies: {_lower(_named(best))} is multi-region but "
        f"{' and '.join(best.problems)}.",
        "; ".join(best.fixes),
    )
