"""boto3 sessions for other accounts, cheap enough to make one per member of a large
organization, and credentials that can be pointed from one member to the next.

Making a boto3 session and its first client costs tens of milliseconds of CPU — botocore
registers its ~120 built-in event handlers in every new session, reads its service
models through the session's loader, and every client copies the session's handlers —
which at 1,000 accounts is more than the whole scan should take. So:

- :class:`SessionMaker` registers the built-in handlers once and copies them into each
  session, and shares one data loader (with its cache) between every session it makes.
- :class:`PointedCredentials` lets one session, and the clients it already made, sign
  for one member account after another (:meth:`AssumedSessions.seat
  <trailwarden.collect.assume.AssumedSessions.seat>`): a member then costs its own API
  calls, not a new session and new clients. botocore's request signer reads the
  credentials it signs with from ``get_frozen_credentials()`` at each request.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3
    from botocore.credentials import ReadOnlyCredentials

__all__ = ["PointedCredentials", "SessionMaker"]


class PointedCredentials:
    """Credentials that are those of whichever credentials they point at (refreshable
    credentials keep refreshing themselves); pointing at nothing signs nothing."""

    method = "assume-role"

    def __init__(self) -> None:
        self._target: Any = None

    def point(self, target: Any) -> None:
        self._target = target

    def _current(self) -> Any:
        if self._target is None:
            raise RuntimeError("these member credentials are not pointed at an account")
        return self._target

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        frozen: ReadOnlyCredentials = self._current().get_frozen_credentials()
        return frozen

    def get_deferred_property(self, name: str) -> Any:
        return self._current().get_deferred_property(name)

    @property
    def access_key(self) -> str:
        return str(self._current().access_key)

    @property
    def secret_key(self) -> str:
        return str(self._current().secret_key)

    @property
    def token(self) -> str | None:
        token = self._current().token
        return str(token) if token is not None else None

    @property
    def account_id(self) -> str | None:
        return getattr(self._current(), "account_id", None)


# The services a member's scan (and fix) calls through these sessions.
_MEMBER_SERVICES = ("cloudtrail", "logs", "iam", "cloudwatch", "sns", "sts")


class SessionMaker:
    """boto3 sessions with given credentials, sharing what botocore can share."""

    def __init__(self, profile: str | None, region: str) -> None:
        self.profile, self.region = profile, region
        self._lock = threading.Lock()
        self._loader: Any = None
        self._handlers: Any = None  # botocore's built-in event handlers, registered once

    def session(self, credentials: Any) -> boto3.Session:
        """A session whose clients sign with ``credentials`` (whatever the profile says:
        the profile gives only its settings, such as a CA bundle or endpoints)."""
        import copy

        import boto3
        import botocore.session
        from botocore.credentials import CredentialProvider, CredentialResolver
        from botocore.hooks import HierarchicalEmitter
        from botocore.loaders import create_loader

        class Given(CredentialProvider):
            METHOD = "assume-role"
            CANONICAL_NAME = "trailwarden-assume-role"

            def load(self) -> Any:
                return credentials

        with self._lock:
            first = self._loader is None
            if first:
                self._loader = create_loader()
                # Cached per loader, but walked by every thread that misses the cache: once.
                for kind in ("service-2", "endpoint-rule-set-1"):
                    self._loader.list_available_services(kind)
                self._handlers = HierarchicalEmitter()
                botocore.session.Session(event_hooks=self._handlers)  # registers the built-ins
            core = botocore.session.Session(
                profile=self.profile,
                event_hooks=copy.copy(self._handlers),
                include_builtin_handlers=False,
            )
            core.register_component("data_loader", self._loader)
            core.register_component("credential_provider", CredentialResolver([Given()]))
            paths = self._loader.search_paths
            known = len(paths)
            session = boto3.Session(botocore_session=core, region_name=self.region)
            # Each boto3 Session adds its data directory to the (shared) loader's search
            # paths: keep one, or every lookup walks one more copy per account.
            if not first:
                del paths[known:]
            else:
                # botocore caches each service model in the loader, but a thread that misses
                # the cache parses its own copy, and its client keeps it: the first members'
                # threads, all at once, made 32 copies of each model (+120 MB at 1,000
                # accounts). Parsed here once, under the lock, every client shares them.
                warm = botocore.session.Session(
                    profile=self.profile,
                    event_hooks=copy.copy(self._handlers),
                    include_builtin_handlers=False,
                )
                warm.register_component("data_loader", self._loader)
                for service in _MEMBER_SERVICES:  # no call is made: the models are parsed
                    warm.create_client(
                        service,
                        region_name=self.region,
                        aws_access_key_id="unused",
                        aws_secret_access_key="unused",
                    )
        return session
