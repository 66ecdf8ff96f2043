"""Every check, by id: :data:`CHECKS` (what each is, and what ``trailwarden explain`` prints)."""

from __future__ import annotations

from trailwarden.checks import monitoring_text
from trailwarden.checks.spec import CheckSpec
from trailwarden.checks.trail_specs import TRAIL_SPECS
from trailwarden.errors import UnknownCheckError
from trailwarden.findings import Severity
from trailwarden.monitoring.catalog import CLASSES as _MONITORING_CLASSES

__all__ = ["CHECKS", "MONITORING_CHECK_IDS", "CheckSpec", "get_check"]

CHECKS: dict[str, CheckSpec] = {spec.id: spec for spec in TRAIL_SPECS}
# TW101–TW115, one per CIS monitoring control (see trailwarden.monitoring.catalog).
CHECKS.update(
    (
        cls.id,
        CheckSpec(
            id=cls.id,
            title=monitoring_text.title(cls),
            severity=Severity.MEDIUM,
            scope="account",
            rationale=monitoring_text.rationale(cls),
            how_evaluated=monitoring_text.how_evaluated(cls),
            remediation="Create the filter (CIS's v2.0 pattern, parenthesised as CIS intends), "
            "a topic with a confirmed subscriber, and the alarm, in the region of the log "
            "group of TW010's trail:\n\n```sh\n" + monitoring_text.remediation(cls) + "\n```",
            references=monitoring_text.references(cls),
        ),
    )
    for cls in _MONITORING_CLASSES
)
MONITORING_CHECK_IDS = frozenset(cls.id for cls in _MONITORING_CLASSES)


def get_check(check_id: str) -> CheckSpec:
    """The check with this id (case-insensitive), or :class:`UnknownCheckError`."""
    spec = CHECKS.get(check_id.strip().upper())
    if spec is None:
        raise UnknownCheckError(
            f"There is no check {check_id!r}; valid check ids are {_ranges(sorted(CHECKS))} "
            "(`trailwarden explain` lists them)."
        )
    return spec


def _ranges(ids: list[str]) -> str:
    """``TW001–TW007, TW010, TW101–TW115``: runs of consecutive ids folded."""
    runs: list[list[str]] = []
    for check_id in ids:
        if runs and int(check_id[2:]) == int(runs[-1][-1][2:]) + 1:
            runs[-1].append(check_id)
        else:
            runs.append([check_id])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
