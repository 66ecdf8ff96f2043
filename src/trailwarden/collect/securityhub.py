"""AWS Security Hub reads and writes: BatchImportFindings in batches, GetFindings paged.

- ``BatchImportFindings`` takes at most 100 findings and 240 KB per request, and answers
  per finding (``FailedFindings``: Id, ErrorCode, ErrorMessage); throttling is retried by
  the factory's adaptive retry mode.
  https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html
- ``GetFindings`` pages 100 at a time. The filters are also applied to each returned
  finding: what is archived must be trailwarden's own, whatever an endpoint returns.
  https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindings.html
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.inventory import ApiError

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = [
    "MAX_BATCH_BYTES",
    "MAX_BATCH_FINDINGS",
    "ImportFailure",
    "ImportOutcome",
    "active_findings",
    "batches",
    "import_findings",
]

MAX_BATCH_FINDINGS = 100
MAX_BATCH_BYTES = 240 * 1024
IMPORT = "securityhub:BatchImportFindings"
READ = "securityhub:GetFindings"


@dataclass(frozen=True)
class ImportFailure:
    """A finding Security Hub did not take, and why (its error code and message)."""

    finding_id: str
    code: str
    message: str


@dataclass(frozen=True)
class ImportOutcome:
    imported: int
    failures: tuple[ImportFailure, ...]


def batches(findings: Sequence[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """``findings`` in requests of at most 100 findings and 240 KB."""
    import orjson

    batch: list[dict[str, Any]] = []
    size = 2  # the JSON array's brackets
    for finding in findings:
        weight = len(orjson.dumps(finding)) + 1
        if batch and (len(batch) == MAX_BATCH_FINDINGS or size + weight > MAX_BATCH_BYTES):
            yield batch
            batch, size = [], 2
        batch.append(finding)
        size += weight
    if batch:
        yield batch


def import_findings(
    factory: ClientFactory, region: str, findings: Sequence[dict[str, Any]]
) -> ImportOutcome:
    """Import ``findings`` into Security Hub in ``region``; every finding not taken is a
    failure (a failed request fails each of its findings, with the AWS error code)."""
    client = factory.client("securityhub", region)
    imported, failures = 0, []
    for batch in batches(findings):
        try:
            answer = client.batch_import_findings(Findings=batch)
        except AwsCallError as exc:
            error = api_error(exc, IMPORT, region)
            failures += [ImportFailure(f["Id"], error.code, error.message) for f in batch]
            continue
        failed = answer.get("FailedFindings", [])
        failures += [
            ImportFailure(f.get("Id", ""), f.get("ErrorCode", ""), f.get("ErrorMessage", ""))
            for f in failed
        ]
        imported += answer.get("SuccessCount", len(batch) - len(failed))
    return ImportOutcome(imported, tuple(failures))


def active_findings(
    factory: ClientFactory, region: str, product_arn: str, generator_prefix: str
) -> list[dict[str, Any]] | ApiError:
    """The ACTIVE findings of ``product_arn`` whose GeneratorId starts with the prefix."""
    client = factory.client("securityhub", region)
    filters = {
        "ProductArn": [{"Value": product_arn, "Comparison": "EQUALS"}],
        "GeneratorId": [{"Value": generator_prefix, "Comparison": "PREFIX"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
    }
    kwargs: dict[str, Any] = {"Filters": filters, "MaxResults": 100}
    found: list[dict[str, Any]] = []
    try:
        while True:
            page = client.get_findings(**kwargs)
            found += [
                f
                for f in page.get("Findings", [])
                if f.get("ProductArn") == product_arn
                and str(f.get("GeneratorId", "")).startswith(generator_prefix)
                and f.get("RecordState", "ACTIVE") == "ACTIVE"
            ]
            if not page.get("NextToken"):
                return found
            kwargs["NextToken"] = page["NextToken"]
    except AwsCallError as exc:
        return api_error(exc, READ, region)
