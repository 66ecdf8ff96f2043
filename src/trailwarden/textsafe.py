"""Text from outside (ARNs, names, filter patterns, log records, file names) made safe to show.

Anything trailwarden renders for people may come from an attacker: a metric filter's name
is whatever someone with ``logs:PutMetricFilter`` wrote, a log file's name and records are
whatever is on disk. Printed raw, a newline forges a table line, ``ESC [2J`` clears the
screen, an OSC sequence retitles the terminal or writes a fake hyperlink, and a bidi
override (U+202E) makes text read backwards. :func:`printable` escapes all of them
visibly; rich markup in the value is the renderer's business (use ``rich.text.Text`` or
``rich.markup.escape``, never f-strings into ``console.print``).
"""

from __future__ import annotations

import re

__all__ = ["printable", "printable_lines"]

# C0 controls (newline and tab included), DEL, C1 controls, and the Unicode format
# characters that reorder or hide text: bidi embeddings/overrides/isolates, zero-width
# joiners and marks, the line and paragraph separators.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control or invisible-reordering character escaped (``\\x1b``,
    ``\\n``, ``\\u202e``), so that it prints as one inert line."""
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """Like :func:`printable`, but the line breaks (``\\n``) are kept: for a multi-line
    text shown as such (a remediation's commands in a ``<pre>``). Every other control
    character, ``\\r`` included, is escaped, so no line can be overwritten."""
    return "\n".join(printable(line) for line in text.split("\n"))
