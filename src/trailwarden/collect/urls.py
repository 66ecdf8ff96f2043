"""Endpoint URLs without their secrets.

``AWS_ENDPOINT_URL=http://user:password@host`` is a valid URL, and botocore copies the URL
it was given into its exceptions ("Could not connect to the endpoint URL: ..."). botocore
signs requests with SigV4 and never sends a URL's user name or password, so they can be
dropped before the URL reaches botocore (:func:`strip_userinfo`), and masked in any text
shown to people (:func:`mask_userinfo`) the way botocore masks proxy URLs
(``botocore.httpsession.mask_proxy_url``: ``https://***:***@proxy``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["endpoint_label", "mask_userinfo", "strip_userinfo"]

# scheme://userinfo@ — greedy up to the last "@" before the path, so that an unencoded
# "@" in a password is masked too.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#\s\"'<>]*)@")


def mask_userinfo(text: str) -> str:
    """``text`` with the user name and password of every URL in it replaced by ``***``."""

    def mask(match: re.Match[str]) -> str:
        masked = "***:***" if ":" in match["userinfo"] else "***"
        return f"{match['scheme']}{masked}@"

    return _USERINFO.sub(mask, text)


def strip_userinfo(url: str) -> str:
    """``url`` without ``user:password@`` (botocore would never send them)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def endpoint_label(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, without credentials: how messages name an endpoint."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}" if parts.scheme and host else mask_userinfo(url)
