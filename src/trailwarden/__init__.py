"""trailwarden: make sure CloudTrail activity reaches CloudWatch Logs, and say why not.

The public API is small on purpose::

    from trailwarden import scan_account, scan_inventory, CheckOptions, Status

Layers: :mod:`trailwarden.collect` (AWS → Inventory), :mod:`trailwarden.checks`
(Inventory → findings, pure), :mod:`trailwarden.formats` (findings → text/JSON).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailwarden.version import __version__

__all__ = [
    "CheckOptions",
    "Error",
    "Finding",
    "Inventory",
    "Report",
    "Severity",
    "Status",
    "__version__",
    "scan_account",
    "scan_inventory",
]

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions
    from trailwarden.errors import Error
    from trailwarden.findings import Finding, Report, Severity, Status
    from trailwarden.inventory import Inventory
    from trailwarden.scan import scan_account, scan_inventory

# Imported lazily so that `trailwarden --help` does not pay for boto3.
_LAZY = {
    "CheckOptions": "trailwarden.checks",
    "Error": "trailwarden.errors",
    "Finding": "trailwarden.findings",
    "Report": "trailwarden.findings",
    "Severity": "trailwarden.findings",
    "Status": "trailwarden.findings",
    "Inventory": "trailwarden.inventory",
    "scan_account": "trailwarden.scan",
    "scan_inventory": "trailwarden.scan",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'trailwarden' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
