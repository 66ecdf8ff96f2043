"""Writing HCL2 for the Terraform renderer: values, identifiers, blocks, imports."""

from __future__ import annotations

import re
from typing import Any

from trailwarden.remediate.model import Step

__all__ = ["Expr", "Ids", "block", "hcl_string", "hcl_value", "import_block", "lifecycle"]


class Expr(str):
    """A raw HCL expression (a reference or a function call), written unquoted."""


def hcl_string(text: str) -> str:
    """``text`` as a quoted HCL string (template sequences escaped)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    out = out.replace("\r", "\\r").replace("\t", "\\t")
    # "${" and "%{" start template sequences in HCL strings: escape them as "$${", "%%{".
    out = out.replace("${", "$${").replace("%{", "%%{")
    out = re.sub(r"[\x00-\x1f]", lambda m: f"\\u{ord(m.group()):04x}", out)
    return f'"{out}"'


def hcl_value(value: Any, indent: int = 0) -> str:
    """A JSON-like value as an HCL expression (objects with quoted keys)."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, list | tuple):
        items = "".join(f"{inner}{hcl_value(v, indent + 1)},\n" for v in value)
        return f"[\n{items}{pad}]" if value else "[]"
    if isinstance(value, dict):
        items = "".join(
            f"{inner}{hcl_string(str(k))} = {hcl_value(v, indent + 1)}\n" for k, v in value.items()
        )
        return f"{{\n{items}{pad}}}" if value else "{}"
    raise TypeError(f"not JSON-like: {value!r}")


class Ids:
    """Terraform identifiers: [a-zA-Z_][a-zA-Z0-9_-]*, unique in the file."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(self, text: str) -> str:
        base = re.sub(r"[^a-zA-Z0-9_-]", "_", text)
        base = base if re.match(r"[a-zA-Z_]", base) else f"_{base}"
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}_{n}", n + 1
        self.used.add(name)
        return name


def block(header: str, attrs: dict[str, Any], steps: list[Step], extra: str = "") -> str:
    """A block with ``attrs`` (None: left out), each step's reason above it as a comment."""
    notes = "".join(f"# Step {s.id}: {' '.join(s.reason.split())}\n" for s in steps)
    body = "".join(f"  {k} = {hcl_value(v, 1)}\n" for k, v in attrs.items() if v is not None)
    return f"{notes}{header} {{\n{body}{extra}}}\n"


def lifecycle(ignore: list[str]) -> str:
    """Protection for an adopted resource: never destroyed; ``ignore`` left as it is."""
    listed = ", ".join(ignore)
    return f"  lifecycle {{\n    prevent_destroy = true\n    ignore_changes  = [{listed}]\n  }}\n"


def import_block(address: str, provider: str, import_id: str) -> str:
    """An ``import`` block (Terraform >= 1.5) adopting an existing resource."""
    body = (
        f"  provider = {provider}\n  to       = {address}\n  id       = {hcl_string(import_id)}\n"
    )
    return f"import {{\n{body}}}\n"
