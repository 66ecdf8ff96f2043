"""The log groups and delivery roles that trails name, each looked up once.

Only what the scanned account can read is looked up: a log group in the trail's home
region and the scanned account, a role in the scanned account. Log groups in another
region than the trail's, and ARNs that do not parse, get no entry: the checks judge them
from the ARN alone (CloudTrail cannot deliver there). Resources in another account get
an entry with an :class:`ApiError` saying why they were not read.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from trailwarden.arns import LogGroupRef, parse_log_group_arn, parse_role_arn
from trailwarden.collect.cloudtrail import ListedTrail
from trailwarden.collect.iam import RoleDraft, finish_role, read_managed_policy, read_role
from trailwarden.collect.logs import describe_log_group, unreadable_log_group
from trailwarden.inventory import ApiError, JsonDict, LogGroup, Role, TrailConfig

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["References"]

Referrer = tuple[ListedTrail, TrailConfig]


class References:
    """Collects the log groups and roles of the trails passed to :meth:`add`."""

    def __init__(
        self, factory: ClientFactory, pool: ThreadPoolExecutor, account_id: str, iam_region: str
    ) -> None:
        self.factory, self.pool, self.account_id = factory, pool, account_id
        self.iam_region = iam_region
        self.group_refs: dict[str, tuple[LogGroupRef, list[Referrer]]] = {}
        self.groups: dict[str, Future[LogGroup]] = {}
        self.role_refs: dict[str, list[Referrer]] = {}
        self.drafts: dict[str, Future[RoleDraft]] = {}

    def add(self, trail: ListedTrail, config: TrailConfig) -> None:
        """Start looking up what ``trail`` names (in the background).

        A trail that names only one of the two ARNs fails TW001, and every check that
        would use the log group or the role is then not applicable: nothing is looked up.
        """
        if not (config.log_group_arn and config.role_arn):
            return
        ref = parse_log_group_arn(config.log_group_arn) if config.log_group_arn else None
        if ref is not None and ref.region == trail.home_region:
            self.group_refs.setdefault(ref.key, (ref, []))[1].append((trail, config))
            if ref.account_id == self.account_id and ref.key not in self.groups:
                self.groups[ref.key] = self.pool.submit(describe_log_group, self.factory, ref)
        role = parse_role_arn(config.role_arn) if config.role_arn else None
        if role is not None and config.role_arn:
            arn = config.role_arn
            self.role_refs.setdefault(arn, []).append((trail, config))
            _, account, name = role
            if account == self.account_id and arn not in self.drafts:
                self.drafts[arn] = self.pool.submit(
                    read_role, self.factory, self.iam_region, arn, name, account
                )

    def log_groups(self) -> tuple[LogGroup, ...]:
        out = [f.result() for f in self.groups.values()]
        for key, (ref, referrers) in self.group_refs.items():
            if key not in self.groups:
                code, why = self._not_read(referrers, "log group", ref.account_id)
                error = ApiError("logs:DescribeLogGroups", code, why, ref.region)
                out.append(unreadable_log_group(ref, error))
        return tuple(sorted(out, key=lambda g: g.key))

    def roles(self) -> tuple[Role, ...]:
        """The roles, after fetching each distinct managed or boundary policy once."""
        drafts = {arn: f.result() for arn, f in self.drafts.items()}
        wanted = {a for d in drafts.values() for a in d.managed_arns}
        wanted |= {d.boundary_arn for d in drafts.values() if d.boundary_arn}
        futures = {
            a: self.pool.submit(read_managed_policy, self.factory, self.iam_region, a)
            for a in sorted(wanted)
        }
        documents: dict[str, JsonDict | ApiError] = {a: f.result() for a, f in futures.items()}
        out = [finish_role(d, documents) for d in drafts.values()]
        for arn, referrers in self.role_refs.items():
            if arn not in drafts:
                parsed = parse_role_arn(arn)
                assert parsed is not None  # only parseable ARNs are referenced
                _, account, name = parsed
                code, why = self._not_read(referrers, "role", account)
                error = ApiError("iam:GetRole", code, why)
                out.append(Role(arn, name, account, exists=None, error=error))
        return tuple(sorted(out, key=lambda r: r.arn))

    def _not_read(self, referrers: list[Referrer], kind: str, owner: str) -> tuple[str, str]:
        """Error code and message for a resource of another account."""
        if all(t.account_id != self.account_id and c.is_organization_trail for t, c in referrers):
            return "NotReadableFromMemberAccount", (
                f"The {kind} belongs to the organization trail's management account {owner}; "
                "scan that account to evaluate it."
            )
        return "CrossAccount" + kind.title().replace(" ", ""), (
            f"The {kind} is in account {owner}, not in the scanned account "
            f"{self.account_id}; CloudTrail uses only its own account's log group and role."
        )
