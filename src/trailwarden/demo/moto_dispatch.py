"""moto's server finds the backend of a request's host by listing its own package
directory at every request: a third of the demo's time. The answer is a function of the
host alone (moto's module list and URL patterns do not change while it runs), so it is
remembered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["caching_backend_for_host"]


def caching_backend_for_host(original: Callable[[Any, str | None], Any]) -> Callable[..., Any]:
    """``DomainDispatcherApplication.get_backend_for_host``, remembered per host."""
    known: dict[str | None, Any] = {}
    lock = threading.Lock()

    def backend_for_host(self: Any, host: str | None) -> Any:
        with lock:
            if host in known:
                return known[host]
        found = original(self, host)
        with lock:
            known[host] = found
        return found

    return backend_for_host
