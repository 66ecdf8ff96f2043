"""The CIS monitoring controls (CIS v1.3–v5.0 4.1–4.15) as data, with a corpus per class.

:mod:`.catalog` holds the 15 event classes (TW101–TW115): event names, the corrected CIS
v2.0 filter pattern and the metric CIS suggests. :mod:`.corpus` loads the CloudTrail
records (package data, written by :mod:`.corpus_gen`) that each class must catch
(positives) and that CIS means to leave out (negatives).
"""

from __future__ import annotations

from .catalog import CLASSES, CLASSES_BY_ID, NAMESPACE, EventClass
from .corpus import Corpus, corpus

__all__ = ["CLASSES", "CLASSES_BY_ID", "NAMESPACE", "Corpus", "EventClass", "corpus"]
