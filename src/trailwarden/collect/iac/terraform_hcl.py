"""A Terraform configuration (a directory of ``*.tf``, local modules followed) →
:class:`~.specs.Code`.

Every instance of the resource types the checks read is evaluated, in the root module and in
each local module instance (``module.audit.aws_cloudtrail.this``, ``…filter["4.3"]``), in its
provider's region. A module whose source is not local is not read: it may define trails (TW010
cannot fail for want of one) and, when it is given a log group of the configuration, metric
filters on it (the monitoring checks cannot fail for want of one).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from trailwarden.collect.iac.files import shown
from trailwarden.collect.iac.hcl_eval import Evaluator, Scope
from trailwarden.collect.iac.hcl_functions import FUNCTIONS
from trailwarden.collect.iac.hcl_syntax import attributes
from trailwarden.collect.iac.hcl_values import EvalError
from trailwarden.collect.iac.names import ACCOUNT
from trailwarden.collect.iac.specs import Code, FilterSpec, MetricSpec, Unresolved, Where
from trailwarden.collect.iac.terraform_loader import ABSENT, Loader
from trailwarden.collect.iac.terraform_module import ModuleInstance
from trailwarden.collect.iac.terraform_objects import attribute
from trailwarden.collect.iac.terraform_resources import Instance
from trailwarden.collect.iac.terraform_specs import TERRAFORM_TYPES, add_resource
from trailwarden.collect.iac.tfvars import root_variables
from trailwarden.collect.iac.values import as_text
from trailwarden.findings import SourceLocation

__all__ = ["read_terraform"]

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_COMPUTED = ("arn",)


def _roots(name: str, scope: Scope) -> Any:
    if scope.context is None:  # a .tfvars value or TF_VAR_: literals only
        raise EvalError(f"{name} cannot be referred to here")
    return scope.context.root(name, scope)


def read_terraform(directory: Path, settings: Any) -> tuple[Code, str]:
    """The resources of the configuration in ``directory``, and its (default) region."""
    root_dir = directory.resolve()
    loader = Loader(root_dir, ACCOUNT, settings.region)
    loader.evaluator = Evaluator(_roots, FUNCTIONS)
    declared = {
        b.labels[0]: b for b in loader.blocks(root_dir) if b.type == "variable" and b.labels
    }
    given = root_variables(
        root_dir, declared, settings.var_files, settings.env_vars, loader.evaluator
    )
    root = ModuleInstance(loader, root_dir, "", lambda n: given.get(n, ABSENT), {})
    account = _account(root)
    loader.account = root.account = account or ACCOUNT
    code = Code(account_id=account)
    _walk(root, code, None)
    _unread(loader, code)
    return code, root.region("aws")


def _account(root: ModuleInstance) -> str | None:
    """The account the code names for its default provider (``allowed_account_ids``)."""
    for block in root.loader.blocks(root.directory):
        attrs = attributes(block.body)
        if block.type == "provider" and block.labels == ("aws",) and "alias" not in attrs:
            allowed = (
                root.evaluator.value(attrs["allowed_account_ids"], root.scope())
                if "allowed_account_ids" in attrs
                else None
            )
            if (
                isinstance(allowed, list)
                and len(allowed) == 1
                and _ACCOUNT_ID.match(as_text(allowed[0]))
            ):
                return as_text(allowed[0])
    return None


def _walk(module: ModuleInstance, code: Code, maybe: str | None) -> None:
    for declared in module.declared.values():
        if declared.mode != "managed" or declared.type not in TERRAFORM_TYPES:
            continue
        listed = module.expand(declared)
        if isinstance(listed, Unresolved):
            listed = [Instance(module, declared, None, None, listed.reason)]
        for inst in listed:
            _add(inst, code, maybe or inst.maybe)
    for name, block in module.calls.items():
        children = module.children(name, block)
        if isinstance(children, Unresolved):
            continue  # not read (a remote source), or instances not known: _unread says so
        for _, child in children:
            _walk(child, code, maybe)


def _add(inst: Instance, code: Code, maybe: str | None) -> None:
    block = inst.declared.block
    where = Where(inst.address, SourceLocation(shown(block.file), block.line), maybe)
    values = inst.values()
    region = values.get("region") if isinstance(values.get("region"), str) else None
    region = region or inst.module.region(inst.provider())
    computed = {name: attribute(inst, name) for name in _COMPUTED}
    add_resource(code, inst.type, where, values, region, computed)


def _unread(loader: Loader, code: Code) -> None:
    """Modules not read may define trails, and filters on a log group they are given."""
    groups = {g.name: g for g in code.log_groups if isinstance(g.name, str)}
    for address, source, given in loader.unread:
        code.unread.append(f"{address} (source {source!r}) is not read: it may define trails")
        for name, group in groups.items():
            if not any(name in text for text in given):
                continue
            reason = f"{address} (source {source!r}) is given log group {name} and is not read"
            unknown = Unresolved("${…}", reason)
            code.filters.append(
                FilterSpec(
                    where=Where(address, None, reason),
                    name=address,
                    region=group.region,
                    log_group_name=name,
                    pattern=unknown,
                    metrics=(MetricSpec(unknown, unknown, "1"),),
                )
            )
