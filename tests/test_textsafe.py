"""Control characters from outside never reach the terminal raw."""

from __future__ import annotations

import pytest

from trailwarden.textsafe import printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain name/with:chars*", "plain name/with:chars*"),
        ("two\nlines", "two\\x0alines"),
        ("\x1b[2Jcleared", "\\x1b[2Jcleared"),
        ("\x1b]0;owned\x07title", "\\x1b]0;owned\\x07title"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("tab\there", "tab\\x09here"),
        ("\x9bCSI", "\\x9bCSI"),
        ("café ünïcode 日本", "café ünïcode 日本"),
    ],
)
def test_printable_escapes_controls_only(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_printable_lines_keeps_line_breaks_only() -> None:
    from trailwarden.textsafe import printable_lines

    assert printable_lines("one\ntwo\r\x1b[2J\u202e") == "one\ntwo\\x0d\\x1b[2J\\u202e"
