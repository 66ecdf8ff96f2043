"""``--format html``: one self-contained page for people who will not install anything.

Everything is inline (CSS and a few lines of script from ``formats/assets``); nothing is
fetched, and a Content-Security-Policy forbids fetching (``default-src 'none'``), so the
file opens offline and cannot call home. Sections: totals, the organization summary
(accounts × checks), the findings grouped by account and resource (trail) with status
filters and a search box, the fix plan when one is given, and the compliance mapping.
Every text from outside is escaped for HTML after control characters are made visible.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from importlib.resources import files
from typing import Any

from trailwarden.checks.compliance import control_label, references
from trailwarden.checks.registry import CHECKS
from trailwarden.findings import Finding, Report, Status
from trailwarden.formats.base import RenderContext
from trailwarden.textsafe import printable, printable_lines
from trailwarden.version import __version__
from trailwarden.words import count

__all__ = ["render_html"]

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
_WORST = (Status.FAIL, Status.ERROR, Status.PASS, Status.NOT_APPLICABLE)
_SHOWN = {Status.FAIL, Status.ERROR}  # ticked when the page opens


def _e(text: object) -> str:
    return escape(printable(str(text)), quote=True)


def _asset(name: str) -> str:
    return files("trailwarden.formats").joinpath("assets", name).read_text("utf-8")


def render_html(report: Report, context: RenderContext) -> bytes:
    counts = report.counts()
    framework = context.framework
    title = "trailwarden report" + (f" — {framework.label}" if framework else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_asset('report.css')}</style></head><body>",
        f"<header><h1>{_e(title)}</h1><p>{count(len(report.accounts), 'account')} · "
        f"{count(len(report.findings), 'finding')} · "
        f"generated {_e(report.generated_at.isoformat())} by trailwarden {_e(__version__)}"
        "</p></header><main>",
        _totals(report, counts),
        _suppressions(context),
        _matrix(report, context),
        _findings(report, context),
        _plan(context.plan) if context.plan else "",
        _mapping(report, context),
        f"</main><script>{_asset('report.js')}</script></body></html>",
    ]
    return "\n".join(p for p in parts if p).encode("utf-8")


def _totals(report: Report, counts: dict[Status, int]) -> str:
    suppressed = sum(1 for f in report.findings if f.suppressed is not None)
    cells = "".join(
        f'<div class="s-{s.value}">{counts[s]}<span>{s.value}</span></div>' for s in Status
    )
    cells += f'<div class="supp">{suppressed}<span>suppressed</span></div>'
    verdict = "every evaluated check passes" if report.exit_code == 0 else "action needed"
    return f'<section><h2>Summary: {verdict}</h2><div class="totals">{cells}</div></section>'


def _suppressions(context: RenderContext) -> str:
    result = context.suppressions
    if result is None or not (result.expired or result.unused):
        return ""
    rows = [
        f"<tr><td>{kind}</td><td>{_e(r.source)}</td><td>{_e(r.check)}</td><td>{_e(r.account)}"
        f"</td><td><code>{_e(r.resource)}</code></td><td>{_e(r.expires)}</td><td>{_e(r.reason)}</td></tr>"
        for kind, rules in (("expired", result.expired), ("matched nothing", result.unused))
        for r in rules
    ]
    return (
        f"<section><h2>Suppressions ({_e(context.suppressions_file or '')})</h2><table>"
        "<tr><th>entry</th><th>where</th><th>check</th><th>account</th><th>resource</th>"
        "<th>expires</th><th>reason</th></tr>" + "".join(rows) + "</table></section>"
    )


def _label(check_id: str, context: RenderContext) -> str:
    if context.framework is not None and (n := control_label(context.framework, check_id)):
        return f"{check_id} ({context.framework.label} {n})"
    return check_id


def _matrix(report: Report, context: RenderContext) -> str:
    checks = sorted({f.check_id for f in report.findings})
    worst: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in report.findings:
        worst[(f.account_id, f.check_id)].append(f)
    head = "".join(
        f'<th title="{_e(CHECKS[c].title if c in CHECKS else c)}">{_e(_label(c, context))}</th>'
        for c in checks
    )
    details = {a.account_id: a for a in report.account_details}
    rows = []
    for account in report.accounts:
        info = details.get(account)
        name = f"{account} {info.name}" if info and info.name else account
        where = f'<div class="muted">{_e(info.ou_path)}</div>' if info and info.ou_path else ""
        if info is not None and info.status.value != "scanned":
            reason = f"{_e(info.status.value)}: {_e(info.reason or info.status.value)}"
            rows.append(
                f'<tr><td class="acct">{_e(name)}{where}</td>'
                f'<td colspan="{len(checks) or 1}" class="muted">{reason}</td></tr>'
            )
            continue
        cells = []
        for c in checks:
            found = worst.get((account, c), [])
            status = next((s for s in _WORST if any(f.status is s for f in found)), None)
            if status is None:
                cells.append("<td></td>")
                continue
            bad = sum(1 for f in found if f.status is status)
            cells.append(
                f'<td><span class="cell s-{status.value}" title="{status.value}">{bad}</span></td>'
            )
        rows.append(f'<tr><td class="acct">{_e(name)}{where}</td>{"".join(cells)}</tr>')
    return (
        '<section><h2>Organization summary (accounts × checks)</h2><p class="muted">Each cell: '
        "the worst status of that check in that account, and how many findings have it.</p>"
        f'<div style="overflow-x:auto"><table class="matrix"><tr><th class="acct">account</th>'
        f"{head}</tr>{''.join(rows)}</table></div></section>"
    )


def _findings(report: Report, context: RenderContext) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" data-status="{s.value}"'
        f'{" checked" if s in _SHOWN else ""}> <span class="s-{s.value}">{s.value}</span></label>'
        for s in Status
    )
    names = {a.account_id: a.name for a in report.account_details if a.name}
    by_account: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in report.findings:
        by_account[f.account_id][f.resource_id].append(f)
    groups = []
    for account, resources in by_account.items():
        name = f"{account} {names[account]}" if account in names else account
        inner = "".join(
            f'<div class="group"><h4>{_e(resource)}</h4><table>'
            + "".join(_row(f, context) for f in found)
            + "</table></div>"
            for resource, found in resources.items()
        )
        groups.append(f'<div class="group"><h3>Account {_e(name)}</h3>{inner}</div>')
    return (
        '<section><h2>Findings</h2><div class="controls">'
        '<input type="search" id="search" placeholder="Search findings (check, trail, message)…">'
        f'{boxes}<span id="shown" class="muted"></span></div>{"".join(groups)}</section>'
    )


def _row(f: Finding, context: RenderContext) -> str:
    status = f'<span class="badge s-{f.status.value}">{f.status.value}</span>'
    if f.suppressed is not None:
        status += (
            f' <span class="badge supp" title="{_e(f.suppressed.source)}">suppressed until '
            f'{_e(f.suppressed.expires)}</span><div class="muted">{_e(f.suppressed.reason)}</div>'
        )
    fix = (
        f"<pre>{escape(printable_lines(f.remediation), quote=True)}</pre>"
        if f.remediation and f.status is not Status.PASS
        else ""
    )
    return (
        f'<tr class="finding" data-status="{f.status.value}"><td style="width:12em">'
        f'<b>{_e(_label(f.check_id, context))}</b><div class="muted">{_e(f.region)}</div></td>'
        f'<td style="width:11em">{status}</td><td class="msg">{_e(f.title)}<div>{_e(f.message)}'
        f"</div>{fix}</td></tr>"
    )


def _plan(plan: Any) -> str:
    """The plan JSON of `fix` (schema v1), or of `fix --org`: one section per account."""
    if isinstance(plan, dict) and isinstance(plan.get("plans"), list):
        return "".join(_plan(p) for p in plan["plans"] if isinstance(p, dict))
    steps = plan.get("steps", []) if isinstance(plan, dict) else []
    rows = "".join(
        f"<tr><td>{_e(s.get('id', ''))}</td><td><code>{_e(s.get('action', ''))}</code></td>"
        f"<td><code>{_e(s.get('target', ''))}</code></td><td>{_e(s.get('region', ''))}</td>"
        f"<td>{_e(s.get('reason', ''))}</td></tr>"
        for s in steps
        if isinstance(s, dict)
    )
    skipped = plan.get("skipped", []) if isinstance(plan, dict) else []
    skips = "".join(f"<li>{_e(s.get('reason', s))}</li>" for s in skipped if isinstance(s, dict))
    return (
        f"<section><h2>Fix plan for account {_e(plan.get('account_id', ''))} (not applied)</h2>"
        "<table><tr><th>step</th><th>action</th><th>target</th><th>region</th><th>why</th></tr>"
        f"{rows or '<tr><td colspan=5>nothing to do</td></tr>'}</table>"
        + (f"<h3>Skipped</h3><ul>{skips}</ul>" if skips else "")
        + "</section>"
    )


def _mapping(report: Report, context: RenderContext) -> str:
    checks = sorted({f.check_id for f in report.findings} & set(CHECKS))
    rows = "".join(
        f"<tr><td>{_e(_label(c, context))}</td><td>{_e(CHECKS[c].title)}</td><td>"
        + "<br>".join(_e(r) for r in references(c))
        + "</td></tr>"
        for c in checks
    )
    return (
        "<section><h2>Compliance mapping</h2><table><tr><th>check</th><th>title</th>"
        f"<th>evidences</th></tr>{rows}</table></section>"
    )
