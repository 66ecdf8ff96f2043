"""Sessions in other accounts of an organization, through ``sts:AssumeRole``.

``scan --org`` (and ``fix --org``) reach each member account by assuming a role in it
with the caller's credentials. :class:`AssumedSessions` does that once per account and
hands back a :class:`~trailwarden.collect.clients.ClientFactory` for the member:

- The first AssumeRole is made at once, so that a denial is that member's failure
  (``AccessDenied on sts:AssumeRole for arn:aws:iam::…``), not a mysterious error on its
  first read.
- The member's credentials are botocore's refreshable credentials: they assume the role
  again shortly before they expire, so a run longer than the one-hour session goes on.
  https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
- STS calls go to the regional endpoint of the caller's region (botocore's default), and
  at most ``max_concurrent`` at once across the whole run: STS is shared by every member,
  whatever the number of accounts scanned in parallel (adaptive retries do the rest).
- A member scanned in passing (``scan --org``) borrows a seat: one of a few sessions whose
  credentials are pointed at it for the time of its scan, so 1,000 members cost 1,000
  AssumeRole calls but not 1,000 sessions and their clients
  (:mod:`trailwarden.collect.sessions`); :meth:`AssumedSessions.factory` gives a member a
  session of its own, to keep.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.collect.sessions import PointedCredentials, SessionMaker
from trailwarden.inventory import ApiError

if TYPE_CHECKING:
    from botocore.credentials import RefreshableCredentials

    from trailwarden.collect.clients import ClientFactory

__all__ = [
    "DEFAULT_ROLE_NAME",
    "EXTERNAL_ID",
    "ROLE_NAME",
    "STS_CONCURRENCY",
    "AssumedSessions",
    "RoleTarget",
    "role_arn",
    "session_name",
]

# The role AWS Organizations creates in every account it creates:
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html
DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"
# AssumeRole calls in flight at once, for the whole run.
STS_CONCURRENCY = 16
# RoleSessionName: 2–64 characters of [\w+=,.@-].
_SESSION_CHARS = re.compile(r"[^\w+=,.@-]")
# A role name, optionally after a path (audit/Reader):
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
ROLE_NAME = re.compile(r"^([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$")
# ExternalId: 2–1224 characters of [\w+=,.@:/-].
EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")


@dataclass(frozen=True)
class RoleTarget:
    """The role to assume in ``account_id`` (its ARN names the account)."""

    account_id: str
    role_arn: str
    external_id: str | None = None


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    """``arn:PARTITION:iam::ACCOUNT:role/NAME`` (NAME may carry a path: ``audit/Reader``)."""
    return f"arn:{partition}:iam::{account_id}:role/{role_name}"


def session_name(purpose: str, caller_arn: str) -> str:
    """A role session name that says who assumed the role and why, e.g.
    ``trailwarden-scan-alice``: CloudTrail records it in the member account."""
    who = caller_arn.rsplit("/", 1)[-1] if "/" in caller_arn else ""
    if caller_arn.endswith(":root"):
        who = "root"
    name = f"trailwarden-{purpose}" + (f"-{who}" if who else "")
    return _SESSION_CHARS.sub("-", name)[:64]


@dataclass(frozen=True)
class _Seat:
    credentials: PointedCredentials
    factory: ClientFactory


class AssumedSessions:
    """Client factories for member accounts, from the caller's by ``sts:AssumeRole``.

    Thread-safe: members are reached concurrently. Each :meth:`factory` counts its own
    calls; the AssumeRole calls are counted by the caller's factory.
    """

    def __init__(
        self,
        caller: ClientFactory,
        *,
        region: str,
        role_session_name: str,
        duration_s: int = 3600,
        max_concurrent: int = STS_CONCURRENCY,
    ) -> None:
        self.caller, self.region = caller, region
        self.role_session_name = role_session_name
        self.duration_s = duration_s
        self._slots = threading.BoundedSemaphore(max_concurrent)
        # The caller's profile, for its settings (CA bundle, endpoints, retries). boto3
        # calls a session without a profile "default" even when no such profile exists.
        profile = caller.session.profile_name
        known = profile in caller.session.available_profiles
        self._maker = SessionMaker(profile if known else None, region)
        self._seats: list[_Seat] = []
        self._lock = threading.Lock()

    def credentials(self, target: RoleTarget) -> RefreshableCredentials | ApiError:
        """``target``'s credentials, refreshing themselves by assuming the role again, or
        the AssumeRole error (nothing raised but
        :class:`~trailwarden.errors.EndpointError`, which ends the run)."""
        from botocore.credentials import RefreshableCredentials

        def fetch() -> dict[str, str]:
            return self._assume(target)

        try:
            first = fetch()
        except AwsCallError as exc:
            return api_error(exc, "sts:AssumeRole", self.region)
        return RefreshableCredentials.create_from_metadata(
            metadata=first, refresh_using=fetch, method="assume-role"
        )

    def factory(self, target: RoleTarget) -> ClientFactory | ApiError:
        """A factory of its own in ``target``'s account (for as long as it is needed), or
        the AssumeRole error."""
        credentials = self.credentials(target)
        if isinstance(credentials, ApiError):
            return credentials
        return self.caller.for_session(self._maker.session(credentials))

    @contextmanager
    def seat(self, target: RoleTarget) -> Iterator[ClientFactory | ApiError]:
        """A factory in ``target``'s account for the duration of the ``with`` block: one of
        a few reused sessions, pointed at this account (see
        :mod:`trailwarden.collect.sessions`). Its call counts go on from one member to
        the next: count by difference. No call may outlive the block."""
        credentials = self.credentials(target)
        if isinstance(credentials, ApiError):
            yield credentials
            return
        with self._lock:
            seat = self._seats.pop() if self._seats else None
        if seat is None:
            pointed = PointedCredentials()
            seat = _Seat(pointed, self.caller.for_session(self._maker.session(pointed)))
        seat.credentials.point(credentials)
        try:
            yield seat.factory
        finally:
            seat.credentials.point(None)
            with self._lock:
                self._seats.append(seat)

    def _assume(self, target: RoleTarget) -> dict[str, str]:
        kwargs: dict[str, Any] = {
            "RoleArn": target.role_arn,
            "RoleSessionName": self.role_session_name,
            "DurationSeconds": self.duration_s,
        }
        if target.external_id is not None:
            kwargs["ExternalId"] = target.external_id
        sts = self.caller.client("sts", self.region)
        with self._slots:
            answer = sts.assume_role(**kwargs)
        c = answer["Credentials"]
        return {
            "access_key": c["AccessKeyId"],
            "secret_key": c["SecretAccessKey"],
            "token": c["SessionToken"],
            "expiry_time": c["Expiration"].isoformat(),
        }
