"""Saving and loading an :class:`~trailwarden.inventory.Inventory` as JSON — or an
:class:`~trailwarden.org_inventory.OrganizationInventory` (``scan --org``), the same way.

``trailwarden scan --save-inventory FILE`` writes one (mode 0600: it describes the
account's security configuration); ``trailwarden scan --inventory FILE`` evaluates it
offline with identical findings (the checks take their reference time from
``Inventory.collected_at``, not from the clock). A file read back is outside input: it
is bounded in size and validated against the inventory's JSON Schema
(:mod:`trailwarden.collect.inventory_schema`) before anything uses it. An organization
inventory says ``"kind": "organization"``; an account inventory has no ``kind``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from trailwarden.errors import InventoryFileError
from trailwarden.inventory import INVENTORY_SCHEMA_VERSION, Inventory
from trailwarden.org_inventory import OrganizationInventory

__all__ = [
    "MAX_INVENTORY_BYTES",
    "AnyInventory",
    "dump_inventory",
    "load_any_inventory",
    "load_inventory",
    "parse_any_inventory",
    "parse_inventory",
    "save_inventory",
]

AnyInventory = Inventory | OrganizationInventory

# An account with thousands of trails, roles and alarms stays in the tens of megabytes.
MAX_INVENTORY_BYTES = 256 * 1024 * 1024
_WRITTEN_BY = "pass a file written by `trailwarden scan --save-inventory`"


def _converter() -> Any:
    # cattrs' orjson preset turns datetimes into ISO 8601 strings and back, and
    # tuples into lists and back, which is all our frozen dataclasses need.
    from cattrs.preconf.orjson import make_converter

    return make_converter()


def dump_inventory(inventory: AnyInventory) -> bytes:
    """``inventory`` as the JSON that :func:`parse_inventory` reads back."""
    import orjson

    data = _converter().unstructure(inventory)
    return bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def save_inventory(inventory: AnyInventory, path: str | os.PathLike[str]) -> None:
    """Write ``inventory`` to ``path``, readable by its owner only (mode 0600)."""
    path = Path(path)
    data = dump_inventory(inventory)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            os.fchmod(file.fileno(), 0o600)  # an existing file keeps its mode otherwise
            file.write(data)
    except OSError as exc:
        raise InventoryFileError(
            f"Cannot write the inventory to {path}: {exc.strerror or exc}; choose a writable path."
        ) from exc


def parse_inventory(raw: bytes, source: str = "<inventory>") -> Inventory:
    """The account inventory in ``raw``, or :class:`InventoryFileError` naming the first
    problem (an organization inventory is one)."""
    return _one_account(parse_any_inventory(raw, source), source)


def _one_account(found: AnyInventory, source: str) -> Inventory:
    if isinstance(found, OrganizationInventory):
        raise InventoryFileError(
            f"{source} is an organization inventory (scan --org); this needs one account's: "
            "save one with `trailwarden scan --save-inventory` without --org."
        )
    return found


def parse_any_inventory(raw: bytes, source: str = "<inventory>") -> AnyInventory:
    """The account or organization inventory in ``raw``, or :class:`InventoryFileError`
    naming the first problem."""
    import orjson

    from trailwarden.collect.inventory_schema import first_problem

    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InventoryFileError(f"{source} is not valid JSON ({exc}); {_WRITTEN_BY}.") from exc
    if not isinstance(data, dict):
        raise InventoryFileError(
            f"{source} is not a trailwarden inventory (expected a JSON object); {_WRITTEN_BY}."
        )
    version = data.get("schema_version")
    if version != INVENTORY_SCHEMA_VERSION or isinstance(version, bool):
        shown = repr(version) if isinstance(version, int | str | None) else type(version).__name__
        raise InventoryFileError(
            f"{source} has inventory schema_version {shown[:40]}, but this trailwarden reads "
            f"version {INVENTORY_SCHEMA_VERSION}; re-collect it with this version."
        )
    problem = first_problem(data)
    if problem is not None:
        raise InventoryFileError(
            f"{source} is not a valid trailwarden inventory: {problem}; {_WRITTEN_BY}."
        )
    return _structure(data, source)


def _structure(data: dict[str, Any], source: str) -> AnyInventory:
    from cattrs.errors import BaseValidationError

    kind: type[AnyInventory] = OrganizationInventory if "kind" in data else Inventory
    # The schema admits only what structures; this guards against the two drifting apart.
    try:
        inventory: AnyInventory = _converter().structure(data, kind)
    except (BaseValidationError, KeyError, TypeError, ValueError) as exc:
        from cattrs import transform_error

        where = "; ".join(transform_error(exc, path="inventory"))[:300]
        raise InventoryFileError(
            f"{source} is not a valid trailwarden inventory ({where}); {_WRITTEN_BY}."
        ) from exc
    return inventory


def load_inventory(path: str | os.PathLike[str]) -> Inventory:
    """Read and validate the account inventory file at ``path``."""
    return _one_account(load_any_inventory(path), str(path))


def load_any_inventory(path: str | os.PathLike[str]) -> AnyInventory:
    """Read and validate the account or organization inventory file at ``path``."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_INVENTORY_BYTES:
                raise InventoryFileError(
                    f"{path} is {size // 2**20} MiB, larger than the "
                    f"{MAX_INVENTORY_BYTES // 2**20} MiB an inventory can be; {_WRITTEN_BY}."
                )
            # Read one byte more than allowed: a file that grows while read is caught too.
            raw = file.read(MAX_INVENTORY_BYTES + 1)
    except OSError as exc:
        raise InventoryFileError(
            f"Cannot read the inventory file {path}: {exc.strerror or exc}; check the path."
        ) from exc
    if len(raw) > MAX_INVENTORY_BYTES:
        raise InventoryFileError(
            f"{path} is larger than the {MAX_INVENTORY_BYTES // 2**20} MiB an inventory can be; "
            f"{_WRITTEN_BY}."
        )
    return parse_any_inventory(raw, source=str(path))
