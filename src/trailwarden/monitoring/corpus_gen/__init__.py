"""The generator of the corpus (package data ``monitoring/corpus/TW1xx.json``).

:mod:`.samples` holds the samples of each event class (data), :mod:`.records` builds the
CloudTrail records they are made of. ``python tools/write_corpus.py`` writes the files;
``tests/test_corpus_gen.py`` checks that the shipped files are what it writes.
"""

from __future__ import annotations

import json

from trailwarden.monitoring.corpus_gen.records import restart_numbering
from trailwarden.monitoring.corpus_gen.samples import samples

__all__ = ["corpus_files"]


def corpus_files() -> dict[str, str]:
    """The corpus, as file name (``TW101.json``) → the exact text of that file."""
    restart_numbering()
    files = {}
    for class_id, (positives, negatives) in samples().items():
        body = {"id": class_id, "positives": positives, "negatives": negatives}
        files[f"{class_id}.json"] = json.dumps(body, indent=1, ensure_ascii=False) + "\n"
    return files
