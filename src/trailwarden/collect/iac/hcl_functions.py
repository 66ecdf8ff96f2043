# Data module: Terraform's built-in functions, one small function each, in one table.
"""Terraform's built-in functions, as its documentation defines them, on known values.

An unknown argument makes the result unknown (``try`` and ``can`` excepted, which Terraform
defines on errors). ``file`` and ``templatefile`` read only files inside the configuration's
module directories: a configuration from a pull request must not make trailwarden read and
print ``/proc/self/environ``. Functions that depend on the moment or on AWS (``timestamp``,
``uuid``, provider functions) are unknown.
https://developer.hashicorp.com/terraform/language/functions
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from trailwarden.collect.iac.files import inside, read_text, shown
from trailwarden.collect.iac.hcl_syntax import Node
from trailwarden.collect.iac.hcl_values import EvalError, materialize
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.values import as_text, json_text, refs_of, unresolved_in
from trailwarden.errors import CodeInputError

__all__ = ["FUNCTIONS"]


class Evaluator(Protocol):
    def eval(self, node: Any, scope: Any) -> Any: ...

    def value(self, node: Node, scope: Any, what: str = "") -> Any: ...


Function = Callable[[Any, list[Node], Any], Any]
_MAX_RANGE = 100_000


def _strict(name: str, compute: Callable[..., Any]) -> Function:
    """A function of evaluated arguments; unknown if any argument is."""

    def call(e: Evaluator, args: list[Node], scope: Any) -> Any:
        values = [materialize(e.eval(a, scope)) for a in args]
        if (unknown := unresolved_in(values)) is not None:
            return Unresolved(f"${{{name}(…)}}", unknown.reason, refs_of(values))
        try:
            return compute(*values)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            raise EvalError(f"{name}: {exc}") from exc

    return call


def _try(e: Evaluator, args: list[Node], scope: Any) -> Any:
    for arg in args:
        try:
            return e.eval(arg, scope)
        except EvalError:
            continue
    raise EvalError("try: no argument could be evaluated")


def _can(e: Evaluator, args: list[Node], scope: Any) -> Any:
    try:
        value = e.eval(args[0], scope)
    except EvalError:
        return False
    return value if isinstance(value, Unresolved) else True


def _read(scope: Any, path: Any) -> str | Unresolved:
    """A file of the configuration (its module directories only), as ``file`` reads it."""
    target = Path(as_text(path))
    if not target.is_absolute():
        target = scope.context.root_dir / target
    if not any(inside(target, d) for d in scope.context.allowed_dirs):
        return Unresolved(
            f"${{file({as_text(path)})}}",
            f"{shown(target)} is outside the configuration's directories, so it is not read",
        )
    try:
        return read_text(target)
    except CodeInputError as exc:
        raise EvalError(str(exc)) from exc


def _file(e: Evaluator, args: list[Node], scope: Any) -> Any:
    path = e.eval(args[0], scope)
    return path if isinstance(path, Unresolved) else _read(scope, path)


def _templatefile(e: Evaluator, args: list[Node], scope: Any) -> Any:
    from trailwarden.collect.iac.hcl_template import render_text

    path, variables = e.eval(args[0], scope), materialize(e.eval(args[1], scope))
    if isinstance(path, Unresolved):
        return path
    text = _read(scope, path)
    if isinstance(text, Unresolved) or isinstance(variables, Unresolved):
        return text if isinstance(text, Unresolved) else variables
    return render_text(e, text, scope.with_names(**variables), as_text(path))


def _format(spec: str, *args: Any) -> str:
    out, i, n = [], 0, 0
    while i < len(spec):
        c = spec[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        verb = spec[i + 1 : i + 2]
        i += 2
        if verb == "%":
            out.append("%")
            continue
        value, n = args[n], n + 1
        if verb == "q":
            out.append(json.dumps(as_text(value)))
        elif verb == "d":
            out.append(str(int(value)))
        elif verb in ("s", "v"):
            out.append(as_text(value))
        else:
            raise ValueError(f"verb %{verb} is not supported")
    return "".join(out)


def _replace(text: str, search: str, replacement: str) -> str:
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        import re2  # linear time: the pattern is whatever the code says

        try:
            return str(re2.sub(search[1:-1], replacement.replace("$", "\\"), text))
        except re2.error as exc:
            raise ValueError(f"{search} is not a regular expression ({exc})") from exc
    return text.replace(search, replacement)


def _set(*items: Any) -> list[Any]:
    flat = [i for items_ in items for i in (items_ or [])]
    return sorted(set(map(as_text, flat))) if all(isinstance(i, str) for i in flat) else flat


def _range(*args: float) -> list[int | float]:
    start, stop, step = (
        (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) > 2 else 1)
    )
    count = math.ceil((stop - start) / step) if step else 0
    if count > _MAX_RANGE:
        raise ValueError(f"range of {count} items is more than trailwarden evaluates")
    return [start + k * step for k in range(max(count, 0))]


def _element(items: list[Any], i: int) -> Any:
    if not items:
        raise IndexError("element of an empty list")
    return items[int(i) % len(items)]


def _lookup(mapping: dict[str, Any], key: str, *default: Any) -> Any:
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


def _coalesce(*values: Any) -> Any:
    return next(v for v in values if v is not None and v != "")


def _flatten(items: list[Any]) -> list[Any]:
    return [x for i in items for x in (_flatten(i) if isinstance(i, list) else [i])]


def _distinct(items: list[Any]) -> list[Any]:
    seen = {json.dumps(i, sort_keys=True): i for i in reversed(items)}
    return [seen[k] for k in dict.fromkeys(json.dumps(i, sort_keys=True) for i in items)]


def _one(items: list[Any]) -> Any:
    if len(items) > 1:
        raise ValueError("one() of more than one item")
    return items[0] if items else None


def _unknown(name: str) -> Function:
    return lambda e, args, scope: Unresolved(
        f"${{{name}()}}", f"{name}() is known only when applied"
    )


_STRICT: dict[str, Callable[..., Any]] = {
    "jsondecode": json.loads,
    "length": len,
    "lower": str.lower,
    "upper": str.upper,
    "title": str.title,
    "join": lambda sep, *lists: sep.join(as_text(x) for items in lists for x in items),
    "split": lambda sep, text: text.split(sep),
    "concat": lambda *lists: [x for items in lists for x in items],
    "merge": lambda *maps: {k: v for m in maps if m for k, v in m.items()},
    "format": _format,
    "formatlist": lambda spec, *lists: [_format(spec, *row) for row in zip(*lists, strict=False)],
    "replace": _replace,
    "trimprefix": str.removeprefix,
    "trimsuffix": str.removesuffix,
    "trimspace": str.strip,
    "trim": lambda text, chars: text.strip(chars),
    "startswith": str.startswith,
    "endswith": str.endswith,
    "strcontains": lambda text, part: part in text,
    "substr": lambda text, offset, length: text[offset:][: None if length < 0 else length],
    "tostring": lambda v: v if v is None else as_text(v),
    "tonumber": lambda v: v if v is None or isinstance(v, int | float) else json.loads(v),
    "tobool": lambda v: (
        v if isinstance(v, bool) or v is None else {"true": True, "false": False}[v]
    ),
    "tolist": list,
    "toset": _set,
    "tomap": dict,
    "sensitive": lambda v: v,
    "nonsensitive": lambda v: v,
    "lookup": _lookup,
    "element": _element,
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next(x for x in lists if x),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "flatten": _flatten,
    "distinct": _distinct,
    "compact": lambda items: [i for i in items if i not in (None, "")],
    "contains": lambda items, value: value in items,
    "index": lambda items, value: items.index(value),
    "reverse": lambda items: list(reversed(items)),
    "sort": lambda items: sorted(items, key=as_text),
    "slice": lambda items, start, end: items[start:end],
    "zipmap": lambda keys, values: dict(zip(map(as_text, keys), values, strict=True)),
    "range": _range,
    "one": _one,
    "max": max,
    "min": min,
    "sum": sum,
    "abs": abs,
    "ceil": math.ceil,
    "floor": math.floor,
    "alltrue": lambda items: all(items),
    "anytrue": lambda items: any(items),
    "setunion": _set,
    "setintersection": lambda first, *rest: [x for x in _set(first) if all(x in r for r in rest)],
    "setsubtract": lambda a, b: [x for x in _set(a) if x not in b],
    "basename": posixpath.basename,
    "dirname": posixpath.dirname,
    "abspath": lambda p: p,
    "md5": lambda t: hashlib.md5(t.encode(), usedforsecurity=False).hexdigest(),
    "sha1": lambda t: hashlib.sha1(t.encode(), usedforsecurity=False).hexdigest(),
    "sha256": lambda t: hashlib.sha256(t.encode()).hexdigest(),
    "base64encode": lambda t: base64.b64encode(t.encode()).decode(),
    "base64decode": lambda t: base64.b64decode(t).decode(),
}

FUNCTIONS: dict[str, Function] = {
    "try": _try,
    "can": _can,
    "file": _file,
    "templatefile": _templatefile,
    "jsonencode": lambda e, a, s: json_text(materialize(e.eval(a[0], s))),
    **{name: _unknown(name) for name in ("timestamp", "uuid", "bcrypt", "plantimestamp")},
    **{name: _strict(name, compute) for name, compute in _STRICT.items()},
}
