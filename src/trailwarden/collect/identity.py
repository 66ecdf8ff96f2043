"""Who the credentials belong to, and what to tell the user when they are unusable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    SSOError,
    TokenRetrievalError,
)
from botocore.parsers import ResponseParserError

from trailwarden.arns import parse_arn
from trailwarden.collect.calls import error_code
from trailwarden.collect.urls import endpoint_label, mask_userinfo
from trailwarden.errors import CredentialsError, Error

if TYPE_CHECKING:
    from trailwarden.collect.clients import ClientFactory

__all__ = ["Caller", "identify", "identify_caller"]

_EXPIRED = (
    "Your AWS credentials have expired ({code}); refresh them (e.g. `aws sso login`) and run again."
)
# AWS error codes that mean "these credentials cannot be used", with what to do.
_CREDENTIAL_CODES = {
    "ExpiredToken": _EXPIRED,
    "ExpiredTokenException": _EXPIRED,
    "RequestExpired": (
        "AWS rejected the request as expired (RequestExpired); refresh your credentials and "
        "check that this machine's clock is right."
    ),
    "InvalidClientTokenId": (
        "AWS does not recognise the access key ({code}); check your credentials or --profile."
    ),
    "UnrecognizedClientException": (
        "AWS does not recognise the access key ({code}); check your credentials or --profile."
    ),
    "SignatureDoesNotMatch": (
        "The secret key does not match the access key (SignatureDoesNotMatch); check your "
        "credentials or --profile."
    ),
    "AccessDenied": (
        "The credentials may not call sts:GetCallerIdentity (AccessDenied); use credentials "
        "that can, for example with the SecurityAudit managed policy."
    ),
}


@dataclass(frozen=True)
class Caller:
    """Who the credentials belong to (STS GetCallerIdentity)."""

    account_id: str
    partition: str
    arn: str


def identify(factory: ClientFactory, region: str) -> tuple[str, str]:
    """(account id, partition) of the credentials, from STS GetCallerIdentity.

    Raises :class:`CredentialsError` when there are no usable credentials, and
    :class:`Error` when AWS cannot be reached or answers with another error.
    """
    caller = identify_caller(factory, region)
    return caller.account_id, caller.partition


def identify_caller(factory: ClientFactory, region: str) -> Caller:
    """Like :func:`identify`, with the caller's ARN."""
    endpoint = endpoint_label(factory.endpoint_url or f"https://sts.{region}.amazonaws.com")
    try:
        client = factory.client("sts", region)
        endpoint = endpoint_label(client.meta.endpoint_url)
        ident = client.get_caller_identity()
    except ClientError as exc:
        code = error_code(exc)
        hint = _CREDENTIAL_CODES.get(code)
        if hint is not None:
            raise CredentialsError(hint.format(code=code)) from exc
        raise Error(
            f"Could not identify the AWS account: {code} on sts:GetCallerIdentity in {region}; "
            "try again, or check --endpoint-url / AWS_ENDPOINT_URL."
        ) from exc
    except NoCredentialsError as exc:
        raise CredentialsError(
            "No AWS credentials were found; configure some (`aws configure`, AWS_PROFILE or "
            "--profile) and run again."
        ) from exc
    except (PartialCredentialsError, ProfileNotFound) as exc:
        raise CredentialsError(f"{exc}; fix your AWS credentials or --profile.") from exc
    except (CredentialRetrievalError, TokenRetrievalError, SSOError) as exc:
        raise CredentialsError(
            f"Could not get AWS credentials ({exc}); sign in again (e.g. `aws sso login`)."
        ) from exc
    except EndpointConnectionError as exc:
        raise Error(
            f"Cannot reach the AWS endpoint {endpoint}; check your network and proxy "
            "settings, --endpoint-url / AWS_ENDPOINT_URL and the region."
        ) from exc
    except BotoCoreError as exc:
        raise Error(
            f"Could not call sts:GetCallerIdentity in {region}: {mask_userinfo(str(exc))}."
        ) from exc
    except ResponseParserError as exc:
        raise Error(_not_aws(endpoint)) from exc
    account = ident.get("Account")
    if not isinstance(account, str) or not account:
        raise Error(_not_aws(endpoint))
    text = str(ident.get("Arn") or "")
    arn = parse_arn(text)
    return Caller(account, arn.partition if arn else "aws", text)


def _not_aws(endpoint: str) -> str:
    return (
        f"The endpoint {endpoint} answered sts:GetCallerIdentity without an account id, "
        "which AWS never does; check --endpoint-url / AWS_ENDPOINT_URL and any proxy on the way."
    )
