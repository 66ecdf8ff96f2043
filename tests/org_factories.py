"""Factories for organization inventories: a management account that owns an organization
trail with CIS monitoring, and members that list it (as ``scan --org`` collects them).

The defaults are compliant: every member is covered by the management account's qualifying
organization trail ``org``, whose log group has the 15 CIS filters and alarms.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from factories import (
    ACCOUNT,
    COLLECTED_AT,
    MEMBER_ACCOUNT,
    ORG_ID,
    REGION,
    make_inventory,
    make_trail,
)
from monitoring_factories import monitored
from trailwarden.findings import AccountStatus
from trailwarden.inventory import ApiError, Inventory, Trail, TrailRef
from trailwarden.org_inventory import OrgAccount, OrganizationInventory

MANAGEMENT = ACCOUNT
OTHER_MEMBER = "333333333333"


def org_trail(**changes: Any) -> Trail:
    """The management account's organization trail ``org`` (log group aws-cloudtrail-logs/main)."""
    return make_trail("org", organization=True, **changes)


def management_inventory(*trails: Trail, monitoring: bool = True, **changes: Any) -> Inventory:
    """The management account with its organization trail (and CIS monitoring on its group;
    ``changes`` go to :func:`monitoring_factories.monitored`)."""
    base = make_inventory(trails or (org_trail(),), organization_id=ORG_ID)
    return monitored(base=base, **changes) if monitoring else base


def ref(trail: Trail) -> TrailRef:
    return TrailRef(trail.arn, trail.name, trail.home_region, trail.account_id)


def member_inventory(
    account_id: str = MEMBER_ACCOUNT, *own: Trail, lists: tuple[Trail, ...] | None = None
) -> Inventory:
    """A member as an organization scan collects it: its own trails described, the
    organization's trails (``lists``, default ``org``) listed only."""
    listed = (org_trail(),) if lists is None else lists
    base = (
        make_inventory(own, account_id=account_id, organization_id=ORG_ID)
        if own
        else Inventory(
            account_id=account_id,
            partition="aws",
            collected_at=COLLECTED_AT,
            organization_id=ORG_ID,
        )
    )
    return replace(base, organization_trails=tuple(ref(t) for t in listed))


def failed(account_id: str, name: str = "sandbox", code: str = "AccessDenied") -> OrgAccount:
    role = f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
    error = ApiError("sts:AssumeRole", code, "not authorized to perform: sts:AssumeRole", REGION)
    return OrgAccount(
        account_id,
        name,
        "Root/Sandbox",
        AccountStatus.FAILED,
        f"{code} on sts:AssumeRole for {role}",
        role,
        error,
    )


def organization(
    *accounts: OrgAccount, management: Inventory | None = None, **changes: Any
) -> OrganizationInventory:
    """The management account (first) and ``accounts`` (default: one covered member)."""
    first = OrgAccount(
        MANAGEMENT, "management", "Root", inventory=management or management_inventory()
    )
    members = accounts or (
        OrgAccount(MEMBER_ACCOUNT, "prod", "Root/Prod", inventory=member_inventory()),
    )
    return replace(
        OrganizationInventory(
            caller_account_id=MANAGEMENT,
            partition="aws",
            collected_at=COLLECTED_AT,
            organization_id=ORG_ID,
            management_account_id=MANAGEMENT,
            accounts=(first, *members),
        ),
        **changes,
    )


def member(inventory: Inventory, name: str = "prod", **changes: Any) -> OrgAccount:
    return replace(
        OrgAccount(inventory.account_id, name, "Root/Prod", inventory=inventory), **changes
    )
