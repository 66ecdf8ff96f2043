"""Looking up what a plan would create or reuse, so that the pure planner can see it.

Here, beside apply and rollback, because it reads AWS: the planning package never does.
It lives in remediate rather than in :mod:`trailwarden.collect` because what to look up
is the planner's question (:class:`~trailwarden.remediate.planning.plan.Wanted`); the
reads themselves are the collector's functions.

The scan describes only the log groups and roles that trails already name. Before creating
``aws-cloudtrail-logs/<trail>`` or ``trailwarden-cwl-<trail>`` the planner must know whether
they exist (to reuse them, or to avoid clobbering someone else's): this module reads them
with the collector's own functions and adds them to the inventory.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from trailwarden.arns import LogGroupRef, parse_role_arn
from trailwarden.collect.iam import RoleDraft, finish_role, read_managed_policy, read_role
from trailwarden.collect.logs import describe_log_group, unreadable_log_group
from trailwarden.collect.monitoring import list_subscriptions
from trailwarden.inventory import ApiError, Inventory, JsonDict, LogGroup, Role

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory
    from trailwarden.remediate.planning.plan import Wanted

__all__ = ["complete_inventory"]

# Few lookups (one log group and one role per trail to fix), but each is a round trip.
_WORKERS = 8


def complete_inventory(factory: ClientFactory, inventory: Inventory, wanted: Wanted) -> Inventory:
    """``inventory`` with the log groups and roles of ``wanted`` looked up and added.

    Entries already in the inventory are kept as they are. A resource outside the scanned
    account cannot be read: it gets an entry with ``exists=None`` and an error, so the
    planner never takes it for absent.
    """
    groups = [g for g in _unique(wanted.log_groups) if inventory.log_group(g.key) is None]
    roles = {arn: name for arn, name in wanted.roles if inventory.role(arn) is None}
    known_topics = {t.arn for t in inventory.topics}
    topics = sorted({arn for arn in wanted.topics if arn not in known_topics})
    if not groups and not roles and not topics:
        return inventory
    iam_region = _iam_region(factory, inventory)
    # Not ``with``: its exit waits for every call in flight, so Ctrl-C (or an error) would
    # wait up to a read timeout on an endpoint that stalls; the collector does the same.
    pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="trailwarden-lookup")
    try:
        group_futures = [pool.submit(_log_group, factory, inventory, g) for g in groups]
        role_futures = [
            pool.submit(_role, factory, inventory, iam_region, arn, name)
            for arn, name in roles.items()
        ]
        # The topic the alarms would notify: whether it exists and has confirmed subscribers.
        topic_futures = [pool.submit(list_subscriptions, factory, arn) for arn in topics]
        new_groups = [f.result() for f in group_futures]
        new_roles = [f.result() for f in role_futures]
        new_topics = [f.result() for f in topic_futures]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return dataclasses.replace(
        inventory,
        topics=tuple(sorted((*inventory.topics, *new_topics), key=lambda t: t.arn)),
        log_groups=tuple(sorted((*inventory.log_groups, *new_groups), key=lambda g: g.key)),
        roles=tuple(sorted((*inventory.roles, *new_roles), key=lambda r: r.arn)),
    )


def _unique(refs: tuple[LogGroupRef, ...]) -> list[LogGroupRef]:
    return list({r.key: r for r in refs}.values())


def _iam_region(factory: ClientFactory, inventory: Inventory) -> str:
    # IAM is global, but its endpoint must be in the account's partition: a trail's home
    # region always is; the session's region is the next best guess.
    homes = [t.home_region for t in inventory.trails if t.account_id == inventory.account_id]
    return homes[0] if homes else factory.region_name or "us-east-1"


def _log_group(factory: ClientFactory, inventory: Inventory, ref: LogGroupRef) -> LogGroup:
    if ref.account_id != inventory.account_id:
        return unreadable_log_group(ref, _other_account("logs:DescribeLogGroups", ref.region))
    return describe_log_group(factory, ref)


def _role(factory: ClientFactory, inventory: Inventory, region: str, arn: str, name: str) -> Role:
    parsed = parse_role_arn(arn)
    account = parsed[1] if parsed else ""
    if account != inventory.account_id:
        return Role(arn, name, account, exists=None, error=_other_account("iam:GetRole", None))
    draft: RoleDraft = read_role(factory, region, arn, name, account)
    wanted = [*draft.managed_arns, *([draft.boundary_arn] if draft.boundary_arn else [])]
    documents: dict[str, JsonDict | ApiError] = {
        policy_arn: read_managed_policy(factory, region, policy_arn) for policy_arn in wanted
    }
    return finish_role(draft, documents)


def _other_account(action: str, region: str | None) -> ApiError:
    return ApiError(
        action,
        "CrossAccountResource",
        "The resource is in another account than the scanned one, so it was not read.",
        region,
    )
