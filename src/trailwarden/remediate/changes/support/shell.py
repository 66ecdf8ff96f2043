"""Shell words the changes share when they write a step as an AWS CLI command.

Flag names are the AWS CLI v2's (``aws <service> <command> help``); every value is quoted
with :func:`shlex.quote`, and policy documents are passed inline as compact JSON.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

__all__ = ["json_arg", "tag_args"]


def json_arg(document: Any) -> str:
    return shlex.quote(json.dumps(document, separators=(",", ":"), sort_keys=False))


def tag_args(after: dict[str, Any]) -> list[str]:
    """``--tags Key=k,Value=v …`` (the IAM, SNS and CloudWatch form), or nothing."""
    pairs = [shlex.quote(f"Key={k},Value={v}") for k, v in after.get("tags", {}).items()]
    return ["--tags", *pairs] if pairs else []
