"""AWS Organizations as AWS documents it, where moto (5.x) differs, and the demo's account ids.

- A delegated administrator may read the organization (``List*``, ``Describe*``) like the
  management account; moto answers a member's ListRoots and DescribeOrganization but not
  its ListAccountsForParent or ListOrganizationalUnitsForParent (it looks in the member's
  own, empty, backend). :func:`organizations_backend` answers a registered delegated
  administrator's reads from the management account's backend.
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html
- CreateAccount gives random account ids, as AWS does; the demo wants ids a reader can
  follow from one run to the next: :func:`account_ids` chooses them while it seeds.
- moto names the management account "master"; :func:`name_account` renames an account.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["account_ids", "name_account", "organizations_backend"]

_lock = threading.Lock()


def organizations_backend(self: Any) -> Any:
    """Replacement for ``OrganizationsResponse.organizations_backend`` (a property)."""
    from moto.organizations.models import organizations_backends

    own = organizations_backends[self.current_account][self.partition]
    management = organizations_backends.master_accounts.get(self.current_account)
    if own.org is not None or management is None:
        return own
    backend = organizations_backends[management[0]][management[1]]
    delegated = any(a.account.id == self.current_account for a in backend.admins)
    reading = self._get_action().startswith(("List", "Describe"))
    return backend if delegated and reading else own


@contextmanager
def account_ids(ids: Iterable[str]) -> Iterator[None]:
    """CreateAccount gives these ids, in order, while the context lasts (one seeder at a time)."""
    from moto.organizations import utils

    chosen = iter(ids)
    original = utils.make_random_account_id
    with _lock:
        utils.make_random_account_id = lambda: next(chosen)
        try:
            yield
        finally:
            utils.make_random_account_id = original


def name_account(management: str, account_id: str, name: str) -> None:
    """Give an account of ``management``'s organization another name."""
    from moto.organizations.models import organizations_backends

    for backend in organizations_backends[management].values():
        for account in backend.accounts:
            if account.id == account_id:
                account.name = name
