"""The shipped corpus (``monitoring/corpus/TW1xx.json``) is what its generator writes.

The JSON files are package data; the generator (``trailwarden.monitoring.corpus_gen``) is
their source. Regenerating them must give the committed bytes, so that the files are never
edited by hand and the generator never drifts from them.
"""

from __future__ import annotations

from importlib import resources

from trailwarden.monitoring import CLASSES
from trailwarden.monitoring.corpus_gen import corpus_files


def test_the_generator_writes_the_shipped_corpus_byte_for_byte() -> None:
    shipped = resources.files("trailwarden.monitoring") / "corpus"
    files = corpus_files()
    assert sorted(files) == sorted(f"{c.id}.json" for c in CLASSES)
    for name, text in files.items():
        assert text.encode("utf-8") == (shipped / name).read_bytes(), name


def test_the_generator_gives_the_same_corpus_every_time() -> None:
    assert corpus_files() == corpus_files()
