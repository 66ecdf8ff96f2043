"""Resource and data blocks of a Terraform module: their instances (``count``, ``for_each``),
arguments (nested and ``dynamic`` blocks included) and addresses.

An instance's arguments are evaluated in its module with ``count.index`` or ``each.key`` /
``each.value`` set; a ``count`` or ``for_each`` the code does not decide leaves one instance
whose existence — and whatever depends on its key — is unknown.
https://developer.hashicorp.com/terraform/language/meta-arguments/for_each
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from trailwarden.collect.iac.hcl_eval import Evaluator, Scope
from trailwarden.collect.iac.hcl_syntax import (
    Block,
    Body,
    attributes,
    blocks,
    token_text,
    traversal_text,
)
from trailwarden.collect.iac.hcl_values import EvalError, Lazy, materialize
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.values import as_text

__all__ = [
    "META_ARGUMENTS",
    "Declared",
    "Instance",
    "ModuleInstance",
    "body_value",
    "instance_key",
    "keys_of",
]


class ModuleInstance(Protocol):
    """What an instance needs of its module (:mod:`.terraform_module`, which imports this)."""

    address: str
    evaluator: Evaluator
    account: str
    root_dir: Path

    def region(self, provider: str) -> str: ...


# Instances of one block trailwarden evaluates at most (a count of 1e9 is not configuration).
_MAX_INSTANCES = 100_000
# Arguments Terraform reads itself, not the provider.
META_ARGUMENTS = frozenset(
    {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}
)


@dataclass(frozen=True)
class Declared:
    """A ``resource`` or ``data`` block."""

    mode: str  # "managed" | "data"
    type: str
    name: str
    block: Block

    def address(self, module: str) -> str:
        local = f"{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"
        return f"{module}.{local}" if module else local


def instance_key(key: Any) -> str:
    """``[0]`` or ``["4.3"]``, as Terraform writes an instance's key in its address."""
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(as_text(key))}]"


def keys_of(expansion: Any) -> list[tuple[Any, Any]] | None | Unresolved:
    """(key, each.value) of every instance; None for a block with neither count nor for_each."""
    if expansion is None or isinstance(expansion, Unresolved):
        return expansion
    kind, value = expansion
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise EvalError("count must be a whole number")
        if value > _MAX_INSTANCES:
            raise EvalError(f"count = {value:.0f} is more than trailwarden evaluates")
        return [(i, None) for i in range(int(value))]
    value = materialize(value)
    if isinstance(value, dict):
        return sorted(value.items())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [(v, v) for v in sorted(set(value))]
    raise EvalError("for_each must be a map or a set of strings")


class Instance:
    """One instance of a resource or data block, in its module."""

    def __init__(
        self, module: ModuleInstance, declared: Declared, key: Any, value: Any, maybe: str | None
    ) -> None:
        self.module, self.declared, self.key, self.maybe = module, declared, key, maybe
        self.address = declared.address(module.address) + ("[*]" if maybe else instance_key(key))
        names: dict[str, Any] = {}
        if maybe:
            unknown = Unresolved("${each}", maybe, frozenset({self.address}))
            names = {"count": {"index": unknown}, "each": {"key": unknown, "value": unknown}}
        elif isinstance(key, int) and value is None:
            names = {"count": {"index": key}}
        elif key is not None:
            names = {"each": {"key": key, "value": value}}
        self.scope = Scope(module, names)
        self._attrs = attributes(declared.block.body)

    @property
    def type(self) -> str:
        return self.declared.type

    def argument(self, name: str) -> Any:
        """An argument's value: an attribute, or a list of nested blocks (empty if absent)."""
        if name in self._attrs:
            return self.module.evaluator.value(
                self._attrs[name], self.scope, f"{self.address}.{name}"
            )
        return body_value(self.module, self.declared.block.body, self.scope, only=name).get(name)

    def has(self, name: str) -> bool:
        return name in self._attrs

    def values(self) -> dict[str, Any]:
        """Every argument, nested blocks as lists of dicts."""
        return body_value(self.module, self.declared.block.body, self.scope)

    def provider(self) -> str:
        """``aws`` or ``aws.ALIAS``, from the ``provider`` meta-argument."""
        if "provider" not in self._attrs:
            return "aws"
        return traversal_text(self._attrs["provider"])

    def object(self, attribute: Callable[[Instance, str], Any]) -> Lazy:
        """The instance as references read it (``aws_x.y.arn``): ``attribute`` computes each."""
        return Lazy(self.address, lambda name: attribute(self, name), self._names)

    def _names(self) -> list[str]:
        """The arguments it sets, nested blocks included (what ``each.value`` holds)."""
        nested = [
            labels[0] if kind == "dynamic" and labels else kind
            for kind, labels, _, _ in blocks(self.declared.block.body)
        ]
        names = [*self._attrs, *nested]
        return [n for n in dict.fromkeys(names) if n not in META_ARGUMENTS]


def body_value(
    module: ModuleInstance, body: Body, scope: Scope, only: str | None = None
) -> dict[str, Any]:
    """A block body as a dict: attributes evaluated, nested blocks as lists of dicts, ``dynamic``
    blocks expanded (an undecidable ``for_each`` makes that block list unknown)."""
    e = module.evaluator
    out: dict[str, Any] = {
        name: e.value(tree, scope, name)
        for name, tree in attributes(body).items()
        if name not in META_ARGUMENTS and only in (None, name)
    }
    for kind, labels, inner, _ in blocks(body):
        if kind in META_ARGUMENTS:
            continue
        if kind == "dynamic" and labels:
            if only in (None, labels[0]):
                _dynamic(module, labels[0], inner, scope, out)
        elif only in (None, kind):
            items = out.setdefault(kind, [])
            if isinstance(items, list):
                items.append(body_value(module, inner, scope))
    return out


def _dynamic(
    module: ModuleInstance, label: str, body: Body, scope: Scope, out: dict[str, Any]
) -> None:
    attrs = attributes(body)
    iterator = token_text(attrs["iterator"]) if "iterator" in attrs else label
    content = next((inner for kind, _, inner, _ in blocks(body) if kind == "content"), None)
    collection = (
        module.evaluator.value(attrs["for_each"], scope, f"dynamic {label}")
        if "for_each" in attrs
        else []
    )
    if content is None:
        return
    if isinstance(collection, Unresolved):
        out[label] = Unresolved(f"${{dynamic {label}}}", collection.reason, collection.refs)
        return
    try:
        pairs = (
            keys_of(("for_each", collection))
            if isinstance(collection, dict)
            else list(enumerate(materialize(collection)))
        )
    except (EvalError, TypeError):
        out[label] = Unresolved(
            f"${{dynamic {label}}}", f"dynamic {label}'s for_each is not a collection"
        )
        return
    items = out.setdefault(label, [])
    if not isinstance(items, list) or pairs is None or isinstance(pairs, Unresolved):
        return
    for key, value in pairs:
        items.append(
            body_value(
                module, content, scope.with_names(**{iterator: {"key": key, "value": value}})
            )
        )
