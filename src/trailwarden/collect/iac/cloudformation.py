"""A CloudFormation template (YAML with short-form intrinsics, or JSON) → :class:`~.specs.Code`.

The template is decoded by cfn-lint's decoder (``!GetAtt``, ``!Sub`` … and the line of every
key), resources whose ``Condition`` is false are left out, one whose condition is not known
from code may not exist, and intrinsic functions are evaluated by :mod:`.cfn_intrinsics`.
A stack's region is not in its template: it is the one given (``--region``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trailwarden.collect.iac.cfn_intrinsics import Template
from trailwarden.collect.iac.cfn_resources import RESOURCES
from trailwarden.collect.iac.files import shown
from trailwarden.collect.iac.names import ACCOUNT
from trailwarden.collect.iac.specs import Code, Unresolved, Where
from trailwarden.errors import CodeInputError
from trailwarden.findings import SourceLocation
from trailwarden.textsafe import printable

__all__ = ["decode_template", "read_cloudformation"]


def decode_template(path: Path, text: str) -> Any:
    """The template as cfn-lint decodes it (dicts whose keys know their line)."""
    from cfnlint.decode import decode_str

    try:
        template, problems = decode_str(text)
    except RecursionError as exc:
        raise CodeInputError(f"{shown(path)} nests too deeply to be a template.") from exc
    if problems or template is None:
        first = problems[0] if problems else None
        line = f":{first.linenumber}" if first is not None else ""
        what = printable(first.message) if first is not None else "nothing could be read"
        raise CodeInputError(
            f"{shown(path)}{line} is not valid YAML or JSON ({what}); fix it or give another PATH."
        )
    return template


def read_cloudformation(path: Path, template: Any, region: str, account: str | None) -> Code:
    """The resources of a decoded template, in ``region`` (the stack's, given by the user)."""
    resources = template.get("Resources") if isinstance(template, Mapping) else None
    if not isinstance(resources, Mapping):
        raise CodeInputError(f"{shown(path)} has no Resources section: it is not a template.")
    t = Template(template, region, account or ACCOUNT)
    code = Code(account_id=account)
    for logical_id, resource in resources.items():
        if not isinstance(resource, Mapping):
            continue
        handler = RESOURCES.get(str(resource.get("Type", "")))
        if handler is None:
            continue
        maybe = None
        if (condition := resource.get("Condition")) is not None:
            holds = t.condition(str(condition))
            if holds is False:
                continue  # CloudFormation does not create it
            if isinstance(holds, Unresolved):
                maybe = f"its Condition {condition} is not known from code: {holds.reason}"
        props = t.resolve(resource.get("Properties") or {})
        where = Where(str(logical_id), SourceLocation(shown(path), _line(logical_id)), maybe)
        handler(t, code, where, props if isinstance(props, Mapping) else {})
    return code


def _line(key: Any) -> int | None:
    mark = getattr(key, "start_mark", None)
    line = getattr(mark, "line", None)
    return line + 1 if isinstance(line, int) else None  # cfn-lint's marks count from 0
