"""The root module's variable values, in Terraform's order of precedence (later wins):
``TF_VAR_name`` environment variables, ``terraform.tfvars``, ``terraform.tfvars.json``,
``*.auto.tfvars`` / ``*.auto.tfvars.json`` in lexical order, then each ``-var-file``.
https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trailwarden.collect.iac.files import read_text, shown
from trailwarden.collect.iac.hcl_eval import Evaluator, Scope
from trailwarden.collect.iac.hcl_syntax import Block, attributes, parse_expression, parse_text
from trailwarden.errors import CodeInputError

__all__ = ["root_variables"]


def root_variables(
    directory: Path,
    declared: Mapping[str, Block],
    var_files: Sequence[Path],
    env_vars: Mapping[str, str],
    evaluator: Evaluator,
) -> dict[str, Any]:
    """Values given to the root module's variables (defaults are the module's business)."""
    values: dict[str, Any] = {}
    for name, text in env_vars.items():
        if name in declared:
            # A string variable (or one without a type) takes the text as it is; others parse
            # it as an HCL expression, as Terraform does.
            kind = attributes(declared[name].body).get("type")
            if kind is None or _word(kind) == "string":
                values[name] = text
            else:
                values[name] = evaluator.value(
                    parse_expression(text, f"TF_VAR_{name}"), Scope(None)
                )
    automatic = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    automatic += sorted(
        p for p in directory.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    for path in [p for p in automatic if p.is_file()] + list(var_files):
        values.update(_read(path, evaluator))
    return values


def _word(node: Any) -> str:
    leaves = (
        [str(t) for t in node.scan_values(lambda v: True)] if hasattr(node, "scan_values") else []
    )
    return leaves[0] if len(leaves) == 1 else ""


def _read(path: Path, evaluator: Evaluator) -> dict[str, Any]:
    text = read_text(path)
    if path.name.endswith(".json"):
        try:
            loaded = json.loads(text)
        except ValueError as exc:
            raise CodeInputError(f"{shown(path)} is not valid JSON ({exc}).") from exc
        if not isinstance(loaded, dict):
            raise CodeInputError(f"{shown(path)} must be a JSON object of variable values.")
        return loaded
    body = parse_text(text, shown(path)).children[0]
    # Only literal values: a .tfvars file cannot refer to anything.
    return {
        name: evaluator.value(tree, Scope(None), f"{path.name}: {name}")
        for name, tree in attributes(body).items()
    }
