"""The backtest table at any terminal width: names may wrap, numbers and hours never cut."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from trailwarden.backtest import BacktestResult, FilterResult, cis_patterns
from trailwarden.backtest.report import render_table

LONG_NAME = "us-east-1:aws-cloudtrail-logs/org-events:trailwarden-cis-TW110-security-groups"


def result() -> BacktestResult:
    """The 15 CIS filters and an account's own, over a week of 1,234,567 events."""
    names = [name for name, _ in cis_patterns()] + [LONG_NAME]
    filters = []
    for i, name in enumerate(names):
        matched = [0, 3, 1_204, 98_765][i % 4]
        per_hour = {} if not matched else {
            "2024-05-01T00:00Z": matched - matched // 2,
            f"2024-05-0{1 + i % 7}T13:00Z": matched // 2,
            "2024-05-07T23:00Z": 0,
        }  # fmt: skip
        per_hour = {hour: count for hour, count in per_hour.items() if count}
        filters.append(FilterResult(name, "{ $.x = 1 }", matched, [], per_hour))
    return BacktestResult(events=1_234_567, files=339, bytes=1, seconds=19.4, filters=filters)


def render(width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    render_table(result(), console)
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return text


def first_column(table: str) -> str:
    """The filter column's text, its wrapped pieces joined, spaces removed."""
    cells = [line.split("│")[1] for line in table.splitlines() if line.startswith("│")]
    return "".join(cell.strip() for cell in cells).replace(" ", "")


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_numbers_and_hours_are_whole_and_every_name_appears(width: int) -> None:
    table = render(width)
    assert max(len(line) for line in table.splitlines()) <= width
    assert "…" not in table
    for f in result().filters:
        assert f"{f.matched:,}" in table
        assert f"{f.matched / 1_234_567:.2%}" in table
        for hour in f.per_hour:
            assert hour in table
    names = first_column(table)
    for f in result().filters:
        assert f.name.replace(" ", "") in names


@pytest.mark.parametrize(("width", "spark"), [(60, False), (80, False), (100, True), (120, True)])
def test_the_sparkline_gives_way_first(width: int, spark: bool) -> None:
    table = render(width)
    assert ("per hour" in table) is spark
    assert bool(re.search("[▁▂▃▄▅▆▇█]", table)) is spark


def test_hours_fold_into_one_column_only_when_two_do_not_fit() -> None:
    assert "first hour (UTC)" in render(100)
    assert "first hour (UTC)" in render(80)
    assert "first/last" in render(60)
