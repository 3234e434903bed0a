"""Concerns: which issues of a versioned taxonomy each record raises (DESIGN.md section 3).

- :mod:`~voiceline.concerns.taxonomy`: the taxonomy file (``Taxonomy.load()``);
- :mod:`~voiceline.concerns.zero_shot`: a classifier learned from the taxonomy's own text;
- :mod:`~voiceline.concerns.classify`: the stage ``classify_concerns(records) -> concerns``;
- :mod:`~voiceline.concerns.trained`: a classifier trained on a unit's own labels (any label set);
- :mod:`~voiceline.concerns.metrics`: precision, recall and F1 per concern, micro and macro.

Names are imported lazily so ``import voiceline.concerns`` stays fast:

>>> from voiceline.concerns import Taxonomy
>>> Taxonomy.load().version
'community-safety-v1'
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Concern": "voiceline.concerns.taxonomy",
    "Taxonomy": "voiceline.concerns.taxonomy",
    "ZeroShotClassifier": "voiceline.concerns.zero_shot",
    "classify_concerns": "voiceline.concerns.classify",
    "multilabel_report": "voiceline.concerns.metrics",
    "grouped_report": "voiceline.concerns.metrics",
    "TrainedConcernModel": "voiceline.concerns.trained",
    "train_concerns": "voiceline.concerns.trained",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'voiceline.concerns' has no attribute {name!r}")
