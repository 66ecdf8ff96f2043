"""The corpus: CloudTrail records each event class must catch, and records CIS leaves out.

Package data ``corpus/TW1xx.json``, written by :mod:`.corpus_gen` (``python -m
trailwarden.monitoring.corpus_gen``); each sample is ``{"note": why, "record": {...}}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Corpus", "Sample", "corpus"]


@dataclass(frozen=True)
class Sample:
    """One CloudTrail record, with why it is in the corpus."""

    note: str
    record: dict[str, Any]

    @property
    def label(self) -> str:
        """How a message names it: event name, and error code if any."""
        r = self.record
        error = f" ({r['errorCode']})" if r.get("errorCode") else ""
        return f"{r.get('eventSource', '?')} {r.get('eventName', '?')}{error}: {self.note}"


@dataclass(frozen=True)
class Corpus:
    class_id: str
    positives: tuple[Sample, ...]
    negatives: tuple[Sample, ...]


@cache
def corpus(class_id: str) -> Corpus:
    """The corpus of one event class (``"TW101"``); KeyError when there is none."""
    path = resources.files("trailwarden.monitoring") / "corpus" / f"{class_id}.json"
    if not path.is_file():
        raise KeyError(class_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    return Corpus(
        class_id,
        tuple(Sample(s["note"], s["record"]) for s in data["positives"]),
        tuple(Sample(s["note"], s["record"]) for s in data["negatives"]),
    )
