"""Which accounts an organization scan covers, and how each is reached.

The accounts come from the organization tree (:mod:`trailwarden.collect.organization`) or
an accounts file (:mod:`trailwarden.collect.accounts_file`); ``--accounts`` and
``--exclude-accounts`` narrow them. Each becomes a :class:`Target`: skipped (not ACTIVE),
the caller's own account (its own credentials), or a role to assume in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trailwarden.collect.accounts_file import AccountEntry
from trailwarden.collect.assume import DEFAULT_ROLE_NAME, RoleTarget, role_arn
from trailwarden.collect.organization import Member, skip_reason
from trailwarden.errors import UsageError

__all__ = ["DEFAULT_MAX_WORKERS", "OrgRequest", "Target", "TargetMaker", "narrowed"]

# Accounts collected at once (see the README's speed section for how it was chosen).
DEFAULT_MAX_WORKERS = 32


@dataclass(frozen=True)
class OrgRequest:
    """What to scan: the organization (``ous``: under those OUs) or an accounts file."""

    accounts_file: tuple[AccountEntry, ...] | None = None  # None: the organization
    ous: tuple[str, ...] = ()
    include: frozenset[str] | None = None  # --accounts
    exclude: frozenset[str] = field(default_factory=frozenset)  # --exclude-accounts
    role_name: str = DEFAULT_ROLE_NAME
    external_id: str | None = None
    regions: tuple[str, ...] | None = None
    monitoring: bool = True
    max_workers: int = DEFAULT_MAX_WORKERS

    def external_id_for(self, account_id: str) -> str | None:
        """The external id of ``account_id``'s role: its accounts-file entry's, else
        ``--external-id``."""
        for entry in self.accounts_file or ():
            if entry.account_id == account_id and entry.external_id is not None:
                return entry.external_id
        return self.external_id


@dataclass(frozen=True)
class Target:
    """One account to collect (or skip), and how to reach it."""

    account_id: str
    name: str | None
    ou_path: str | None
    skip: str | None = None  # why it is not scanned
    role: RoleTarget | None = None  # None: the caller's credentials
    regions: tuple[str, ...] | None = None
    in_scope: bool = True


class TargetMaker:
    """Targets for the accounts of one request, made by the caller (``caller_account``)."""

    def __init__(self, request: OrgRequest, caller_account: str, partition: str) -> None:
        self.request, self.caller_account, self.partition = request, caller_account, partition

    def target(
        self,
        account_id: str,
        name: str | None = None,
        ou_path: str | None = None,
        role: str | None = None,
        external_id: str | None = None,
        regions: tuple[str, ...] | None = None,
    ) -> Target:
        """How to reach ``account_id``: the caller's own credentials, or a role in it."""
        regions = regions or self.request.regions
        if account_id == self.caller_account and role is None:
            return Target(account_id, name, ou_path, regions=regions)
        role = role or self.request.role_name
        arn = role if role.startswith("arn:") else role_arn(self.partition, account_id, role)
        target = RoleTarget(account_id, arn, external_id or self.request.external_id)
        return Target(account_id, name, ou_path, role=target, regions=regions)

    def from_member(self, m: Member) -> Target:
        skip = skip_reason(m.state)
        if skip is None:
            return self.target(m.account_id, m.name, m.ou_path)
        why = f"{skip} (AWS Organizations state {m.state or 'unknown'})"
        return Target(m.account_id, m.name, m.ou_path, skip=why)

    def from_entry(self, e: AccountEntry) -> Target:
        return self.target(e.account_id, e.name, e.ou_path, e.role, e.external_id, e.regions)


def narrowed(found: list[Target], request: OrgRequest) -> list[Target]:
    """``found`` narrowed by ``--accounts`` and ``--exclude-accounts``; an ``--accounts`` id
    that is not there, or nothing left, is :class:`UsageError`."""
    if request.include is not None:
        missing = sorted(request.include - {t.account_id for t in found})
        if missing:
            where = (
                "in the accounts file"
                if request.accounts_file is not None
                else ("under --ou" if request.ous else "in the organization")
            )
            raise UsageError(f"--accounts names {', '.join(missing)}, not {where}; check the ids.")
        found = [t for t in found if t.account_id in request.include]
    found = [t for t in found if t.account_id not in request.exclude]
    if not found:
        raise UsageError(
            "No account is left to scan once --accounts and --exclude-accounts are applied; "
            "check them."
        )
    return found
