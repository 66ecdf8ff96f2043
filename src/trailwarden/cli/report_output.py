"""What ``scan`` and ``demo`` do with a report: suppressions, --framework, every --format.

``--format F[,F…]`` with ``--output FILE`` (one format) or ``--output-dir DIR`` (each
format to ``DIR/trailwarden.<ext>``, and one summary line on standard output). A
suppressions file (``--suppressions``, else ``./.trailwarden.yaml`` when present) is
applied before anything is written; its expired and unused entries are said on standard
error. Security Hub (``scan --security-hub``) is in :mod:`.security_hub`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from trailwarden.cli.common import deliver, render_for_people, say, write
from trailwarden.errors import UsageError
from trailwarden.textsafe import printable
from trailwarden.words import count

if TYPE_CHECKING:
    from rich.console import Console

    from trailwarden.checks import CheckOptions
    from trailwarden.checks.compliance import Framework
    from trailwarden.findings import Report
    from trailwarden.formats.base import Format, RenderContext
    from trailwarden.suppressions import SuppressionRule

__all__ = ["DEFAULT_SUPPRESSIONS", "Output", "framework_selection", "output_options", "publish"]

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_SUPPRESSIONS = Path(".trailwarden.yaml")
_MAX_SUPPRESSIONS_BYTES = 1024 * 1024


def output_options(func: F) -> F:
    for option in reversed(
        [
            click.option(
                "--output-dir",
                type=click.Path(file_okay=False, path_type=Path),
                help="Write every --format to DIR/trailwarden.<ext> (created if missing).",
            ),
            click.option(
                "--suppressions",
                "suppressions_file",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Suppressions file (YAML; default: ./.trailwarden.yaml when present).",
            ),
            click.option(
                "--framework",
                metavar="ID",
                help="Evaluate only the checks of this framework and label them with its "
                "numbers: cis-1.2 … cis-6.0, aws-securityhub.",
            ),
        ]
    ):
        func = option(func)
    return func


@dataclass(frozen=True)
class Output:
    """Where and how the report goes, from the command line."""

    formats: str = "table"
    output: Path | None = None
    output_dir: Path | None = None
    suppressions_file: Path | None = None
    framework: Framework | None = None
    plan: dict[str, Any] | None = None  # the fix plan, for the HTML
    rules: tuple[SuppressionRule, ...] | None = None  # the suppressions file, once read
    rules_file: Path | None = None
    rules_automatic: bool = False  # ./.trailwarden.yaml, read because it is there

    def prepared(self) -> Output:
        """Checked (formats, outputs) and with the suppressions file read: a mistake in
        either is exit 2 before any AWS call."""
        self.chosen()
        path, automatic = self.suppressions_file, False
        if path is None and DEFAULT_SUPPRESSIONS.is_file():
            path, automatic = DEFAULT_SUPPRESSIONS, True
        if path is None:
            return self
        return replace(self, rules=_read_rules(path), rules_file=path, rules_automatic=automatic)

    def chosen(self) -> list[Format]:
        """The formats, checked against --output / --output-dir before any AWS call."""
        from trailwarden.formats.base import parse_formats

        formats = parse_formats(self.formats)
        if self.output is not None and self.output_dir is not None:
            raise UsageError("--output and --output-dir exclude each other; keep one.")
        if len(formats) > 1 and self.output_dir is None:
            raise UsageError(
                f"--format {self.formats} names {len(formats)} formats; write them with "
                "--output-dir DIR (one file each), or name one format."
            )
        return formats


def framework_selection(
    options: CheckOptions, framework_id: str | None
) -> tuple[CheckOptions, Framework | None]:
    """``--framework``: only its checks are evaluated (within any --check)."""
    if framework_id is None:
        return options, None
    from trailwarden.checks.compliance import checks_in, get_framework
    from trailwarden.checks.registry import MONITORING_CHECK_IDS

    framework = get_framework(framework_id)
    wanted = checks_in(framework)
    if options.only is not None:
        wanted &= options.only
    if not options.monitoring and options.only is None:
        wanted -= MONITORING_CHECK_IDS
    if not wanted:
        raise UsageError(
            f"--framework {framework.id} maps none of the checks you selected; drop --check "
            "or --no-monitoring, or choose another framework."
        )
    return replace(options, only=frozenset(wanted)), framework


def publish(report: Report, out: Output, security_hub_region: str | None = None) -> Report:
    """Apply suppressions, write every format; the report as written (suppressed)."""
    formats = out.chosen()
    report, context = _suppress(report, out)
    context = replace(
        context, framework=out.framework, plan=out.plan, security_hub_region=security_hub_region
    )
    if out.output_dir is not None:
        _write_all(report, formats, out.output_dir, context)
    else:
        _write_one(report, formats[0], out.output, context)
    return report


def _read_rules(path: Path) -> tuple[SuppressionRule, ...]:
    from trailwarden.checks.registry import CHECKS
    from trailwarden.suppressions import SuppressionsFileError, parse_suppressions

    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_SUPPRESSIONS_BYTES + 1)
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise SuppressionsFileError(
            f"Cannot read suppressions file {path}: {why or exc}; fix it or pass another "
            "--suppressions."
        ) from exc
    if len(data) > _MAX_SUPPRESSIONS_BYTES:
        raise SuppressionsFileError(f"Suppressions file {path} is larger than 1 MiB.")
    return parse_suppressions(text, str(path), frozenset(CHECKS))


def _suppress(report: Report, out: Output) -> tuple[Report, RenderContext]:
    from trailwarden.formats.base import RenderContext

    if out.rules is None:
        out = out.prepared()
    if out.rules is None:
        return report, RenderContext()
    from trailwarden.suppressions import apply_suppressions

    result = apply_suppressions(report, out.rules, datetime.now(UTC))
    for rule in result.expired:
        say(
            f"trailwarden: suppression {rule.source} ({rule.check}, {rule.resource}) expired on "
            f"{rule.expires} and no longer applies; renew or remove it."
        )
    for rule in result.unused:
        say(
            f"trailwarden: suppression {rule.source} ({rule.check}, {rule.resource}) matched no "
            "FAIL or ERROR finding; remove it if the finding is fixed."
        )
    note = "automatic" if out.rules_automatic else None
    context = RenderContext(suppressions=result, suppressions_file=str(out.rules_file))
    return result.report, replace(context, extra={"suppressions_note": note})


def _labels(context: RenderContext) -> dict[str, str] | None:
    if context.framework is None:
        return None
    from trailwarden.checks.compliance import control_label
    from trailwarden.checks.registry import CHECKS

    return {
        c: f"{c} ({context.framework.label} {n})"
        for c in CHECKS
        if (n := control_label(context.framework, c))
    }


def _table(report: Report, context: RenderContext) -> Callable[[Console], None]:
    from rich.text import Text

    from trailwarden.formats.table import render_table

    def draw(console: Console) -> None:
        render_table(report, console, _labels(context))
        if context.extra.get("suppressions_note") == "automatic":
            suppressed = sum(1 for f in report.findings if f.suppressed is not None)
            console.print(
                Text(
                    f"Suppressions from ./{DEFAULT_SUPPRESSIONS} applied: "
                    f"{count(suppressed, 'finding')} suppressed.",
                    style="yellow",
                )
            )

    return draw


def _write_one(report: Report, fmt: Format, output: Path | None, context: RenderContext) -> None:
    if fmt.for_people:
        render_for_people(_table(report, context), output)
    else:
        deliver(fmt.pieces(report, context), output)


def _write_all(report: Report, formats: list[Format], folder: Path, context: RenderContext) -> None:
    from trailwarden.formats.table import summary_line

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"Cannot create {folder}: {exc.strerror or exc}; choose another --output-dir."
        ) from exc
    for fmt in formats:
        path = folder / fmt.file_name
        if fmt.for_people:
            render_for_people(_table(report, context), path)
        else:
            write(path, fmt.pieces(report, context))
    names = ", ".join(f.file_name for f in formats)
    click.echo(f"{summary_line(report)}. Wrote {names} to {printable(str(folder))}.")
