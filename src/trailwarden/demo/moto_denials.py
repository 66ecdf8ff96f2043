"""Denied calls in the simulated AWS: chosen requests fail as AWS fails them.

:func:`deny` registers a denial; the patched ``BaseResponse.call_action`` (installed by
:func:`trailwarden.demo.moto_semantics.install_aws_semantics`) answers a matching request
with an access error, which moto serializes like the service's own errors, so boto3
raises the same ``ClientError`` a real denial would produce.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Denial", "clear_denials", "deny", "denying_call_action"]


@dataclass(frozen=True)
class Denial:
    """Requests for ``action`` (``"iam:GetRole"``) fail, optionally only some of them."""

    action: str
    account_id: str | None = None  # None: every account
    resource: str | None = None  # a request parameter's exact value, e.g. a role name
    region: str | None = None
    code: str | None = None  # default: AccessDeniedException (JSON APIs) / AccessDenied
    times: int | None = None  # None: every matching request; else only the next N


_lock = threading.Lock()
_denials: list[Denial] = []


def deny(
    action: str,
    *,
    account_id: str | None = None,
    resource: str | None = None,
    region: str | None = None,
    code: str | None = None,
    times: int | None = None,
) -> None:
    """Fail requests for ``action`` that match every given filter with an access error
    (only the next ``times`` of them, when given: e.g. an error that clears on retry)."""
    with _lock:
        _denials.append(Denial(action, account_id, resource, region, code, times))


def clear_denials() -> None:
    with _lock:
        _denials.clear()


def denying_call_action(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A replacement for ``BaseResponse.call_action`` that applies the denials."""

    def call_action(self: Any) -> Any:
        denial = _denial_for(self) if _denials else None
        if denial is not None:
            from moto.core.utils import camelcase_to_underscores

            error = _access_error(self, denial)

            def refuse() -> None:
                raise error

            # An instance attribute shadows the action's method, so the denial goes
            # through moto's own error handling and serialization.
            setattr(self, camelcase_to_underscores(self._get_action()), refuse)
        return original(self)

    return call_action


def _access_error(self: Any, denial: Denial) -> Exception:
    """AccessDeniedException (JSON APIs, HTTP 400) or AccessDenied (query APIs, HTTP 403)."""
    # moto's HTTP errors rather than ServiceException: the latter warns (in the server
    # thread) when the code is not in the service's model, and AccessDenied rarely is.
    from moto.core.exceptions import JsonRESTError, _RESTError

    message = (
        f"User: arn:aws:iam::{self.current_account}:user/simulated is not authorized to "
        f"perform: {denial.action} because no identity-based policy allows the "
        f"{denial.action} action"
    )
    if self.headers.get("x-amz-target"):
        return JsonRESTError(denial.code or "AccessDeniedException", message)
    error = _RESTError(denial.code or "AccessDenied", message)
    error.code = 403
    return error


def _denial_for(self: Any) -> Denial | None:
    action = f"{self.service_name}:{self._get_action()}"
    with _lock:
        candidates = [d for d in _denials if d.action == action]
    if not candidates:
        return None
    values = _param_values(self)
    for d in candidates:
        if d.account_id not in (None, self.current_account) or d.region not in (None, self.region):
            continue
        if d.resource is None or d.resource in values:
            return d if d.times is None else _use_once(d)
    return None


def _use_once(denial: Denial) -> Denial | None:
    """Count one use of a denial limited to ``times`` requests (None: already used up)."""
    with _lock:
        if denial not in _denials:  # another request used it up meanwhile
            return None
        i = _denials.index(denial)
        assert denial.times is not None
        if denial.times <= 1:
            del _denials[i]
        else:
            _denials[i] = dataclasses.replace(denial, times=denial.times - 1)
    return denial


def _param_values(self: Any) -> set[str]:
    """Top-level string parameters of a request, query or JSON protocol."""
    values = {v for vs in (self.querystring or {}).values() for v in vs if isinstance(v, str)}
    if self.headers.get("x-amz-target") and self.body:
        try:
            body = json.loads(self.body)
        except ValueError:
            body = {}
        if isinstance(body, dict):
            values |= {v for v in body.values() if isinstance(v, str)}
    return values
