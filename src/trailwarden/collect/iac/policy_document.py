"""``data "aws_iam_policy_document"``: its blocks → the JSON policy document it renders.

As the AWS provider documents it: ``statement`` blocks (``sid``, ``effect`` Allow by default,
``actions`` / ``not_actions``, ``resources`` / ``not_resources``, ``principals`` /
``not_principals`` with ``type`` and ``identifiers``, ``condition`` with ``test``,
``variable`` and ``values``); ``source_policy_documents`` come first, a statement of the
block replaces one of theirs with the same ``sid``; ``override_policy_documents`` replace
(same ``sid``) or add statements last. Values the code does not give are written as their
``${…}`` stand-in text, which IAM evaluation never takes for a grant.
https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.values import json_text, unresolved_in

__all__ = ["render_policy_document"]


class _Instance(Protocol):
    address: str

    def argument(self, name: str) -> Any: ...


_PAIRS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def render_policy_document(inst: _Instance) -> Any:
    """The ``json`` attribute: a JSON string, or Unresolved when its statements are unknown."""
    statements = inst.argument("statement") or []
    if isinstance(statements, Unresolved):
        return statements
    merged: list[dict[str, Any]] = []
    for source in _documents(inst, "source_policy_documents", "source_json"):
        if isinstance(source, Unresolved):
            return source
        merged += source
    for statement in (_statement(s) for s in statements if isinstance(s, dict)):
        merged = _replace(merged, statement)
    for override in _documents(inst, "override_policy_documents", "override_json"):
        if isinstance(override, Unresolved):
            return override
        for statement in override:
            merged = _replace(merged, statement)
    version = inst.argument("version") or "2012-10-17"
    document: dict[str, Any] = {"Version": version, "Statement": merged}
    if policy_id := inst.argument("policy_id"):
        document["Id"] = policy_id
    return json_text(document)


def _documents(
    inst: _Instance, listed: str, single: str
) -> list[list[dict[str, Any]] | Unresolved]:
    texts = inst.argument(listed) or []
    if isinstance(texts, Unresolved):
        return [texts]
    if one := inst.argument(single):
        texts = [*texts, one]
    out: list[list[dict[str, Any]] | Unresolved] = []
    for text in texts:
        if isinstance(text, Unresolved):
            out.append(text)
            continue
        try:
            statements = json.loads(text).get("Statement", [])
        except (ValueError, AttributeError):
            out.append(Unresolved(str(text)[:40], f"{inst.address}: a policy document is not JSON"))
            continue
        out.append([statements] if isinstance(statements, dict) else list(statements))
    return out


def _replace(statements: list[dict[str, Any]], new: dict[str, Any]) -> list[dict[str, Any]]:
    sid = new.get("Sid")
    if sid and any(s.get("Sid") == sid for s in statements):
        return [new if s.get("Sid") == sid else s for s in statements]
    return [*statements, new]


def _statement(block: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if block.get("sid"):
        out["Sid"] = block["sid"]
    out["Effect"] = block.get("effect") or "Allow"
    for argument, key in _PAIRS:
        if block.get(argument) is not None:
            out[key] = block[argument]
    for argument, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if principals := block.get(argument):
            out[key] = _principals(principals)
    if conditions := block.get("condition"):
        out["Condition"] = _conditions(conditions)
    return out


def _principals(blocks: Any) -> Any:
    if unresolved_in(blocks) is not None and not isinstance(blocks, list):
        return blocks
    merged: dict[str, list[Any]] = {}
    for p in blocks:
        identifiers = p.get("identifiers") or []
        if p.get("type") == "*" and identifiers == ["*"]:
            return "*"  # the provider renders type "*" with "*" as Principal "*"
        merged.setdefault(str(p.get("type")), []).extend(
            identifiers if isinstance(identifiers, list) else [identifiers]
        )
    return merged


def _conditions(blocks: Any) -> Any:
    if not isinstance(blocks, list):
        return blocks
    merged: dict[str, dict[str, Any]] = {}
    for c in blocks:
        test, variable = str(c.get("test")), str(c.get("variable"))
        merged.setdefault(test, {})[variable] = c.get("values")
    return merged
