"""Resources read from code (:class:`~.specs.Code`) → the :class:`Inventory` the checks read.

Links are made by value, as on AWS: a trail names its log group by ARN, and the log group
defined in the code with that name, region and account is the one. A value the code does not
give (:class:`~.specs.Unresolved`) is linked through the resources it derives from, and
otherwise becomes an :class:`~trailwarden.inventory.Unknown`. A log group, role or topic named
but not defined in the code is recorded with a ``NOT_IN_CODE`` error: it may well exist, but
this input cannot tell (``trailwarden scan`` can).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from trailwarden.arns import parse_log_group_arn, parse_role_arn
from trailwarden.collect.iac.build_monitoring import monitoring
from trailwarden.collect.iac.build_roles import build_role, code_name, not_in_code, stand_in
from trailwarden.collect.iac.names import (
    log_group_arn,
    partition_of,
    role_arn,
    trail_arn,
    unknown_account,
)
from trailwarden.collect.iac.specs import (
    Code,
    Flag,
    Text,
    TrailSpec,
    Unresolved,
    Where,
)
from trailwarden.inventory import (
    ApiError,
    EventSelectors,
    Inventory,
    LogGroup,
    Role,
    Trail,
    TrailConfig,
    TrailStatus,
    Unknown,
)

__all__ = ["Built", "build_inventory", "not_in_code", "resolve_link", "stand_in"]


@dataclass(frozen=True)
class Built:
    """An inventory of code, and where in the code each trail is (by trail ARN)."""

    inventory: Inventory
    trails: Mapping[str, Where]


def resolve_link(value: Text | None, targets: Mapping[str, str]) -> str | None:
    """A reference to a resource of the code (by address in ``targets``) becomes its ARN."""
    if value is None or value == "" or isinstance(value, str):
        return value or None
    linked = {targets[a] for a in value.refs if a in targets}
    if len(linked) == 1:
        return linked.pop() + (":*" if value.text.endswith(":*") else "")
    return Unknown(value.text, value.reason)


def build_inventory(code: Code, collected_at: datetime, region: str) -> Built:
    """The inventory of ``code``, whose resources default to ``region``."""
    b = _Builder(code, code.account_id or unknown_account())
    b.errors += [not_in_code(reason) for reason in code.unread]
    b.log_groups()
    b.roles()
    trails = [b.trail(t) for t in code.trails]
    filters, alarms, topics = monitoring(code, str(b.account), b.groups, b.group_by_address)
    inventory = Inventory(
        account_id=b.account,
        partition=partition_of(region),
        collected_at=collected_at,
        trails=tuple(t for t, _ in trails),
        log_groups=tuple(b.groups.values()),
        roles=tuple(b.roles_by_arn.values()),
        errors=tuple(b.errors),
        metric_filters=filters,
        alarms=alarms,
        topics=topics,
    )
    return Built(inventory, {t.arn: where for t, where in trails})


class _Builder:
    def __init__(self, code: Code, account: str) -> None:
        self.code, self.account = code, account
        self.groups: dict[str, LogGroup] = {}
        self.group_by_address: dict[str, str] = {}
        self.roles_by_arn: dict[str, Role] = {}
        self.role_by_address: dict[str, str] = {}
        self.errors: list[ApiError] = []

    def log_groups(self) -> None:
        for spec in self.code.log_groups:
            name = code_name(spec.name, spec.where)
            key = log_group_arn(spec.region, self.account, name)
            days, address = spec.retention_in_days, spec.where.address
            problem = (
                f"{address} may not exist ({spec.where.maybe})"
                if spec.where.maybe
                else f"{address}'s retention is not known from code: {days.reason}"
                if isinstance(days, Unresolved)
                else None
            )
            self.groups[key] = LogGroup(
                key=key,
                name=name,
                region=spec.region,
                account_id=self.account,
                exists=None if spec.where.maybe else True,
                # 0 (Terraform's default) and absent both mean "never expire".
                retention_in_days=(days or None) if isinstance(days, int) else None,
                # Exists, retention unknown: the checks read exists=True with this error so.
                error=not_in_code(problem) if problem else None,
            )
            self.group_by_address[address] = key

    def roles(self) -> None:
        for spec in self.code.roles:
            name = code_name(spec.name, spec.where)
            arn = role_arn(spec.region, self.account, name, spec.path)
            self.role_by_address[spec.where.address] = arn
        for spec in self.code.roles:
            arn = self.role_by_address[spec.where.address]
            self.roles_by_arn[arn] = build_role(self.code, spec, arn, self.account)

    def trail(self, spec: TrailSpec) -> tuple[Trail, Where]:
        """A trail of the code. One that may not exist (an undecided count or Condition) is
        judged as written, but cannot count for TW010: what it would capture is unknown."""
        where = spec.where
        name = code_name(spec.name, spec.where)
        arn = trail_arn(spec.region, self.account, name)
        lg = resolve_link(spec.log_group_arn, self.group_by_address)
        role = resolve_link(spec.role_arn, self.role_by_address)
        self._outside(lg, role)
        selectors, selectors_error = self._selectors(spec)
        if where.maybe:
            why = f"{where.address} may not exist ({where.maybe})"
            selectors, selectors_error = None, not_in_code(why)
        config = TrailConfig(
            is_multi_region=self._flag(spec.multi_region, where, "is_multi_region_trail", False),
            is_organization_trail=self._flag(spec.organization, where, "organization", False),
            log_group_arn=lg,
            role_arn=role,
            has_custom_event_selectors=selectors is not None or selectors_error is not None,
            s3_bucket_name=stand_in(spec.s3_bucket_name) if spec.s3_bucket_name else None,
            kms_key_id=stand_in(spec.kms_key_id) if spec.kms_key_id else None,
        )
        logging = spec.logging
        status = TrailStatus(is_logging=logging) if isinstance(logging, bool) else None
        return Trail(
            arn=arn,
            name=name,
            home_region=spec.region,
            account_id=self.account,
            config=config,
            status=status,
            status_error=None
            if status
            else not_in_code(
                f"whether {where.address} logs is not known from code: "
                f"{logging.reason if isinstance(logging, Unresolved) else ''}"
            ),
            event_selectors=selectors,
            event_selectors_error=selectors_error,
        ), where

    def _flag(self, value: Flag, where: Where, what: str, default: bool) -> bool:
        if isinstance(value, bool):
            return value
        self.errors.append(
            not_in_code(f"{where.address}'s {what} is not known from code: {value.reason}")
        )
        return default

    def _selectors(self, spec: TrailSpec) -> tuple[EventSelectors | None, ApiError | None]:
        basic, advanced = spec.basic_selectors, spec.advanced_selectors
        for value in (basic, advanced):
            if isinstance(value, Unresolved):
                reason = f"{spec.where.address}'s event selectors are not known from code: "
                return None, not_in_code(reason + value.reason)
        assert not isinstance(basic, Unresolved) and not isinstance(advanced, Unresolved)
        return (EventSelectors(basic, advanced) if basic or advanced else None), None

    def _outside(self, lg: str | None, role: str | None) -> None:
        """Records for what the trail names but the code does not define."""
        ref = parse_log_group_arn(lg) if lg and not isinstance(lg, Unknown) else None
        if ref is not None and ref.key not in self.groups:
            self.groups[ref.key] = LogGroup(
                key=ref.key,
                name=ref.name,
                region=ref.region,
                account_id=ref.account_id,
                exists=None,
                error=not_in_code(
                    f"log group {ref.name} ({ref.key}) is not defined in this configuration"
                ),
            )
        parsed = parse_role_arn(role) if role and not isinstance(role, Unknown) else None
        if role and parsed is not None and role not in self.roles_by_arn:
            self.roles_by_arn[role] = Role(
                arn=role,
                name=parsed[2],
                account_id=parsed[1],
                exists=None,
                error=not_in_code(f"role {role} is not defined in this configuration"),
            )
