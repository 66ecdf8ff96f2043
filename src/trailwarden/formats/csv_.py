"""``--format csv``: one row per finding, for spreadsheets; the columns never change order.

Columns (:data:`COLUMNS`): account_id, account_name, region, check_id, title, status,
severity, resource_type, resource_id, message, remediation, compliance (``; ``-separated
requirements), suppressed (``yes`` or empty), suppressed_reason, suppressed_expires,
location. UTF-8 with a byte-order mark, so that Excel reads names correctly, and CRLF
line ends (RFC 4180). A cell from outside that starts with ``=``, ``+``, ``-``, ``@``, tab
or carriage return is prefixed with ``'``, so that a spreadsheet shows it as text instead
of running it as a formula (OWASP's advice against CSV injection).
"""

from __future__ import annotations

import csv

from trailwarden.checks.compliance import references
from trailwarden.findings import Finding, Report
from trailwarden.formats.base import RenderContext

__all__ = ["COLUMNS", "render_csv"]

COLUMNS = (
    "account_id",
    "account_name",
    "region",
    "check_id",
    "title",
    "status",
    "severity",
    "resource_type",
    "resource_id",
    "message",
    "remediation",
    "compliance",
    "suppressed",
    "suppressed_reason",
    "suppressed_expires",
    "location",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class _Lines:
    """A file-like sink for csv.writer (no I/O module: formats are pure)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)


def render_csv(report: Report, context: RenderContext) -> bytes:
    sink = _Lines()
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in report.findings:
        writer.writerow([_cell(v) for v in _row(f)])
    return ("\ufeff" + "".join(sink.parts)).encode("utf-8")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA) else value


def _row(f: Finding) -> list[str]:
    s = f.suppressed
    where = ""
    if f.location is not None:
        where = f.location.file + (f":{f.location.line}" if f.location.line else "")
    return [
        f.account_id,
        f.account_name or "",
        f.region,
        f.check_id,
        f.title,
        f.status.value,
        f.severity.value,
        f.resource_type,
        f.resource_id,
        f.message,
        f.remediation,
        "; ".join(r.requirement for r in references(f.check_id)),
        "yes" if s is not None else "",
        s.reason if s is not None else "",
        s.expires.isoformat() if s is not None else "",
        where,
    ]
