"""Regular expressions between '%' signs, restricted to the subset CloudWatch Logs accepts.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html lists what
a regex may contain: ASCII letters and digits, the symbols ``: _ # = @ / ; , -``, the
operators ``^ $ ? [ ] { } | \\ * + .``, the classes ``\\d \\D \\s \\S \\w \\W`` and ``\\xhh``.
Parentheses and multi-byte characters are rejected. The docs' own examples also use a
space (``%^shutting down%``, ``%.at%`` matching " at"), so a space is accepted too.

The expression is validated here and translated to RE2 syntax, then compiled with RE2
(https://github.com/google/re2/wiki/Syntax), which matches in time linear in the length of
the text: anyone who may call ``logs:PutMetricFilter`` writes these expressions, and a
backtracking engine would let them stall the audit (``%\\w*\\w*\\w*=QQ%`` on a long event).
The expression is searched (not anchored) in the text, as ``%Trail%`` matching
"UpdateTrail" shows. Semantics kept from the docs: '.' matches any character, newlines
included; ``\\w`` is ``[a-zA-Z_0-9]``; '$' is the end of the text (not before a final
newline).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import re2

from .errors import FilterPatternSyntaxError, FilterPatternUnsupportedError, describe

__all__ = ["MAX_POSITIONS", "Regex", "compile_regex"]

# RE2 matches in time linear in the text, times the number of positions of the expression
# (each character, class or '.', counted out through repetitions: "a{100}" is 100): a
# position is one NFA state that may be active at each byte. Capping the positions caps the
# cost per byte; measured, the worst shapes at 128 take about 0.5 s over a 256 KB event
# (benchmarks/filterpattern_speed.py). CloudWatch Logs' own limit is not documented.
MAX_POSITIONS = 128
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_SYMBOLS = frozenset(":_#=@/;,- ")
_OPERATORS = frozenset("^$?[]{}|\\*+.")
_PASSED_THROUGH = frozenset("^$?*+.|")  # same meaning in RE2
_HEX = frozenset("0123456789abcdefABCDEF")
_QUANTIFIER = re.compile(r"\{ *(\d*) *(?:(,) *(\d*) *)?\}", re.ASCII)
_EXPECTED = "a letter, a digit, one of ': _ # = @ / ; , -' or a regex operator"
# \s is [ \t\n\x0B\f\r] (Java, POSIX); RE2's Perl \s lacks \x0B, its [:space:] has it.
_CLASSES = {"d": r"\d", "D": r"\D", "w": r"\w", "W": r"\W", "s": "[:space:]", "S": "[:^space:]"}


def _literal(c: str) -> str:
    """``c`` as an RE2 literal: letters and digits as they are, anything else as ``\\xhh``."""
    return c if c in _ALNUM else f"\\x{ord(c):02x}"


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


def _escape(body: str, i: int, offset: int, in_class: bool) -> tuple[str, int]:
    """The RE2 text of the escape at ``body[i]`` (a backslash) and the index after it."""
    if i + 1 >= len(body):
        raise FilterPatternSyntaxError(offset + i + 1, "a character after '\\'", "'%'")
    c = body[i + 1]
    if c in _CLASSES:
        translated = _CLASSES[c]
        if translated.startswith("[:") and not in_class:
            translated = f"[{translated}]"
        return translated, i + 2
    if c == "x":
        digits = body[i + 2 : i + 4]
        if len(digits) != 2 or not all(d in _HEX for d in digits):
            raise FilterPatternSyntaxError(
                offset + i + 2, "two hexadecimal digits after '\\x'", describe(digits or "%")
            )
        return "\\x" + digits, i + 4
    if c in _ALNUM or not c.isascii() or not c.isprintable():
        raise FilterPatternSyntaxError(
            offset + i,
            "\\d, \\D, \\s, \\S, \\w, \\W, \\xhh or '\\' before a symbol",
            describe("\\" + c),
        )
    return _literal(c), i + 2


def _char_class(body: str, i: int, offset: int, out: list[str]) -> int:
    """Translate the character class at ``body[i]`` ('['); return the index after its ']'.

    Every member is written as a literal, so a '[' or '&&' inside a class stays literal (as
    in POSIX and Java). A '-' makes a range only between two members, as in Python and Java
    (``[a-c-e]`` is a, b, c, '-' and e).
    """
    out.append("[")
    i += 1
    if body[i : i + 1] == "^":
        out.append("^")
        i += 1
    first = True
    can_start_range = False  # the last member may begin a range ("a" of "a-c")
    while i < len(body):
        c = body[i]
        if c == "]" and not first:
            out.append("]")
            return i + 1
        first = False
        if c == "-" and can_start_range and body[i + 1 : i + 2] not in ("]", ""):
            out.append("-")
            can_start_range = False
            i += 1
            continue
        ends_range = out[-1] == "-"
        if c == "\\":
            member, i = _escape(body, i, offset, in_class=True)
        else:
            _check_char(c, offset + i)
            member, i = _literal(c), i + 1
        out.append(member)
        can_start_range = not ends_range
    raise FilterPatternSyntaxError(offset + len(body), "']' to close the '['", "'%'")


def _repeat(match: re.Match[str]) -> tuple[str, int | None]:
    """``{m}``, ``{m,}``, ``{m,n}`` (spaces allowed, an empty m is 0) in RE2 syntax, and how
    many positions the repeated atom becomes; ``{}`` repeats nothing (None): two characters.
    """
    low, comma, high = match.groups()
    if not low and not comma:
        return _literal("{") + _literal("}"), None
    least = int(low or 0)
    most = least if not comma else int(high) if high else least + 1
    return "{" + (low or "0") + (comma or "") + (high or "") + "}", max(least, most)


def _translate(body: str, offset: int) -> str:
    """``body`` in RE2 syntax; raises if it has more than MAX_POSITIONS positions."""
    out: list[str] = []
    positions = 0  # characters, classes and '.', repetitions counted out
    repeatable = False  # the last piece is one position a quantifier applies to
    i = 0
    while i < len(body):
        c = body[i]
        if c == "{" and (quantifier := _QUANTIFIER.match(body, i)):
            translated, count = _repeat(quantifier)
            if count is None:
                positions, repeatable = positions + 2, True
            else:
                positions, repeatable = positions + (count - 1 if repeatable else 0), False
            out.append(translated)
            i = quantifier.end()
            continue
        if c == "\\":
            translated, i = _escape(body, i, offset, in_class=False)
            out.append(translated)
        elif c == "[":
            i = _char_class(body, i, offset, out)
        else:
            _check_char(c, offset + i)
            out.append(c if c in _PASSED_THROUGH else _literal(c))
            i += 1
            if c in "^$|*+?":
                repeatable = False
                continue
        positions, repeatable = positions + 1, True
    if positions > MAX_POSITIONS:
        raise FilterPatternUnsupportedError(
            offset - 1,
            f"{describe('%' + body + '%')}, a regular expression of {positions} character "
            f"positions once its repetitions are counted out (at most {MAX_POSITIONS}, so that "
            "the time per event stays small)",
        )
    return "".join(out)


def _options() -> Any:
    options = re2.Options()
    options.dot_nl = True  # "'.' matches any single character", a newline too
    options.never_capture = True  # only whether it matches is ever asked
    options.log_errors = False  # errors are raised, not also printed by RE2
    return options


@dataclass(frozen=True, slots=True)
class Regex:
    """A compiled CloudWatch Logs regular expression.

    ``found(text)`` says whether it occurs anywhere in ``text``, in time linear in the
    length of ``text`` (RE2). ``source`` is the text between the '%' signs, ``translated``
    the RE2 expression it became, ``compiled`` the RE2 object.
    """

    source: str
    translated: str
    compiled: Any = field(repr=False, compare=False)
    found: Callable[[str], bool] = field(repr=False, compare=False)


def compile_regex(body: str, offset: int) -> Regex:
    """Compile the text between two '%' signs; ``offset`` is where ``body`` starts.

    Raises :class:`FilterPatternSyntaxError` for an expression CloudWatch Logs rejects and
    :class:`FilterPatternUnsupportedError` for one larger than trailwarden evaluates.
    """
    if not body:
        raise FilterPatternSyntaxError(offset, "a regular expression between '%' and '%'", "'%'")
    translated = _translate(body, offset)
    try:
        compiled = re2.compile(translated.encode(), _options())
    except re2.error as err:
        reason = err.args[0].decode(errors="replace") if err.args else ""
        if "too large" in reason or "too big" in reason:
            raise FilterPatternUnsupportedError(
                offset, f"a regular expression this large ({reason})"
            ) from None
        raise FilterPatternSyntaxError(
            offset, "a valid regular expression", describe("%" + body + "%"), reason
        ) from None
    search = compiled.search

    def found(text: str) -> bool:
        # Bytes, so that a lone surrogate (json.loads accepts "\ud800") cannot make the
        # UTF-8 encoding fail; RE2 reads the bytes as UTF-8 (one '.' per character).
        return search(text.encode("utf-8", "surrogatepass")) is not None

    return Regex(body, translated, compiled, found)
