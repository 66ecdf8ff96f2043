"""The checks on infrastructure code (``trailwarden iac``): read each PATH into an inventory,
evaluate the same checks as ``scan`` on facts from code, and report where in the code each
finding is.

A finding's ``resource_id`` is the Terraform address or CloudFormation logical id of its trail
(TW010 and TW101–TW115: the input itself), ``location`` its file and line (a plan has no
lines), ``account_id`` empty: code does not say which account it deploys to.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from trailwarden.checks import CheckOptions, FactSource, evaluate
from trailwarden.checks.code_fixes import code_fix
from trailwarden.collect.iac import CodeInventory, CodeSettings, InputKind, read_code
from trailwarden.findings import Finding, Report, SourceLocation, Stats, Status

__all__ = ["scan_code"]


def scan_code(
    paths: Sequence[Path],
    options: CheckOptions | None = None,
    settings: CodeSettings | None = None,
) -> Report:
    """Evaluate every check on each input, read with ``settings``; no AWS call."""
    started = time.perf_counter()
    options = replace(options or CheckOptions(), source=FactSource.CODE)
    findings: list[Finding] = []
    for path in paths:
        code = read_code(path, settings)
        evaluated = evaluate(code.inventory, options)
        # TW010 names the trail the account-level findings are about; they point at it.
        about = next((_about(f, code) for f in evaluated if f.check_id == "TW010"), code.location)
        findings += [_in_code(f, code, about) for f in evaluated]
    return Report(
        accounts=(),
        generated_at=datetime.now(UTC),
        findings=tuple(findings),
        stats=Stats(duration_s=round(time.perf_counter() - started, 3)),
    )


def _in_code(f: Finding, code: CodeInventory, about: SourceLocation) -> Finding:
    where = code.trails.get(f.resource_id)
    address = where.address if where is not None else code.path
    if f.status is Status.FAIL:
        cloudformation = code.kind is InputKind.CLOUDFORMATION
        f = replace(f, remediation=code_fix(f.check_id, cloudformation, address, f.remediation))
    if where is not None:
        location = where.location or code.location
        if where.maybe:  # judged as written: say that it may not be created at all
            note = f" Note: {address} may not exist ({where.maybe})."
            f = replace(f, message=f.message + note)
        return replace(f, account_id="", resource_id=address, location=location)
    return replace(f, account_id="", resource_id=address, location=about)


def _about(f: Finding, code: CodeInventory) -> SourceLocation:
    """Where the account-level findings point: TW010's qualifying trail, else its first
    candidate, else the input."""
    named = list(f.evidence.get("qualifying", ())) + [
        c.get("trail_arn") for c in f.evidence.get("candidates", ()) if isinstance(c, dict)
    ]
    arns = named or list(code.trails)
    for arn in arns:
        where = code.trails.get(str(arn))
        if where is not None and where.location is not None:
            return where.location
    return code.location
