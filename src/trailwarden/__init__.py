"""trailwarden: make sure CloudTrail activity reaches CloudWatch Logs, and say why not.

The public API (the README's "Use it from Python" shows it at work)::

    factory = open_factory(profile=None)            # boto3's default credential chain
    scan = scan_account(factory)                    # ScanResult: .report, .inventory
    save_inventory(scan.inventory, "inventory.json")
    findings = evaluate(load_inventory("inventory.json"), CheckOptions(monitoring=False))
    fixed = plan_fix(factory, FixOptions())         # PlannedFix: .plan (no change is made)

Applying and rolling back a plan, and rendering it, are in :mod:`trailwarden.remediate`.
Names are imported on first use, so that ``import trailwarden`` (and ``trailwarden
--help``) does not pay for boto3. ARCHITECTURE.md describes the layers behind them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailwarden.version import __version__

__all__ = [
    "CheckOptions",
    "ClientFactory",
    "Error",
    "Finding",
    "FixOptions",
    "Inventory",
    "Plan",
    "PlannedFix",
    "Report",
    "ScanResult",
    "Severity",
    "Status",
    "Step",
    "__version__",
    "dump_inventory",
    "evaluate",
    "load_inventory",
    "open_factory",
    "parse_inventory",
    "plan_fix",
    "save_inventory",
    "scan_account",
    "scan_inventory",
]

if TYPE_CHECKING:
    from trailwarden.checks import CheckOptions, evaluate
    from trailwarden.collect.clients import ClientFactory, open_factory
    from trailwarden.collect.inventory_file import (
        dump_inventory,
        load_inventory,
        parse_inventory,
        save_inventory,
    )
    from trailwarden.errors import Error
    from trailwarden.findings import Finding, Report, Severity, Status
    from trailwarden.fix import PlannedFix, plan_fix
    from trailwarden.inventory import Inventory
    from trailwarden.remediate.model import Plan, Step
    from trailwarden.remediate.planning.options import FixOptions
    from trailwarden.scan import ScanResult, scan_account, scan_inventory

# Where each name lives; imported on first use.
_LAZY = {
    "CheckOptions": "trailwarden.checks",
    "evaluate": "trailwarden.checks",
    "ClientFactory": "trailwarden.collect.clients",
    "open_factory": "trailwarden.collect.clients",
    "dump_inventory": "trailwarden.collect.inventory_file",
    "load_inventory": "trailwarden.collect.inventory_file",
    "parse_inventory": "trailwarden.collect.inventory_file",
    "save_inventory": "trailwarden.collect.inventory_file",
    "Error": "trailwarden.errors",
    "Finding": "trailwarden.findings",
    "Report": "trailwarden.findings",
    "Severity": "trailwarden.findings",
    "Status": "trailwarden.findings",
    "PlannedFix": "trailwarden.fix",
    "plan_fix": "trailwarden.fix",
    "Inventory": "trailwarden.inventory",
    "Plan": "trailwarden.remediate.model",
    "Step": "trailwarden.remediate.model",
    "FixOptions": "trailwarden.remediate.planning.options",
    "ScanResult": "trailwarden.scan",
    "scan_account": "trailwarden.scan",
    "scan_inventory": "trailwarden.scan",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'trailwarden' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
