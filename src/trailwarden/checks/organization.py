"""The checks of an organization: every account's, with organization trails credited once.

A pure function of the :class:`~trailwarden.org_inventory.OrganizationInventory`:

1. The accounts that own an organization trail (the management account) are evaluated
   first, on their own: each organization trail is evaluated there, once, in its home
   region — its TW001–TW007 findings are the owner's.
2. Every other account is evaluated with the organization trails its ListTrails showed,
   as their owners' evaluations judged them (:class:`~trailwarden.checks.CoveringTrail`):
   its TW010 passes when one of them (or one of its own trails) qualifies, and its
   TW101–TW115 are judged on their log groups too. Members never repeat the
   organization trail's findings.
3. An account that could not be reached has exactly one finding, TW010 ERROR on
   ``AWS::::Account:<id>`` naming the failed call; a skipped account (suspended, closed)
   has none; an OU whose accounts could not be listed has one ERROR too. These are
   reported whatever ``--check`` selects: an account left unscanned is never silent.
"""

from __future__ import annotations

from dataclasses import replace

from trailwarden.checks import CheckOptions, CoveringTrail, evaluate
from trailwarden.checks.registry import CHECKS
from trailwarden.findings import AccountStatus, Finding, Severity, Status
from trailwarden.inventory import TrailRef
from trailwarden.org_inventory import OrgAccount, OrganizationInventory, OuListingError

__all__ = ["evaluate_organization"]

_TRAIL_CHECKS = frozenset({"TW001", "TW002", "TW003", "TW004", "TW005", "TW006", "TW007"})


def evaluate_organization(org: OrganizationInventory, options: CheckOptions) -> tuple[Finding, ...]:
    """Every finding of the accounts in scope, management account first (see module doc)."""
    # Everything the options ask for is evaluated, unfiltered: a member's crediting needs
    # its organization trail's TW001–TW005 even under --check TW010.
    full = replace(options, only=None, monitoring=options.wants_monitoring)
    by_id = {a.account_id: a for a in org.accounts}
    owners = {
        ref.account_id
        for a in org.accounts
        if a.inventory is not None
        for ref in a.inventory.organization_trails
    }
    evaluated: dict[str, tuple[Finding, ...]] = {}
    for a in org.accounts:
        if a.inventory is not None and a.account_id in owners:
            evaluated[a.account_id] = evaluate(a.inventory, full)
    for a in org.accounts:
        if a.inventory is not None and a.account_id not in evaluated:
            covering = [_covering(ref, by_id, evaluated) for ref in a.inventory.organization_trails]
            evaluated[a.account_id] = evaluate(a.inventory, full, covering)
    findings: list[Finding] = []
    for a in org.accounts:
        if not a.in_scope:
            continue
        if a.status is AccountStatus.FAILED:
            findings.append(unreachable(a))
        findings += [
            f
            for f in evaluated.get(a.account_id, ())
            if options.only is None or f.check_id in options.only
        ]
    owner = org.management_account_id or org.caller_account_id
    findings += [unlisted(e, owner) for e in org.listing_errors]
    names = {a.account_id: a.name for a in org.accounts}
    return tuple(replace(f, account_name=names.get(f.account_id)) for f in findings)


def _covering(
    ref: TrailRef, by_id: dict[str, OrgAccount], evaluated: dict[str, tuple[Finding, ...]]
) -> CoveringTrail:
    """The organization trail ``ref`` as its owner's evaluation judged it, or why not."""
    owner_id = ref.account_id
    owner = by_id.get(owner_id)
    if owner is None:
        return CoveringTrail(
            ref,
            unknown=f"its owner, account {owner_id}, is not part of this run",
            fix=f"Scan account {owner_id} in the same run (add it to the accounts file or to "
            "--accounts) so that its organization trail is evaluated.",
        )
    if owner.inventory is None:
        return CoveringTrail(
            ref,
            unknown=f"its owner, account {owner_id}, could not be scanned: {owner.reason}",
            fix=f"Make the scan of account {owner_id} succeed (see its finding).",
        )
    trail = next((t for t in owner.inventory.trails if t.arn == ref.arn), None)
    if trail is None:
        errors = "; ".join(e.describe() for e in owner.inventory.errors)
        return CoveringTrail(
            ref,
            unknown=f"the scan of its owner, account {owner_id}, did not collect it"
            + (f" ({errors})" if errors else " (is it outside --regions?)"),
            fix=f"Scan account {owner_id} with read access to its trails, in every region.",
        )
    findings = tuple(
        f
        for f in evaluated.get(owner_id, ())
        if f.resource_id == ref.arn and f.check_id in _TRAIL_CHECKS
    )
    return CoveringTrail(ref, trail, findings, owner.inventory)


def unreachable(a: OrgAccount) -> Finding:
    """The one finding of an account that could not be scanned: TW010 ERROR."""
    error = a.error
    named = f"{a.account_id} ({a.name})" if a.name else a.account_id
    if error is not None:
        detail = f" — {error.message}" if error.message else ""
        what = f"{error.code} on {error.action} for {a.role_arn or 'the caller'}{detail}"
        evidence = {
            "error": {"action": error.action, "code": error.code, "message": error.message},
            "role_arn": a.role_arn,
        }
    else:
        what, evidence = a.reason or "unknown reason", {"role_arn": a.role_arn}
    return Finding(
        check_id="TW010",
        title=CHECKS["TW010"].title,
        status=Status.ERROR,
        severity=CHECKS["TW010"].severity,
        account_id=a.account_id,
        region="global",
        resource_type="AWS::::Account",
        resource_id=f"AWS::::Account:{a.account_id}",
        message=f"Could not scan account {named}: {what}.",
        remediation=(
            f"Deploy the read-only audit role in account {a.account_id}, trusting the scanning "
            "account (policies/trailwarden-audit-role.yaml), or pass the --role-name (and "
            "--external-id) of a role it has; then scan again."
        ),
        evidence=evidence,
    )


def unlisted(e: OuListingError, account_id: str) -> Finding:
    """An OU whose accounts could not be listed: ERROR, since they went unscanned."""
    err = e.error
    detail = f" — {err.message}" if err.message else ""
    return Finding(
        check_id="TW010",
        title=CHECKS["TW010"].title,
        status=Status.ERROR,
        severity=Severity.HIGH,
        account_id=account_id,
        region="global",
        resource_type="AWS::Organizations::OrganizationalUnit",
        resource_id=e.parent_id,
        message=(
            f"Could not list the accounts under {e.ou_path} ({e.parent_id}): {err.code} on "
            f"{err.action}{detail}; its accounts were not scanned."
        ),
        remediation=(
            f"Make {err.action} succeed for the scanning principal "
            "(policies/trailwarden-org-caller.json) and scan again."
        ),
        evidence={"error": {"action": err.action, "code": err.code, "message": err.message}},
    )
