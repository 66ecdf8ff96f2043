"""The accounts of an AWS Organization, each with its OU path, read from the organization tree.

From the management account or a delegated administrator:

1. ``organizations:DescribeOrganization`` — the organization's id and management account.
2. The tree, from its root (``ListRoots``) or from each ``--ou``: per parent,
   ``ListOrganizationalUnitsForParent`` and ``ListAccountsForParent`` (paged, 20 a page),
   a few parents at a time. Walking the tree finds every account ``ListAccounts`` would
   and also its OU path, with one call per parent and page instead of one
   ``ListParents`` per account. An ``--ou``'s own path comes from
   ``DescribeOrganizationalUnit`` and ``ListParents`` up to the root.

Organizations is a global service with low request rates; the adaptive retries of the
clients absorb its throttling. A parent whose listing still fails is recorded (its
accounts are unknown: the report says so) and the walk goes on; a failure to read the
organization itself is exit 2. https://docs.aws.amazon.com/organizations/latest/APIReference/
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError, api_error, error_code
from trailwarden.errors import Error, UsageError
from trailwarden.inventory import ApiError
from trailwarden.org_inventory import OuListingError

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = [
    "ORGANIZATIONS_CONCURRENCY",
    "Member",
    "Organization",
    "describe_organization",
    "discover",
    "skip_reason",
    "validate_ou_id",
]

# Organizations calls in flight at once (its request rates are low and shared).
ORGANIZATIONS_CONCURRENCY = 4
# Root and OU ids: https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html
_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_PARENT_ID = re.compile(r"^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$")


@dataclass(frozen=True)
class Member:
    """One account of the organization as the tree lists it."""

    account_id: str
    name: str | None
    ou_path: str | None  # "Root/Workloads/Prod"
    state: str  # ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION


@dataclass(frozen=True)
class Organization:
    id: str
    management_account_id: str
    members: tuple[Member, ...] = ()
    errors: tuple[OuListingError, ...] = ()


def skip_reason(state: str) -> str | None:
    """Why an account in ``state`` is not scanned (None: ACTIVE, scan it).

    Accounts that are suspended, closing or closed cannot be signed in to; AWS reports
    them in ``State`` (``Status`` before September 2026):
    https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
    """
    if state == "ACTIVE":
        return None
    return state.lower().replace("_", " ") or "unknown state"


def validate_ou_id(value: str) -> str:
    """An ``--ou`` value, or :class:`UsageError` when it is not a root or OU id."""
    if not _PARENT_ID.match(value):
        raise UsageError(
            f"--ou {value!r} is not an organizational unit id (ou-xxxx-xxxxxxxx) or root id "
            "(r-xxxx); list them with `aws organizations list-roots` and "
            "`aws organizations list-organizational-units-for-parent`."
        )
    return value


def describe_organization(factory: ClientFactory, region: str) -> tuple[str, str]:
    """(organization id, management account id), or :class:`Error` (exit 2)."""
    try:
        org = factory.client("organizations", region).describe_organization()["Organization"]
    except AwsCallError as exc:
        code = error_code(exc)
        if code == "AWSOrganizationsNotInUseException":
            raise UsageError(
                "These credentials' account is not in an AWS Organization "
                f"({code} on organizations:DescribeOrganization); drop --org, or list the "
                "accounts to scan in an --accounts-file."
            ) from exc
        raise Error(
            f"Could not read the organization: {code} on organizations:DescribeOrganization; "
            "run --org with credentials of the management account or of a delegated "
            "administrator (policies/trailwarden-org-caller.json), or use --accounts-file."
        ) from exc
    return str(org["Id"]), str(org["MasterAccountId"])


def discover(
    factory: ClientFactory, region: str, organization: tuple[str, str], ous: Sequence[str] = ()
) -> Organization:
    """Every account under the root (or under each of ``ous``), with its OU path."""
    org_id, management = organization
    starts = [_ou_start(factory, region, ou) for ou in ous] if ous else _roots(factory, region)
    walk = _Walk(factory, region)
    members, errors = walk.run(starts)
    return Organization(org_id, management, members, errors)


def _pages(call: Callable[..., Any], key: str, **kwargs: Any) -> list[Any]:
    out: list[Any] = []
    while True:
        page = call(**kwargs)
        out += page.get(key) or []
        token = page.get("NextToken")
        if not token:
            return out
        kwargs["NextToken"] = token


def _roots(factory: ClientFactory, region: str) -> list[tuple[str, str]]:
    try:
        roots = _pages(factory.client("organizations", region).list_roots, "Roots")
    except AwsCallError as exc:
        raise Error(
            f"Could not list the organization's roots: {error_code(exc)} on "
            "organizations:ListRoots; grant it (policies/trailwarden-org-caller.json) or use "
            "--accounts-file."
        ) from exc
    return [(str(r["Id"]), str(r.get("Name") or "Root")) for r in roots]


def _ou_start(factory: ClientFactory, region: str, ou: str) -> tuple[str, str]:
    """(ou, its path from the root) for an ``--ou``; UsageError for an unknown OU."""
    client = factory.client("organizations", region)
    names: list[str] = []
    child = ou
    try:
        while child.startswith("ou-"):
            unit = client.describe_organizational_unit(OrganizationalUnitId=child)
            names.append(str(unit["OrganizationalUnit"].get("Name") or child))
            parents = client.list_parents(ChildId=child).get("Parents") or [{}]
            child = str(parents[0].get("Id") or "")
        names.append("Root")
    except AwsCallError as exc:
        code = error_code(exc)
        if code in ("OrganizationalUnitNotFoundException", "ChildNotFoundException"):
            raise UsageError(
                f"--ou {ou} is not an organizational unit of this organization ({code}); "
                "check the id with `aws organizations list-organizational-units-for-parent`."
            ) from exc
        raise Error(
            f"Could not read --ou {ou}: {code} on organizations:DescribeOrganizationalUnit or "
            "ListParents; grant them (policies/trailwarden-org-caller.json)."
        ) from exc
    return ou, "/".join(reversed(names))


Errors = tuple[OuListingError, ...]


class _Walk:
    """Breadth-first over the tree, a few listings in flight at once."""

    def __init__(self, factory: ClientFactory, region: str) -> None:
        self.client = factory.client("organizations", region)
        self.region = region
        self.members: dict[str, Member] = {}
        self.errors: list[OuListingError] = []

    def run(self, starts: list[tuple[str, str]]) -> tuple[tuple[Member, ...], Errors]:
        pool = ThreadPoolExecutor(ORGANIZATIONS_CONCURRENCY, thread_name_prefix="trailwarden-org")
        pending: dict[Future[list[Any]], tuple[str, str, str]] = {}

        def submit(parent: str, path: str) -> None:
            for kind in ("ous", "accounts"):
                pending[pool.submit(self._list, kind, parent)] = (kind, parent, path)

        try:
            for parent, path in dict(starts).items():
                submit(parent, path)
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    kind, parent, path = pending.pop(future)
                    try:
                        children = future.result()
                    except AwsCallError as exc:
                        action = _ACTIONS[kind]
                        self.errors.append(
                            OuListingError(parent, path, api_error(exc, action, None))
                        )
                        continue
                    for child in children:
                        if kind == "ous":
                            submit(str(child["Id"]), f"{path}/{child.get('Name') or child['Id']}")
                        else:
                            self._add(child, parent, path)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        members = sorted(self.members.values(), key=lambda m: m.account_id)
        errors = sorted(self.errors, key=lambda e: (e.ou_path, e.error.action))
        return tuple(members), tuple(errors)

    def _list(self, kind: str, parent: str) -> list[Any]:
        if kind == "ous":
            call = self.client.list_organizational_units_for_parent
            return _pages(call, "OrganizationalUnits", ParentId=parent)
        return _pages(self.client.list_accounts_for_parent, "Accounts", ParentId=parent)

    def _add(self, account: Any, parent: str, path: str) -> None:
        account_id = str(account.get("Id") or "")
        if not _ACCOUNT_ID.match(account_id):  # AWS's are 12 digits; never guess at others
            message = f"listed an account whose id {account_id[:40]!r} is not 12 digits"
            error = ApiError(_ACTIONS["accounts"], "InvalidAccountId", message)
            self.errors.append(OuListingError(parent, path, error))
            return
        state = str(account.get("State") or account.get("Status") or "")
        name = account.get("Name")
        self.members.setdefault(
            account_id, Member(account_id, str(name) if name else None, path, state)
        )


_ACTIONS = {
    "ous": "organizations:ListOrganizationalUnitsForParent",
    "accounts": "organizations:ListAccountsForParent",
}
