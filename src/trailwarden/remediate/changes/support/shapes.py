"""Small predicates the changes' ``problem`` facets share: is a value of the shape that
trailwarden plans or reads (keys, texts, ARNs of the step's account and region)?"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from trailwarden.arns import Arn, parse_arn
from trailwarden.remediate.model import Step

__all__ = ["arn_in", "has_keys", "is_policy", "is_text", "target_arn"]


def has_keys(value: Any, required: Iterable[str], optional: Iterable[str] = ()) -> bool:
    """A dict with every key of ``required`` and nothing outside ``required``/``optional``."""
    if not isinstance(value, dict):
        return False
    need = set(required)
    return need <= set(value) <= need | set(optional)


def is_text(value: Any, limit: int = 1024) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def is_policy(value: Any) -> bool:
    """An IAM policy document: an object with a Statement."""
    return isinstance(value, dict) and "Statement" in value


def target_arn(step: Step) -> Arn:
    """The step's target, parsed (the journal reader has checked that it parses)."""
    arn = parse_arn(step.target)
    assert arn is not None
    return arn


def arn_in(value: Any, step: Step, service: str, prefix: str, *, regional: bool = True) -> bool:
    """An ARN of ``service`` in the step's partition and account (and region, unless
    ``regional`` is False), whose resource starts with ``prefix``."""
    arn = parse_arn(value) if isinstance(value, str) else None
    own = target_arn(step)
    return (
        arn is not None
        and (arn.partition, arn.service, arn.account_id)
        == (own.partition, service, step.account_id)
        and (not regional or arn.region == step.region)
        and arn.resource.startswith(prefix)
        and len(arn.resource) > len(prefix)
    )
