"""How a report's accounts are reached with their own credentials (``Reach``): Security Hub
takes a finding only from the account it is about (or an allow-listed partner).
https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html

The caller's account with the caller's credentials; a member of an organization scan
through the role the scan assumed in it (its own session, made once, as ``fix --org``
does); anything else is not reachable, and the reason says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from trailwarden.findings import AccountStatus, Report
from trailwarden.inventory import ApiError

if TYPE_CHECKING:
    from trailwarden.collect.account_sessions import AccountSessions
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.org_inventory import OrganizationInventory

__all__ = ["reach_accounts"]


def reach_accounts(
    caller: ClientFactory,
    report: Report,
    organization: OrganizationInventory | None,
    region: str,
    external_id_for: Callable[[str], str | None] = lambda _: None,
) -> Callable[[str], ClientFactory | str]:
    """A ``Reach`` for ``report``'s accounts. No call is made until a member needs its
    role (then ``sts:GetCallerIdentity`` once, to name the role session after the caller)."""
    mine = organization.caller_account_id if organization is not None else report.accounts[0]
    made: list[AccountSessions] = []

    def sessions() -> AccountSessions:
        if not made:
            from trailwarden.collect.account_sessions import AccountSessions
            from trailwarden.collect.identity import identify_caller

            me = identify_caller(caller, region)
            made.append(AccountSessions(caller, mine, me.arn, "securityhub", region))
        return made[0]

    def reach(account: str) -> ClientFactory | str:
        if account == mine:
            return caller
        member = organization.account(account) if organization is not None else None
        if member is None:
            return (
                f"its findings can only be imported by account {account} itself; scan it (or "
                "the organization with --org) with its credentials"
            )
        if member.status is not AccountStatus.SCANNED:
            return f"account {account} was not scanned ({member.reason or member.status.value})"
        found = sessions().factory(account, member.role_arn, external_id_for(account))
        if isinstance(found, ApiError):
            return f"could not assume {member.role_arn}: {found.describe()}"
        return found

    return reach
