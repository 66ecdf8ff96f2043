"""The records of resources that the infrastructure-as-code renderers draw.

A plan is a sequence of API calls; Terraform and CloudFormation describe resources. Each
change's ``iac`` facet folds its step into the record of the resource it touches, so the
steps that touch one log group, role, trail, filter, topic or alarm become one record of
its final state (:func:`trailwarden.remediate.render.iac.collect`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trailwarden.arns import parse_arn
from trailwarden.remediate.model import Step

__all__ = ["GroupSpec", "MonitoringSpec", "Resources", "RoleSpec", "TrailSpec"]


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
    role_steps: list[Step] = field(default_factory=list)  # those of the role resource
    policy_steps: list[Step] = field(default_factory=list)  # those of its inline policy


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
class Resources:
    """Every resource a plan touches, by kind, then by target, in plan order."""

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

    def for_group(self, step: Step) -> GroupSpec:
        """The record of the log group ``step`` touches, with the step added."""
        name = str(step.after["log_group_name"])
        group = self.groups.setdefault(step.target, GroupSpec(step.target, name, step.region))
        group.steps.append(step)
        return group

    def for_role(self, step: Step) -> RoleSpec:
        """The record of the role ``step`` touches, with the step added."""
        new = RoleSpec(step.target, str(step.after["role_name"]), step.region, path=_path(step))
        role = self.roles.setdefault(step.target, new)
        role.steps.append(step)
        return role

    def for_trail(self, step: Step) -> TrailSpec:
        """The record of the trail ``step`` touches, with the step added."""
        name = step.target.rsplit("/", 1)[-1]
        trail = self.trails.setdefault(step.target, TrailSpec(step.target, name, step.region))
        trail.steps.append(step)
        return trail

    def for_monitoring(self, kind: str, step: Step) -> MonitoringSpec:
        """The record of the filter, topic or alarm ``step`` touches, with the step added."""
        new = MonitoringSpec(kind, step.target, step.region)
        spec = self.monitoring.setdefault(step.target, new)
        spec.steps.append(step)
        return spec


def _first_step(spec: Spec) -> int:
    return min(int(s.id) if s.id.isdigit() else 0 for s in spec.steps)


def _path(step: Step) -> str:
    """The role's path, from its ARN (``role/service-role/X`` → ``/service-role/``)."""
    arn = parse_arn(step.target)
    parts = arn.resource.split("/")[1:-1] if arn else []
    return "/" + "".join(f"{p}/" for p in parts)
