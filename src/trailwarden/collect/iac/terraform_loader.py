"""What every module instance of one Terraform configuration shares (:class:`Loader`: the
parsed files, the evaluator, the account, the modules not read), and how a module call's
arguments become its child's inputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trailwarden.collect.iac.hcl_eval import Evaluator, Scope
from trailwarden.collect.iac.hcl_syntax import Block, Node, parse_file
from trailwarden.collect.iac.specs import Unresolved

__all__ = ["ABSENT", "MODULE_META", "Loader", "module_inputs"]

ABSENT: Any = object()  # a module input its caller does not set
# Arguments of a module block that are not inputs of the module.
MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


@dataclass
class Loader:
    """What every module instance of one configuration shares."""

    root_dir: Path
    account: str
    default_region: str | None
    evaluator: Evaluator = field(init=False)
    allowed_dirs: set[Path] = field(default_factory=set)
    # Module calls not read (remote sources): (address, source, the text of their arguments).
    unread: list[tuple[str, str, list[str]]] = field(default_factory=list)
    _parsed: dict[Path, list[Block]] = field(default_factory=dict)
    _active: set[str] = field(default_factory=set)

    def blocks(self, directory: Path) -> list[Block]:
        if directory not in self._parsed:
            files = sorted(p for p in directory.glob("*.tf") if p.is_file())
            self._parsed[directory] = [b for f in files for b in parse_file(f)]
            self.allowed_dirs.add(directory)
        return self._parsed[directory]

    def guarded(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, or Unresolved if it needs itself (a reference cycle)."""
        if key in self._active:
            return Unresolved(f"${{{key}}}", f"{key} refers to itself")
        self._active.add(key)
        try:
            return compute()
        finally:
            self._active.discard(key)


def module_inputs(
    evaluator: Evaluator, attrs: dict[str, Node], scope: Scope, address: str
) -> Callable[[str], Any]:
    """A child module's inputs: its module block's arguments, evaluated in the caller."""

    def value(name: str) -> Any:
        if name in MODULE_META or name not in attrs:
            return ABSENT
        return evaluator.value(attrs[name], scope, f"{address}.{name}")

    return value
