# Data module: what each check evidences in CIS, AWS Security Hub, NIST and PCI DSS terms.
"""Compliance mappings of the checks, and the frameworks ``scan --framework`` selects.

Sources (the only ones used; nothing here is inferred):
- CIS AWS Foundations Benchmark numbering: ``/shared/reference/cis-monitoring.md`` and
  :mod:`trailwarden.monitoring.catalog` (v1.2 2.4 and 3.1–3.14; v1.3–v2.0 3.4 and
  4.1–4.15; v3.0–v5.0 4.1–4.15; v6.0 5.1–5.15; "CloudTrail enabled in all regions" is
  v1.2 2.1, v1.3–v5.0 3.1).
- AWS Security Hub controls and their "Related requirements" (NIST SP 800-53 Rev. 5,
  NIST SP 800-171 Rev. 2, PCI DSS v3.2.1), as AWS's control pages list them:
  https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html and
  https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html.
  CloudTrail.5's NIST/PCI requirements are not listed here: they could not be checked
  against AWS's page when this table was written, and a wrong citation is worse than none.
- TW115 (CIS 4.15, Organizations changes) has no Security Hub control.
"""

from __future__ import annotations

from dataclasses import dataclass

from trailwarden.checks.registry import CHECKS
from trailwarden.errors import UsageError
from trailwarden.monitoring.catalog import CLASSES

__all__ = [
    "FRAMEWORKS",
    "Framework",
    "Reference",
    "checks_in",
    "control_label",
    "get_framework",
    "references",
    "security_hub_control",
]


@dataclass(frozen=True)
class Reference:
    """One requirement a check evidences: ``standard`` and its ``control`` number."""

    standard: str  # "CIS AWS Foundations Benchmark v2.0.0", "AWS Security Hub", …
    control: str  # "4.3", "CloudWatch.1", "AU-6(1)"
    framework_id: str | None = None  # the --framework that selects it, if any

    @property
    def requirement(self) -> str:
        """As Security Hub writes related requirements: ``CIS AWS Foundations Benchmark
        v1.2.0/3.3``, ``NIST.800-53.r5 AU-10``, ``PCI DSS v3.2.1/7.2.1``."""
        if self.standard.startswith(("CIS ", "PCI ")):
            return f"{self.standard}/{self.control}"
        return f"{_SHORT.get(self.standard, self.standard)} {self.control}"

    def __str__(self) -> str:
        return f"{self.standard} {self.control}"


@dataclass(frozen=True)
class Framework:
    """What ``scan --framework ID`` selects: the checks it maps, labelled with its numbers."""

    id: str
    standard: str
    label: str  # short prefix for people: "CIS v2.0"


SECURITY_HUB = "AWS Security Hub"
NIST_53 = "NIST SP 800-53 Rev. 5"
NIST_171 = "NIST SP 800-171 Rev. 2"
PCI = "PCI DSS v3.2.1"
_SHORT = {NIST_53: "NIST.800-53.r5", NIST_171: "NIST.800-171.r2"}

_CIS_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "2.0", "3.0", "4.0", "5.0", "6.0")
FRAMEWORKS: dict[str, Framework] = {
    **{
        f"cis-{v}": Framework(f"cis-{v}", f"CIS AWS Foundations Benchmark v{v}.0", f"CIS v{v}")
        for v in _CIS_VERSIONS
    },
    "aws-securityhub": Framework("aws-securityhub", SECURITY_HUB, "Security Hub"),
}

# CIS control numbers per check and version (versions absent: the check maps to nothing).
Controls = dict[str, tuple[str, ...]]
_INTEGRATED: Controls = {"1.2": ("2.4",), **dict.fromkeys(("1.3", "1.4", "1.5", "2.0"), ("3.4",))}
_ENABLED: Controls = {
    "1.2": ("2.1", "2.4"),
    **dict.fromkeys(("1.3", "1.4", "1.5", "2.0"), ("3.1", "3.4")),
}
_ENABLED.update(dict.fromkeys(("3.0", "4.0", "5.0"), ("3.1",)))


def _monitoring_cis(n: int) -> Controls:
    out: Controls = dict.fromkeys(("1.3", "1.4", "1.5", "2.0", "3.0", "4.0", "5.0"), (f"4.{n}",))
    out["6.0"] = (f"5.{n}",)
    if n <= 14:  # v1.2 has no Organizations control
        out["1.2"] = (f"3.{n}",)
    return out


_CIS: dict[str, Controls] = {
    **{f"TW00{i}": _INTEGRATED for i in range(1, 7)},
    "TW010": _ENABLED,
    **{cls.id: _monitoring_cis(int(cls.id[2:]) - 100) for cls in CLASSES},
}

# Security Hub control per check. CloudWatch.1 is root usage (CIS 4.3), CloudWatch.2
# unauthorized API calls (4.1), CloudWatch.3 sign-in without MFA (4.2); CloudWatch.4–14
# follow CIS 4.4–4.14. CloudTrail.5 checks only that CloudWatchLogsLogGroupArn is set
# (TW001); TW002–TW005 are the rest of what "integrated" means to CIS's audit.
_SH: dict[str, str] = {
    **{f"TW00{i}": "CloudTrail.5" for i in range(1, 6)},
    "TW007": "CloudWatch.16",
    "TW010": "CloudTrail.1",
    "TW101": "CloudWatch.2",
    "TW102": "CloudWatch.3",
    "TW103": "CloudWatch.1",
    **{f"TW1{n:02d}": f"CloudWatch.{n}" for n in range(4, 15)},
}

# Related requirements of those controls, as AWS's control pages list them.
_NIST_171_CW = ("3.14.6", "3.14.7")
_RELATED: dict[str, tuple[tuple[str, str], ...]] = {
    "CloudTrail.1": tuple(
        (NIST_53, c)
        for c in (
            "AC-2(4)",
            "AC-4(26)",
            "AC-6(9)",
            "AU-10",
            "AU-12",
            "AU-2",
            "AU-3",
            "AU-6(3)",
            "AU-6(4)",
            "AU-14(1)",
            "CA-7",
            "SC-7(9)",
            "SI-3(8)",
            "SI-4(20)",
            "SI-7(8)",
            "SA-8(22)",
        )  # fmt: skip
    ),
    "CloudWatch.16": tuple(
        (NIST_53, c) for c in ("AU-10", "AU-11", "AU-6(3)", "AU-6(4)", "CA-7", "SI-12")
    ),
    "CloudWatch.1": (*((NIST_171, c) for c in _NIST_171_CW), (PCI, "7.2.1")),
    "CloudWatch.2": tuple((NIST_171, c) for c in ("3.13.1", *_NIST_171_CW)),
    "CloudWatch.5": tuple((NIST_171, c) for c in ("3.3.8", *_NIST_171_CW)),
    "CloudWatch.7": tuple((NIST_171, c) for c in ("3.13.10", "3.13.16", *_NIST_171_CW)),
    "CloudWatch.9": tuple((NIST_171, c) for c in ("3.3.8", *_NIST_171_CW)),
    "CloudWatch.12": ((NIST_171, "3.3.1"), (NIST_171, "3.13.1")),
    "CloudWatch.13": tuple((NIST_171, c) for c in ("3.3.1", "3.13.1", *_NIST_171_CW)),
    "CloudWatch.14": tuple((NIST_171, c) for c in ("3.3.1", "3.13.1", *_NIST_171_CW)),
    **{f"CloudWatch.{n}": tuple((NIST_171, c) for c in _NIST_171_CW) for n in (4, 6, 8, 10, 11)},
}


def references(check_id: str) -> tuple[Reference, ...]:
    """Everything ``check_id`` evidences: CIS by version, then Security Hub, NIST, PCI."""
    out = [
        Reference(FRAMEWORKS[f"cis-{v}"].standard, control, f"cis-{v}")
        for v in _CIS_VERSIONS
        for control in _CIS.get(check_id, {}).get(v, ())
    ]
    if (sh := _SH.get(check_id)) is not None:
        out.append(Reference(SECURITY_HUB, sh, "aws-securityhub"))
        out += [Reference(standard, control) for standard, control in _RELATED.get(sh, ())]
    return tuple(out)


def security_hub_control(check_id: str) -> str | None:
    """The Security Hub control that checks what ``check_id`` checks (None: there is none)."""
    return _SH.get(check_id)


def get_framework(framework_id: str) -> Framework:
    """The framework ``--framework`` names, or :class:`UsageError` listing the valid ones."""
    framework = FRAMEWORKS.get(framework_id.strip().lower())
    if framework is None:
        raise UsageError(
            f"There is no framework {framework_id!r}; --framework takes one of "
            f"{', '.join(FRAMEWORKS)}."
        )
    return framework


def checks_in(framework: Framework) -> frozenset[str]:
    """The checks that evidence a control of ``framework``."""
    return frozenset(c for c in CHECKS if control_label(framework, c) is not None)


def control_label(framework: Framework, check_id: str) -> str | None:
    """``check_id``'s control numbers in ``framework`` (``"3.1, 3.4"``), or None."""
    controls = [r.control for r in references(check_id) if r.framework_id == framework.id]
    return ", ".join(controls) if controls else None
