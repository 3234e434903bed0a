"""Sentiment by record and by concern (issue 4): features, the estimator, the stage, metrics.

Heavy parts load lazily: importing this package loads neither torch nor scikit-learn.

>>> from voiceline.sentiment import score_sentiment, SentimentModel  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "SentimentModel": "voiceline.sentiment.model",
    "load_default_model": "voiceline.sentiment.model",
    "score_sentiment": "voiceline.sentiment.score",
    "train_sentiment": "voiceline.sentiment.train",
    "sentiment_report": "voiceline.sentiment.evaluate",
    "text_features": "voiceline.sentiment.features",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'voiceline.sentiment' has no attribute {name!r}")
