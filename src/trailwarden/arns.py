"""Parsing of the ARNs trailwarden reasons about (pure; no AWS calls).

ARN formats: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Arn", "LogGroupRef", "parse_arn", "parse_log_group_arn", "parse_role_arn"]


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account_id: str
    resource: str


def parse_arn(text: str) -> Arn | None:
    """Split an ARN into its parts, or None when ``text`` is not an ARN."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2]:
        return None
    return Arn(parts[1], parts[2], parts[3], parts[4], parts[5])


@dataclass(frozen=True)
class LogGroupRef:
    """A log group as a trail names it: CloudTrail stores ``…:log-group:NAME:*``."""

    partition: str
    region: str
    account_id: str
    name: str

    @property
    def key(self) -> str:
        """The log group's ARN without the ``:*`` suffix: one key per log group."""
        return f"arn:{self.partition}:logs:{self.region}:{self.account_id}:log-group:{self.name}"

    def stream_arn(self, stream_name: str) -> str:
        return f"{self.key}:log-stream:{stream_name}"


def parse_log_group_arn(text: str) -> LogGroupRef | None:
    """Parse a CloudWatch Logs log group ARN, with or without the trailing ``:*``."""
    arn = parse_arn(text)
    if arn is None or arn.service != "logs" or not arn.region or not arn.account_id:
        return None
    if not arn.resource.startswith("log-group:"):
        return None
    name = arn.resource[len("log-group:") :]
    if name.endswith(":*"):
        name = name[:-2]
    if not name or ":" in name:
        return None
    return LogGroupRef(arn.partition, arn.region, arn.account_id, name)


def parse_role_arn(text: str) -> tuple[str, str, str] | None:
    """Return (partition, account_id, role_name) of an IAM role ARN, or None.

    The role name is the last path segment: ``role/service-role/X`` names ``X``.
    """
    arn = parse_arn(text)
    if arn is None or arn.service != "iam" or arn.region or not arn.account_id:
        return None
    if not arn.resource.startswith("role/"):
        return None
    name = arn.resource.rsplit("/", 1)[-1]
    if not name:
        return None
    return arn.partition, arn.account_id, name
