"""Durations from the command line (--max-delivery-age): parsed exactly, bounded, no crash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trailwarden.durations import MAX_DURATION, parse_duration
from trailwarden.errors import UsageError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", timedelta(hours=24)),
        ("24", timedelta(hours=24)),
        ("90m", timedelta(minutes=90)),
        ("1d12h", timedelta(days=1, hours=12)),
        (" 2 d ", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
    ],
)
def test_durations_people_write(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text", ["", "h", "0h", "1x", "1h2", "-1h", "²", "1²h", "٣h", "999999999999999999999h"]
)
def test_what_is_not_a_duration_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="is not a duration"):
        parse_duration(text)


def test_a_duration_longer_than_ten_years_is_refused_not_an_overflow() -> None:
    with pytest.raises(UsageError, match="longer than 3650 days"):
        parse_duration("999999999999")
    assert parse_duration("3650d") == MAX_DURATION


@given(st.text(max_size=40))
def test_any_text_is_a_duration_or_a_usage_error(text: str) -> None:
    try:
        parsed = parse_duration(text)
    except UsageError:
        return
    assert timedelta(0) < parsed <= MAX_DURATION
