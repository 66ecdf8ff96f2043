"""boto3 clients for a scan: one per (service, region), created on first use, calls counted.

Every client shares one botocore :class:`~botocore.config.Config`: adaptive retries
(client-side rate limiting on top of exponential backoff, so CloudTrail's ~10 TPS read
limit throttles us gently instead of failing; see
https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html), timeouts
from :class:`~trailwarden.collect.endpoint_guard.Patience` and a connection pool large
enough for the collector's thread pool. Every client also gives up on a silent endpoint
and refuses answers that are not AWS's (:mod:`trailwarden.collect.endpoint_guard`).

``AWS_ENDPOINT_URL`` (and ``AWS_ENDPOINT_URL_<SERVICE>``) are honoured by botocore
itself; an explicit ``endpoint_url`` overrides them.
"""

from __future__ import annotations

import threading
from collections import Counter
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import urlparse

from trailwarden.collect.endpoint_guard import EndpointWatch, Patience, check_response
from trailwarden.collect.urls import mask_userinfo, strip_userinfo

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_cloudtrail import CloudTrailClient
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_logs import CloudWatchLogsClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sts import STSClient

__all__ = ["ClientFactory", "open_factory"]

# Enough for the collector's thread pool (collect.aws.MAX_WORKERS) on one client.
MAX_POOL_CONNECTIONS = 16


class ClientFactory:
    """Creates and caches boto3 clients, and counts the API calls they make.

    ``max_attempts`` is the number of HTTP attempts per call, the first one included;
    ``patience`` bounds how long a call waits for an endpoint that does not answer.
    Thread-safe: clients are created under a lock (a boto3 Session is not thread-safe;
    clients, once created, are). Counts are per logical API call (``before-call``, once
    however many times botocore retries it); attempts are counted separately.
    """

    def __init__(
        self,
        session: boto3.Session,
        *,
        endpoint_url: str | None = None,
        max_attempts: int = 8,
        patience: Patience | None = None,
    ) -> None:
        self.session = session
        self.endpoint_url = endpoint_url
        self._max_attempts = max_attempts
        self.patience = patience or Patience()
        self._watch = EndpointWatch(self.patience)
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._calls: Counter[tuple[str, str]] = Counter()  # (action, region) -> calls
        self._attempts: Counter[str] = Counter()
        self._config: Any = None

    @property
    def region_name(self) -> str | None:
        """The session's region (profile, ``AWS_REGION`` or ``AWS_DEFAULT_REGION``), if any."""
        return self.session.region_name

    @overload
    def client(self, service: Literal["cloudtrail"], region: str) -> CloudTrailClient: ...
    @overload
    def client(self, service: Literal["logs"], region: str) -> CloudWatchLogsClient: ...
    @overload
    def client(self, service: Literal["iam"], region: str) -> IAMClient: ...
    @overload
    def client(self, service: Literal["sts"], region: str) -> STSClient: ...
    @overload
    def client(self, service: Literal["cloudwatch"], region: str) -> CloudWatchClient: ...
    @overload
    def client(self, service: Literal["sns"], region: str) -> SNSClient: ...
    @overload
    def client(self, service: str, region: str) -> Any: ...

    def client(self, service: str, region: str) -> Any:
        """The client for ``service`` in ``region``, created on first use."""
        key = (service, region)
        cached = self._clients.get(key)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._clients.get(key)
            if cached is None:
                cached = self._create(service, region)
                self._clients[key] = cached
            return cached

    def for_session(self, session: boto3.Session) -> ClientFactory:
        """A factory over ``session`` (another account's credentials) with this one's
        endpoint, retries and timeouts, sharing its watch: once a run gives up on a silent
        endpoint, every account's calls stop at once. Its calls are counted apart."""
        other = ClientFactory(
            session,
            endpoint_url=self.endpoint_url,
            max_attempts=self._max_attempts,
            patience=self.patience,
        )
        other._watch = self._watch
        return other

    def call_counts(self) -> dict[str, int]:
        """API calls made so far by action, e.g. ``{"cloudtrail:ListTrails": 1}``."""
        out: Counter[str] = Counter()
        with self._lock:
            for (action, _region), n in self._calls.items():
                out[action] += n
        return dict(sorted(out.items()))

    def calls_by_region(self) -> dict[tuple[str, str], int]:
        """API calls made so far by (action, region)."""
        with self._lock:
            return dict(sorted(self._calls.items()))

    def attempt_counts(self) -> dict[str, int]:
        """HTTP requests sent so far by action, retries included."""
        with self._lock:
            return dict(sorted(self._attempts.items()))

    def _create(self, service: str, region: str) -> Any:
        if self._config is None:
            from botocore.config import Config

            self._config = Config(
                # total_max_attempts counts the first attempt; "max_attempts" would not.
                retries={"mode": "adaptive", "total_max_attempts": self._max_attempts},
                connect_timeout=self.patience.connect_timeout_s,
                read_timeout=self.patience.read_timeout_s,
                max_pool_connections=MAX_POOL_CONNECTIONS,
            )
        client = self.session.client(
            service,  # type: ignore[call-overload]
            region_name=region,
            endpoint_url=self.endpoint_url,
            config=self._config,
        )

        def count_call(model: Any, **_: Any) -> None:
            with self._lock:
                self._calls[(f"{service}:{model.name}", region)] += 1

        def count_attempt(event_name: str, **_: Any) -> None:
            # event_name is "before-send.<service id>.<Operation>".
            with self._lock:
                self._attempts[f"{service}:{event_name.rsplit('.', 1)[-1]}"] += 1

        events = client.meta.events
        events.register("before-call", count_call)
        events.register("before-call", self._watch.on_call)
        events.register_first("before-send", self._watch.before_send)
        events.register("before-send", count_attempt)
        # First, so that giving up is never turned into a retry by botocore's handler.
        events.register_first("needs-retry", self._watch.after_attempt)
        endpoint = client.meta.endpoint_url
        events.register("before-parse", partial(check_response, endpoint, service))
        return client


def open_factory(
    *,
    profile: str | None = None,
    endpoint_url: str | None = None,
    max_attempts: int = 8,
    patience: Patience | None = None,
) -> ClientFactory:
    """A factory over boto3's default credential chain (or ``profile``).

    A user name and password in ``endpoint_url`` are dropped (botocore never sends them;
    they would only show up in its error messages). Raises
    :class:`~trailwarden.errors.CredentialsError` for an unknown profile and
    :class:`~trailwarden.errors.UsageError` for an endpoint URL that is not a URL.
    """
    import boto3
    from botocore.exceptions import ProfileNotFound

    from trailwarden.errors import CredentialsError, UsageError

    if endpoint_url is not None:
        parsed = urlparse(endpoint_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise UsageError(
                f"The endpoint URL {mask_userinfo(endpoint_url)!r} is not an http(s) URL; "
                "pass one like https://host:port, or unset AWS_ENDPOINT_URL."
            )
        endpoint_url = strip_userinfo(endpoint_url)
    try:
        session = boto3.Session(profile_name=profile)
    except ProfileNotFound as exc:
        raise CredentialsError(
            f"The AWS profile {exc.kwargs.get('profile', profile)!r} is not in your AWS "
            "config; check the name with `aws configure list-profiles`."
        ) from exc
    return ClientFactory(
        session, endpoint_url=endpoint_url, max_attempts=max_attempts, patience=patience
    )
