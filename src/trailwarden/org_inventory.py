"""The collected facts about an organization: one :class:`Inventory` per account reached.

What ``trailwarden scan --org`` (or ``--accounts-file``) collects, and what
``--save-inventory`` / ``--inventory`` write and read, so that a whole organization can be
evaluated again offline with the same findings. Frozen, JSON-serialisable dataclasses,
like :mod:`trailwarden.inventory`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from trailwarden.findings import AccountStatus
from trailwarden.inventory import INVENTORY_SCHEMA_VERSION, ApiError, Inventory

__all__ = ["OrgAccount", "OrganizationInventory", "OuListingError"]


@dataclass(frozen=True)
class OrgAccount:
    """One account of the run: where it sits, how it was reached, what was collected.

    ``inventory`` is None when the account was skipped (``reason`` says why: suspended,
    closed) or could not be reached (``error``: the failed call, e.g. ``sts:AssumeRole``).
    ``in_scope`` is False for an account read only because it owns an organization
    trail that in-scope members rely on (``--ou`` or ``--accounts`` left it out): its
    organization trails are evaluated, its findings are not reported.
    """

    account_id: str
    name: str | None = None
    ou_path: str | None = None
    status: AccountStatus = AccountStatus.SCANNED
    reason: str | None = None
    role_arn: str | None = None  # the role assumed; None: the caller's own credentials
    error: ApiError | None = None
    inventory: Inventory | None = None
    in_scope: bool = True


@dataclass(frozen=True)
class OuListingError:
    """A root or OU whose accounts could not be listed: they are missing from the run."""

    parent_id: str
    ou_path: str
    error: ApiError


@dataclass(frozen=True)
class OrganizationInventory:
    """Every account of an organization scan (management account first)."""

    caller_account_id: str
    partition: str
    collected_at: datetime
    organization_id: str | None = None  # None: from an accounts file
    management_account_id: str | None = None
    accounts: tuple[OrgAccount, ...] = ()
    listing_errors: tuple[OuListingError, ...] = ()
    kind: Literal["organization"] = "organization"
    schema_version: int = field(default=INVENTORY_SCHEMA_VERSION)

    def account(self, account_id: str) -> OrgAccount | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)
