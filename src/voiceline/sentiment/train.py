"""Train a sentiment model from a labelled table (``voiceline train sentiment --labels FILE``).

Why a function over a DataFrame: the CLI reads the file and calls this; a notebook user passes
their own frame; ``scripts/train_sentiment_model.py`` reproduces the shipped model with it.
Labels are normalised (case, surrounding space, the short forms ``neg``/``neu``/``pos``) and any
other value is an error naming the rows, so a unit's spreadsheet with "Negative " still trains.

>>> import pandas as pd
>>> from voiceline.nlp.embeddings import FakeEncoder
>>> frame = pd.DataFrame({"text": ["love it", "hate it", "it is tuesday"] * 3,
...                       "label": ["Positive", "neg", "neutral"] * 3})
>>> train_sentiment(frame, encoder=FakeEncoder(dim=8)).labels_
['negative', 'neutral', 'positive']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from voiceline.errors import SchemaError
from voiceline.schemas import require_columns
from voiceline.sentiment.model import LABELS, SentimentModel

_ALIASES: Mapping[str, str] = {
    "negative": "negative",
    "neg": "negative",
    "neutral": "neutral",
    "neu": "neutral",
    "positive": "positive",
    "pos": "positive",
}

SHIPPED_PARAMS: dict[str, Any] = {
    "C": 0.3,
    "use_features": True,
    "feature_weight": 0.3,
    "class_weight": "balanced",
    "prior": None,
    "ngram_weight": 0.6,
    "ngram_C": 0.5,
}
"""Hyper-parameters of the shipped model (see MODEL_CARD.md): the head's on TweetEval
validation; the n-gram ``C`` and blend weight by cross-validation on the training tweets."""


def normalise_labels(values: pd.Series, *, source: str = "labels") -> list[str]:
    """Map label spellings to ``negative``/``neutral``/``positive``; fail naming bad rows.

    >>> normalise_labels(pd.Series([" Positive", "NEG"]))
    ['positive', 'negative']
    """
    out: list[str] = []
    bad: list[tuple[int, Any]] = []
    for row, value in enumerate(values.tolist()):
        key = str(value).strip().lower() if isinstance(value, str) else None
        if key not in _ALIASES:
            bad.append((row, value))
            continue
        out.append(_ALIASES[key])
    if bad:
        shown = ", ".join(f"row {r}: {v!r}" for r, v in bad[:5])
        raise SchemaError(
            f"{source}: {len(bad)} label(s) are not a sentiment ({shown}); expected one of "
            f"{list(LABELS)} (or neg/neu/pos). Fix or drop those rows."
        )
    return out


def train_sentiment(
    labels: pd.DataFrame,
    *,
    text_column: str = "text",
    label_column: str = "label",
    encoder: Any = None,
    embeddings: np.ndarray | None = None,
    encoder_profile: str = "accurate",
    source: str = "labels",
    encoder_id: str | None = None,
    sample_weight: np.ndarray | None = None,
    ngram_labels: pd.DataFrame | None = None,
    **params: Any,
) -> SentimentModel:
    """Fit a :class:`SentimentModel` on ``labels[text_column]`` / ``labels[label_column]``.

    ``params`` override :data:`SHIPPED_PARAMS` (``C``, ``use_features``, ``feature_weight``,
    ``class_weight``, ``prior``). ``embeddings`` (one row per labelled text, from ``encoder``)
    skip encoding; ``encoder_id`` then names the encoder that made them.
    Rows with empty text are an error: a label on nothing teaches nothing. ``ngram_labels`` (same
    columns) trains the n-gram part of the blend on other (usually more) texts than the head,
    e.g. every labelled text when only some were embedded; default: ``labels``.
    """
    require_columns(labels, (text_column, label_column), table=source)
    texts = labels[text_column]
    empty = [i for i, t in enumerate(texts.tolist()) if not isinstance(t, str) or not t.strip()]
    if empty:
        raise SchemaError(
            f"{source}: {len(empty)} row(s) have no text in column {text_column!r} (first: row "
            f"{empty[0]}); remove them or fill the text."
        )
    y = normalise_labels(labels[label_column], source=source)
    options = {**SHIPPED_PARAMS, **params}
    model = SentimentModel(encoder=encoder, encoder_profile=encoder_profile, **options)
    extra: dict[str, Any] = {}
    if ngram_labels is not None:
        require_columns(ngram_labels, (text_column, label_column), table=f"{source} (n-grams)")
        extra["ngram_texts"] = ngram_labels[text_column].fillna("").astype(str).tolist()
        extra["ngram_labels"] = normalise_labels(
            ngram_labels[label_column], source=f"{source} (n-grams)"
        )
    return model.fit(
        texts.tolist(), y, embeddings, encoder_id=encoder_id, sample_weight=sample_weight, **extra
    )
