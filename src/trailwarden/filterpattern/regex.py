"""Regular expressions between '%' signs, restricted to the subset CloudWatch Logs accepts.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html lists what
a regex may contain: ASCII letters and digits, the symbols ``: _ # = @ / ; , -``, the
operators ``^ $ ? [ ] { } | \\ * + .``, the classes ``\\d \\D \\s \\S \\w \\W`` and ``\\xhh``.
Parentheses and multi-byte characters are rejected. The docs' own examples also use a
space (``%^shutting down%``, ``%.at%`` matching " at"), so a space is accepted too.

The expression is validated here and translated to an equivalent Python pattern, searched
(not anchored) in the text it is applied to, as ``%Trail%`` matching "UpdateTrail" shows.
"""

from __future__ import annotations

import re
import warnings

from .errors import FilterPatternSyntaxError, describe

__all__ = ["compile_regex"]

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_SYMBOLS = frozenset(":_#=@/;,- ")
_OPERATORS = frozenset("^$?[]{}|\\*+.")
_CLASS_ESCAPES = frozenset("dDsSwW")
_HEX = frozenset("0123456789abcdefABCDEF")
_QUANTIFIER = re.compile(r"\{ *(\d*) *(?:(,) *(\d*) *)?\}", re.ASCII)
_EXPECTED = "a letter, a digit, one of ': _ # = @ / ; , -' or a regex operator"


def _check_char(c: str, position: int) -> None:
    if c in _ALNUM or c in _SYMBOLS or c in _OPERATORS:
        return
    if c in "()":
        hint = "CloudWatch Logs regular expressions have no groups; write \\x28 or \\x29"
    elif not c.isascii():
        hint = "multi-byte characters are not supported"
    else:
        hint = f"write \\x{ord(c):02X} to match {c!r}"
    raise FilterPatternSyntaxError(position, _EXPECTED, describe(c), hint)


def _escape(body: str, i: int, offset: int, out: list[str]) -> int:
    """Translate the escape at ``body[i]`` (a backslash); return the index after it."""
    if i + 1 >= len(body):
        raise FilterPatternSyntaxError(offset + i + 1, "a character after '\\'", "'%'")
    c = body[i + 1]
    if c in _CLASS_ESCAPES:
        out.append("\\" + c)
        return i + 2
    if c == "x":
        digits = body[i + 2 : i + 4]
        if len(digits) != 2 or not all(d in _HEX for d in digits):
            raise FilterPatternSyntaxError(
                offset + i + 2, "two hexadecimal digits after '\\x'", describe(digits or "%")
            )
        out.append("\\x" + digits)
        return i + 4
    if c in _ALNUM or not c.isascii() or not c.isprintable():
        raise FilterPatternSyntaxError(
            offset + i,
            "\\d, \\D, \\s, \\S, \\w, \\W, \\xhh or '\\' before a symbol",
            describe("\\" + c),
        )
    out.append(re.escape(c))
    return i + 2


def _char_class(body: str, i: int, offset: int, out: list[str]) -> int:
    """Translate the character class at ``body[i]`` ('['); return the index after its ']'.

    Every member is escaped for Python, so a '[' or '&&' inside a class stays literal (as
    in POSIX and Java) instead of becoming a Python nested-set construct.
    """
    out.append("[")
    i += 1
    if body[i : i + 1] == "^":
        out.append("^")
        i += 1
    first = True
    while i < len(body):
        c = body[i]
        if c == "]" and not first:
            out.append("]")
            return i + 1
        first = False
        if c == "\\":
            i = _escape(body, i, offset, out)
            continue
        _check_char(c, offset + i)
        if c == "-" and out[-1] not in ("[", "^") and body[i + 1 : i + 2] not in ("]", ""):
            out.append("-")
        else:
            out.append(re.escape(c))
        i += 1
    raise FilterPatternSyntaxError(offset + len(body), "']' to close the '['", "'%'")


def _translate(body: str, offset: int) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i = _escape(body, i, offset, out)
            continue
        _check_char(c, offset + i)
        if c == "[":
            i = _char_class(body, i, offset, out)
            continue
        if c == "{" and (quantifier := _QUANTIFIER.match(body, i)):
            low, comma, high = quantifier.groups()
            out.append("{" + low + (comma or "") + (high or "") + "}")  # "{m, n}" as in the docs
            i = quantifier.end()
            continue
        # '$' ends the text; Python's '$' would also match before a final newline.
        out.append(r"\Z" if c == "$" else re.escape(c) if c in "{}# " else c)
        i += 1
    return "".join(out)


def compile_regex(body: str, offset: int) -> re.Pattern[str]:
    """Compile the text between two '%' signs; ``offset`` is where ``body`` starts."""
    if not body:
        raise FilterPatternSyntaxError(offset, "a regular expression between '%' and '%'", "'%'")
    translated = _translate(body, offset)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python's FutureWarnings about its own syntax
            # DOTALL: "'.' matches any single character"; ASCII: \w is [a-zA-Z_0-9] (docs).
            return re.compile(translated, re.ASCII | re.DOTALL)
    except (re.error, OverflowError, RecursionError, ValueError) as err:
        raise FilterPatternSyntaxError(
            offset, "a valid regular expression", describe("%" + body + "%"), str(err)
        ) from None
