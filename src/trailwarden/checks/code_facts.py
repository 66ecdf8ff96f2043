"""What changes when the facts come from infrastructure code (``trailwarden iac``).

Code says what will be deployed, not what is. TW004 and TW005 (deliveries) are runtime facts:
they are not evaluated. A fact the code does not give — an :class:`~trailwarden.inventory.ApiError`
with code :data:`~trailwarden.inventory.NOT_IN_CODE`, or an
:class:`~trailwarden.inventory.Unknown` value — makes a check "cannot be verified from code":
NOT_APPLICABLE with the reason in the message and in ``evidence["unverifiable"]``, never a PASS
on a guess and never a FAIL on one. A pipeline should fail on real problems, not on what it
cannot know; ``trailwarden scan`` verifies the rest once deployed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard

from trailwarden.inventory import NOT_IN_CODE, ApiError

__all__ = [
    "RUNTIME_CHECKS",
    "UNVERIFIABLE",
    "FactSource",
    "from_code",
    "literal_accounts",
    "unresolved_values",
]


class FactSource(enum.Enum):
    """Where an inventory's facts come from."""

    AWS = "aws"  # collected from AWS (trailwarden scan), or an inventory file of such
    CODE = "code"  # read from Terraform or CloudFormation (trailwarden iac)


# Checks of what happened at runtime: not evaluated on code.
RUNTIME_CHECKS = frozenset({"TW004", "TW005"})
# The evidence key of a finding that cannot be verified from code; its value is the reason.
UNVERIFIABLE = "unverifiable"

_ACCOUNT_ID = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def from_code(error: ApiError | None) -> TypeGuard[ApiError]:
    """Whether ``error`` stands for a fact the code does not give (not a failed AWS call)."""
    return error is not None and error.code == NOT_IN_CODE


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def literal_accounts(*documents: Any) -> tuple[str, ...]:
    """The 12-digit account ids written out in policy documents, in order of appearance."""
    found = (m.group() for text in _strings(list(documents)) for m in _ACCOUNT_ID.finditer(text))
    return tuple(dict.fromkeys(found))


def unresolved_values(*documents: Any) -> tuple[str, ...]:
    """Values of policy documents that code left unresolved (``${var.x}``, ``${Param}``)."""
    found = (text for text in _strings(list(documents)) if "${" in text)
    return tuple(dict.fromkeys(found))
