"""A Terraform plan in JSON (``terraform show -json plan.out``) → :class:`~.specs.Code`.

Resources are those of ``planned_values`` (what exists once applied: deletions are not there),
root and child modules, every ``count``/``for_each`` instance. A value known only after apply
(``resource_changes[].change.after_unknown``) is :class:`~.specs.Unresolved`, linked through
the expression's ``references`` in ``configuration`` to the resources it comes from — a trail
whose ``cloud_watch_logs_group_arn`` refers to ``aws_cloudwatch_log_group.x`` delivers to that
group, whatever its ARN turns out to be (taken to end in ``:*``, which a plan cannot show). The
account is the caller identity's, or the one every known ARN names; the region the provider's.
https://developer.hashicorp.com/terraform/internals/json-format
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from trailwarden.arns import parse_arn
from trailwarden.collect.iac.files import shown
from trailwarden.collect.iac.names import ACCOUNT, managed_policy_arn, topic_arn
from trailwarden.collect.iac.specs import Code, Unresolved, Where
from trailwarden.collect.iac.terraform_specs import TERRAFORM_TYPES, add_resource
from trailwarden.errors import CodeInputError
from trailwarden.findings import SourceLocation

__all__ = ["read_plan"]

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
# An aws_iam_role's inline_policy and managed_policy_arns, when its configuration does not set
# them, only mirror the aws_iam_role_policy / attachment resources (read on their own): the
# plan shows them unknown for a new role, which says nothing of the role's policies.
_MIRRORS = frozenset({"inline_policy", "managed_policy_arns"})
# module.a["k"].module.b[0].aws_x.y["i"] → the module instance part and the resource part.
_MODULE = re.compile(r'module\.[A-Za-z0-9_-]+(\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\])?\.')


def read_plan(path: Path, plan: Mapping[str, Any], default_region: str | None) -> tuple[Code, str]:
    """The resources the plan leaves in place, and the plan's (default) region."""
    version = str(plan.get("format_version", ""))
    if version.split(".")[0] != "1":
        raise CodeInputError(
            f"{shown(path)} is a Terraform plan of format_version {version!r}; trailwarden reads "
            "version 1.x (Terraform 1.x)."
        )
    config = _mapping(plan.get("configuration"))
    regions = _Regions(plan, config, default_region)
    code = Code(account_id=_account(plan))
    changes = {
        str(c.get("address")): c
        for c in plan.get("resource_changes") or []
        if isinstance(c, dict) and c.get("change")
    }
    planned = list(_resources(_mapping(_mapping(plan.get("planned_values")).get("root_module"))))
    addresses = {str(r.get("address")) for r in planned}
    configured = _configured(config)
    file = shown(path)
    for resource in planned:
        kind = str(resource.get("type"))
        if resource.get("mode") != "managed" or kind not in TERRAFORM_TYPES:
            continue
        address = str(resource.get("address"))
        module = _module_of(address)
        key = (re.sub(r"\[[^\]]*\]", "", module), kind, str(resource.get("name")))
        expressions = configured.get(key, {})
        unknown = _mapping(_mapping(changes.get(address, {}).get("change")).get("after_unknown"))
        linking = _Linking(module, address, addresses)
        values = _with_unknown(
            dict(_mapping(resource.get("values"))), unknown, expressions, linking
        )
        region = values.get("region") if isinstance(values.get("region"), str) else None
        where = Where(address, SourceLocation(file, None))
        region = region or regions.of(module, expressions)
        computed = {"arn": _arn(kind, values, region, code.account_id or ACCOUNT, address)}
        add_resource(code, kind, where, values, region, computed)
    return code, regions.of("", {})


def _arn(kind: str, values: Mapping[str, Any], region: str, account: str, address: str) -> Any:
    """A topic's or policy's ARN: known, or made from its name as AWS does."""
    if isinstance(values.get("arn"), str):
        return values["arn"]
    name, path = values.get("name"), values.get("path") or "/"
    if isinstance(name, str) and kind == "aws_sns_topic":
        return topic_arn(region, account, name)
    if isinstance(name, str) and kind == "aws_iam_policy" and isinstance(path, str):
        return managed_policy_arn(region, account, name, path)
    why = f"{address}.arn is known only after apply"
    return Unresolved(f"${{{address}.arn}}", why, frozenset({address}))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _resources(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from (r for r in module.get("resources") or [] if isinstance(r, Mapping))
    for child in module.get("child_modules") or []:
        yield from _resources(_mapping(child))


def _module_of(address: str) -> str:
    """``module.a["k"]`` of ``module.a["k"].aws_x.y``; "" at the root."""
    end, position = 0, 0
    while match := _MODULE.match(address, position):
        end = position = match.end()
    return address[: end - 1] if end else ""


def _configured(config: Mapping[str, Any]) -> dict[tuple[str, str, str], Mapping[str, Any]]:
    """Every managed resource block of the configuration, by (module path without instance
    keys, type, name)."""
    out: dict[tuple[str, str, str], Mapping[str, Any]] = {}

    def walk(module: Mapping[str, Any], path: str) -> None:
        for r in module.get("resources") or []:
            if isinstance(r, Mapping) and r.get("mode") == "managed":
                out[(path, str(r.get("type")), str(r.get("name")))] = r
        for name, call in _mapping(module.get("module_calls")).items():
            child = f"{path}.module.{name}" if path else f"module.{name}"
            walk(_mapping(_mapping(call).get("module")), child)

    walk(_mapping(config.get("root_module")), "")
    return out


class _Linking:
    """References of one resource instance's configuration, made absolute addresses."""

    def __init__(self, module: str, address: str, addresses: set[str]) -> None:
        self.module, self.address, self.addresses = module, address, addresses
        # The instance's own key (["4.3"], [0]): `aws_x.y[each.key]` is listed as aws_x.y.
        self.key = address[address.rindex("[") :] if address.endswith("]") else ""

    def refs(self, expression: Any) -> frozenset[str]:
        prefix = f"{self.module}." if self.module else ""
        out = set()
        for ref in _mapping(expression).get("references") or []:
            if str(ref).startswith(("var.", "local.", "each.", "count.", "path.")):
                continue
            absolute = prefix + str(ref)
            out.add(absolute)
            if absolute not in self.addresses and absolute + self.key in self.addresses:
                out.add(absolute + self.key)
        return frozenset(out)


def _with_unknown(
    values: dict[str, Any], unknown: Mapping[str, Any], config: Mapping[str, Any], linking: _Linking
) -> dict[str, Any]:
    """``values`` with each attribute known only after apply made Unresolved, linked through
    the configuration's references (made absolute from the resource's module)."""
    expressions = _mapping(config.get("expressions"))
    address = linking.address
    for attribute, flag in unknown.items():
        if attribute in _MIRRORS and attribute not in expressions:
            values.pop(attribute, None)  # computed from the separate policy resources
            continue
        refs = linking.refs(expressions.get(attribute))
        reason = f"{address}.{attribute} is known only after apply"
        text = f"${{{address}.{attribute}}}" + (
            ":*" if attribute == "cloud_watch_logs_group_arn" else ""
        )
        value = Unresolved(text, reason, refs)
        if flag is True:
            values[attribute] = value
        elif isinstance(flag, list) and isinstance(values.get(attribute), list | type(None)):
            known = list(values.get(attribute) or [])
            known += [None] * (len(flag) - len(known))
            values[attribute] = [
                value if f is True else k for f, k in zip(flag, known, strict=False)
            ]
    return values


def _account(plan: Mapping[str, Any]) -> str | None:
    """The caller identity's account (a data source read at plan time), else the account
    every known ARN of the plan names."""
    prior = _mapping(_mapping(_mapping(plan.get("prior_state")).get("values")).get("root_module"))
    for module in (prior, _mapping(_mapping(plan.get("planned_values")).get("root_module"))):
        for r in _resources(module):
            values = _mapping(r.get("values"))
            if r.get("type") == "aws_caller_identity" and _ACCOUNT_ID.match(
                str(values.get("account_id"))
            ):
                return str(values["account_id"])
    accounts = set()
    for r in _resources(_mapping(_mapping(plan.get("planned_values")).get("root_module"))):
        arn = parse_arn(str(_mapping(r.get("values")).get("arn") or ""))
        if arn is not None and _ACCOUNT_ID.match(arn.account_id):
            accounts.add(arn.account_id)
    return accounts.pop() if len(accounts) == 1 else None


class _Regions:
    """A resource's region: its provider configuration's ``region`` (a constant, or a root
    variable's value), else the one given (``--region``)."""

    def __init__(
        self, plan: Mapping[str, Any], config: Mapping[str, Any], default: str | None
    ) -> None:
        self.providers = _mapping(config.get("provider_config"))
        self.variables = _mapping(plan.get("variables"))
        self.default = default

    def of(self, module: str, resource: Mapping[str, Any]) -> str:
        key = str(resource.get("provider_config_key") or "aws")
        provider = _mapping(self.providers.get(key) or self.providers.get(key.split(":")[-1]))
        region = _mapping(_mapping(provider.get("expressions")).get("region"))
        value = region.get("constant_value")
        refs = region.get("references") or []
        if (
            value is None
            and refs
            and str(refs[0]).startswith("var.")
            and not provider.get("module_address")
        ):
            value = _mapping(self.variables.get(str(refs[0])[4:])).get("value")
        if isinstance(value, str) and value:
            return value
        if self.default:
            return self.default
        raise CodeInputError(
            f"The plan does not say the region of provider {key}; give --region (or set "
            "AWS_REGION)."
        )
