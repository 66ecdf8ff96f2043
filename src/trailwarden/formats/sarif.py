"""``--format sarif``: SARIF 2.1.0, what code-scanning tools ingest.

One rule per check (its title, the ``explain`` text as help, the first documentation URL
as ``helpUri``, the compliance mappings as tags), one result per FAIL or ERROR finding.
The resource's ARN is the result's logical location; a finding with a code location (the
IaC scan) also gets a physical location, file and line. A suppressed finding carries a
SARIF suppression (``kind: external``, the entry's reason as justification), so viewers
show it as accepted rather than dropping it. ``partialFingerprints`` hold the finding's
stable id, so a result keeps its identity from run to run.
https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

from typing import Any

from trailwarden.checks.compliance import references
from trailwarden.checks.registry import CHECKS
from trailwarden.checks.spec import CheckSpec
from trailwarden.findings import Finding, Report, Severity, Status
from trailwarden.formats.base import HOMEPAGE, RenderContext, finding_uid
from trailwarden.version import __version__
from trailwarden.words import help_url

__all__ = ["render_sarif", "sarif_log"]

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFORMATIONAL: "note",
}
# GitHub code scanning ranks results by this property (0.1–10).
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.0",
    Severity.HIGH: "7.5",
    Severity.MEDIUM: "5.0",
    Severity.LOW: "3.0",
    Severity.INFORMATIONAL: "1.0",
}


def render_sarif(report: Report, context: RenderContext) -> bytes:
    import orjson

    return bytes(
        orjson.dumps(sarif_log(report), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log of ``report``: one run, a rule per check, a result per FAIL/ERROR."""
    rules = [_rule(spec) for spec in CHECKS.values()]
    index = {spec.id: i for i, spec in enumerate(CHECKS.values())}
    results = [
        _result(f, index[f.check_id])
        for f in report.findings
        if f.status in (Status.FAIL, Status.ERROR) and f.check_id in index
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "trailwarden",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": HOMEPAGE,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"trailwarden/{report.generated_at.isoformat()}"},
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "endTimeUtc": report.generated_at.isoformat().replace("+00:00", "Z"),
                    }
                ],
                "results": results,
                "properties": {"accounts": list(report.accounts)},
            }
        ],
    }


def _rule(spec: CheckSpec) -> dict[str, Any]:
    help_text = (
        f"{spec.rationale}\n\nHow trailwarden evaluates it: {spec.how_evaluated}\n\n"
        f"How to fix it: {spec.remediation}"
    )
    help_md = (
        f"{spec.rationale}\n\n**How trailwarden evaluates it**\n\n{spec.how_evaluated}\n\n"
        f"**How to fix it**\n\n{spec.remediation}"
    )
    rule: dict[str, Any] = {
        "id": spec.id,
        "name": "".join(w[:1].upper() + w[1:] for w in spec.title.split() if w.isalnum()),
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.rationale},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": _LEVEL[spec.severity]},
        "properties": {
            "tags": ["security", *(str(r) for r in references(spec.id))],
            "security-severity": _SECURITY_SEVERITY[spec.severity],
            "precision": "very-high",
        },
    }
    if url := help_url(spec.references):
        rule["helpUri"] = url
    return rule


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {
        "logicalLocations": [
            {"fullyQualifiedName": f.resource_id, "name": f.resource_id, "kind": "resource"}
        ]
    }
    if f.location is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": f.location.file}}
        if f.location.line is not None:
            physical["region"] = {"startLine": f.location.line}
        location["physicalLocation"] = physical
    text = f.message if f.status is Status.FAIL else f"Could not be evaluated: {f.message}"
    result: dict[str, Any] = {
        "ruleId": f.check_id,
        "ruleIndex": rule_index,
        "kind": "fail" if f.status is Status.FAIL else "review",
        "level": _LEVEL[f.severity] if f.status is Status.FAIL else "warning",
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"trailwarden/v1": finding_uid(f)},
        "properties": {
            "status": f.status.value,
            "accountId": f.account_id,
            "accountName": f.account_name,
            "region": f.region,
            "resourceType": f.resource_type,
            "remediation": f.remediation,
        },
    }
    if f.suppressed is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{f.suppressed.reason} (until {f.suppressed.expires}, "
                f"{f.suppressed.source})",
            }
        ]
    return result
