"""Region names: validated against botocore's endpoint data, offline."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache

from trailwarden.errors import UnknownRegionError

__all__ = ["known_regions", "validate_regions"]


@cache
def known_regions() -> dict[str, str]:
    """Every region where botocore knows a CloudTrail endpoint, mapped to its partition.

    This is botocore's bundled endpoint data (no API call), so a region newer than the
    installed botocore is unknown until botocore is upgraded.
    """
    import boto3.session

    session = boto3.session.Session()
    out: dict[str, str] = {}
    for partition in session.get_available_partitions():
        for region in session.get_available_regions("cloudtrail", partition_name=partition):
            out[region] = partition
    return out


def validate_regions(names: Iterable[str], partition_hint: str | None = None) -> None:
    """Raise :class:`UnknownRegionError` for the first name that is not a known region.

    With ``partition_hint`` (e.g. ``"aws"``), a region of another partition is an error
    too: a scan cannot reach ``cn-north-1`` with ``aws`` credentials.
    """
    known = known_regions()
    for name in names:
        partition = known.get(name)
        if partition is None:
            close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise UnknownRegionError(
                f"{name!r} is not an AWS region; pass --regions as a comma-separated list "
                f"such as us-east-1,eu-west-1.{hint}"
            )
        if partition_hint is not None and partition != partition_hint:
            raise UnknownRegionError(
                f"{name!r} is in the {partition} partition but the credentials are for "
                f"{partition_hint}; drop it from --regions or use {partition} credentials."
            )
