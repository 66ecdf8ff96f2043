"""Planning an organization's fix: the organization scan, then one plan per account.

1. :func:`~trailwarden.org_scan.scan_organization` collects and evaluates every account
   (the same accounts, roles and findings as ``scan --org``).
2. Each scanned account is planned for as ``trailwarden fix`` plans in that account, from
   its own findings. A member is planned with the organization trails it relies on as AWS
   shows them to it (read-only, owned by the management account): so an organization
   trail is only ever changed by its owner's plan, and a member's plan says so.
   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
3. The resources a plan would create or reuse are looked up in the account, through its
   session (:class:`~trailwarden.collect.account_sessions.AccountSessions`), which the
   apply then reuses. An account that could not be scanned, or reached for its lookups,
   has no plan and says why.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from trailwarden.checks import CheckOptions
from trailwarden.collect.account_sessions import AccountSessions
from trailwarden.collect.identity import identify_caller
from trailwarden.findings import AccountStatus
from trailwarden.inventory import ApiError
from trailwarden.remediate.render.org import AccountPlan, OrgPlan

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.collect.org_collect import OrgRequest, Progress
    from trailwarden.findings import Finding, Report
    from trailwarden.inventory import Inventory
    from trailwarden.org_inventory import OrgAccount, OrganizationInventory
    from trailwarden.remediate import FixOptions

__all__ = ["PlannedOrgFix", "plan_organization"]


@dataclass(frozen=True)
class PlannedOrgFix:
    """The organization's plan, the scan it answers, and the sessions to apply it with."""

    plan: OrgPlan
    report: Report
    sessions: AccountSessions


def plan_organization(
    caller: ClientFactory,
    request: OrgRequest,
    fix_options: FixOptions,
    check_options: CheckOptions | None = None,
    on_progress: Progress | None = None,
) -> PlannedOrgFix:
    """Scan every account ``request`` names and plan each one's fix (no change is made)."""
    from trailwarden.org_scan import scan_organization

    scanned = scan_organization(caller, request, check_options or CheckOptions(), on_progress)
    org = scanned.inventory
    me = identify_caller(caller, caller.region_name or "us-east-1")
    sessions = AccountSessions(caller, org.caller_account_id, me.arn, "fix")
    by_account: dict[str, list[Finding]] = {}
    for f in scanned.report.findings:
        by_account.setdefault(f.account_id, []).append(f)
    in_scope = [a for a in org.accounts if a.in_scope]
    # What only one account can change (its organization trail and the filters on its log
    # group) is its plan's: the members' plans say so.
    reached = frozenset(a.account_id for a in in_scope if a.inventory is not None)
    fix_options = replace(fix_options, accounts_in_run=reached)

    def plan_one(a: OrgAccount) -> AccountPlan:
        return _plan_account(
            a, org, request, by_account.get(a.account_id, []), fix_options, sessions
        )

    with ThreadPoolExecutor(request.max_workers, thread_name_prefix="trailwarden-plan") as pool:
        accounts = tuple(pool.map(plan_one, in_scope))
    plan = OrgPlan(
        caller_account_id=org.caller_account_id,
        partition=org.partition,
        organization_id=org.organization_id,
        management_account_id=org.management_account_id,
        accounts=accounts,
    )
    return PlannedOrgFix(plan, scanned.report, sessions)


def _plan_account(
    a: OrgAccount,
    org: OrganizationInventory,
    request: OrgRequest,
    findings: list[Finding],
    options: FixOptions,
    sessions: AccountSessions,
) -> AccountPlan:
    from trailwarden.remediate import complete_inventory, make_plan, wanted_resources

    external_id = request.external_id_for(a.account_id)
    base = AccountPlan(a.account_id, a.name, a.ou_path, a.role_arn, external_id)
    if a.status is AccountStatus.SKIPPED:
        return replace(base, problem=a.reason or "skipped", skipped=True)
    if a.inventory is None:
        return replace(base, problem=f"could not be scanned: {a.reason or 'unknown reason'}")
    inventory = _with_covering_trails(a.inventory, org)
    wanted = wanted_resources(inventory, findings, options)
    if not wanted.is_empty:
        factory = sessions.factory(a.account_id, a.role_arn, external_id)
        if isinstance(factory, ApiError):
            return replace(base, problem=f"could not be reached: {factory.describe()}")
        inventory = complete_inventory(factory, inventory, wanted)
    plan = make_plan(inventory, findings, options)
    return replace(base, plan=plan, inventory=inventory)


def _with_covering_trails(inventory: Inventory, org: OrganizationInventory) -> Inventory:
    """``inventory`` with the organization trails of other accounts it relies on, as AWS
    shows them to a member (DescribeTrails lists them there, owned by their owner)."""
    mine = {t.arn for t in inventory.trails}
    extra = []
    for ref in inventory.organization_trails:
        owner = org.account(ref.account_id)
        if ref.account_id == inventory.account_id or ref.arn in mine or owner is None:
            continue
        if owner.inventory is not None:
            extra += [t for t in owner.inventory.trails if t.arn == ref.arn]
    return replace(inventory, trails=inventory.trails + tuple(extra)) if extra else inventory
