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
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trailwarden.collect.assume import AssumedSessions, session_name
from trailwarden.collect.aws import KnownAccount, collect_account
from trailwarden.collect.identity import identify_caller
from trailwarden.collect.org_targets import (
    DEFAULT_MAX_WORKERS,
    OrgRequest,
    Target,
    TargetMaker,
    narrowed,
)
from trailwarden.collect.organization import describe_organization, discover
from trailwarden.collect.regions import validate_regions
from trailwarden.findings import AccountStatus
from trailwarden.inventory import ApiError, Inventory
from trailwarden.org_inventory import OrgAccount, OrganizationInventory, OuListingError

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["DEFAULT_MAX_WORKERS", "OrgRequest", "Progress", "collect_organization"]

# (accounts done, accounts to do, accounts failed so far)
Progress = Callable[[int, int, int], None]


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
        self.make = TargetMaker(request, caller_account, partition)

    def collect(
        self, pool: ThreadPoolExecutor, on_progress: Progress | None
    ) -> OrganizationInventory:
        futures: dict[str, Future[_Reached]] = {}
        management = self.org[1] if self.org else None
        if management is not None:
            # Started before the tree is walked: every member's crediting waits for it.
            futures[management] = pool.submit(self._reach, self.make.target(management))
        targets = self._targets()
        by_id = {t.account_id: t for t in targets}
        if management is not None and management not in by_id:
            by_id[management] = Target(management, None, None, in_scope=False)
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

    def _targets(self) -> list[Target]:
        if self.request.accounts_file is not None:
            found = [self.make.from_entry(e) for e in self.request.accounts_file]
        else:
            assert self.org is not None
            tree = discover(self.caller, self.control, self.org, self.request.ous)
            self.listing_errors = tree.errors
            found = [self.make.from_member(m) for m in tree.members]
        return narrowed(found, self.request)

    def _reach(self, target: Target) -> _Reached:
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

    def _collect(self, factory: ClientFactory, target: Target) -> Inventory:
        known = KnownAccount(target.account_id, self.partition, self.org[0] if self.org else None)
        return collect_account(
            factory,
            regions=target.regions,
            home_region=self.control,
            monitoring=self.request.monitoring,
            known=known,
        )

    def _inventory(self, targets: dict[str, Target]) -> OrganizationInventory:
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

    def _account(self, t: Target) -> OrgAccount:
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
