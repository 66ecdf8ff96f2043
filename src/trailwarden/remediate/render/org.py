"""An organization's fix plan: one :class:`~trailwarden.remediate.model.Plan` per account,
and its JSON (``trailwarden fix --org --format json``; the other formats are in
``org_text``, ``org_cli`` and ``org_iac``, behind :func:`~trailwarden.remediate.render.render_org`).

The single-account plan is unchanged inside it: each account's plan is the plan
``trailwarden fix`` makes in that account, with its account id. What is added is where
each account sits (name, OU path) and how it is reached (the role to assume, or the
caller's own credentials), which the AWS CLI script and the Terraform providers need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailwarden.remediate.render.json import plan_to_dict

if TYPE_CHECKING:
    from trailwarden.inventory import Inventory
    from trailwarden.remediate.model import Plan

__all__ = ["ORG_PLAN_SCHEMA_VERSION", "AccountPlan", "OrgPlan", "org_plan_to_dict"]

ORG_PLAN_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class AccountPlan:
    """One account's part of an organization's fix: its plan, or why it has none."""

    account_id: str
    name: str | None = None
    ou_path: str | None = None
    role_arn: str | None = None  # the role assumed in it; None: the caller's credentials
    external_id: str | None = None
    plan: Plan | None = None  # None: not planned (``problem`` says why)
    inventory: Inventory | None = None  # what the plan was made from
    problem: str | None = None  # why there is no plan: could not be scanned, or reached
    skipped: bool = False  # left out on purpose (a suspended account): not a failure

    @property
    def heading(self) -> str:
        """``Account 222222222222 (dev · Root/Workloads)``: id, name and OU path."""
        where = " · ".join(p for p in (self.name, self.ou_path) if p)
        return f"Account {self.account_id}" + (f" ({where})" if where else "")

    @property
    def changes(self) -> int:
        return len(self.plan.steps) if self.plan is not None else 0

    @property
    def status(self) -> str:
        """``planned`` (changes to make), ``nothing to do``, ``skipped`` or ``failed``."""
        if self.skipped:
            return "skipped"
        if self.plan is None:
            return "failed"
        return "planned" if self.plan.steps else "nothing to do"


@dataclass(frozen=True)
class OrgPlan:
    """Every account's part of an organization's fix, the management account first."""

    caller_account_id: str
    partition: str = "aws"
    organization_id: str | None = None  # None: the accounts came from an accounts file
    management_account_id: str | None = None
    accounts: tuple[AccountPlan, ...] = ()

    @property
    def planned(self) -> tuple[AccountPlan, ...]:
        """The accounts whose plan has changes to make."""
        return tuple(a for a in self.accounts if a.changes)

    @property
    def failed(self) -> tuple[AccountPlan, ...]:
        return tuple(a for a in self.accounts if a.status == "failed")

    @property
    def changes(self) -> int:
        return sum(a.changes for a in self.accounts)

    @property
    def is_empty(self) -> bool:
        """No change to make anywhere and no account left unplanned."""
        return not self.changes and not self.failed


def org_plan_to_dict(org: OrgPlan) -> dict[str, Any]:
    """The JSON document of ``fix --org --format json`` (schema version 1): ``plans`` holds
    each planned account's single-account plan object, unchanged; ``accounts`` every
    account in scope with its status."""
    return {
        "schema_version": ORG_PLAN_SCHEMA_VERSION,
        "organization": {
            "id": org.organization_id,
            "management_account_id": org.management_account_id,
            "caller_account_id": org.caller_account_id,
            "partition": org.partition,
        },
        "plans": [plan_to_dict(a.plan) for a in org.accounts if a.plan is not None],
        "accounts": [
            {
                "account_id": a.account_id,
                "name": a.name,
                "ou_path": a.ou_path,
                "role_arn": a.role_arn,
                "status": a.status,
                "changes": a.changes,
                "problem": a.problem,
            }
            for a in org.accounts
        ],
    }
