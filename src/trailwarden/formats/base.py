"""The report formats behind one interface: :data:`FORMATS`, what ``--format`` iterates.

Each format is ``render(report, context) -> bytes`` in its own module, imported on first
use (start-up time matters): ``json``, ``ocsf``, ``asff``, ``sarif``, ``junit``, ``csv``,
``html``. ``table`` is for people: the CLI draws it on a terminal (or into a file).
:class:`RenderContext` carries what a run adds to its report: the framework that labels
the checks, the suppressions outcome, the fix plan (HTML) and the Security Hub region
(ASFF). Everything here is pure: findings in, bytes out.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trailwarden.arns import parse_arn
from trailwarden.errors import UsageError
from trailwarden.findings import Finding, Report

if TYPE_CHECKING:
    from trailwarden.checks.compliance import Framework
    from trailwarden.suppressions import SuppressionsResult

__all__ = [
    "FORMATS",
    "Format",
    "RenderContext",
    "finding_uid",
    "parse_formats",
    "partition_of",
]

HOMEPAGE = "https://github.com/trailwarden/trailwarden"


@dataclass(frozen=True)
class RenderContext:
    """What a run adds to its report, for the formats that show it."""

    framework: Framework | None = None  # --framework: labels, and what was evaluated
    suppressions: SuppressionsResult | None = None  # expired and unused entries
    suppressions_file: str | None = None
    plan: Mapping[str, Any] | None = None  # the fix plan, as plan JSON (schema v1)
    security_hub_region: str | None = None  # ASFF ProductArn's region
    extra: Mapping[str, Any] = field(default_factory=dict)


Renderer = Callable[[Report, RenderContext], bytes]
PieceRenderer = Callable[[Report, RenderContext], Iterable[bytes]]


@dataclass(frozen=True)
class Format:
    """One ``--format`` value: its renderer (``module:function``) and ``--output-dir`` file."""

    name: str
    file_name: str
    target: str  # "trailwarden.formats.sarif:render_sarif"; "" for the table
    summary: str
    # A renderer that yields the document in pieces (same bytes as ``target``), for formats
    # whose document would otherwise be built whole in memory at organization scale.
    pieces_target: str = ""

    @property
    def for_people(self) -> bool:
        return not self.target

    def render(self, report: Report, context: RenderContext | None = None) -> bytes:
        module, function = self.target.split(":")
        renderer: Renderer = getattr(importlib.import_module(module), function)
        return renderer(report, context or RenderContext())

    def pieces(self, report: Report, context: RenderContext | None = None) -> Iterable[bytes]:
        """The document in pieces to write one after another (one piece for most formats)."""
        if not self.pieces_target:
            return (self.render(report, context),)
        module, function = self.pieces_target.split(":")
        renderer: PieceRenderer = getattr(importlib.import_module(module), function)
        return renderer(report, context or RenderContext())


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("table", "trailwarden.txt", "", "for people (default)"),
        Format(
            "json",
            "trailwarden.json",
            "trailwarden.formats.json:render_report",
            "JSON v1",
            "trailwarden.formats.json:iter_report",
        ),
        Format("ocsf", "trailwarden.ocsf.json", "trailwarden.formats.ocsf:render_ocsf", "OCSF"),
        Format("asff", "trailwarden.asff.json", "trailwarden.formats.asff:render_asff", "ASFF"),
        Format("sarif", "trailwarden.sarif", "trailwarden.formats.sarif:render_sarif", "SARIF"),
        Format("junit", "trailwarden.junit.xml", "trailwarden.formats.junit:render_junit", "JUnit"),
        Format("csv", "trailwarden.csv", "trailwarden.formats.csv_:render_csv", "CSV"),
        Format("html", "trailwarden.html", "trailwarden.formats.html:render_html", "HTML"),
    )
}


def parse_formats(value: str) -> list[Format]:
    """``--format json,sarif`` as formats, in order, each once; unknown names are an error."""
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    if not names:
        raise UsageError(f"--format {value!r} names no format; give one of {', '.join(FORMATS)}.")
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise UsageError(
            f"--format: there is no format {unknown[0]!r}; choose from {', '.join(FORMATS)} "
            "(several: --format json,sarif)."
        )
    return [FORMATS[n] for n in dict.fromkeys(names)]


def finding_uid(f: Finding) -> str:
    """A finding's stable id: the same check on the same resource gives the same id on
    every run (``trailwarden/<account>/<region>/<check>/<sha256 of the resource id>``).

    The region is the resource's (its ARN's), ``global`` for an account: an account
    finding's ``region`` says where its verdict was reached, which changes with it."""
    arn = parse_arn(f.resource_id)
    region = arn.region if arn is not None and arn.region else "global"
    digest = hashlib.sha256(f.resource_id.encode("utf-8")).hexdigest()
    return f"trailwarden/{f.account_id}/{region}/{f.check_id}/{digest}"


def partition_of(f: Finding) -> str:
    """The AWS partition of a finding's resource (``aws`` for account-level ids)."""
    arn = parse_arn(f.resource_id)
    return arn.partition if arn is not None else "aws"
