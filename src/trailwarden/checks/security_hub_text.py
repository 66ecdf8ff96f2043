"""Security Hub's verdict on a metric filter, next to trailwarden's.

Security Hub's CloudWatch.1–14 "fail if the exact metric filters prescribed by CIS are not
used. Additional fields or terms cannot be added to the metric filters"
(https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html).
trailwarden judges a filter by what it matches, so a filter can pass here and fail there;
the finding then says so. AWS documents no rule for whitespace, so texts are compared with
all whitespace removed: a filter is said to differ only when more than its spacing does.

The texts are those each control audits: CIS v1.2's for CloudWatch.2 and .3 (controls 3.1
and 3.2), CIS v1.4's for the others, plus the variant AWS's own remediation recommends for
CloudWatch.13 (only EC2 events: CIS v2.0's text).
"""

from __future__ import annotations

import re

from trailwarden.checks.compliance import security_hub_control
from trailwarden.checks.trail import Outcome
from trailwarden.findings import Status
from trailwarden.monitoring.catalog import CLASSES_BY_ID

__all__ = [
    "EXACT_TEXTS",
    "cis_exact_pattern",
    "differs_from_security_hub",
    "security_hub_note",
    "with_security_hub_verdict",
]


def _any(*names: str) -> str:
    return " || ".join(f"($.eventName = {n})" for n in names)


def _names(check_id: str) -> tuple[str, ...]:
    return CLASSES_BY_ID[check_id].event_names


# v1.4's 4.10 predates ModifySecurityGroupRules (CIS v4.0 added it).
_SG_V14 = (
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
)

# Per check: the texts Security Hub accepts, the first one what `fix --filter-text
# cis-exact` writes.
EXACT_TEXTS: dict[str, tuple[str, ...]] = {
    "TW101": ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',),
    "TW102": ('{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',),
    "TW103": (
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
        '$.eventType != "AwsServiceEvent" }',
    ),
    "TW104": ("{ " + _any(*_names("TW104")) + " }",),
    "TW105": ("{ " + _any(*_names("TW105")) + " }",),
    "TW106": ('{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',),
    "TW107": (
        "{ ($.eventSource = kms.amazonaws.com) && "
        "(($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    ),
    "TW108": ("{ ($.eventSource = s3.amazonaws.com) && (" + _any(*_names("TW108")) + ") }",),
    "TW109": ("{ ($.eventSource = config.amazonaws.com) && (" + _any(*_names("TW109")) + ") }",),
    "TW110": ("{ " + _any(*_SG_V14) + " }",),
    "TW111": ("{ " + _any(*_names("TW111")) + " }",),
    "TW112": ("{ " + _any(*_names("TW112")) + " }",),
    "TW113": (
        "{ ($.eventSource = ec2.amazonaws.com) && (" + _any(*_names("TW113")) + ") }",
        "{ " + _any(*_names("TW113")) + " }",
    ),
    "TW114": ("{ " + _any(*_names("TW114")) + " }",),
}

_SPACE = re.compile(r"\s+")


def _squeezed(text: str) -> str:
    return _SPACE.sub("", text)


def cis_exact_pattern(check_id: str) -> str | None:
    """The CIS text Security Hub expects for ``check_id`` (None: no Security Hub control)."""
    texts = EXACT_TEXTS.get(check_id)
    return texts[0] if texts else None


def differs_from_security_hub(check_id: str, pattern: str) -> bool:
    """Whether Security Hub will fail ``pattern`` for ``check_id`` because its text is not
    CIS's (False when Security Hub has no control for the class)."""
    texts = EXACT_TEXTS.get(check_id, ())
    return bool(texts) and _squeezed(pattern) not in {_squeezed(t) for t in texts}


def security_hub_note(check_id: str, pattern: str) -> str | None:
    """The sentence a passing finding adds when Security Hub will still fail its filter."""
    if not differs_from_security_hub(check_id, pattern):
        return None
    control = security_hub_control(check_id)
    return (
        f"Security Hub {control} will still report FAILED because the filter's text differs "
        "from CIS's (Security Hub compares the text; trailwarden, what it matches)."
    )


def with_security_hub_verdict(check_id: str, outcome: Outcome) -> Outcome:
    """A passing monitoring outcome with Security Hub's verdict on its filter's text: in the
    evidence (``security_hub: {control, text_matches}``) and, when it differs, the message."""
    pattern = outcome.evidence.get("pattern")
    control = security_hub_control(check_id)
    if outcome.status is not Status.PASS or not isinstance(pattern, str) or control is None:
        return outcome
    note = security_hub_note(check_id, pattern)
    verdict = {"control": control, "text_matches": note is None}
    message = outcome.message if note is None else f"{outcome.message} {note}"
    return Outcome(
        outcome.status, message, outcome.remediation, {**outcome.evidence, "security_hub": verdict}
    )
