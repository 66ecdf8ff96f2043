"""Saving and loading an :class:`~trailwarden.inventory.Inventory` as JSON.

``trailwarden scan --save-inventory FILE`` writes one; ``trailwarden scan --inventory
FILE`` evaluates it offline with identical findings (the checks take their reference
time from ``Inventory.collected_at``, not from the clock).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trailwarden.errors import InventoryFileError
from trailwarden.inventory import INVENTORY_SCHEMA_VERSION, Inventory

__all__ = ["dump_inventory", "load_inventory", "parse_inventory", "save_inventory"]


def _converter() -> Any:
    # cattrs' orjson preset turns datetimes into ISO 8601 strings and back, and
    # tuples into lists and back, which is all our frozen dataclasses need.
    from cattrs.preconf.orjson import make_converter

    return make_converter()


def dump_inventory(inventory: Inventory) -> bytes:
    import orjson

    data = _converter().unstructure(inventory)
    return bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def save_inventory(inventory: Inventory, path: Path) -> None:
    try:
        path.write_bytes(dump_inventory(inventory))
    except OSError as exc:
        raise InventoryFileError(
            f"Cannot write the inventory to {path}: {exc.strerror or exc}; choose a writable path."
        ) from exc


def parse_inventory(raw: bytes, source: str = "<inventory>") -> Inventory:
    import orjson
    from cattrs.errors import BaseValidationError

    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InventoryFileError(
            f"{source} is not valid JSON ({exc}); pass a file written by "
            "`trailwarden scan --save-inventory`."
        ) from exc
    if not isinstance(data, dict):
        raise InventoryFileError(
            f"{source} is not a trailwarden inventory (expected a JSON object); pass a file "
            "written by `trailwarden scan --save-inventory`."
        )
    version = data.get("schema_version")
    if version != INVENTORY_SCHEMA_VERSION:
        raise InventoryFileError(
            f"{source} has inventory schema_version {version!r}, but this trailwarden reads "
            f"version {INVENTORY_SCHEMA_VERSION}; re-collect it with this version."
        )
    try:
        inventory: Inventory = _converter().structure(data, Inventory)
    except (BaseValidationError, KeyError, TypeError, ValueError) as exc:
        raise InventoryFileError(
            f"{source} is not a valid trailwarden inventory ({_first_problem(exc)}); pass a file "
            "written by `trailwarden scan --save-inventory`."
        ) from exc
    return inventory


def load_inventory(path: Path) -> Inventory:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InventoryFileError(
            f"Cannot read the inventory file {path}: {exc.strerror or exc}; check the path."
        ) from exc
    return parse_inventory(raw, source=str(path))


def _first_problem(exc: BaseException) -> str:
    from cattrs.errors import BaseValidationError

    if isinstance(exc, BaseValidationError) and exc.exceptions:
        notes = getattr(exc.exceptions[0], "__notes__", None) or []
        inner = exc.exceptions[0]
        where = f" at {notes[0]}" if notes else ""
        return f"{_first_problem(inner)}{where}"
    return f"{type(exc).__name__}: {exc}"
