"""Misbehaving endpoints on real sockets: silent, HTML-answering, or stalling some calls.

- :func:`black_hole`: accepts TCP connections and never answers;
- :func:`web_page`: answers every request with HTTP 200 and the given body (text/html);
- :func:`stalling_proxy`: forwards to the simulated AWS, but holds requests for the given
  API operations unanswered (an endpoint that fails mid-apply).
"""

from __future__ import annotations

import http.server
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def black_hole() -> Iterator[tuple[str, threading.Event]]:
    """(URL, set when the first connection arrived): connections accepted, never answered."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    connected, stop = threading.Event(), threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
                connected.set()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", connected
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def web_page(body: bytes, content_type: str = "text/html") -> Iterator[str]:
    """The URL of a server answering anything with 200 and ``body``."""

    class Page(_Quiet):
        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

    with _serving(Page) as url:
        yield url


@contextmanager
def stalling_proxy(target: str, *operations: str) -> Iterator[tuple[str, threading.Event]]:
    """(URL, set when a held request arrived): forwards to ``target`` except ``operations``."""
    stalled, release = threading.Event(), threading.Event()

    class Proxy(_Quiet):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            operation = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
            if operation in operations or any(f"Action={o}&".encode() in data for o in operations):
                stalled.set()
                release.wait(120)
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            request = urllib.request.Request(target + self.path, data, headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    status, body, reply = answer.status, answer.read(), answer.headers
            except urllib.error.HTTPError as error:
                status, body, reply = error.code, error.read(), error.headers
            self.send_response(status)
            for name, value in reply.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with _serving(Proxy) as url:
        try:
            yield url, stalled
        finally:
            release.set()


@contextmanager
def _serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
