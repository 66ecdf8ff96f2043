"""The JSON report, schema version 1 (``schemas/report-v1.schema.json``).

Stable for consumers: fields are only ever added within a schema version.
"""

from __future__ import annotations

from typing import Any

from trailwarden.findings import AccountInfo, Finding, Report, Status
from trailwarden.version import __version__

__all__ = ["REPORT_SCHEMA_VERSION", "render_json", "report_to_dict", "schema"]

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
    }


def account_to_dict(a: AccountInfo) -> dict[str, Any]:
    return {
        "account_id": a.account_id,
        "name": a.name,
        "ou_path": a.ou_path,
        "status": a.status.value,
        "reason": a.reason,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    counts = report.counts()
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "trailwarden", "version": __version__},
        "generated_at": report.generated_at.isoformat(),
        "accounts": list(report.accounts),
        "account_details": [account_to_dict(a) for a in report.account_details],
        "summary": {status.value: counts[status] for status in Status},
        "findings": [finding_to_dict(f) for f in report.findings],
        "stats": {
            "api_calls": report.stats.api_calls,
            "api_calls_by_action": report.stats.api_calls_by_action,
            "duration_s": report.stats.duration_s,
        },
    }


def render_json(report: Report) -> bytes:
    import orjson

    return bytes(
        orjson.dumps(report_to_dict(report), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every report of this version validates against."""
    import json
    from importlib.resources import files

    text = files("trailwarden").joinpath("schemas/report-v1.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
