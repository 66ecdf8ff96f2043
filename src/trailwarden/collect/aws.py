"""boto3 → :class:`~trailwarden.inventory.Inventory`, with as few calls as AWS allows.

The plan (see DEVELOPERS.md, "AWS facts we rely on"):

1. STS GetCallerIdentity (who we are) and CloudTrail ListTrails (every trail of the
   account with its home region, org trails included) — concurrently, once each.
2. Per home region: one DescribeTrails naming that region's trails.
3. As each region's description arrives, concurrently: per trail GetTrailStatus (and
   GetEventSelectors when it has custom selectors) in its home region; per referenced
   log group DescribeLogGroups in its region; per referenced role GetRole and its
   policies (IAM is global) — each distinct log group, role and managed policy once.
4. Unless ``monitoring=False``, once the log groups are known and while IAM is still
   answering: the metric filters, alarms and SNS topics of the multi-region trails' log
   groups (:mod:`trailwarden.collect.monitoring`).

Nothing raises after step 1: a failed call becomes an :class:`ApiError` next to the fact
it would have given — except for an endpoint that stops answering or answers as no AWS
API does (:class:`~trailwarden.errors.EndpointError`, see
:mod:`trailwarden.collect.endpoint_guard`): then no finding could be trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trailwarden.collect.calls import AwsCallError
from trailwarden.collect.cloudtrail import (
    DEFAULT_EVENT_SELECTORS,
    ListedTrail,
    describe_trails,
    get_event_selectors,
    get_trail_status,
    list_trails,
)
from trailwarden.collect.identity import identify
from trailwarden.collect.monitoring import Monitoring, monitored_log_groups
from trailwarden.collect.references import References
from trailwarden.collect.regions import validate_regions
from trailwarden.inventory import (
    ApiError,
    EventSelectors,
    Inventory,
    Trail,
    TrailConfig,
    TrailRef,
    TrailStatus,
)

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["MAX_WORKERS", "KnownAccount", "collect_account"]

# Independent calls in flight at once. CloudTrail allows ~10 reads/s per region and the
# clients' adaptive retry mode slows down when throttled, so this is safe.
MAX_WORKERS = 16


@dataclass(frozen=True)
class KnownAccount:
    """What an organization scan already knows about an account: no need to ask AWS again.

    With it, the trails of other accounts that ListTrails shows (organization trails) are
    listed, not described: their owner's scan evaluates them, once.
    """

    account_id: str
    partition: str
    organization_id: str | None = None


def collect_account(
    factory: ClientFactory,
    *,
    regions: Sequence[str] | None = None,
    home_region: str | None = None,
    monitoring: bool = True,
    known: KnownAccount | None = None,
) -> Inventory:
    """Collect every trail of the account behind ``factory`` (filtered by ``regions``).

    ``home_region`` is where account-wide calls go (STS, ListTrails, IAM); default: the
    session's region, else us-east-1. ``monitoring=False`` skips the metric filters,
    alarms and topics (only the monitoring checks TW101–TW115 need them). ``known``
    (organization scans): the account id and partition, so no GetCallerIdentity. Raises
    :class:`~trailwarden.errors.CredentialsError` when the credentials are missing or
    rejected and :class:`~trailwarden.errors.EndpointError` when an endpoint is silent or
    not AWS; every other failure is recorded.
    """
    if regions is not None:
        validate_regions(regions)
    control = home_region or factory.region_name or "us-east-1"
    pool = ThreadPoolExecutor(MAX_WORKERS, thread_name_prefix="trailwarden")
    try:
        inventory = _collect(factory, pool, control, regions, monitoring, known)
    except BaseException:
        # Ctrl-C or an error: do not wait here for calls still in flight (a silent
        # endpoint holds each for up to its read timeout); drop the queued ones.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return inventory


def _collect(
    factory: ClientFactory,
    pool: ThreadPoolExecutor,
    control: str,
    regions: Sequence[str] | None,
    monitoring: bool,
    known: KnownAccount | None,
) -> Inventory:
    if known is None:
        listed_future = pool.submit(list_trails, factory, control)
        account_id, partition = identify(factory, control)
        listed = listed_future.result()
    else:
        # Nothing to wait for alongside: in this thread (an organization has many accounts).
        account_id, partition = known.account_id, known.partition
        listed = list_trails(factory, control)
    if regions is not None:
        validate_regions(regions, partition)
    if isinstance(listed, ApiError):
        return Inventory(
            account_id=account_id,
            partition=partition,
            collected_at=datetime.now(UTC),
            regions=tuple(regions) if regions is not None else None,
            errors=(listed,),
        )
    elsewhere: tuple[TrailRef, ...] = ()
    if known is not None:
        # A member lists its organization's trails too; describing them here would only
        # repeat (with less access) what their owner's scan evaluates.
        elsewhere = tuple(
            TrailRef(t.arn, t.name, t.home_region, t.account_id)
            for t in listed
            if t.account_id != account_id
        )
        listed = [t for t in listed if t.account_id == account_id]
    run = _Run(factory, pool, account_id, control, regions)
    if known is not None:
        run.known_organization_id = known.organization_id
    run.collect(listed)
    trails, log_groups = run.trails(), run.refs.log_groups()
    watched = Monitoring(factory, pool)
    if monitoring:
        watched.start(monitored_log_groups(account_id, run.kept, log_groups))
    roles = run.refs.roles()
    metric_filters, alarms, topics = watched.result()
    return Inventory(
        account_id=account_id,
        partition=partition,
        # After the last answer: TW004 measures delivery age from this instant.
        collected_at=datetime.now(UTC),
        regions=tuple(regions) if regions is not None else None,
        organization_id=run.organization_id(),
        trails=trails,
        log_groups=log_groups,
        roles=roles,
        errors=tuple(run.errors),
        metric_filters=metric_filters,
        alarms=alarms,
        topics=topics,
        organization_trails=tuple(sorted(elsewhere, key=lambda t: t.arn)),
    )


class _Run:
    """The state of one collection: futures keyed by what they describe."""

    def __init__(
        self,
        factory: ClientFactory,
        pool: ThreadPoolExecutor,
        account_id: str,
        control: str,
        regions: Sequence[str] | None,
    ) -> None:
        self.factory, self.pool, self.account_id = factory, pool, account_id
        self.control = control
        self.regions = set(regions) if regions is not None else None
        self.errors: list[ApiError] = []
        self.kept: list[tuple[ListedTrail, TrailConfig | ApiError]] = []
        self.status: dict[str, Future[TrailStatus | ApiError]] = {}
        self.selectors: dict[str, Future[EventSelectors | ApiError]] = {}
        self.refs = References(factory, pool, account_id, control)
        self.org: Future[str | None] | None = None
        self.known_organization_id: str | None = None

    def collect(self, listed: list[ListedTrail]) -> None:
        by_home: dict[str, list[ListedTrail]] = {}
        for trail in listed:
            by_home.setdefault(trail.home_region, []).append(trail)
        described = {
            self.pool.submit(describe_trails, self.factory, region, [t.arn for t in ts]): region
            for region, ts in by_home.items()
        }
        for future in as_completed(described):
            region = described[future]
            configs = future.result()
            dropped_unknown: ApiError | None = None
            for trail in by_home[region]:
                config = configs[trail.arn]
                # Scope rule for --regions: a trail is in scope when its home region is
                # selected, or when it is multi-region (it logs the selected regions too).
                # Multi-region-ness is known only from DescribeTrails, hence its call in
                # every home region even when --regions is given.
                in_home = self.regions is None or trail.home_region in self.regions
                if not in_home and not (isinstance(config, TrailConfig) and config.is_multi_region):
                    if isinstance(config, ApiError):
                        dropped_unknown = config
                    continue
                self._keep(trail, config)
            if dropped_unknown is not None:
                self.errors.append(_scope_unknown(dropped_unknown, region))

    def _keep(self, trail: ListedTrail, config: TrailConfig | ApiError) -> None:
        self.kept.append((trail, config))
        home = trail.home_region
        self.status[trail.arn] = self.pool.submit(get_trail_status, self.factory, trail.arn, home)
        if not isinstance(config, TrailConfig):
            return
        # Without custom selectors a trail logs AWS's defaults; the call is needed only
        # for multi-region trails (TW010).
        if config.is_multi_region and config.has_custom_event_selectors:
            self.selectors[trail.arn] = self.pool.submit(
                get_event_selectors, self.factory, trail.arn, home
            )
        owned = config.is_organization_trail and trail.account_id == self.account_id
        if owned and not self.org and not self.known_organization_id:
            self.org = self.pool.submit(_organization_id, self.factory, self.control)
        self.refs.add(trail, config)

    def trails(self) -> tuple[Trail, ...]:
        out = []
        for listed, config in self.kept:
            status = self.status[listed.arn].result()
            selectors: EventSelectors | ApiError | None = None
            if listed.arn in self.selectors:
                selectors = self.selectors[listed.arn].result()
            elif isinstance(config, TrailConfig) and config.is_multi_region:
                selectors = DEFAULT_EVENT_SELECTORS
            out.append(
                Trail(
                    arn=listed.arn,
                    name=listed.name,
                    home_region=listed.home_region,
                    account_id=listed.account_id,
                    config=config if isinstance(config, TrailConfig) else None,
                    config_error=config if isinstance(config, ApiError) else None,
                    status=status if isinstance(status, TrailStatus) else None,
                    status_error=status if isinstance(status, ApiError) else None,
                    event_selectors=selectors if isinstance(selectors, EventSelectors) else None,
                    event_selectors_error=selectors if isinstance(selectors, ApiError) else None,
                )
            )
        return tuple(sorted(out, key=lambda t: (t.account_id, t.home_region, t.name, t.arn)))

    def organization_id(self) -> str | None:
        if self.known_organization_id is not None:
            return self.known_organization_id
        return self.org.result() if self.org is not None else None


def _scope_unknown(error: ApiError, region: str) -> ApiError:
    return ApiError(
        error.action,
        error.code,
        f"Could not tell whether the trails homed in {region} cover the selected regions: "
        f"{error.message}",
        region,
    )


def _organization_id(factory: ClientFactory, region: str) -> str | None:
    """The organization's id, or None when it cannot be read (it is only informative)."""
    try:
        org = factory.client("organizations", region).describe_organization()["Organization"]
    except AwsCallError:
        return None
    return str(org.get("Id") or "") or None
