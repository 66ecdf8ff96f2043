"""The errors the engine raises: a pattern that does not compile, for one of two reasons.

:func:`~trailwarden.filterpattern.compile_pattern` raises nothing else, whatever the text:

- :class:`FilterPatternSyntaxError`: CloudWatch Logs would reject the pattern too.
- :class:`FilterPatternUnsupportedError`: the pattern may be valid for CloudWatch Logs, but
  trailwarden cannot evaluate it (a regular-expression repetition above RE2's limit, say).
  A filter in an account with such a pattern cannot be judged: callers report it as not
  evaluable, never as matching nothing.
"""

from __future__ import annotations

from trailwarden.errors import FilterPatternError
from trailwarden.textsafe import printable

__all__ = ["FilterPatternSyntaxError", "FilterPatternUnsupportedError", "describe"]


class FilterPatternSyntaxError(FilterPatternError):
    """A filter pattern CloudWatch Logs would reject (its ``InvalidParameterException``).

    ``position`` is the 0-based character offset in the pattern where the problem was
    found, ``expected`` says what would have been valid there and ``found`` what was there.
    """

    def __init__(self, position: int, expected: str, found: str, hint: str = "") -> None:
        self.position = position
        self.expected = expected
        self.found = found
        self.hint = hint
        message = f"position {position}: expected {expected}, found {found}"
        super().__init__(f"{message} ({hint})" if hint else message)


class FilterPatternUnsupportedError(FilterPatternError):
    """A pattern trailwarden cannot evaluate, though CloudWatch Logs may accept it.

    ``position`` is where the unsupported construct starts; ``reason`` says what it is.
    """

    def __init__(self, position: int, reason: str) -> None:
        self.position = position
        self.reason = reason
        super().__init__(f"position {position}: trailwarden cannot evaluate {reason}")


def describe(text: str) -> str:
    """How a piece of pattern text is shown in an error message: quoted, short, and with
    control characters escaped (the pattern is outside text; the message is printed)."""
    if len(text) > 24:
        text = text[:21] + "..."
    return repr(text) if "'" in text else f"'{printable(text)}'"
