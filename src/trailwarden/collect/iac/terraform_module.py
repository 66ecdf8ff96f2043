"""A Terraform module instance: its variables, locals, outputs, providers, resources, data
sources and calls of local modules, evaluated lazily as references need them.

The root module's variables come from ``-var-file``s and the rest (:mod:`.tfvars`); a child's
from its ``module`` block, evaluated in the caller. A module whose source is not a local path
(a registry, git or S3 source) is not read: its outputs are unknown. A provider's region comes
from its ``region`` argument, else from ``--region`` / ``AWS_REGION`` as the AWS provider
itself would; resources pick the provider with ``provider = aws.ALIAS``, child modules inherit
the default one or get those ``providers = {…}`` names.
https://developer.hashicorp.com/terraform/language/modules/sources#local-paths
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lark import Tree

from trailwarden.collect.iac.files import shown
from trailwarden.collect.iac.hcl_eval import Scope
from trailwarden.collect.iac.hcl_syntax import Block, attributes, string_literal, traversal_text
from trailwarden.collect.iac.hcl_values import EvalError, Lazy
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.terraform_loader import ABSENT, MODULE_META, Loader, module_inputs
from trailwarden.collect.iac.terraform_objects import attribute
from trailwarden.collect.iac.terraform_resources import Declared, Instance, instance_key, keys_of
from trailwarden.collect.iac.values import as_text
from trailwarden.errors import CodeInputError

__all__ = ["ModuleInstance"]


class ModuleInstance:
    def __init__(
        self,
        loader: Loader,
        directory: Path,
        address: str,
        inputs: Callable[[str], Any],
        providers: dict[str, Any],
        ancestors: tuple[Path, ...] = (),
    ) -> None:
        self.loader, self.directory, self.address = loader, directory, address
        self.ancestors = (*ancestors, directory)
        self.evaluator, self.account, self.root_dir = (
            loader.evaluator,
            loader.account,
            loader.root_dir,
        )
        self.allowed_dirs = loader.allowed_dirs
        self._inputs = inputs
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}
        self.calls: dict[str, Block] = {}
        self.declared: dict[tuple[str, str, str], Declared] = {}
        self.providers = dict(providers)
        self._cache: dict[str, Any] = {}
        own_providers: list[Block] = []
        for b in loader.blocks(directory):
            if b.type == "variable" and b.labels:
                self.variables[b.labels[0]] = b
            elif b.type == "locals":
                self.locals.update(attributes(b.body))
            elif b.type == "output" and b.labels:
                self.outputs[b.labels[0]] = attributes(b.body).get("value")
            elif b.type == "module" and b.labels:
                self.calls[b.labels[0]] = b
            elif b.type in ("resource", "data") and len(b.labels) == 2:
                mode = "managed" if b.type == "resource" else "data"
                self.declared[(mode, *b.labels)] = Declared(mode, b.labels[0], b.labels[1], b)
            elif b.type == "provider" and b.labels == ("aws",):
                own_providers.append(b)
        for b in own_providers:
            attrs = attributes(b.body)
            alias = self._eval(attrs["alias"], "provider alias") if "alias" in attrs else None
            region = self._eval(attrs["region"], "provider region") if "region" in attrs else None
            self.providers["aws" if alias is None else f"aws.{alias}"] = region
        self.types = {t for _, t, _ in self.declared}

    def scope(self) -> Scope:
        return Scope(self)

    def _eval(self, node: Any, what: str, scope: Scope | None = None) -> Any:
        return self.evaluator.value(node, scope or self.scope(), what)

    def _once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = self.loader.guarded(f"{self.address}:{key}", compute)
        return self._cache[key]

    def region(self, provider: str) -> str:
        """The region of provider ``aws`` / ``aws.ALIAS`` in this module."""
        value = self.providers.get(provider, self.providers.get("aws"))
        if isinstance(value, str) and value:
            return value
        if self.loader.default_region:
            return self.loader.default_region
        why = (
            f"is {value.text}, which {value.reason}"
            if isinstance(value, Unresolved)
            else "is not set"
        )
        raise CodeInputError(
            f"The region of provider {provider} in {shown(self.directory)} {why}: give "
            "--region (or set AWS_REGION), or a -var-file with its value."
        )

    # What names in expressions refer to.
    def root(self, name: str, scope: Scope) -> Any:
        namespaces: dict[str, Callable[[], Any]] = {
            "var": lambda: Lazy("var", self.variable),
            "local": lambda: Lazy("local", self.local),
            "module": lambda: Lazy("module", self.module_call),
            "data": lambda: Lazy(
                "data", lambda t: Lazy(f"data.{t}", lambda n: self.instances(("data", t, n)))
            ),
            "path": lambda: {
                "module": str(self.directory),
                "root": str(self.root_dir),
                "cwd": str(self.root_dir),
            },
            "terraform": lambda: {"workspace": "default"},
        }
        if name in namespaces:
            return namespaces[name]()
        if name in self.types:
            return Lazy(name, lambda n: self.instances(("managed", name, n)))
        raise EvalError(f"{name} is not a name Terraform knows here")

    def variable(self, name: str) -> Any:
        def compute() -> Any:
            value = self._inputs(name)
            if value is not ABSENT:
                return value
            block = self.variables.get(name)
            if block is None:
                raise EvalError(f"there is no variable {name}")
            attrs = attributes(block.body)
            if "default" in attrs:
                return self._eval(attrs["default"], f"var.{name}")
            return Unresolved(
                f"${{var.{name}}}",
                f"var.{name} has no value (no default, -var-file or TF_VAR_{name})",
            )

        return self._once(f"var.{name}", compute)

    def local(self, name: str) -> Any:
        if name not in self.locals:
            raise EvalError(f"there is no local {name}")
        return self._once(f"local.{name}", lambda: self._eval(self.locals[name], f"local.{name}"))

    def instances(self, key: tuple[str, str, str]) -> Any:
        """A resource or data source as a reference reads it: one object, a list (count) or a
        map (for_each) of objects."""
        declared = self.declared.get(key)
        if declared is None:
            raise EvalError(f"there is no {'data.' if key[0] == 'data' else ''}{key[1]}.{key[2]}")
        return self._once("/".join(key), lambda: self._objects(declared))

    def _objects(self, declared: Declared) -> Any:
        listed = self.expand(declared)
        if isinstance(listed, Unresolved):
            return Unresolved(listed.text, listed.reason, listed.refs)
        objects = {inst.key: inst.object(attribute) for inst in listed}
        if len(listed) == 1 and listed[0].key is None:
            return objects[None]
        return list(objects.values()) if _counted(declared) else objects

    def expand(self, declared: Declared) -> list[Instance] | Unresolved:
        """The instances of a block; a count/for_each the code does not decide is Unresolved."""
        attrs = attributes(declared.block.body)
        kind = "count" if "count" in attrs else "for_each" if "for_each" in attrs else None
        address = declared.address(self.address)
        if kind is None:
            return [Instance(self, declared, None, None, None)]
        value = self._eval(attrs[kind], f"{address}.{kind}")
        if isinstance(value, Unresolved):
            reason = f"its {kind} is not known: {value.reason}"
            return Unresolved(f"${{{address}}}", reason, frozenset({f"{address}[*]"}))
        try:
            pairs = keys_of((kind, value))
        except EvalError as exc:
            return Unresolved(f"${{{address}}}", f"{address}'s {kind}: {exc}")
        assert isinstance(pairs, list)
        return [Instance(self, declared, k, v, None) for k, v in pairs]

    def module_call(self, name: str) -> Any:
        block = self.calls.get(name)
        if block is None:
            raise EvalError(f"there is no module {name}")
        return self._once(f"module.{name}", lambda: self._module_objects(name, block))

    def _module_objects(self, name: str, block: Block) -> Any:
        children = self.children(name, block)
        if isinstance(children, Unresolved):
            return children
        objects = {key: Lazy(child.address, child.output) for key, child in children}
        if len(children) == 1 and children[0][0] is None:
            return objects[None]
        return list(objects.values()) if "count" in attributes(block.body) else objects

    def children(self, name: str, block: Block) -> list[tuple[Any, ModuleInstance]] | Unresolved:
        """The instances of module call ``name`` (cached), or why they are not known."""
        found: list[tuple[Any, ModuleInstance]] | Unresolved = self._once(
            f"children.{name}", lambda: self._children(name, block)
        )
        return found

    def _children(self, name: str, block: Block) -> list[tuple[Any, ModuleInstance]] | Unresolved:
        attrs = attributes(block.body)
        address = f"{self.address}.module.{name}" if self.address else f"module.{name}"
        source = (
            string_literal(attrs["source"].children[0])
            if "source" in attrs and attrs["source"].children
            else ""
        )
        if not source.startswith(("./", "../")):
            given = [
                as_text(self._eval(t, address)) for n, t in attrs.items() if n not in MODULE_META
            ]
            self.loader.unread.append((address, source, given))
            return Unresolved(
                f"${{{address}}}",
                f"{address} comes from {source!r}, which trailwarden does not read",
            )
        directory = (self.directory / source).resolve()
        if directory in self.ancestors:  # Terraform refuses such a cycle too
            raise CodeInputError(
                f"{address} calls {shown(directory)}, which calls it in turn: a module cannot "
                "contain itself."
            )
        if not any(directory.glob("*.tf")):
            raise CodeInputError(
                f"{address}'s source {source} ({shown(directory)}) has no *.tf files."
            )
        kind = "count" if "count" in attrs else "for_each" if "for_each" in attrs else None
        pairs: Any = [(None, None)]
        if kind is not None:
            value = self._eval(attrs[kind], f"{address}.{kind}")
            pairs = value if isinstance(value, Unresolved) else keys_of((kind, value))
            if isinstance(pairs, Unresolved):
                return Unresolved(
                    f"${{{address}}}", f"{address}'s {kind} is not known from code ({pairs.reason})"
                )
        providers = self._passed_providers(attrs)
        out = []
        for key, each in pairs:
            names = (
                {"count": {"index": key}}
                if kind == "count"
                else {"each": {"key": key, "value": each}}
                if kind
                else {}
            )
            scope = Scope(self, names)
            inputs = module_inputs(self.evaluator, attrs, scope, address)
            child = ModuleInstance(
                self.loader,
                directory,
                address + instance_key(key),
                inputs,
                providers,
                self.ancestors,
            )
            out.append((key, child))
        return out

    def _passed_providers(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """``providers = { aws = aws.us }``: the caller's providers under the child's names."""
        if "providers" not in attrs:
            return {"aws": self.providers.get("aws")}
        passed: dict[str, Any] = {}
        for elem in attrs["providers"].find_data("object_elem"):
            key, value = [c for c in elem.children if isinstance(c, Tree)][:2]
            passed[traversal_text(key)] = self.providers.get(traversal_text(value))
        return passed

    def output(self, name: str) -> Any:
        if name not in self.outputs or self.outputs[name] is None:
            raise EvalError(f"{self.address} has no output {name}")
        return self._once(
            f"output.{name}", lambda: self._eval(self.outputs[name], f"{self.address}.{name}")
        )


def _counted(declared: Declared) -> bool:
    return "count" in attributes(declared.block.body)
