"""Suppressions: findings accepted for now, with a reason and an expiry date.

A suppressions file (``--suppressions FILE``, or ``.trailwarden.yaml``)::

    suppressions:
      - check: TW007
        account: "123456789012"      # or "*"
        resource: "arn:aws:cloudtrail:*:123456789012:trail/legacy-*"   # exact, or a glob
        reason: Legacy trail, retired in Q2
        expires: 2026-06-30          # inclusive, through the end of that day UTC

Pure: the CLI reads the file; this module parses text and applies it to a
:class:`~trailwarden.findings.Report`. A suppressed FAIL or ERROR keeps its status and
stops counting toward the exit code; an expired entry stops applying and is reported, and
so is an entry that matched no FAIL or ERROR finding (nothing left to accept: remove it).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from typing import Any

from trailwarden.errors import Error
from trailwarden.findings import Finding, Report, Status, Suppression

__all__ = [
    "SuppressionRule",
    "SuppressionsFileError",
    "SuppressionsResult",
    "apply_suppressions",
    "parse_suppressions",
]

_FIELDS = ("check", "account", "resource", "reason", "expires")
_ACCOUNT = re.compile(r"\d{12}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class SuppressionsFileError(Error):
    """A suppressions file that cannot be read or is not as documented."""


@dataclass(frozen=True)
class SuppressionRule:
    """One entry of a suppressions file; ``source`` is ``file:line``."""

    check: str
    account: str  # 12 digits, or "*"
    resource: str  # exact, or an fnmatch glob (case-sensitive)
    reason: str
    expires: date
    source: str

    def matches(self, f: Finding) -> bool:
        return (
            f.check_id == self.check
            and self.account in ("*", f.account_id)
            and fnmatchcase(f.resource_id, self.resource)
        )

    def active(self, now: datetime) -> bool:
        """In force through the end of ``expires``, UTC."""
        return now.astimezone(UTC).date() <= self.expires


@dataclass(frozen=True)
class SuppressionsResult:
    """The report with suppressions applied, and the entries to tell the user about."""

    report: Report
    expired: tuple[SuppressionRule, ...]
    unused: tuple[SuppressionRule, ...]


def apply_suppressions(
    report: Report, rules: Collection[SuppressionRule], now: datetime
) -> SuppressionsResult:
    """Mark each FAIL or ERROR finding the first active matching entry accepts."""
    active = [r for r in rules if r.active(now)]
    used: set[SuppressionRule] = set()
    findings = []
    for f in report.findings:
        rule = None
        if f.status in (Status.FAIL, Status.ERROR):
            rule = next((r for r in active if r.matches(f)), None)
        if rule is not None:
            used.add(rule)
            f = replace(f, suppressed=Suppression(rule.reason, rule.expires, rule.source))
        findings.append(f)
    return SuppressionsResult(
        replace(report, findings=tuple(findings)),
        expired=tuple(r for r in rules if not r.active(now)),
        unused=tuple(r for r in active if r not in used),
    )


def parse_suppressions(
    text: str, source: str, known_checks: Collection[str]
) -> tuple[SuppressionRule, ...]:
    """The entries of a suppressions file; :class:`SuppressionsFileError` names the first
    problem as ``source:line``."""
    import yaml

    try:
        # compose, not load: nodes keep their line, and scalars their text (an unquoted
        # account id such as 012345678901 stays a string, not an octal number).
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(e, "problem", None) or type(e).__name__
        raise SuppressionsFileError(
            f"{source}:{line}: not valid YAML ({problem}); fix the file or pass another "
            "--suppressions."
        ) from None
    return tuple(_Reader(source, known_checks).entries(root))


class _Reader:
    def __init__(self, source: str, known_checks: Collection[str]) -> None:
        self.source = source
        self.known = {c.upper() for c in known_checks}

    def fail(self, node: Any, problem: str) -> Error:
        line = node.start_mark.line + 1 if node is not None else 1
        return SuppressionsFileError(
            f"{self.source}:{line}: {problem}; see the README's suppressions section."
        )

    def entries(self, root: Any) -> list[SuppressionRule]:
        import yaml

        top = self.mapping(root, "the file must be a mapping with the key 'suppressions'")
        if set(top) != {"suppressions"}:
            raise self.fail(root, "the file must be a mapping with the key 'suppressions' only")
        items = top["suppressions"][1]
        if not isinstance(items, yaml.SequenceNode):
            raise self.fail(items, "'suppressions' must be a list of entries")
        return [self.entry(item) for item in items.value]

    def mapping(self, node: Any, problem: str) -> dict[str, tuple[Any, Any]]:
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, problem)
        out: dict[str, tuple[Any, Any]] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if not isinstance(name, str):
                raise self.fail(key, "keys must be text")
            if name in out:
                raise self.fail(key, f"{name!r} is given twice")
            out[name] = (key, value)
        return out

    def entry(self, node: Any) -> SuppressionRule:
        import yaml

        fields = self.mapping(node, f"each entry must be a mapping of {', '.join(_FIELDS)}")
        for name, (key, _) in fields.items():
            if name not in _FIELDS:
                raise self.fail(key, f"unknown key {name!r} (an entry has {', '.join(_FIELDS)})")
        missing = [f for f in _FIELDS if f not in fields]
        if missing:
            raise self.fail(node, f"the entry has no {' and no '.join(missing)} (all are required)")
        text: dict[str, str] = {}
        for name, (_, value) in fields.items():
            if not isinstance(value, yaml.ScalarNode) or not value.value.strip():
                raise self.fail(value, f"{name!r} must be non-empty text")
            text[name] = value.value.strip()
        check = text["check"].upper()
        if check not in self.known:
            raise self.fail(fields["check"][1], f"there is no check {text['check']!r}")
        if text["account"] != "*" and not _ACCOUNT.fullmatch(text["account"]):
            raise self.fail(fields["account"][1], "'account' must be 12 digits or \"*\"")
        return SuppressionRule(
            check=check,
            account=text["account"],
            resource=text["resource"],
            reason=text["reason"],
            expires=self.day(fields["expires"][1], text["expires"]),
            source=f"{self.source}:{node.start_mark.line + 1}",
        )

    def day(self, node: Any, value: str) -> date:
        try:
            if _DATE.fullmatch(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise self.fail(node, f"'expires' must be a date YYYY-MM-DD, not {value!r}")
