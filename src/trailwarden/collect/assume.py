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
- Every member session shares one botocore data loader: the service models are read
  once per run, not once per account.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailwarden.collect.calls import AwsCallError, api_error
from trailwarden.inventory import ApiError

if TYPE_CHECKING:
    import boto3

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
        self._loader: Any = None
        self._lock = threading.Lock()

    def factory(self, target: RoleTarget) -> ClientFactory | ApiError:
        """A factory in ``target``'s account, or the AssumeRole error (nothing raised but
        :class:`~trailwarden.errors.EndpointError`, which ends the run)."""
        from botocore.credentials import RefreshableCredentials

        def fetch() -> dict[str, str]:
            return self._assume(target)

        try:
            first = fetch()
        except AwsCallError as exc:
            return api_error(exc, "sts:AssumeRole", self.region)
        credentials = RefreshableCredentials.create_from_metadata(
            metadata=first, refresh_using=fetch, method="assume-role"
        )
        return self.caller.for_session(self._session(credentials))

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

    def _session(self, credentials: Any) -> boto3.Session:
        import boto3
        import botocore.session
        from botocore.credentials import CredentialProvider, CredentialResolver
        from botocore.loaders import create_loader

        class Assumed(CredentialProvider):
            METHOD = "assume-role"
            CANONICAL_NAME = "trailwarden-assume-role"

            def load(self) -> Any:
                return credentials

        with self._lock:
            if self._loader is None:
                self._loader = create_loader()
        # The caller's profile, for its settings (CA bundle, endpoints, retries); the
        # credentials are the assumed role's, whatever the profile says. boto3 calls a
        # session without a profile "default" even when no such profile exists.
        caller = self.caller.session
        profile = caller.profile_name if caller.profile_name in caller.available_profiles else None
        core = botocore.session.Session(profile=profile)
        core.register_component("data_loader", self._loader)
        core.register_component("credential_provider", CredentialResolver([Assumed()]))
        return boto3.Session(botocore_session=core, region_name=self.region)
