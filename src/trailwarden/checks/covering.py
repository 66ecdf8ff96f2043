"""Organization trails that cover a member account, as their owner's scan evaluated them.

AWS shows an organization trail in every member account, but only its owner (the
management account) can read its log group, delivery role, metric filters and alarms. So
``scan --org`` evaluates it once, in its owner's scan, and credits the members from there:
a member's TW010 passes when a covering trail qualifies, and its TW101–TW115 are judged on
the covering trail's log group in the owner's account too (where Control Tower users put
their CIS alarms).
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
"""

from __future__ import annotations

from dataclasses import dataclass

from trailwarden.findings import Finding
from trailwarden.inventory import Inventory, Trail, TrailRef

__all__ = ["CoveringTrail"]


@dataclass(frozen=True)
class CoveringTrail:
    """An organization trail of another account that a member's ListTrails showed.

    ``trail``, ``findings`` (its TW001–TW007) and ``facts`` (the owner's inventory: the
    monitoring facts of its log group) come from the owner's scan; when that scan could
    not evaluate it they are empty and ``unknown`` says why.
    """

    ref: TrailRef
    trail: Trail | None = None
    findings: tuple[Finding, ...] = ()
    facts: Inventory | None = None
    unknown: str | None = None
    fix: str = ""  # what would let the owner's scan evaluate it

    def as_trail(self) -> Trail:
        """The trail as described by its owner, else as listed (no facts)."""
        if self.trail is not None:
            return self.trail
        ref = self.ref
        return Trail(ref.arn, ref.name, ref.home_region, ref.account_id)
