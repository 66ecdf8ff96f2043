"""Tokens of the JSON (``{ ... }``) and space-delimited (``[ ... ]``) pattern bodies.

Term patterns have no operators and are scanned by :mod:`.terms` with :func:`read_quoted`.
The lexer is context free: it does not know whether a word is a keyword, a number or an
unquoted string; the parser decides that from where the word stands.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import FilterPatternSyntaxError, describe

__all__ = ["Token", "TokenKind", "read_quoted", "read_regex", "tokenize"]


class TokenKind(enum.Enum):
    SELECTOR = "a selector"  # $.a.b[0]['c.d'][*]
    STRING = "a quoted string"  # "..." (value holds the decoded text)
    REGEX = "a regular expression"  # %...% (value holds the text between the %s)
    WORD = "a word"  # ERROR, 400, 123.123.*, IS, NOT, status_code, ...
    OPERATOR = "an operator"  # = != < <= > >=
    AND = "'&&'"
    OR = "'||'"
    LPAREN = "'('"
    RPAREN = "')'"
    COMMA = "','"
    END = "the end of the pattern"


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # the source text of the token
    value: str  # decoded content (string and regex bodies); ``text`` otherwise
    position: int  # 0-based offset in the whole pattern

    def shown(self) -> str:
        """The token as an error message names it."""
        return self.text if self.kind is TokenKind.END else describe(self.text)


# Unquoted values: the AWS docs require quotes for anything but letters and digits, yet
# document unquoted `123.123.*`, `+1000`, `10e-3` and `kms.amazonaws.com` (CIS 4.7), so
# '.', '*', '+', '-' and '_' are allowed too. Anything else ('@', '$', ':', '\', non-ASCII)
# must be quoted, as the docs say.
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.*+-")
_SELECTOR_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.*$")
_WHITESPACE = frozenset(" \t\r\n")
_SINGLE = {"(": TokenKind.LPAREN, ")": TokenKind.RPAREN, ",": TokenKind.COMMA}


def read_quoted(text: str, start: int, end: int) -> tuple[str, int]:
    """Decode the double-quoted string at ``text[start]``; return it and the offset after it.

    A backslash escapes '"' and '\\' (AWS rejects an unescaped backslash in a term but
    accepts an escaped one); before any other character it is kept as written.
    """
    out: list[str] = []
    i = start + 1
    while i < end:
        c = text[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\" and i + 1 < end and text[i + 1] in '"\\':
            out.append(text[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    raise FilterPatternSyntaxError(end, "a closing '\"'", "the end of the pattern")


def read_regex(text: str, start: int, end: int) -> int:
    """Offset just after the regular expression ``%...%`` that starts at ``text[start]``."""
    i = start + 1
    while i < end:
        c = text[i]
        if c == "%":
            return i + 1
        i += 2 if c == "\\" else 1
    raise FilterPatternSyntaxError(
        end, "a closing '%' after the regular expression", "the end of the pattern"
    )


def _read_selector(text: str, start: int, end: int) -> int:
    """Offset just after the selector at ``text[start]``; :mod:`.parser` checks its form."""
    i = start + 1
    while i < end:
        c = text[i]
        if c in _SELECTOR_CHARS:
            i += 1
        elif c == "[":
            search_from = i + 1
            if text[i + 1 : i + 2] == "'":  # a quoted property name may contain ']'
                quote = text.find("'", i + 2, end)
                search_from = quote + 1 if quote >= 0 else end
            close = text.find("]", search_from, end)
            if close < 0:
                raise FilterPatternSyntaxError(
                    end, "']' to close the selector's '['", "the end of the pattern"
                )
            i = close + 1
        else:
            break
    return i


def tokenize(text: str, start: int, end: int, end_text: str) -> list[Token]:
    """Tokens of ``text[start:end]``; the last one is END, shown as ``end_text``."""
    tokens: list[Token] = []
    i = start
    while i < end:
        c = text[i]
        if c in _WHITESPACE:
            i += 1
            continue
        if c == "$":
            j = _read_selector(text, i, end)
            tokens.append(Token(TokenKind.SELECTOR, text[i:j], text[i:j], i))
        elif c == '"':
            value, j = read_quoted(text, i, end)
            tokens.append(Token(TokenKind.STRING, text[i:j], value, i))
        elif c == "%":
            j = read_regex(text, i, end)
            tokens.append(Token(TokenKind.REGEX, text[i:j], text[i + 1 : j - 1], i))
        elif c in _SINGLE:
            j = i + 1
            tokens.append(Token(_SINGLE[c], c, c, i))
        elif c in "&|":
            if i + 1 >= end or text[i + 1] != c:
                found = describe(text[i : i + 2]) if i + 1 < end else describe(c)
                raise FilterPatternSyntaxError(i, f"'{c}{c}'", found)
            j = i + 2
            kind = TokenKind.AND if c == "&" else TokenKind.OR
            tokens.append(Token(kind, c + c, c + c, i))
        elif c in "=!<>":
            two = c != "=" and i + 1 < end and text[i + 1] == "="  # !=, <=, >= (not ==)
            j = i + 2 if two else i + 1
            op = text[i:j]
            if op == "!":
                raise FilterPatternSyntaxError(i, "'!='", describe(text[i : i + 2]))
            tokens.append(Token(TokenKind.OPERATOR, op, op, i))
        elif c in _WORD_CHARS:
            j = i + 1
            while j < end and text[j] in _WORD_CHARS:
                j += 1
            tokens.append(Token(TokenKind.WORD, text[i:j], text[i:j], i))
        else:
            raise FilterPatternSyntaxError(
                i,
                "a selector, an operator, '&&', '||', '(', ')' or a value",
                describe(c),
                "put values with characters other than letters, digits, '_', '-', '.', "
                "'*' and '+' in double quotes",
            )
        i = j
    tokens.append(Token(TokenKind.END, end_text, "", end))
    return tokens
