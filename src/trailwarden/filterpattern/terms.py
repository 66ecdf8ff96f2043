"""Term patterns for unstructured log events: ``ERROR``, ``"exact phrase"``, ``?a ?b``, ``-x``.

AWS docs (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/
FilterAndPatternSyntax.html#matching-terms-unstructured-log-events):

- A term matches when it occurs anywhere in the message, case sensitively ("ERROR" matches
  "Exiting with ERRORCODE: -1"); all plain terms must occur (AND).
- Terms "that include characters other than alphanumeric or underscore must be placed
  inside double quotes"; AWS answers ``Invalid character(s) in term ':'`` otherwise.
- ``-term`` excludes events that contain the term; ``?term`` terms are alternatives (OR).
  "If you combine '?' with other filter patterns [include and exclude terms], all question
  mark terms will be ignored".
- An empty pattern matches every event, and so does ``" "`` ("Example: Match everything").
- A regular expression ``%...%`` is a standalone pattern: it is the whole pattern, matched
  by searching the message.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import FilterPatternSyntaxError, describe
from .lexer import read_quoted, read_regex
from .regex import compile_regex

__all__ = ["compile_terms"]

TextPredicate = Callable[[str], bool]

_TERM_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_WHITESPACE = frozenset(" \t\r\n")


def _regex_pattern(text: str) -> TextPredicate:
    end = read_regex(text, 0, len(text))
    if end != len(text):
        raise FilterPatternSyntaxError(
            end,
            "the end of the pattern after the regular expression",
            describe(text[end:]),
            "a regular expression term must be the whole pattern",
        )
    return compile_regex(text[1 : end - 1], 1).found


def _scan(text: str) -> tuple[list[str], list[str], list[str]]:
    """The (included, excluded, optional) terms of a term pattern."""
    included: list[str] = []
    excluded: list[str] = []
    optional: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in _WHITESPACE:
            i += 1
            continue
        bucket = included
        if text[i] in "-?":
            bucket = excluded if text[i] == "-" else optional
            i += 1
            if i >= n or text[i] in _WHITESPACE:
                found = "the end of the pattern" if i >= n else "a space"
                raise FilterPatternSyntaxError(i, f"a term right after {text[i - 1]!r}", found)
        if text[i] == '"':
            term, i = read_quoted(text, i, n)
            # '" "' is the docs' "match everything" example: a blank phrase is empty.
            bucket.append(term if term.strip() else "")
            if i < n and text[i] not in _WHITESPACE:
                raise FilterPatternSyntaxError(
                    i, "a space after the closing '\"'", describe(text[i])
                )
            continue
        start = i
        while i < n and text[i] in _TERM_CHARS:
            i += 1
        if i < n and text[i] not in _WHITESPACE:
            raise FilterPatternSyntaxError(
                i,
                "a letter, a digit or '_' in an unquoted term",
                describe(text[i]),
                "put terms with other characters in double quotes",
            )
        bucket.append(text[start:i])
    return included, excluded, optional


def compile_terms(text: str) -> TextPredicate:
    """A predicate over a raw log message for a term (or standalone regex) pattern."""
    if text.startswith("%"):
        return _regex_pattern(text)
    included, excluded, optional = _scan(text)
    if included or excluded:
        optional = []  # documented: '?' terms are ignored next to other terms
    if optional:
        if "" in optional:
            return lambda message: True
        return lambda message: any(term in message for term in optional)
    included = [term for term in included if term]  # "" occurs in every message
    if not excluded:
        if not included:
            return lambda message: True
        if len(included) == 1:
            (term,) = included
            return lambda message: term in message
        return lambda message: all(term in message for term in included)
    return lambda message: (
        all(term in message for term in included) and not any(term in message for term in excluded)
    )
