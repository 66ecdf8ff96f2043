"""Turning a failed boto3 call into a value (:class:`ApiError`), and IAM's JSON documents."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from trailwarden.collect.urls import mask_userinfo
from trailwarden.inventory import ApiError, JsonDict

__all__ = ["AwsCallError", "api_error", "error_code", "policy_json"]

# What a call site catches: an AWS error response, botocore giving up (connection,
# timeout, retries exhausted), or an answer botocore cannot parse (not a BotoCoreError).
# An endpoint that is silent or not AWS at all raises trailwarden.errors.EndpointError,
# which ends the run; anything else is a bug and propagates.
AwsCallError = (ClientError, BotoCoreError, ResponseParserError)
AwsCallException = ClientError | BotoCoreError | ResponseParserError


def error_code(exc: AwsCallException) -> str:
    """The AWS error code (``AccessDenied``), or botocore's exception name."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "Unknown")
    return type(exc).__name__


def api_error(exc: AwsCallException, action: str, region: str | None) -> ApiError:
    """An :class:`ApiError` for ``action`` (``"iam:GetRole"``) that failed with ``exc``.

    botocore's messages quote the endpoint URL: its user name and password are masked.
    """
    if isinstance(exc, ClientError):
        message = str(exc.response.get("Error", {}).get("Message") or "")
    else:
        message = str(exc)
    return ApiError(
        action=action, code=error_code(exc), message=mask_userinfo(message), region=region
    )


def policy_json(document: Any) -> JsonDict:
    """An IAM policy document as a dict.

    IAM returns documents URL-encoded (RFC 3986) inside its XML; botocore decodes them
    into dicts, but other paths (and some AWS-compatible endpoints) hand back the
    string: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
    """
    if isinstance(document, dict):
        return document
    text = str(document)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        parsed = json.loads(unquote(text))
    if not isinstance(parsed, dict):
        raise ValueError("an IAM policy document is a JSON object")
    return parsed
