"""What a reference to a resource or data source reads (``aws_iam_role.x.arn``), per type.

An argument the block sets reads as its value. Attributes the provider computes are computed
here where AWS documents their form — an ARN from the name, region and account (the account a
placeholder unless the code gives it), ``id`` as the AWS provider defines it — and are
otherwise known only after apply (:class:`~.specs.Unresolved`, linked to the resource). Data
sources read from AWS are unknown, except what their arguments decide: the caller's account
(the placeholder), the provider's region and partition, a policy document, the ARN of a log
group or topic named by the data source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trailwarden.collect.iac.names import (
    alarm_arn,
    log_group_arn,
    managed_policy_arn,
    partition_of,
    role_arn,
    topic_arn,
    trail_arn,
)
from trailwarden.collect.iac.policy_document import render_policy_document
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.terraform_resources import Instance
from trailwarden.collect.iac.values import as_text

__all__ = ["attribute", "name_of"]


def _unknown(inst: Instance, name: str, why: str = "") -> Unresolved:
    reason = why or f"{inst.address}.{name} is known only after apply"
    return Unresolved(f"${{{inst.address}.{name}}}", reason, frozenset({inst.address}))


def name_of(inst: Instance, argument: str = "name") -> Any:
    """The resource's name: its argument, or unknown (``name_prefix``, generated)."""
    if inst.has(argument):
        value = inst.argument(argument)
        if isinstance(value, Unresolved):
            return Unresolved(value.text, value.reason, value.refs | {inst.address})
        return value
    why = (
        f"{inst.address} has name_prefix: AWS completes the name"
        if inst.has("name_prefix")
        else f"{inst.address} has no {argument}: Terraform generates one"
    )
    return _unknown(inst, argument, why)


def _arn(inst: Instance, make: Callable[[str, str, str], str], argument: str = "name") -> Any:
    name = name_of(inst, argument)
    if isinstance(name, Unresolved):
        return Unresolved(f"${{{inst.address}.arn}}", name.reason, name.refs | {inst.address})
    return make(_region(inst), inst.module.account, as_text(name))


def _region(inst: Instance) -> str:
    region = inst.argument("region") if inst.has("region") else None  # AWS provider 6
    return region if isinstance(region, str) and region else inst.module.region(inst.provider())


def _path(inst: Instance) -> str:
    path = inst.argument("path") if inst.has("path") else "/"
    return path if isinstance(path, str) else "/"


_MANAGED: dict[str, dict[str, Callable[[Instance], Any]]] = {
    "aws_cloudwatch_log_group": {
        "arn": lambda i: _arn(i, log_group_arn),
        "id": name_of,
        "name": name_of,
    },
    "aws_iam_role": {
        "arn": lambda i: _arn(i, lambda r, a, n: role_arn(r, a, n, _path(i))),
        "id": name_of,
        "name": name_of,
    },
    "aws_iam_policy": {
        "arn": lambda i: _arn(i, lambda r, a, n: managed_policy_arn(r, a, n, _path(i))),
        "id": lambda i: _arn(i, lambda r, a, n: managed_policy_arn(r, a, n, _path(i))),
        "name": name_of,
    },
    "aws_sns_topic": {
        "arn": lambda i: _arn(i, topic_arn),
        "id": lambda i: _arn(i, topic_arn),
        "name": name_of,
    },
    "aws_cloudtrail": {"arn": lambda i: _arn(i, trail_arn), "id": name_of, "name": name_of},
    "aws_cloudwatch_metric_alarm": {
        "arn": lambda i: _arn(i, alarm_arn, "alarm_name"),
        "id": lambda i: name_of(i, "alarm_name"),
    },
    "aws_cloudwatch_log_metric_filter": {"id": name_of},
}

_DATA: dict[str, dict[str, Callable[[Instance], Any]]] = {
    "aws_iam_policy_document": {
        "json": render_policy_document,
        "minified_json": render_policy_document,
    },
    "aws_caller_identity": {
        "account_id": lambda i: i.module.account,
        "id": lambda i: i.module.account,
    },
    "aws_region": {
        "name": _region,
        "id": _region,
        "region": _region,
    },
    "aws_partition": {
        "partition": lambda i: partition_of(_region(i)),
        "id": lambda i: partition_of(_region(i)),
        "dns_suffix": lambda i: (
            "amazonaws.com.cn" if partition_of(_region(i)) == "aws-cn" else "amazonaws.com"
        ),
    },
    "aws_cloudwatch_log_group": {"arn": lambda i: _arn(i, log_group_arn), "name": name_of},
    "aws_sns_topic": {"arn": lambda i: _arn(i, topic_arn), "name": name_of},
}


def attribute(inst: Instance, name: str) -> Any:
    """``name`` of ``inst`` as a reference reads it."""
    data = inst.declared.mode == "data"
    computed = (_DATA if data else _MANAGED).get(inst.type, {})
    if name in computed:
        return computed[name](inst)
    if data and inst.type not in _DATA:
        return _unknown(inst, name, f"{inst.address} is read from AWS when planned")
    if inst.has(name) or not data:
        value = inst.argument(name)
        if value is not None or inst.has(name):
            return value
    return _unknown(inst, name)
