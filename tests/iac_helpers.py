"""Helpers for the tests of ``trailwarden iac``: run the checks on a fixture of tests/data/iac."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trailwarden.checks import CheckOptions
from trailwarden.collect.iac import CodeSettings
from trailwarden.collect.iac.files import shown
from trailwarden.findings import Finding, Report, Status
from trailwarden.iac_scan import scan_code

DATA = Path(__file__).parent / "data" / "iac"
TRAIL_CHECKS = ("TW001", "TW002", "TW003", "TW006", "TW007")


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """Findings name files relative to the working directory: make it the fixtures'."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def scan(
    *paths: str | Path,
    region: str | None = "eu-west-1",
    var_files: tuple[Path, ...] = (),
    options: CheckOptions | None = None,
    env_vars: dict[str, str] | None = None,
) -> Report:
    settings = CodeSettings(region=region, var_files=var_files, env_vars=env_vars or {})
    return scan_code([DATA / p for p in paths], options, settings)


def label(path: str) -> str:
    """A fixture's path as findings show it (resource_id of TW010/TW1xx, location.file)."""
    return shown(DATA / path)


def verdicts(report: Report) -> dict[tuple[str, str], Status]:
    """(resource_id, check_id) → status."""
    out = {(f.resource_id, f.check_id): f.status for f in report.findings}
    assert len(out) == len(report.findings), "one finding per resource and check"
    return out


def finding(report: Report, resource: str, check: str) -> Finding:
    found = [f for f in report.findings if (f.resource_id, f.check_id) == (resource, check)]
    assert len(found) == 1, [(f.resource_id, f.check_id) for f in report.findings]
    return found[0]


def unverifiable(f: Finding) -> bool:
    return f.status is Status.NOT_APPLICABLE and f.message.startswith(
        "Cannot be verified from code"
    )
