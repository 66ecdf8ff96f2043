"""The JSON report, schema version 1 (``schemas/report-v1.schema.json``).

Stable for consumers: fields are only ever added within a schema version.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from trailwarden.checks.compliance import references
from trailwarden.findings import AccountInfo, Finding, Report, Status
from trailwarden.version import __version__

if TYPE_CHECKING:
    from trailwarden.formats.base import RenderContext
    from trailwarden.suppressions import SuppressionRule, SuppressionsResult

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "compliance_of",
    "iter_report",
    "render_json",
    "render_report",
    "report_to_dict",
    "schema",
]

REPORT_SCHEMA_VERSION = 1


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "check_id": f.check_id,
        "title": f.title,
        "status": f.status.value,
        "severity": f.severity.value,
        "account_id": f.account_id,
        "region": f.region,
        "resource_type": f.resource_type,
        "resource_id": f.resource_id,
        "message": f.message,
        "remediation": f.remediation,
        "evidence": f.evidence,
        "account_name": f.account_name,
        "suppressed": None
        if f.suppressed is None
        else {
            "reason": f.suppressed.reason,
            "expires": f.suppressed.expires.isoformat(),
            "source": f.suppressed.source,
        },
        "location": None
        if f.location is None
        else {"file": f.location.file, "line": f.location.line},
        "compliance": compliance_of(f.check_id),
    }


@cache
def compliance_of(check_id: str) -> tuple[dict[str, str], ...]:
    """What a check evidences: ``({"standard", "control", "requirement"}, …)``, serialised
    as an array. One object per check, shared by its findings: an organization's report
    has tens of thousands of findings and each check maps to up to 20 requirements."""
    return tuple(
        {"standard": r.standard, "control": r.control, "requirement": r.requirement}
        for r in references(check_id)
    )


def rule_to_dict(rule: SuppressionRule) -> dict[str, Any]:
    return {
        "check": rule.check,
        "account": rule.account,
        "resource": rule.resource,
        "reason": rule.reason,
        "expires": rule.expires.isoformat(),
        "source": rule.source,
    }


def suppressions_to_dict(result: SuppressionsResult) -> dict[str, Any]:
    return {
        "expired": [rule_to_dict(r) for r in result.expired],
        "unused": [rule_to_dict(r) for r in result.unused],
    }


def account_to_dict(a: AccountInfo) -> dict[str, Any]:
    return {
        "account_id": a.account_id,
        "name": a.name,
        "ou_path": a.ou_path,
        "status": a.status.value,
        "reason": a.reason,
    }


def report_to_dict(
    report: Report, context: RenderContext | None = None, *, findings: bool = True
) -> dict[str, Any]:
    """The report as JSON data; ``findings=False``: with an empty ``findings`` array (the
    findings are written one by one, :func:`iter_report`)."""
    counts = report.counts()
    out = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "trailwarden", "version": __version__},
        "generated_at": report.generated_at.isoformat(),
        "accounts": list(report.accounts),
        "account_details": [account_to_dict(a) for a in report.account_details],
        "summary": {status.value: counts[status] for status in Status},
        "findings": [finding_to_dict(f) for f in report.findings] if findings else [],
        "stats": {
            "api_calls": report.stats.api_calls,
            "api_calls_by_action": report.stats.api_calls_by_action,
            "duration_s": report.stats.duration_s,
        },
    }
    if context is not None and context.framework is not None:
        out["framework"] = context.framework.id
    if context is not None and context.suppressions is not None:
        out["suppressions"] = suppressions_to_dict(context.suppressions)
    return out


def render_report(report: Report, context: RenderContext) -> bytes:
    """The JSON report of ``report`` (``--format json``)."""
    return b"".join(iter_report(report, context))


# An organization's report holds tens of thousands of findings: as one dict and then one
# bytes object it would double the scan's peak memory. The report is written in pieces
# instead, each finding serialised on its own, laid out exactly as orjson lays out the
# whole document (2-space indents): JSON strings hold no raw newline, so indenting a
# finding's lines nests it.
_FINDINGS_AT = b'\n  "findings": []'
_BATCH = 256  # findings per piece


def iter_report(report: Report, context: RenderContext | None = None) -> Iterator[bytes]:
    """The JSON report of ``report`` in pieces; joined, they are :func:`render_report`."""
    import orjson

    head = report_to_dict(report, context, findings=False)
    whole = orjson.dumps(head, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    at = whole.index(_FINDINGS_AT) + len(_FINDINGS_AT) - 1  # at the "]"
    if not report.findings:
        yield whole
        return
    yield whole[: at - 1] + b"[\n"
    for start in range(0, len(report.findings), _BATCH):
        batch = report.findings[start : start + _BATCH]
        parts = []
        for i, f in enumerate(batch, start):
            text = orjson.dumps(finding_to_dict(f), option=orjson.OPT_INDENT_2)
            parts.append(b"    " + text.replace(b"\n", b"\n    "))
            parts.append(b",\n" if i < len(report.findings) - 1 else b"\n")
        yield b"".join(parts)
    yield b"  ]" + whole[at + 1 :]


def render_json(report: Report) -> bytes:
    from trailwarden.formats.base import RenderContext

    return render_report(report, RenderContext())


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every report of this version validates against."""
    import json
    from importlib.resources import files

    text = files("trailwarden").joinpath("schemas/report-v1.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
