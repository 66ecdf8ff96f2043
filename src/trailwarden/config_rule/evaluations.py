"""Findings → AWS Config evaluations (pure).

A custom rule may report only COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE
(INSUFFICIENT_DATA is AWS Config's own): https://docs.aws.amazon.com/config/latest/APIReference/API_Evaluation.html
So a check trailwarden could not evaluate (ERROR) fails closed: NON_COMPLIANT, with
"could not evaluate: …" in the annotation — never COMPLIANT, never dropped.

- a trail: COMPLIANT when TW001–TW007 pass or do not apply;
- the account (``AWS::::Account``): COMPLIANT when TW010 and TW101–TW115 do.

The annotation (at most 256 characters, AWS's limit) names every failing check, grouped by
status with runs folded (``FAIL TW101–TW103, TW110; ERROR TW104``), then the first one's
reason; a longer one is cut at a word and ends with ``…``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trailwarden.findings import Finding, Status
from trailwarden.textsafe import printable

__all__ = [
    "ACCOUNT_RESOURCE_TYPE",
    "MAX_ANNOTATION",
    "MAX_PER_CALL",
    "TRAIL_CHECKS",
    "TRAIL_RESOURCE_TYPE",
    "Compliance",
    "Evaluation",
    "account_evaluation",
    "annotate",
    "batches",
    "not_applicable",
    "trail_evaluation",
    "unevaluated",
]

TRAIL_RESOURCE_TYPE = "AWS::CloudTrail::Trail"
ACCOUNT_RESOURCE_TYPE = "AWS::::Account"
TRAIL_CHECKS = ("TW001", "TW002", "TW003", "TW004", "TW005", "TW006", "TW007")
MAX_ANNOTATION = 256  # Evaluation.Annotation: 1 to 256 characters
MAX_PER_CALL = 100  # PutEvaluations: at most 100 evaluations per call
_ELLIPSIS = "…"


class Compliance(enum.Enum):
    """What a custom rule may report for a resource."""

    COMPLIANT = "COMPLIANT"
    NON_COMPLIANT = "NON_COMPLIANT"
    NOT_APPLICABLE = "NOT_APPLICABLE"


@dataclass(frozen=True)
class Evaluation:
    """One resource's verdict, as PutEvaluations takes it."""

    resource_type: str
    resource_id: str
    compliance: Compliance
    annotation: str
    ordering_timestamp: datetime

    def to_api(self) -> dict[str, Any]:
        """The ``Evaluations`` entry of a PutEvaluations request."""
        return {
            "ComplianceResourceType": self.resource_type,
            "ComplianceResourceId": self.resource_id,
            "ComplianceType": self.compliance.value,
            "Annotation": self.annotation,
            "OrderingTimestamp": self.ordering_timestamp,
        }


def trail_evaluation(
    trail_arn: str, findings: Iterable[Finding], at: datetime, resource_id: str | None = None
) -> Evaluation:
    """The trail's evaluation from its TW001–TW007 findings (``resource_id``: the id AWS
    Config gave the trail in the triggering event, else the trail ARN)."""
    own = [f for f in findings if f.resource_id == trail_arn and f.check_id in TRAIL_CHECKS]
    checked = "TW001–TW007 pass or do not apply."
    return _verdict(TRAIL_RESOURCE_TYPE, resource_id or trail_arn, own, checked, at)


def account_evaluation(account_id: str, findings: Iterable[Finding], at: datetime) -> Evaluation:
    """The account's evaluation from its account-level findings (TW010, TW101–TW115)."""
    own = [f for f in findings if f.resource_type == ACCOUNT_RESOURCE_TYPE]
    checked = (
        "TW010 and TW101–TW115 pass or do not apply."
        if len(own) > 1
        else "TW010 passes or does not apply."
    )
    return _verdict(ACCOUNT_RESOURCE_TYPE, account_id, own, checked, at)


def not_applicable(resource_type: str, resource_id: str, why: str, at: datetime) -> Evaluation:
    """NOT_APPLICABLE (a deleted trail, one that left the rule's scope, another account's)."""
    return Evaluation(resource_type, resource_id, Compliance.NOT_APPLICABLE, annotate(why), at)


def unevaluated(resource_type: str, resource_id: str, why: str, at: datetime) -> Evaluation:
    """NON_COMPLIANT because nothing could be judged (a misconfigured rule, a failed run)."""
    text = annotate(f"could not evaluate: {why}")
    return Evaluation(resource_type, resource_id, Compliance.NON_COMPLIANT, text, at)


def _verdict(
    resource_type: str, resource_id: str, findings: Sequence[Finding], passed: str, at: datetime
) -> Evaluation:
    """NON_COMPLIANT naming what fails, else COMPLIANT saying ``passed``."""
    failing = [f for f in findings if f.status in (Status.FAIL, Status.ERROR)]
    if not findings:
        return unevaluated(resource_type, resource_id, "no check produced a finding", at)
    if not failing:
        return Evaluation(resource_type, resource_id, Compliance.COMPLIANT, passed, at)
    first = failing[0]
    reason = first.message
    if first.status is Status.ERROR:
        reason = f"could not evaluate: {reason}"
    text = f"{_listing(failing)} — {first.check_id}: {reason}"
    return Evaluation(resource_type, resource_id, Compliance.NON_COMPLIANT, annotate(text), at)


def _listing(failing: Sequence[Finding]) -> str:
    """``FAIL TW101–TW103, TW110; ERROR TW104``."""
    groups = []
    for status in (Status.FAIL, Status.ERROR):
        ids = sorted({f.check_id for f in failing if f.status is status})
        if ids:
            groups.append(f"{status.value} {', '.join(_runs(ids))}")
    return "; ".join(groups)


def _runs(ids: list[str]) -> Iterator[str]:
    start = prev = ids[0]
    for check_id in [*ids[1:], ""]:
        if check_id and int(check_id[2:]) == int(prev[2:]) + 1:
            prev = check_id
            continue
        yield start if start == prev else f"{start}–{prev}"
        start = prev = check_id


def annotate(text: str) -> str:
    """``text`` made one inert line of at most 256 characters, cut at a word if longer."""
    line = printable(" ".join(text.split()))
    if len(line) <= MAX_ANNOTATION:
        return line or "-"
    cut = line[: MAX_ANNOTATION - len(_ELLIPSIS)]
    space = cut.rfind(" ")
    # Cut at the last space unless that would throw away much of the room.
    if space >= MAX_ANNOTATION - 60:
        cut = cut[:space]
    # Never end inside an escape such as "\x1b" that printable() wrote.
    backslash = cut.rfind("\\")
    if backslash >= len(cut) - 6:
        cut = cut[:backslash]
    return cut.rstrip(" ,;:—-") + _ELLIPSIS


def batches(evaluations: Sequence[Evaluation]) -> Iterator[Sequence[Evaluation]]:
    """The evaluations in PutEvaluations-sized groups (100 at most)."""
    for start in range(0, len(evaluations), MAX_PER_CALL):
        yield evaluations[start : start + MAX_PER_CALL]
