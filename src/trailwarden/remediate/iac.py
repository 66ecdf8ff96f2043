"""A plan regrouped per resource, for the infrastructure-as-code renderers.

A plan is a sequence of API calls; Terraform and CloudFormation describe resources. Here
the steps that touch one log group, role or trail become one record of its final state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, assert_never

from trailwarden.arns import parse_arn
from trailwarden.inventory import Inventory, TrailConfig
from trailwarden.remediate.model import Action, Plan, Step

__all__ = [
    "Change",
    "GroupSpec",
    "MonitoringSpec",
    "RoleSpec",
    "TrailSpec",
    "collect",
    "trail_facts",
]


@dataclass
class GroupSpec:
    key: str
    name: str
    region: str
    created: bool = False
    kms_key_id: str | None = None
    retention_in_days: int | None = None
    steps: list[Step] = field(default_factory=list)


@dataclass
class RoleSpec:
    arn: str
    name: str
    region: str
    created: bool = False
    path: str = "/"
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    trust: dict[str, Any] | None = None  # set when created or its trust policy is replaced
    policy_name: str | None = None
    policy: dict[str, Any] | None = None
    policy_existed: bool = False  # PutRolePolicy replaces an inline policy of that name
    steps: list[Step] = field(default_factory=list)


@dataclass
class TrailSpec:
    arn: str
    name: str
    region: str
    log_group_arn: str | None = None  # new CloudWatchLogsLogGroupArn (with ":*")
    role_arn: str | None = None
    updated: bool = False
    start_logging: bool = False
    steps: list[Step] = field(default_factory=list)


@dataclass
class MonitoringSpec:
    """A metric filter, SNS topic or alarm of the monitoring fix: its steps, in plan order.

    ``kind`` is "filter", "topic" or "alarm". A topic is ``created`` or only subscribed to
    (``emails``); an alarm is put (``settings``, the step's ``after``) or only enabled.
    """

    kind: str
    target: str
    region: str
    created: bool = False  # the resource does not exist before the plan
    settings: dict[str, Any] = field(default_factory=dict)
    emails: list[str] = field(default_factory=list)
    enable_only: bool = False
    steps: list[Step] = field(default_factory=list)


Spec = GroupSpec | RoleSpec | TrailSpec | MonitoringSpec


@dataclass
class Change:
    groups: dict[str, GroupSpec] = field(default_factory=dict)
    roles: dict[str, RoleSpec] = field(default_factory=dict)
    trails: dict[str, TrailSpec] = field(default_factory=dict)
    monitoring: dict[str, MonitoringSpec] = field(default_factory=dict)

    @property
    def regions(self) -> list[str]:
        """Regions in plan order."""
        specs: list[Spec] = [
            *self.groups.values(),
            *self.roles.values(),
            *self.trails.values(),
            *self.monitoring.values(),
        ]
        return list(dict.fromkeys(s.region for s in sorted(specs, key=_first_step)))


def _first_step(spec: Spec) -> int:
    return min(int(s.id) if s.id.isdigit() else 0 for s in spec.steps)


def collect(plan: Plan) -> Change:
    change = Change()
    for step in plan.steps:
        after = step.after
        match step.action:
            case Action.CREATE_LOG_GROUP | Action.PUT_RETENTION_POLICY:
                group = change.groups.setdefault(
                    step.target,
                    GroupSpec(step.target, str(after["log_group_name"]), step.region),
                )
                if step.action is Action.CREATE_LOG_GROUP:
                    group.created, group.kms_key_id = True, after.get("kms_key_id")
                else:
                    group.retention_in_days = int(after["retention_in_days"])
                group.steps.append(step)
            case Action.CREATE_ROLE | Action.PUT_ROLE_POLICY | Action.UPDATE_ASSUME_ROLE_POLICY:
                role = change.roles.setdefault(
                    step.target,
                    RoleSpec(step.target, str(after["role_name"]), step.region, path=_path(step)),
                )
                if step.action is Action.CREATE_ROLE:
                    role.created, role.path = True, str(after.get("path", "/"))
                    role.description, role.tags = after.get("description"), after.get("tags", {})
                if step.action is not Action.PUT_ROLE_POLICY:
                    role.trust = after["assume_role_policy"]
                else:
                    role.policy_name, role.policy = after["policy_name"], after["policy_document"]
                    role.policy_existed = (step.before or {}).get("policy_document") is not None
                role.steps.append(step)
            case Action.UPDATE_TRAIL | Action.START_LOGGING:
                trail = change.trails.setdefault(
                    step.target,
                    TrailSpec(step.target, step.target.rsplit("/", 1)[-1], step.region),
                )
                if step.action is Action.UPDATE_TRAIL:
                    trail.updated = True
                    trail.log_group_arn = after["cloud_watch_logs_log_group_arn"]
                    trail.role_arn = after["cloud_watch_logs_role_arn"]
                else:
                    trail.start_logging = True
                trail.steps.append(step)
            case Action.PUT_METRIC_FILTER | Action.PUT_METRIC_ALARM:
                kind = "filter" if step.action is Action.PUT_METRIC_FILTER else "alarm"
                spec = _monitoring(change, kind, step)
                spec.settings, spec.enable_only = dict(after), False
                spec.created = spec.created or step.before is None
            case Action.CREATE_TOPIC:
                _monitoring(change, "topic", step).created = True
            case Action.SUBSCRIBE:
                _monitoring(change, "topic", step).emails.append(str(after["endpoint"]))
            case Action.ENABLE_ALARM_ACTIONS:
                spec = _monitoring(change, "alarm", step)
                spec.enable_only = not spec.settings
            case _:
                assert_never(step.action)
    return change


def _monitoring(change: Change, kind: str, step: Step) -> MonitoringSpec:
    spec = change.monitoring.setdefault(step.target, MonitoringSpec(kind, step.target, step.region))
    spec.steps.append(step)
    return spec


def _path(step: Step) -> str:
    """The role's path, from its ARN (``role/service-role/X`` → ``/service-role/``)."""
    arn = parse_arn(step.target)
    parts = arn.resource.split("/")[1:-1] if arn else []
    return "/" + "".join(f"{p}/" for p in parts)


def trail_facts(inventory: Inventory, arn: str) -> tuple[TrailConfig | None, bool | None]:
    """The trail's configuration and whether it is logging, as the inventory knows them."""
    trail = next((t for t in inventory.trails if t.arn == arn), None)
    if trail is None:
        return None, None
    return trail.config, trail.status.is_logging if trail.status else None
