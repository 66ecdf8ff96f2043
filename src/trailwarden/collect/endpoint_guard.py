"""What trailwarden accepts from an AWS endpoint: an answer in time, and an answer from AWS.

**In time.** With botocore's defaults (60 s connect, 60 s read) and our 8 attempts per
call (for throttling), an endpoint that accepts connections but never answers would hold
a run for many minutes. :class:`Patience` bounds each attempt, and :class:`EndpointWatch`
bounds each call: once a call has had no answer from its endpoint for
``Patience.unanswered_s`` (counted from the call's start or the endpoint's last answer,
whichever is later), it raises :class:`~trailwarden.errors.EndpointError`, and so does
every later request of the run. Throttling and error responses are answers: only silence
counts. https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html

**From AWS.** A captive portal, a proxy's login page or a plain web server answers HTTP
200 with HTML. botocore's JSON parser reads any unparseable body as an empty result — a
ListTrails without trails — and its XML parser raises ``KeyError`` or
``ResponseParserError``. :func:`check_response` refuses a successful answer that is not
shaped like the service's protocol before botocore parses it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from trailwarden.collect.urls import endpoint_label
from trailwarden.errors import EndpointError, UsageError

__all__ = ["DEFAULT_TIMEOUT_S", "EndpointWatch", "Patience", "check_response"]

# The longest a run waits for an endpoint that does not answer (see Patience.worst_case_s).
DEFAULT_TIMEOUT_S = 40.0
_STARTED = "trailwarden_call_started"  # key in botocore's per-call request context


@dataclass(frozen=True)
class Patience:
    """How long to wait for an endpoint, derived from one number, ``timeout_s``.

    A call gives up after ``timeout_s`` without an answer: it sends no attempt once
    ``unanswered_s`` have passed, and an attempt lasts at most ``connect_timeout_s`` +
    ``read_timeout_s``. Attempts of other calls already in flight then end within one
    more attempt: :attr:`worst_case_s`.
    """

    timeout_s: float = DEFAULT_TIMEOUT_S

    def __post_init__(self) -> None:
        if not 0 < self.timeout_s <= 3600:
            raise UsageError(
                f"--timeout must be between 0 and 3600 seconds, not {self.timeout_s:g}; try 40."
            )

    @property
    def connect_timeout_s(self) -> float:
        return min(5.0, self.timeout_s / 9)

    @property
    def read_timeout_s(self) -> float:
        # AWS's read APIs answer in well under a second; 15 s leaves room for a slow page.
        return min(15.0, self.timeout_s / 3)

    @property
    def unanswered_s(self) -> float:
        return self.timeout_s - self.connect_timeout_s - self.read_timeout_s

    @property
    def worst_case_s(self) -> float:
        """The longest a run can take after its endpoint stops answering."""
        return self.timeout_s + self.connect_timeout_s + self.read_timeout_s


class EndpointWatch:
    """botocore event handlers that give up on silent endpoints (see the module doc).

    One per :class:`~trailwarden.collect.clients.ClientFactory`, shared by its clients and
    threads: ``before-call`` → :meth:`on_call`, ``before-send`` → :meth:`before_send`,
    ``needs-retry`` (first) → :meth:`after_attempt`.
    """

    def __init__(self, patience: Patience, clock: Callable[[], float] = time.monotonic) -> None:
        self.patience, self._clock = patience, clock
        self._lock = threading.Lock()
        self._last_answer: dict[str, float] = {}
        self._gave_up: str | None = None  # the sentence, once the run has given up

    def on_call(self, context: dict[str, Any], **_: Any) -> None:
        context[_STARTED] = self._clock()

    def before_send(self, request: Any, **_: Any) -> None:
        """Refuse to send once the run has given up, or this call has waited too long."""
        self._check(endpoint_label(request.url), request.context)

    def after_attempt(
        self,
        response: Any,
        caught_exception: BaseException | None,
        endpoint: Any,
        request_dict: Mapping[str, Any],
        **_: Any,
    ) -> None:
        """Record an answer, or give up when the call has waited too long (never retries)."""
        if isinstance(caught_exception, EndpointError):
            raise caught_exception  # from before_send: not botocore's to retry
        host = endpoint_label(endpoint.host)
        if response is not None:
            with self._lock:
                self._last_answer[host] = self._clock()
            return
        self._check(host, request_dict.get("context") or {})

    def _check(self, host: str, context: Mapping[str, Any]) -> None:
        with self._lock:
            if self._gave_up is None:
                now = self._clock()
                since = max(context.get(_STARTED, now), self._last_answer.get(host, 0.0))
                if now - since < self.patience.unanswered_s:
                    return
                self._gave_up = (
                    f"The AWS endpoint {host} has not answered for {now - since:.0f} s; check "
                    "your network and proxy, --endpoint-url / AWS_ENDPOINT_URL and the region, "
                    "or wait longer with --timeout."
                )
            # A new exception each time: threads must not share one traceback.
            raise EndpointError(self._gave_up)


_QUERY_ROOT = "<{operation}Response"
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>\s*")
_HTML = re.compile(
    rb"^(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S
)


def check_response(
    endpoint: str,
    service: str,
    operation_model: Any,
    response_dict: Mapping[str, Any],
    **_: Any,
) -> None:
    """``before-parse`` handler: raise :class:`EndpointError` for a successful answer that
    is not an AWS API response (HTML, or not shaped like the service's protocol)."""
    status = int(response_dict.get("status_code") or 0)
    if not 200 <= status < 300:
        return  # error answers are parsed by botocore and become AWS error codes
    body = bytes(response_dict.get("body") or b"")
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    model = operation_model.service_model
    protocol = getattr(model, "resolved_protocol", None) or model.protocol  # botocore < 1.36
    if _HTML.match(head):
        what = "an HTML page"
    elif protocol == "json" and not _is_json_object(body):
        what = "a body that is not a JSON object"
    elif protocol == "query" and not _is_query_answer(head, operation_model.name):
        what = "a body that is not the XML AWS sends"
    else:
        return
    headers = {str(k).lower(): str(v) for k, v in (response_dict.get("headers") or {}).items()}
    content_type = headers.get("content-type", "no content type")
    raise EndpointError(
        f"The endpoint {endpoint_label(endpoint)} answered {service}:{operation_model.name} "
        f"with {what} (HTTP {status}, {content_type}), not an AWS API response; check "
        "--endpoint-url / AWS_ENDPOINT_URL and any proxy or sign-in portal on the way."
    )


def _is_json_object(body: bytes) -> bool:
    import orjson

    if not body.strip():
        return True  # AWS's JSON APIs without output answer with an empty body
    try:
        return isinstance(orjson.loads(body), dict)
    except orjson.JSONDecodeError:
        return False


def _is_query_answer(head: bytes, operation: str) -> bool:
    # A query-protocol answer (STS, IAM, SNS) is <OperationResponse xmlns=...>, optionally
    # after an XML declaration: the element botocore's query parser unwraps.
    root = _XML_DECLARATION.sub(b"", head)
    return root.startswith(_QUERY_ROOT.format(operation=operation).encode())
