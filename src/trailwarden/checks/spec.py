"""What a check is: :class:`CheckSpec`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from trailwarden.findings import Severity

__all__ = ["CheckSpec"]


@dataclass(frozen=True)
class CheckSpec:
    """A check's id, title and severity, and the text ``trailwarden explain`` prints."""

    id: str
    title: str
    severity: Severity
    scope: Literal["trail", "account"]
    rationale: str  # Markdown, like the two fields below
    how_evaluated: str
    remediation: str
    references: tuple[str, ...]
