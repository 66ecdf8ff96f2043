"""Collect every account of an organization (``scan --org``) or of an accounts file.

1. ``sts:GetCallerIdentity`` once: the caller's account and partition, and the role
   session name. With ``--org``, ``organizations:DescribeOrganization``: the
   organization's id and management account.
2. The management account's collection starts at once (it owns the organization trails
   every member relies on): with the caller's credentials when the caller is the
   management account, else through AssumeRole (a delegated administrator).
3. The accounts: the organization tree (:mod:`trailwarden.collect.organization`) or the
   accounts file, narrowed by ``--accounts`` / ``--exclude-accounts``. ACTIVE accounts are
   collected, ``max_workers`` at a time, each through ``sts:AssumeRole``
   (:mod:`trailwarden.collect.assume`) except the caller's own; the others are listed as
   skipped. A member whose role cannot be assumed is recorded as failed, with the call
   and the AWS error code; the run goes on.
4. Each member's collection knows its account id (no GetCallerIdentity) and lists its
   organization's trails without describing them: a member without a trail of its own
   costs AssumeRole and ListTrails, nothing else.

Only an endpoint that is silent or not AWS (:class:`~trailwarden.errors.EndpointError`)
or Ctrl-C ends the run early.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trailwarden.collect.accounts_file import AccountEntry
from trailwarden.collect.assume import (
    DEFAULT_ROLE_NAME,
    AssumedSessions,
    RoleTarget,
    role_arn,
    session_name,
)
from trailwarden.collect.aws import KnownAccount, collect_account
from trailwarden.collect.identity import identify_caller
from trailwarden.collect.organization import Member, describe_organization, discover, skip_reason
from trailwarden.collect.regions import validate_regions
from trailwarden.errors import UsageError
from trailwarden.findings import AccountStatus
from trailwarden.inventory import ApiError, Inventory
from trailwarden.org_inventory import OrgAccount, OrganizationInventory, OuListingError

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["DEFAULT_MAX_WORKERS", "OrgRequest", "Progress", "collect_organization"]

# Accounts collected at once (see the README's speed section for how it was chosen).
DEFAULT_MAX_WORKERS = 32
# (accounts done, accounts to do, accounts failed so far)
Progress = Callable[[int, int, int], None]


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


@dataclass(frozen=True)
class _Target:
    """One account to collect (or skip), and how to reach it."""

    account_id: str
    name: str | None
    ou_path: str | None
    skip: str | None = None  # why it is not scanned
    role: RoleTarget | None = None  # None: the caller's credentials
    regions: tuple[str, ...] | None = None
    in_scope: bool = True


@dataclass(frozen=True)
class _Reached:
    inventory: Inventory | None
    error: ApiError | None
    counts: dict[str, int]


def collect_organization(
    caller: ClientFactory, request: OrgRequest, on_progress: Progress | None = None
) -> tuple[OrganizationInventory, dict[str, int]]:
    """The organization inventory, and the API calls made by action (every account)."""
    control = caller.region_name or "us-east-1"
    me = identify_caller(caller, control)
    if request.regions is not None:
        validate_regions(request.regions, me.partition)
    org = None if request.accounts_file is not None else describe_organization(caller, control)
    run = _Run(caller, request, me.account_id, me.partition, control, org)
    run.sessions = AssumedSessions(
        caller, region=control, role_session_name=session_name("scan", me.arn)
    )
    pool = ThreadPoolExecutor(request.max_workers, thread_name_prefix="trailwarden-account")
    try:
        inventory = run.collect(pool, on_progress)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    counts = dict(caller.call_counts())
    for reached in run.reached.values():
        for action, n in reached.counts.items():
            counts[action] = counts.get(action, 0) + n
    return inventory, dict(sorted(counts.items()))


class _Run:
    def __init__(
        self,
        caller: ClientFactory,
        request: OrgRequest,
        caller_account: str,
        partition: str,
        control: str,
        org: tuple[str, str] | None,
    ) -> None:
        self.caller, self.request = caller, request
        self.caller_account, self.partition, self.control = caller_account, partition, control
        self.org = org
        self.sessions: AssumedSessions | None = None
        self.reached: dict[str, _Reached] = {}
        self.listing_errors: tuple[OuListingError, ...] = ()

    def collect(
        self, pool: ThreadPoolExecutor, on_progress: Progress | None
    ) -> OrganizationInventory:
        futures: dict[str, Future[_Reached]] = {}
        management = self.org[1] if self.org else None
        if management is not None:
            # Started before the tree is walked: every member's crediting waits for it.
            futures[management] = pool.submit(self._reach, self._target(management))
        targets = self._targets()
        by_id = {t.account_id: t for t in targets}
        if management is not None and management not in by_id:
            by_id[management] = _Target(management, None, None, in_scope=False)
        for t in targets:
            if t.skip is None and t.account_id not in futures:
                futures[t.account_id] = pool.submit(self._reach, t)
        accounts = {f: a for a, f in futures.items()}
        todo = {f for f, a in accounts.items() if by_id[a].in_scope}
        done = failed = 0
        for future in as_completed(accounts):
            account = accounts[future]
            self.reached[account] = future.result()
            if future in todo:
                done += 1
                failed += self.reached[account].error is not None
                if on_progress is not None:
                    on_progress(done, len(todo), failed)
        return self._inventory(by_id)

    def _targets(self) -> list[_Target]:
        request = self.request
        if request.accounts_file is not None:
            found = [self._from_entry(e) for e in request.accounts_file]
        else:
            assert self.org is not None
            tree = discover(self.caller, self.control, self.org, request.ous)
            self.listing_errors = tree.errors
            found = [self._from_member(m) for m in tree.members]
        known = {t.account_id for t in found}
        if request.include is not None:
            missing = sorted(request.include - known)
            if missing:
                where = (
                    "in the accounts file"
                    if request.accounts_file is not None
                    else ("under --ou" if request.ous else "in the organization")
                )
                raise UsageError(
                    f"--accounts names {', '.join(missing)}, not {where}; check the ids."
                )
            found = [t for t in found if t.account_id in request.include]
        found = [t for t in found if t.account_id not in request.exclude]
        if not found:
            raise UsageError(
                "No account is left to scan once --accounts and --exclude-accounts are applied; "
                "check them."
            )
        return found

    def _target(
        self,
        account_id: str,
        name: str | None = None,
        ou_path: str | None = None,
        role: str | None = None,
        external_id: str | None = None,
        regions: tuple[str, ...] | None = None,
    ) -> _Target:
        """How to reach ``account_id``: the caller's own credentials, or a role in it."""
        regions = regions or self.request.regions
        if account_id == self.caller_account and role is None:
            return _Target(account_id, name, ou_path, regions=regions)
        role = role or self.request.role_name
        arn = role if role.startswith("arn:") else role_arn(self.partition, account_id, role)
        target = RoleTarget(account_id, arn, external_id or self.request.external_id)
        return _Target(account_id, name, ou_path, role=target, regions=regions)

    def _from_member(self, m: Member) -> _Target:
        target = self._target(m.account_id, m.name, m.ou_path)
        skip = skip_reason(m.state)
        if skip is None:
            return target
        why = f"{skip} (AWS Organizations state {m.state or 'unknown'})"
        return _Target(m.account_id, m.name, m.ou_path, skip=why)

    def _from_entry(self, e: AccountEntry) -> _Target:
        return self._target(e.account_id, e.name, e.ou_path, e.role, e.external_id, e.regions)

    def _reach(self, target: _Target) -> _Reached:
        """Assume the target's role (unless it is the caller's account) and collect it."""
        if target.role is None:
            return _Reached(self._collect(self.caller, target), None, {})
        assert self.sessions is not None
        with self.sessions.seat(target.role) as seated:
            if isinstance(seated, ApiError):
                return _Reached(None, seated, {})
            before = seated.call_counts()
            inventory = self._collect(seated, target)
            counts = {a: n - before.get(a, 0) for a, n in seated.call_counts().items()}
        return _Reached(inventory, None, {a: n for a, n in counts.items() if n})

    def _collect(self, factory: ClientFactory, target: _Target) -> Inventory:
        known = KnownAccount(target.account_id, self.partition, self.org[0] if self.org else None)
        return collect_account(
            factory,
            regions=target.regions,
            home_region=self.control,
            monitoring=self.request.monitoring,
            known=known,
        )

    def _inventory(self, targets: dict[str, _Target]) -> OrganizationInventory:
        management = self.org[1] if self.org else None
        accounts = [self._account(t) for t in targets.values()]
        # The management account first (it owns the organization trails), then by OU path.
        accounts.sort(
            key=lambda a: (a.account_id != management, a.ou_path or "", a.name or "", a.account_id)
        )
        return OrganizationInventory(
            caller_account_id=self.caller_account,
            partition=self.partition,
            collected_at=datetime.now(UTC),
            organization_id=self.org[0] if self.org else None,
            management_account_id=management,
            accounts=tuple(accounts),
            listing_errors=self.listing_errors,
        )

    def _account(self, t: _Target) -> OrgAccount:
        role = t.role.role_arn if t.role is not None else None
        if t.skip is not None:
            return OrgAccount(t.account_id, t.name, t.ou_path, AccountStatus.SKIPPED, t.skip, role)
        reached = self.reached[t.account_id]
        if reached.error is not None:
            reason = f"{reached.error.code} on {reached.error.action} for {role}"
            return OrgAccount(
                t.account_id,
                t.name,
                t.ou_path,
                AccountStatus.FAILED,
                reason,
                role,
                reached.error,
                in_scope=t.in_scope,
            )
        return OrgAccount(
            t.account_id,
            t.name,
            t.ou_path,
            role_arn=role,
            inventory=reached.inventory,
            in_scope=t.in_scope,
        )
