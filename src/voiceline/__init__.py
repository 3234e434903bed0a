"""voiceline: turn what residents say into findings a community-liaison unit can act on.

The public, notebook-facing functions are imported lazily so that ``import voiceline`` (and
``voiceline --help``) stays fast and never loads spaCy or torch::

    from voiceline import ingest_frame, read_source
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "ingest_frame": "voiceline.ingest.stage",
    "ingest_sources": "voiceline.ingest.sources",
    "IngestResult": "voiceline.ingest.stage",
    "read_source": "voiceline.ingest.readers",
    "load_config": "voiceline.config",
    "classify_concerns": "voiceline.concerns.classify",
    "segment_records": "voiceline.nlp.segments",
    "load_encoder": "voiceline.nlp.embeddings",
    "flag_triage": "voiceline.ingest.triage",
    "score_sentiment": "voiceline.sentiment.score",
    "assign_topics": "voiceline.topics.assign",
    "build_findings": "voiceline.findings.aggregate",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'voiceline' has no attribute {name!r}")
