"""The one error the engine raises: a pattern that does not compile."""

from __future__ import annotations

from trailwarden.errors import FilterPatternError

__all__ = ["FilterPatternSyntaxError", "describe"]


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


def describe(text: str) -> str:
    """How a piece of pattern text is shown in an error message: quoted, and short."""
    if len(text) > 24:
        text = text[:21] + "..."
    return repr(text) if "'" in text else f"'{text}'"
