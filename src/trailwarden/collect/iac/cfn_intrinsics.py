"""CloudFormation's intrinsic functions, evaluated where the template decides them.

``Ref`` (parameters with their defaults, pseudo parameters, resources), ``Fn::GetAtt`` (both
forms), ``Fn::Sub`` (both forms, ``${!Literal}``), ``Fn::Join``, ``Fn::Select``,
``Fn::Split``, ``Fn::FindInMap``, ``Fn::If`` with ``Conditions`` (``Fn::Equals``, ``Fn::Not``,
``Fn::And``, ``Fn::Or``, ``Condition``) and ``Fn::ToJsonString``. What is decided only at
deployment — a parameter without a default, ``AWS::StackName``, ``Fn::ImportValue``, an SSM
parameter — is :class:`~.specs.Unresolved`, never guessed.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from trailwarden.collect.iac.cfn_refs import resource_ref
from trailwarden.collect.iac.names import partition_of
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.values import as_text, concat, json_text, refs_of, unresolved_in
from trailwarden.errors import CodeInputError
from trailwarden.textsafe import printable

__all__ = ["NO_VALUE", "Template"]

NO_VALUE: Any = object()  # AWS::NoValue: the property is left out
_SUB = re.compile(r"\$\{([^}]*)\}")
_MAX_DEPTH = 100
# Anchors and aliases let a small YAML file name a huge tree: stop evaluating long before.
_MAX_NODES = 2_000_000


class Template:
    """One template's parameters, conditions, mappings and resources, in one region."""

    def __init__(self, template: Mapping[str, Any], region: str, account: str) -> None:
        self.region, self.account = region, account
        self.partition = partition_of(region)
        self.resources: Mapping[str, Any] = _mapping(template.get("Resources"))
        self.parameters: Mapping[str, Any] = _mapping(template.get("Parameters"))
        self.mappings: Mapping[str, Any] = _mapping(template.get("Mappings"))
        self.conditions: Mapping[str, Any] = _mapping(template.get("Conditions"))
        self._nodes = 0
        self._active: set[str] = set()  # references being resolved, against cycles

    def resolve(self, value: Any, depth: int = 0) -> Any:
        """``value`` with every intrinsic function evaluated (or Unresolved)."""
        self._nodes += 1
        if self._nodes > _MAX_NODES or depth > _MAX_DEPTH:
            raise CodeInputError(
                "The template nests or repeats values beyond what trailwarden evaluates "
                f"({_MAX_NODES:,} values, {_MAX_DEPTH} levels); is it a real template?"
            )
        if isinstance(value, Mapping):
            if len(value) == 1:
                ((key, arg),) = value.items()
                if function := _FUNCTIONS.get(str(key)):
                    try:
                        return function(self, arg, depth + 1)
                    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
                        raise CodeInputError(
                            f"{key} is given {printable(repr(arg))[:80]}, which CloudFormation "
                            "would reject; fix the template."
                        ) from exc
            out = {str(k): self.resolve(v, depth + 1) for k, v in value.items()}
            return {k: v for k, v in out.items() if v is not NO_VALUE}
        if isinstance(value, list):
            return [v for v in (self.resolve(v, depth + 1) for v in value) if v is not NO_VALUE]
        return value

    def condition(self, name: str, depth: int = 0) -> bool | Unresolved:
        if name not in self.conditions:
            raise CodeInputError(f"Condition {name!r} is used but not defined in Conditions.")
        holds = self._guarded(
            f"Condition {name}", lambda: _truth(self, self.conditions[name], depth)
        )
        return holds if isinstance(holds, bool | Unresolved) else bool(holds)

    def ref(self, name: str, depth: int = 0) -> Any:
        if name in _PSEUDO:
            return _PSEUDO[name](self)
        if name in self.parameters:
            return self._parameter(name)
        if name in self.resources:
            return self._guarded(name, lambda: resource_ref(self, name, None, depth))
        raise CodeInputError(f"Ref {name!r} names no parameter or resource of the template.")

    def get_att(self, name: str, attribute: str, depth: int = 0) -> Any:
        if name not in self.resources:
            raise CodeInputError(
                f"Fn::GetAtt {name}.{attribute} names no resource of the template."
            )
        key = f"{name}.{attribute}"
        return self._guarded(key, lambda: resource_ref(self, name, attribute, depth))

    def _guarded(self, key: str, compute: Callable[[], Any]) -> Any:
        if key in self._active:
            return Unresolved(f"${{{key}}}", f"{key} refers to itself", frozenset())
        self._active.add(key)
        try:
            return compute()
        finally:
            self._active.discard(key)

    def _parameter(self, name: str) -> Any:
        spec = _mapping(self.parameters[name])
        kind = str(spec.get("Type", "String"))
        if kind.startswith("AWS::SSM::Parameter::Value"):
            return Unresolved(f"${{{name}}}", f"parameter {name} is read from SSM when deployed")
        if "Default" not in spec:
            return Unresolved(f"${{{name}}}", f"parameter {name} has no default value")
        value = spec["Default"]
        if kind.startswith("List<") or kind == "CommaDelimitedList":
            return (
                [v.strip() for v in as_text(value).split(",")] if isinstance(value, str) else value
            )
        if kind == "Number" and isinstance(value, str):
            try:
                return float(value) if "." in value else int(value)
            except ValueError:
                return value
        return value


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _truth(t: Template, value: Any, depth: int) -> bool | Unresolved:
    resolved = t.resolve(value, depth + 1)
    if isinstance(resolved, bool | Unresolved):
        return resolved
    return as_text(resolved).lower() == "true"


def _ref(t: Template, arg: Any, depth: int) -> Any:
    return t.ref(as_text(arg), depth)


def _get_att(t: Template, arg: Any, depth: int) -> Any:
    if isinstance(arg, str):
        name, _, attribute = arg.partition(".")
    elif isinstance(arg, list) and len(arg) == 2:
        name, attribute = as_text(arg[0]), as_text(t.resolve(arg[1], depth))
    else:
        raise CodeInputError(f"Fn::GetAtt takes [Resource, Attribute], not {arg!r}.")
    return t.get_att(name, attribute, depth)


def _sub(t: Template, arg: Any, depth: int) -> Any:
    text, variables = (arg[0], t.resolve(arg[1], depth)) if isinstance(arg, list) else (arg, {})
    if not isinstance(text, str) or not isinstance(variables, Mapping):
        raise CodeInputError(f"Fn::Sub takes a string or [string, {{variables}}], not {arg!r}.")
    parts: list[Any] = []
    end = 0
    for match in _SUB.finditer(text):
        parts.append(text[end : match.start()])
        end, name = match.end(), match.group(1).strip()
        if name.startswith("!"):  # ${!Literal} writes ${Literal}
            parts.append("${" + name[1:] + "}")
        elif name in variables:
            parts.append(variables[name])
        elif "." in name and name.split(".")[0] in t.resources:
            resource, _, attribute = name.partition(".")
            parts.append(t.get_att(resource, attribute, depth))
        else:
            parts.append(t.ref(name, depth))
    parts.append(text[end:])
    return concat(parts)


def _join(t: Template, arg: Any, depth: int) -> Any:
    resolved = t.resolve(arg, depth)
    if not isinstance(resolved, list) or len(resolved) != 2:
        raise CodeInputError(f"Fn::Join takes [delimiter, [values]], not {arg!r}.")
    delimiter, items = resolved
    if isinstance(items, Unresolved):
        return items
    joined: list[Any] = []
    for i, item in enumerate(items if isinstance(items, list) else [items]):
        joined += [delimiter, item] if i else [item]
    return concat(joined)


def _select(t: Template, arg: Any, depth: int) -> Any:
    resolved = t.resolve(arg, depth)
    if (found := unresolved_in(resolved)) is not None:
        return found
    index, items = resolved
    try:
        return items[int(index)]
    except (IndexError, ValueError, TypeError) as exc:
        raise CodeInputError(f"Fn::Select {index!r} is out of its list.") from exc


def _split(t: Template, arg: Any, depth: int) -> Any:
    delimiter, text = t.resolve(arg, depth)
    return text if isinstance(text, Unresolved) else as_text(text).split(as_text(delimiter))


def _find_in_map(t: Template, arg: Any, depth: int) -> Any:
    keys = t.resolve(arg, depth)
    if (found := unresolved_in(keys)) is not None:
        return found
    value: Any = t.mappings
    for key in keys[:3]:
        value = _mapping(value).get(as_text(key))
    if value is None:
        raise CodeInputError(f"Fn::FindInMap {keys!r} finds nothing in Mappings.")
    return t.resolve(value, depth)


def _if(t: Template, arg: Any, depth: int) -> Any:
    name, then, otherwise = arg
    holds = t.condition(as_text(name), depth)
    if isinstance(holds, bool):
        return t.resolve(then if holds else otherwise, depth)
    a, b = t.resolve(then, depth), t.resolve(otherwise, depth)
    if a == b and unresolved_in(a) is None:
        return a
    reason = f"condition {as_text(name)} is not known from code ({holds.reason})"
    return Unresolved(f"${{Fn::If {as_text(name)}}}", reason, refs_of([a, b]))


def _equals(t: Template, arg: Any, depth: int) -> bool | Unresolved:
    a, b = t.resolve(arg, depth)
    unknown = unresolved_in([a, b])
    return unknown if unknown is not None else as_text(a) == as_text(b)


def _not(t: Template, arg: Any, depth: int) -> bool | Unresolved:
    holds = _truth(t, arg[0] if isinstance(arg, list) else arg, depth)
    return holds if isinstance(holds, Unresolved) else not holds


def _all(t: Template, arg: Any, depth: int, want: bool) -> bool | Unresolved:
    unknown: Unresolved | None = None
    for item in arg:
        holds = _truth(t, item, depth)
        if holds is want:  # Fn::Or: one true decides; Fn::And: one false decides
            return want
        unknown = unknown or (holds if isinstance(holds, Unresolved) else None)
    return unknown if unknown is not None else not want


def _import(t: Template, arg: Any, depth: int) -> Unresolved:
    name = as_text(t.resolve(arg, depth))
    return Unresolved(
        f"${{ImportValue {name}}}", f"it is imported from another stack's export {name}"
    )


def _unknown(function: str) -> Callable[[Template, Any, int], Unresolved]:
    def evaluate(t: Template, arg: Any, depth: int) -> Unresolved:
        return Unresolved(f"${{{function}}}", f"{function} is evaluated when deployed")

    return evaluate


_FUNCTIONS: dict[str, Callable[[Template, Any, int], Any]] = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::FindInMap": _find_in_map,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": _not,
    "Fn::And": lambda t, arg, depth: _all(t, arg, depth, False),
    "Fn::Or": lambda t, arg, depth: _all(t, arg, depth, True),
    "Condition": lambda t, arg, depth: t.condition(as_text(arg), depth),
    "Fn::ImportValue": _import,
    "Fn::ToJsonString": lambda t, arg, depth: json_text(t.resolve(arg, depth)),
    **{
        f: _unknown(f)
        for f in ("Fn::GetAZs", "Fn::Base64", "Fn::Cidr", "Fn::Length", "Fn::Transform")
    },
}

_PSEUDO: dict[str, Callable[[Template], Any]] = {
    "AWS::Region": lambda t: t.region,
    "AWS::AccountId": lambda t: t.account,
    "AWS::Partition": lambda t: t.partition,
    "AWS::URLSuffix": lambda t: "amazonaws.com.cn" if t.partition == "aws-cn" else "amazonaws.com",
    "AWS::NoValue": lambda t: NO_VALUE,
    "AWS::StackName": lambda t: Unresolved(
        "${AWS::StackName}", "the stack's name is chosen when it is deployed"
    ),
    "AWS::StackId": lambda t: Unresolved(
        "${AWS::StackId}", "the stack's id is known once deployed"
    ),
    "AWS::NotificationARNs": lambda t: Unresolved(
        "${AWS::NotificationARNs}", "they are given when deployed"
    ),
}
