"""The sentiment stage: how residents feel, per record and per record x concern.

``score_sentiment(records)`` gives one row per record (``concern_id`` empty); with the concerns
table it adds one row per record x concern, scored on the text that carries that concern, so "I
love the new officer on our block but the speeding on Elm is out of control" can be positive for
``police_service`` and negative for ``traffic_safety`` while the record as a whole is mixed.

How each row is scored (the exact behaviour, so a reader of the tables knows what a value means):

- **Record rows.** A text of up to :data:`WHOLE_TEXT_CHARS` characters is scored whole (the
  model was trained on tweets, several sentences at once). A longer text (a meeting statement) is
  split into segments (the ``segments`` table when given, else
  :func:`voiceline.nlp.segments.segment_records`) and the segment probabilities are averaged,
  weighted by segment length. Segments are encoded :data:`BATCH_UNITS` at a time, so a
  10,000-word statement costs bounded memory.
- **Concern rows.** The text scored is the concern's ``evidence`` (the segment that carries it).
  When a record has two or more concerns, their evidence is cut into clauses at contrast words
  ("but", "however", "although", ";" ...) and each clause goes to the record's concern whose
  description it is most similar to (cosine of sentence embeddings); a concern scores the clauses
  it won, or, if it won none, its own most similar clause. With the ``segments`` table given, all
  segments of the record join the competition (so a concern also gets the other sentences that
  speak about it). A row with no evidence uses the record's text. Descriptions default to the
  concern id in words ("traffic safety"); pass ``concern_descriptions`` for better ones.
- **Label, score, confidence.** ``score = P(positive) - P(negative)`` (-1..1),
  ``confidence = max(P)``, ``label`` its argmax.
- **Empty text** (nothing but whitespace): ``label`` None, ``score`` and ``confidence`` NaN:
  nothing was said, nothing is guessed.
- **Punctuation only** ("???", "!!!", "..."): ``neutral``, ``score`` 0.0, ``confidence`` 1/3 (as
  unsure as three classes allow): there is a reaction but no polarity to read.
- **Emoji only** ("😡😡", "👍"): emoji carry sentiment, so they are scored by lexicon (VADER's
  emoji and the project's emoji table, see :mod:`voiceline.sentiment.features`), not by the
  embedding (MiniLM reads most emoji as unknown tokens): ``score`` = polarity in -1..1,
  ``label`` by its sign (neutral within ±0.05), ``confidence`` 0.5 + 0.4·|score|.
- **Languages the model does not support** (``language`` not in :data:`SUPPORTED_LANGUAGES`,
  i.e. anything but ``en`` and ``und``): ``label`` None, ``score`` and ``confidence`` NaN, for the
  record row and its concern rows: marked, not guessed. Missing ``language`` (or no such column)
  counts as ``und``.

>>> import pandas as pd
>>> from voiceline.nlp.embeddings import FakeEncoder
>>> from voiceline.sentiment.model import SentimentModel
>>> enc = FakeEncoder(dim=16)
>>> model = SentimentModel(encoder=enc).fit(["great", "awful", "tuesday"] * 4,
...                                         ["positive", "negative", "neutral"] * 4)
>>> records = pd.DataFrame({"record_id": ["a", "b"], "text": ["great", "???"]})
>>> score_sentiment(records, model=model, encoder=enc)[["record_id", "label"]].values.tolist()
[['a', 'positive'], ['b', 'neutral']]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from voiceline.errors import ModelError
from voiceline.progress import ProgressFn, no_progress
from voiceline.schemas import (
    CONCERN_ID,
    CONFIDENCE,
    EVIDENCE,
    LABEL,
    LANGUAGE,
    RECORD_ID,
    SCORE,
    SENTIMENT_COLUMNS,
    TEXT,
    require_columns,
)
from voiceline.sentiment.features import emoji_polarity, has_emoji_polarity, has_words
from voiceline.sentiment.model import LABELS, SentimentModel, load_default_model

SUPPORTED_LANGUAGES: frozenset[str] = frozenset({"en", "und"})
"""Languages the shipped model was trained on (English tweets); ``und`` is given the benefit."""
WHOLE_TEXT_CHARS = 600
"""Texts up to this length are scored whole; longer ones by segments."""
BATCH_UNITS = 1024
"""Texts encoded and scored at once: bounds memory on very long inputs."""
PUNCT_CONFIDENCE = 1.0 / 3.0

_CLAUSE = re.compile(
    r"\s*(?:[;\u2014]|,?\s*\b(?:but|however|although|though|whereas|while|yet)\b)\s*",
    re.IGNORECASE,
)


# --- small helpers ---------------------------------------------------------------------------
def split_clauses(text: str) -> list[str]:
    """Cut a sentence at contrast words, keeping clauses that still have words.

    >>> split_clauses("I love the new officer but the speeding on Elm is out of control")
    ['I love the new officer', 'the speeding on Elm is out of control']
    """
    parts = [p.strip(" ,.") for p in _CLAUSE.split(text or "")]
    parts = [p for p in parts if has_words(p)]
    return parts or ([text.strip()] if has_words(text) else [])


def _supported(language: Any) -> bool:
    if language is None or (isinstance(language, float) and math.isnan(language)):
        return True
    lang = str(language).strip().lower()
    return lang == "" or lang in SUPPORTED_LANGUAGES


def _lexicon_row(text: str) -> tuple[str | None, float, float] | None:
    """The fixed answer for a text the model should not read, or None when it should."""
    if not text or not text.strip():
        return (None, math.nan, math.nan)
    if has_words(text):
        return None
    if has_emoji_polarity(text):
        s = float(np.clip(emoji_polarity(text), -1.0, 1.0))
        label = "positive" if s > 0.05 else "negative" if s < -0.05 else "neutral"
        return (label, s, 0.5 + 0.4 * abs(s))
    return ("neutral", 0.0, PUNCT_CONFIDENCE)


class _Scorer:
    """Encodes and scores texts in bounded batches, remembering embeddings asked for twice."""

    def __init__(self, model: SentimentModel, encoder: Any, progress: ProgressFn) -> None:
        self.model = model
        self.encoder = encoder
        self.progress = progress
        self.memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self.memo))
        for start in range(0, len(todo), BATCH_UNITS):
            chunk = todo[start : start + BATCH_UNITS]
            vecs = np.asarray(self.encoder.encode(chunk), dtype=np.float32)
            self.memo.update(zip(chunk, vecs, strict=True))
        if not texts:
            return np.zeros((0, getattr(self.encoder, "dim", 0)), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts])

    def proba_units(self, units: Iterable[tuple[int, str, float]], n_keys: int) -> np.ndarray:
        """Weighted mean probabilities per key from (key, text, weight) units, batch by batch."""
        sums = np.zeros((n_keys, len(LABELS)), dtype=np.float64)
        weights = np.zeros(n_keys, dtype=np.float64)
        batch: list[tuple[int, str, float]] = []

        def flush() -> None:
            texts = [t for _, t, _ in batch]
            emb = np.asarray(self.encoder.encode(texts), dtype=np.float32)
            proba = self.model.predict_proba(texts, emb)
            for (key, _, w), p in zip(batch, proba, strict=True):
                sums[key] += w * p
                weights[key] += w
            batch.clear()

        for unit in units:
            batch.append(unit)
            if len(batch) >= BATCH_UNITS:
                flush()
        if batch:
            flush()
        with np.errstate(invalid="ignore", divide="ignore"):
            return sums / weights[:, None]


def _resolve(model: SentimentModel | None, encoder: Any) -> tuple[SentimentModel, Any]:
    if model is None:
        model = load_default_model(encoder=encoder)
    if encoder is None:
        encoder = model._encoder()
    model_id = getattr(encoder, "model_id", None)
    if model_id != model.encoder_id_:
        raise ModelError(
            f"the sentiment model was trained on encoder {model.encoder_id_!r} but the encoder "
            f"given is {model_id!r}; pass the matching encoder (or encoder=None to load it)."
        )
    return model, encoder


def _segments_by_record(
    records: pd.DataFrame, segments: pd.DataFrame | None, ids: list[Any]
) -> dict[Any, list[str]]:
    """Segment texts of the given records, from ``segments`` or split on the fly."""
    if not ids:
        return {}
    if segments is None:
        from voiceline.nlp.segments import segment_records

        wanted = records[records[RECORD_ID].isin(ids)][[RECORD_ID, TEXT]]
        segments = segment_records(wanted)
    sub = segments[segments[RECORD_ID].isin(ids)]
    if "segment_idx" in sub.columns:
        sub = sub.sort_values([RECORD_ID, "segment_idx"], kind="stable")
    out: dict[Any, list[str]] = {}
    for rid, text in zip(sub[RECORD_ID], sub[TEXT], strict=True):
        out.setdefault(rid, []).append(text if isinstance(text, str) else "")
    return out


def _finish(proba: np.ndarray) -> tuple[list[str | None], np.ndarray, np.ndarray]:
    labels: list[str | None] = []
    for p in proba:
        labels.append(None if np.isnan(p).any() else LABELS[int(np.argmax(p))])
    score = proba[:, 2] - proba[:, 0]
    conf = proba.max(axis=1) if len(proba) else np.zeros(0)
    return labels, score, conf


# --- the stage -------------------------------------------------------------------------------
def score_sentiment(
    records: pd.DataFrame,
    *,
    concerns: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    model: SentimentModel | None = None,
    encoder: Any = None,
    concern_descriptions: Mapping[str, str] | None = None,
    progress: ProgressFn = no_progress,
) -> pd.DataFrame:
    """Score records (and record x concern pairs) for sentiment: ``schemas.SENTIMENT_COLUMNS``.

    Reads ``record_id`` and ``text`` (and ``language`` when present) of ``records``; from
    ``concerns`` ``record_id``, ``concern_id`` and ``evidence``; never changes its inputs.
    ``model`` defaults to the shipped model (``models/sentiment``), ``encoder`` to the one it was
    trained on. See the module docstring for how each kind of text is scored.

    >>> score_sentiment(records)                                   # doctest: +SKIP
    >>> score_sentiment(records, concerns=concerns_table)          # doctest: +SKIP
    """
    require_columns(records, (RECORD_ID, TEXT), table="records")
    if concerns is not None:
        require_columns(concerns, (RECORD_ID, CONCERN_ID), table="concerns")
    if segments is not None:
        require_columns(segments, (RECORD_ID, TEXT), table="segments")
    model, encoder = _resolve(model, encoder)
    scorer = _Scorer(model, encoder, progress)

    ids = records[RECORD_ID].tolist()
    texts = ["" if not isinstance(t, str) else t for t in records[TEXT].tolist()]
    langs = records[LANGUAGE].tolist() if LANGUAGE in records.columns else [None] * len(ids)
    supported = [_supported(lang) for lang in langs]

    # record rows
    fixed: dict[int, tuple[str | None, float, float]] = {}
    whole: list[tuple[int, str, float]] = []
    long_ids: list[Any] = []
    long_keys: dict[Any, int] = {}
    for k, (rid, text, ok) in enumerate(zip(ids, texts, supported, strict=True)):
        if not ok:
            fixed[k] = (None, math.nan, math.nan)
            continue
        answer = _lexicon_row(text)
        if answer is not None:
            fixed[k] = answer
        elif len(text) <= WHOLE_TEXT_CHARS:
            whole.append((k, text, 1.0))
        else:
            long_ids.append(rid)
            long_keys[rid] = k
    seg_texts = _segments_by_record(records, segments, long_ids)
    units = list(whole)
    for rid in long_ids:
        k = long_keys[rid]
        parts = [s for s in seg_texts.get(rid, []) if has_words(s)] or [texts[k]]
        units.extend((k, s, float(len(s))) for s in parts)
    progress("sentiment", 0, len(ids))
    proba = scorer.proba_units(units, len(ids))
    progress("sentiment", len(ids), len(ids))
    rec = _frame(ids, [None] * len(ids), proba, fixed)
    if concerns is None or concerns.empty:
        return rec

    con = _score_concerns(
        records,
        concerns,
        segments,
        scorer,
        ids,
        texts,
        supported,
        concern_descriptions or {},
    )
    return pd.concat([rec, con], ignore_index=True)[list(SENTIMENT_COLUMNS)]


def _frame(
    ids: list[Any],
    concern_ids: list[Any],
    proba: np.ndarray,
    fixed: Mapping[int, tuple[str | None, float, float]],
) -> pd.DataFrame:
    labels, score, conf = _finish(proba)
    score = score.astype(np.float64)
    conf = conf.astype(np.float64)
    for k, (label, s, c) in fixed.items():
        labels[k], score[k], conf[k] = label, s, c
    return pd.DataFrame(
        {
            RECORD_ID: pd.Series(ids, dtype=object),
            CONCERN_ID: pd.Series(concern_ids, dtype=object),
            LABEL: pd.Series(labels, dtype=object),
            SCORE: pd.Series(score, dtype="float64"),
            CONFIDENCE: pd.Series(conf, dtype="float64"),
        },
        columns=list(SENTIMENT_COLUMNS),
    )


def _describe(concern_id: Any, descriptions: Mapping[str, str]) -> str:
    return descriptions.get(str(concern_id)) or str(concern_id).replace("_", " ")


def _score_concerns(
    records: pd.DataFrame,
    concerns: pd.DataFrame,
    segments: pd.DataFrame | None,
    scorer: _Scorer,
    ids: list[Any],
    texts: list[str],
    supported: list[bool],
    descriptions: Mapping[str, str],
) -> pd.DataFrame:
    index = {rid: k for k, rid in enumerate(ids)}
    c_rids = concerns[RECORD_ID].tolist()
    c_ids = concerns[CONCERN_ID].tolist()
    evid = concerns[EVIDENCE].tolist() if EVIDENCE in concerns.columns else [None] * len(c_rids)
    seg_texts = (
        _segments_by_record(records, segments, list(set(c_rids))) if segments is not None else {}
    )

    fixed: dict[int, tuple[str | None, float, float]] = {}
    by_record: dict[Any, list[int]] = {}
    for j, rid in enumerate(c_rids):
        k = index.get(rid)
        if k is None or not supported[k]:
            fixed[j] = (None, math.nan, math.nan)
            continue
        by_record.setdefault(rid, []).append(j)

    units: list[tuple[int, str, float]] = []
    for rid, rows in by_record.items():
        k = index[rid]
        own: dict[int, str] = {}
        for j in rows:
            e = evid[j]
            own[j] = e if isinstance(e, str) and e.strip() else texts[k]
        if len(rows) == 1:
            j = rows[0]
            answer = _lexicon_row(own[j])
            if answer is not None:
                fixed[j] = answer
            else:
                units.extend(_pieces(j, own[j]))
            continue
        # several concerns: clauses compete for the concern they are most about
        candidates: dict[int, list[str]] = {j: split_clauses(own[j]) for j in rows}
        shared = [c for j in rows for c in candidates[j]]
        for s in seg_texts.get(rid, []):
            shared.extend(split_clauses(s))
        shared = list(dict.fromkeys(shared))
        if not shared:
            for j in rows:
                fixed[j] = _lexicon_row(own[j]) or ("neutral", 0.0, PUNCT_CONFIDENCE)
            continue
        clause_emb = scorer.embed(shared)
        desc_emb = scorer.embed([_describe(c_ids[j], descriptions) for j in rows])
        sims = clause_emb @ desc_emb.T  # (clauses, concerns of this record)
        winner = sims.argmax(axis=1)
        for col, j in enumerate(rows):
            won = [c for c, w in zip(shared, winner, strict=True) if w == col]
            if not won:
                pool = candidates[j] or shared
                pos = [shared.index(c) for c in pool]
                won = [shared[max(pos, key=lambda p: sims[p, col])]]
            units.extend((j, c, float(len(c))) for c in won)
    proba = scorer.proba_units(units, len(c_rids))
    return _frame(c_rids, c_ids, proba, fixed)


def _pieces(key: int, text: str) -> list[tuple[int, str, float]]:
    """One unit for a short text, length-weighted rule segments for a long one."""
    if len(text) <= WHOLE_TEXT_CHARS:
        return [(key, text, 1.0)]
    from voiceline.nlp.segments import split_rules

    parts = [text[a:b] for a, b in split_rules(text)]
    parts = [p for p in parts if has_words(p)] or [text[:WHOLE_TEXT_CHARS]]
    return [(key, p, float(len(p))) for p in parts]
