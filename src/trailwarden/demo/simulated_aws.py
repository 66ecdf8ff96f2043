"""An embedded simulated AWS: moto's server on loopback, patched to behave as AWS documents.

Used by ``trailwarden demo``, the tests and the benchmark; the only product module that
touches moto (imported lazily, so that the rest of trailwarden never needs it).

moto lacks a few CloudTrail behaviours the collector relies on (DEVELOPERS.md, "moto
gaps"); :func:`install_aws_semantics` patches moto's in-process backends so that they
behave as the CloudTrail API reference documents — see
:mod:`trailwarden.demo.moto_semantics`. Facts moto cannot produce are set through
registries here: CloudWatch Logs delivery results (:func:`set_delivery`), organization
membership (:func:`register_organization`), unconfirmed SNS subscriptions
(:func:`set_pending_confirmation`) and denied calls (:func:`deny`).

Accounts: moto picks the account of a request from the ``x-moto-account-id`` header
(:meth:`SimulatedAws.session` adds it) or from an IAM access key it issued
(:meth:`SimulatedAws.environment`, for child processes). ``MOTO_ACCOUNT_ID`` in the
environment would override both, so :meth:`SimulatedAws.start` refuses to run with it.
"""

from __future__ import annotations

import logging
import os
import threading
import urllib.request
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any

from trailwarden.demo.moto_denials import deny
from trailwarden.demo.moto_semantics import (
    STATE,
    install_aws_semantics,
    register_organization,
    set_delivery,
    set_pending_confirmation,
    uninstall_aws_semantics,
)

if TYPE_CHECKING:
    import boto3

    from trailwarden.collect.clients import ClientFactory

__all__ = [
    "DEFAULT_ACCOUNT",
    "SimulatedAws",
    "deny",
    "install_aws_semantics",
    "register_organization",
    "set_delivery",
    "set_pending_confirmation",
    "uninstall_aws_semantics",
]

DEFAULT_ACCOUNT = "123456789012"  # moto's default account
DEFAULT_REGION = "us-east-1"
_ACCOUNT_HEADER = "x-moto-account-id"


class SimulatedAws:
    """moto's server on ``127.0.0.1`` and a free port, with AWS semantics installed.

    A context manager: state is reset on start, the server is stopped (and the patches
    removed, if this instance installed them) on exit.
    """

    set_delivery = staticmethod(set_delivery)
    register_organization = staticmethod(register_organization)
    deny = staticmethod(deny)
    set_pending_confirmation = staticmethod(set_pending_confirmation)

    def __init__(self, *, aws_semantics: bool = True) -> None:
        self._aws_semantics = aws_semantics
        self._installed = False
        self._server: Any = None
        self._endpoint_url: str | None = None
        self._lock = threading.Lock()
        self._sessions: dict[str, boto3.Session] = {}
        self._clients: dict[tuple[str, str, str, str], Any] = {}
        self._loader: Any = None
        self._loader_lock = threading.Lock()

    @property
    def endpoint_url(self) -> str:
        if self._endpoint_url is None:
            raise RuntimeError("SimulatedAws is not started")
        return self._endpoint_url

    def __enter__(self) -> SimulatedAws:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        if "MOTO_ACCOUNT_ID" in os.environ:
            raise RuntimeError("unset MOTO_ACCOUNT_ID: it would put every request in one account")
        from moto.server import ThreadedMotoServer

        if self._aws_semantics:
            self._installed = install_aws_semantics()
        # werkzeug logs every request at INFO; the demo's output is the scan's.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        # Port 0: the OS picks a free port; werkzeug reports it in server_address.
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self._endpoint_url = f"http://{host}:{port}"
        self.reset()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            # ThreadedMotoServer.stop() shuts the loop down but leaves the socket open.
            wsgi_server = getattr(self._server, "_server", None)
            if wsgi_server is not None:
                wsgi_server.server_close()
            self._server = None
            self._endpoint_url = None
        with self._lock:
            self._clients.clear()
            self._sessions.clear()
        if self._installed:
            uninstall_aws_semantics()
            self._installed = False
        STATE.clear()

    def reset(self) -> None:
        """Forget every resource, delivery result, organization and denial."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        STATE.clear()

    def session(
        self, account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION
    ) -> boto3.Session:
        """A boto3 session whose every request is made as ``account_id``."""
        import boto3
        import botocore.session
        from botocore.loaders import create_loader

        # One data loader for every session: each would read the service models again
        # (about 0.1 s per client), and an organization has many accounts.
        with self._loader_lock:  # not self._lock: client() holds it while calling this
            first = self._loader is None
            if first:
                self._loader = create_loader()
            core = botocore.session.get_session()
            core.register_component("data_loader", self._loader)
            known = len(self._loader.search_paths)
            session = boto3.Session(
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                region_name=region,
                botocore_session=core,
            )
            if not first:  # each boto3 Session adds its data directory again
                del self._loader.search_paths[known:]
        session.events.register("before-sign", partial(_add_account_header, account_id))
        return session

    def factory(
        self, account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION, **kwargs: Any
    ) -> ClientFactory:
        """A :class:`ClientFactory` for ``account_id`` against this server."""
        from trailwarden.collect.clients import ClientFactory

        return ClientFactory(
            self.session(account_id, region), endpoint_url=self.endpoint_url, **kwargs
        )

    def client(self, account_id: str, service: str, region: str = DEFAULT_REGION) -> Any:
        """A plain boto3 client for seeding ``account_id`` (not counted; cached)."""
        key = (account_id, service, region, self.endpoint_url)
        with self._lock:
            if key not in self._clients:
                # One session per account: each new session would parse the models again.
                session = self._sessions.get(account_id)
                if session is None:
                    session = self._sessions[account_id] = self.session(account_id, region)
                self._clients[key] = session.client(
                    service,  # type: ignore[call-overload]
                    region_name=region,
                    endpoint_url=self.endpoint_url,
                )
            return self._clients[key]

    def environment(self, account_id: str, region: str = DEFAULT_REGION) -> dict[str, str]:
        """Environment variables that make a child process's boto3 use ``account_id`` here.

        moto maps an access key it issued to the account that issued it, so this creates
        an IAM user with an access key in ``account_id`` (again after each reset).
        Remove ``AWS_PROFILE`` and ``AWS_SESSION_TOKEN`` from the child's environment.
        """
        iam = self.client(account_id, "iam", region)
        user = "trailwarden-simulated-caller"
        if user not in {u["UserName"] for u in iam.list_users()["Users"]}:
            iam.create_user(UserName=user)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_EC2_METADATA_DISABLED": "true",
        }


def _add_account_header(account_id: str, request: Any, **_: Any) -> None:
    # HTTPHeaders appends on assignment; replace instead.
    if _ACCOUNT_HEADER in request.headers:
        del request.headers[_ACCOUNT_HEADER]
    request.headers[_ACCOUNT_HEADER] = account_id
