"""What a metric filter pattern matches of a CIS event class's corpus (TW101–TW115).

The pattern is whatever someone with ``logs:PutMetricFilter`` wrote: a pattern that cannot
be compiled or matched is an :class:`UnevaluableFilterError`, never a crash of the audit.
"""

from __future__ import annotations

from functools import lru_cache

from trailwarden.errors import FilterPatternError
from trailwarden.filterpattern import CompiledPattern, compile_pattern
from trailwarden.monitoring.corpus import Sample, corpus

__all__ = ["UnevaluableFilterError", "filter_verdict"]


class UnevaluableFilterError(ValueError):
    """A metric filter pattern trailwarden could not compile or evaluate; ``str()`` is why."""


@lru_cache(maxsize=1024)
def _compiled(text: str) -> CompiledPattern | str:
    try:
        return compile_pattern(text)
    except FilterPatternError as e:  # invalid, or beyond what trailwarden evaluates
        return str(e)
    # The pattern is whatever someone with logs:PutMetricFilter wrote. Whatever else goes
    # wrong with it must become an ERROR finding for it, not end the whole audit.
    except Exception as e:
        return f"the filter-pattern engine failed on it ({type(e).__name__}: {e})"


@lru_cache(maxsize=4096)
def filter_verdict(pattern: str, class_id: str) -> tuple[tuple[Sample, ...], tuple[Sample, ...]]:
    """(positives the pattern misses, negatives it matches).

    Raises :class:`UnevaluableFilterError` (a ValueError) naming the reason when the pattern
    cannot be compiled or matched.
    """
    compiled = _compiled(pattern)
    if isinstance(compiled, str):
        raise UnevaluableFilterError(compiled)
    samples = corpus(class_id)
    try:
        return (
            tuple(s for s in samples.positives if not compiled.matches(s.record)),
            tuple(s for s in samples.negatives if compiled.matches(s.record)),
        )
    except Exception as e:  # as in _compiled: a finding, not a crash of the run
        raise UnevaluableFilterError(f"matching it failed ({type(e).__name__}: {e})") from e
