"""The CloudWatch Logs filter pattern language: parse once, match many events.

Implements "Filter pattern syntax for metric filters, subscription filters, filter log
events, and Live Tail" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/
FilterAndPatternSyntax.html) without AWS: term patterns, JSON patterns and space-delimited
patterns, with their regular expressions. Pure Python, no I/O::

    pattern = compile_pattern('{ $.eventName = "StopLogging" }')
    pattern.matches(raw_message)      # or pattern.matches(already_parsed_dict)
    PatternSet([p1, p2, ...]).matches(event)   # -> (True, False, ...), one pass

:func:`compile_pattern` raises :class:`FilterPatternSyntaxError` (CloudWatch Logs would reject
the pattern) or :class:`FilterPatternUnsupportedError` (trailwarden cannot evaluate it), and
nothing else, for any text.

Modules: :mod:`.lexer` and :mod:`.parser` (syntax), :mod:`.regex` (the AWS regex subset, on RE2),
:mod:`.nodes` (the syntax tree), :mod:`.values` (how values compare), :mod:`.selector`,
:mod:`.json_pattern` (JSON semantics as plain closures: the reference),
:mod:`.codegen` (the same semantics generated into one function per pattern, for speed),
:mod:`.terms`, :mod:`.delimited`, :mod:`.pattern` (the entry point) and
:mod:`.patternset` (many patterns, one pass).
"""

from __future__ import annotations

from .errors import FilterPatternSyntaxError, FilterPatternUnsupportedError
from .pattern import MAX_PATTERN_LENGTH, CompiledPattern, PatternKind, compile_pattern
from .patternset import PatternSet

__all__ = [
    "MAX_PATTERN_LENGTH",
    "CompiledPattern",
    "FilterPatternSyntaxError",
    "FilterPatternUnsupportedError",
    "PatternKind",
    "PatternSet",
    "compile_pattern",
]
