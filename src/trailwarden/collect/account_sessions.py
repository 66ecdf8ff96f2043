"""A client factory in each account of an organization, kept for the run: the caller's own
for the caller's account, else a session of its own through ``sts:AssumeRole``
(:class:`~trailwarden.collect.assume.AssumedSessions`, the organization scan's), so that
planning, applying and rolling back an account (``fix --org``, ``rollback DIR``) or
importing its findings (``scan --org --security-hub``) assume its role once."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from trailwarden.collect.assume import AssumedSessions, RoleTarget, session_name

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.inventory import ApiError

__all__ = ["AccountSessions"]


class AccountSessions:
    """Factories by account, made once each (thread-safe)."""

    def __init__(
        self,
        caller: ClientFactory,
        caller_account: str,
        caller_arn: str,
        purpose: str,
        region: str | None = None,
    ) -> None:
        self.caller, self.caller_account = caller, caller_account
        region = region or caller.region_name or "us-east-1"
        self._assumed = AssumedSessions(
            caller, region=region, role_session_name=session_name(purpose, caller_arn)
        )
        self._made: dict[str, ClientFactory | ApiError] = {}
        self._lock = threading.Lock()

    def factory(
        self, account_id: str, role_arn: str | None, external_id: str | None = None
    ) -> ClientFactory | ApiError:
        """``account_id``'s factory (``role_arn`` None: the caller's credentials), or the
        AssumeRole error."""
        if role_arn is None:
            return self.caller
        with self._lock:
            made = self._made.get(account_id)
        if made is None:
            made = self._assumed.factory(RoleTarget(account_id, role_arn, external_id))
            with self._lock:
                made = self._made.setdefault(account_id, made)
        return made
