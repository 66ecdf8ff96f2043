"""``--format ocsf``: OCSF 1.x Compliance Findings (class 2003), one JSON array.

Why Compliance Finding and not Detection Finding (2004): a trailwarden check evaluates a
resource's configuration against a control (CIS, Security Hub, NIST, PCI DSS), and a PASS
is a result worth keeping, not the absence of an alert. OCSF's Compliance Finding is that
("results of evaluations performed against resources, to check compliance with various
Industry Frameworks or Security Standards"): its required ``compliance`` object carries
the control references and a pass/fail/warning status. Detection Finding describes
detections of activity by correlation or detection engines.
https://schema.ocsf.io/1.5.0/classes/compliance_finding

Built with py-ocsf-models (the models Prowler uses), imported on first use: each event is
validated by its pydantic model before it is written. The events apply OCSF's ``cloud``
profile (account, region, provider), which py-ocsf-models' ComplianceFinding does not
declare: :func:`_model` adds that one attribute, with py-ocsf-models' own Cloud object.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, assert_never

from trailwarden.checks.compliance import references
from trailwarden.checks.registry import CHECKS
from trailwarden.findings import Finding, Report, Severity, Status
from trailwarden.formats.base import HOMEPAGE, RenderContext, finding_uid, partition_of
from trailwarden.version import __version__
from trailwarden.words import help_url

if TYPE_CHECKING:
    from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding

__all__ = ["ocsf_findings", "render_ocsf"]

FINDING_TYPE = "Software and Configuration Checks/Industry and Regulatory Standards"


def render_ocsf(report: Report, context: RenderContext) -> bytes:
    """Every finding as an OCSF Compliance Finding, in one JSON array."""
    import orjson

    events = [e.model_dump(mode="json", exclude_none=True) for e in ocsf_findings(report)]
    return bytes(orjson.dumps(events, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


def ocsf_findings(report: Report) -> list[ComplianceFinding]:
    """The report's findings as validated py-ocsf-models events."""
    names = {a.account_id: a.name for a in report.account_details if a.name}
    return [_event(f, report, names.get(f.account_id)) for f in report.findings]


def _compliance_status(status: Status) -> tuple[int, str]:
    """OCSF compliance status_id (0 Unknown, 1 Pass, 2 Warning, 3 Fail, 99 Other)."""
    if status is Status.PASS:
        return 1, "Pass"
    if status is Status.FAIL:
        return 3, "Fail"
    if status is Status.ERROR:  # "did not yield a result due to missing information"
        return 2, "Warning"
    if status is Status.NOT_APPLICABLE:
        return 99, "Not Applicable"
    assert_never(status)


def _severity_id(severity: Severity) -> int:
    return {
        Severity.INFORMATIONAL: 1,
        Severity.LOW: 2,
        Severity.MEDIUM: 3,
        Severity.HIGH: 4,
        Severity.CRITICAL: 5,
    }[severity]


@cache
def _model() -> Any:
    """ComplianceFinding with the ``cloud`` profile's attribute."""
    from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
    from py_ocsf_models.objects.cloud import Cloud

    class CloudComplianceFinding(ComplianceFinding):  # type: ignore[misc]
        cloud: Cloud | None = None

    return CloudComplianceFinding


def _event(f: Finding, report: Report, account_name: str | None) -> ComplianceFinding:
    """One finding as a validated event: built as plain data, then validated whole by the
    model (one pass through pydantic, not one per nested object)."""
    spec = CHECKS.get(f.check_id)
    refs = references(f.check_id)
    status_id, status_name = _compliance_status(f.status)
    when = int(report.generated_at.timestamp() * 1000)
    uid = finding_uid(f)
    region = None if f.region == "global" else f.region
    unmapped: dict[str, Any] = {"status": f.status.value, "evidence": f.evidence}
    if f.suppressed is not None:
        unmapped["suppressed"] = {
            "reason": f.suppressed.reason,
            "expires": f.suppressed.expires.isoformat(),
            "source": f.suppressed.source,
        }
    if f.location is not None:
        unmapped["location"] = {"file": f.location.file, "line": f.location.line}
    event: dict[str, Any] = {
        "activity_id": 1,  # Create
        "activity_name": "Create",
        "type_uid": 200301,  # Compliance Finding: Create
        "type_name": "Compliance Finding: Create",
        "time": when,
        "time_dt": report.generated_at,
        "message": f.message,
        "severity_id": _severity_id(f.severity),
        "severity": f.severity.value.capitalize(),
        # The finding's workflow state: 3 Suppressed when a suppressions entry accepts it.
        "status_id": 3 if f.suppressed is not None else 1,
        "status": "Suppressed" if f.suppressed is not None else "New",
        "status_code": f.status.value,
        "status_detail": f.message,
        "comment": f.suppressed.reason if f.suppressed is not None else None,
        "metadata": {
            "event_code": f.check_id,
            "uid": uid,
            "profiles": ["cloud"],
            "product": {
                "name": "trailwarden",
                "vendor_name": "trailwarden",
                "version": __version__,
                "url_string": HOMEPAGE,
            },
        },
        "finding_info": {
            "uid": uid,
            "title": f.title,
            "desc": f.message,
            "types": [FINDING_TYPE],
            "created_time": when,
            "created_time_dt": report.generated_at,
            "src_url": help_url(spec.references) if spec else None,
        },
        "cloud": {
            "provider": "AWS",
            "region": region,
            "account": {
                "uid": f.account_id,
                "name": account_name or f.account_id,
                "type_id": 10,  # AWS Account
            },
        },
        "resources": [
            {
                "uid": f.resource_id,
                "name": f.resource_id.rsplit("/", 1)[-1],
                "type": f.resource_type,
                "region": region,
                "cloud_partition": partition_of(f),
                "data": {"account_id": f.account_id},
            }
        ],
        "remediation": {
            "desc": f.remediation or (spec.title if spec else f.title),
            "references": [r for r in spec.references if r.startswith("http")] if spec else None,
        },
        "compliance": {
            "control": f.check_id,
            "requirements": [r.requirement for r in refs],
            "standards": sorted({r.standard for r in refs}),
            "status_id": status_id,
            "checks": [
                {
                    "uid": f.check_id,
                    "name": f.title,
                    "status": status_name,
                    "status_id": status_id,
                    "severity": f.severity.value.capitalize(),
                    "severity_id": _severity_id(f.severity),
                }
            ],
        },
        "unmapped": unmapped,
    }
    return _model().model_validate(event)
