"""Renderers: a :class:`~trailwarden.findings.Report` → text for people or machines."""

from __future__ import annotations

import enum

__all__ = ["OutputFormat"]


class OutputFormat(enum.Enum):
    TABLE = "table"
    JSON = "json"
