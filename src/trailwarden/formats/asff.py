"""``--format asff``: AWS Security Finding Format (2018-10-08), one JSON array.

What ``BatchImportFindings`` accepts for the default product of each finding's account:
https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html

- ``Id`` is stable (``trailwarden/<account>/<region>/<check>/<sha256 of the resource>``),
  so a re-import updates the finding in place; ``GeneratorId`` is ``trailwarden/<check>``,
  which is how the Security Hub import finds the findings a run no longer produces.
- ``ProductArn`` is ``arn:<partition>:securityhub:<region>:<account>:product/<account>/default``
  and ``AwsAccountId`` the finding's owner: findings can only be imported into the account
  they belong to (an organization trail's findings belong to the management account).
- ``Compliance.Status``: PASS → PASSED, FAIL → FAILED, ERROR → WARNING, NOT_APPLICABLE →
  NOT_AVAILABLE; ``Compliance.RelatedRequirements`` the check's mappings (at most 32).
- A finding that passes is INFORMATIONAL, as Security Hub's own control findings are; the
  check's severity is ``Severity.Original``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, assert_never

from trailwarden.checks.compliance import references
from trailwarden.checks.registry import CHECKS
from trailwarden.findings import Finding, Report, Status
from trailwarden.formats.base import RenderContext, finding_uid, partition_of
from trailwarden.version import __version__
from trailwarden.words import help_url

__all__ = [
    "SCHEMA_VERSION",
    "asff_finding",
    "compliance_status",
    "generator_id",
    "product_arn",
    "render_asff",
]

SCHEMA_VERSION = "2018-10-08"
# Documented limits of the fields trailwarden fills from its own text.
_TITLE, _DESCRIPTION, _RECOMMENDATION, _REQUIREMENTS = 256, 1024, 512, 32
_RESOURCE_TYPES = {"AWS::CloudTrail::Trail": "AwsCloudTrailTrail", "AWS::::Account": "AwsAccount"}


def render_asff(report: Report, context: RenderContext) -> bytes:
    """Every finding as an ASFF finding for its owner's default product, in one array."""
    import orjson

    findings = [
        asff_finding(f, report.generated_at, context.security_hub_region) for f in report.findings
    ]
    return bytes(orjson.dumps(findings, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


def compliance_status(status: Status) -> str:
    if status is Status.PASS:
        return "PASSED"
    if status is Status.FAIL:
        return "FAILED"
    if status is Status.ERROR:
        return "WARNING"
    if status is Status.NOT_APPLICABLE:
        return "NOT_AVAILABLE"
    assert_never(status)


def generator_id(check_id: str) -> str:
    return f"trailwarden/{check_id}"


def product_arn(partition: str, region: str, account_id: str) -> str:
    """The default product of ``account_id``, the one every account may import into."""
    return f"arn:{partition}:securityhub:{region}:{account_id}:product/{account_id}/default"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _timestamp(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def asff_finding(
    f: Finding,
    generated_at: datetime,
    region: str | None = None,
    *,
    created_at: str | None = None,
    record_state: str = "ACTIVE",
) -> dict[str, Any]:
    """``f`` in ASFF, for Security Hub in ``region`` (default: the finding's own region).

    ``created_at`` keeps the time of a finding imported before (an update keeps it)."""
    spec = CHECKS.get(f.check_id)
    partition = partition_of(f)
    home = region or (f.region if f.region != "global" else "us-east-1")
    now = _timestamp(generated_at)
    passed = f.status in (Status.PASS, Status.NOT_APPLICABLE)
    label = "INFORMATIONAL" if passed else f.severity.value
    severity = {"Label": label, "Original": f.severity.value}
    cis = any(r.standard.startswith("CIS ") for r in references(f.check_id))
    types = [
        "Software and Configuration Checks/Industry and Regulatory Standards/"
        "CIS AWS Foundations Benchmark"
        if cis
        else "Software and Configuration Checks/AWS Security Best Practices"
    ]
    fields = {
        "ProviderName": "trailwarden",
        "ProviderVersion": __version__,
        "trailwarden/CheckId": f.check_id,
        "trailwarden/Status": f.status.value,
    }
    if f.account_name:
        fields["trailwarden/AccountName"] = f.account_name
    if f.suppressed is not None:
        fields["trailwarden/Suppressed"] = "true"
        fields["trailwarden/SuppressedReason"] = _clip(f.suppressed.reason, 2048)
        fields["trailwarden/SuppressedExpires"] = f.suppressed.expires.isoformat()
    if f.location is not None:
        fields["trailwarden/Location"] = _clip(
            f.location.file + (f":{f.location.line}" if f.location.line else ""), 2048
        )
    recommendation: dict[str, str] = {
        "Text": _clip(f.remediation or f"See trailwarden explain {f.check_id}.", _RECOMMENDATION)
    }
    if spec is not None and (url := help_url(spec.references)):
        recommendation["Url"] = url
    return {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_uid(f),
        "ProductArn": product_arn(partition, home, f.account_id),
        "GeneratorId": generator_id(f.check_id),
        "AwsAccountId": f.account_id,
        "Types": types,
        "CreatedAt": created_at or now,
        "UpdatedAt": now,
        "FirstObservedAt": created_at or now,
        "LastObservedAt": now,
        "Severity": severity,
        "FindingProviderFields": {"Severity": severity, "Types": types},
        "Title": _clip(f"{f.check_id} {f.title}", _TITLE),
        "Description": _clip(f.message, _DESCRIPTION),
        "Remediation": {"Recommendation": recommendation},
        "ProductFields": fields,
        "Resources": [
            {
                "Type": _RESOURCE_TYPES.get(f.resource_type, "Other"),
                "Id": f.resource_id,
                "Partition": partition,
                "Region": f.region if f.region != "global" else home,
            }
        ],
        "Compliance": {
            "Status": compliance_status(f.status),
            "RelatedRequirements": [r.requirement for r in references(f.check_id)][:_REQUIREMENTS],
        },
        "RecordState": record_state,
    }
