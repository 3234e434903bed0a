"""The concerns stage: records in, one row per (record, assigned concern) out.

Why sentences and the whole record both: "The lights on Elm are out. Someone broke into my car."
raises two concerns in two sentences, and each must keep the sentence that carries it as
``evidence``; a long meeting statement can also raise a concern no single sentence states. So
every segment and every record is scored, and a concern's record score is the mean of the record
score and its best segment's score (a one-sentence record scores once).

>>> import pandas as pd
>>> from voiceline.nlp.embeddings import FakeEncoder
>>> from voiceline.concerns.zero_shot import ZeroShotClassifier
>>> enc = FakeEncoder(dim=256)
>>> model = ZeroShotClassifier(encoder=enc).fit()
>>> records = pd.DataFrame({"record_id": ["r1"], "text": ["Huge pothole on Elm."]})
>>> list(classify_concerns(records, model=model, encoder=enc).columns)
['record_id', 'concern_id', 'score', 'is_primary', 'method', 'evidence', 'taxonomy_version']
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from voiceline.concerns.taxonomy import Taxonomy
from voiceline.errors import SchemaError
from voiceline.schemas import (
    CONCERN_COLUMNS,
    CONCERN_ID,
    EVIDENCE,
    IS_PRIMARY,
    METHOD,
    RECORD_ID,
    SCORE,
    TAXONOMY_VERSION,
    TEXT,
    require_columns,
)


def empty_concerns(record_id_dtype: Any = "object") -> pd.DataFrame:
    """A concerns table with no rows and the right columns and dtypes."""
    return pd.DataFrame(
        {
            RECORD_ID: pd.Series(dtype=record_id_dtype),
            CONCERN_ID: pd.Series(dtype="object"),
            SCORE: pd.Series(dtype="float64"),
            IS_PRIMARY: pd.Series(dtype="bool"),
            METHOD: pd.Series(dtype="object"),
            EVIDENCE: pd.Series(dtype="object"),
            TAXONOMY_VERSION: pd.Series(dtype="object"),
        }
    )[list(CONCERN_COLUMNS)]


def classify_concerns(
    records: pd.DataFrame,
    *,
    model: Any = None,
    encoder: Any = None,
    segments: pd.DataFrame | None = None,
    threshold: float | None = None,
    taxonomy: Taxonomy | str | None = None,
    max_concerns: int = 3,
    rules: bool = True,
) -> pd.DataFrame:
    """Assign concerns to records: ``schemas.CONCERN_COLUMNS``, never changing ``records``.

    - ``model``: anything with ``labels_``, ``method``, ``threshold_``, ``taxonomy_version_`` and
      ``predict_proba(texts, embeddings=None)``; default a :class:`ZeroShotClassifier` fitted on
      ``taxonomy`` (default the bundled v1) with ``encoder``.
    - ``encoder``: when given, each distinct text (records and segments) is encoded once and the
      vectors are handed to the model; when ``None`` the model encodes.
    - ``segments``: the segments table (``record_id``, ``text``); default
      ``segment_records(records, splitter="rules")``.
    - ``threshold``: the score from which a concern is assigned (default ``model.threshold_``);
      at most ``max_concerns`` per record, the best scoring one ``is_primary``.
    - ``rules``: a concern whose keywords (taxonomy ``keywords``) occur in the record is also
      assigned when the model's score falls short; such rows have ``method == "rule"``.

    Rows come in record order, then by score descending; a record with no concern has no row.
    """
    require_columns(records, (RECORD_ID, TEXT), table="records")
    if max_concerns < 1:
        raise SchemaError(f"max_concerns must be at least 1, got {max_concerns}.")
    if records.empty:
        return empty_concerns(records[RECORD_ID].dtype)
    if model is None:
        from voiceline.concerns.zero_shot import ZeroShotClassifier

        model = ZeroShotClassifier(taxonomy, encoder=encoder).fit()
    elif taxonomy is not None:
        tax = taxonomy if isinstance(taxonomy, Taxonomy) else Taxonomy.load(taxonomy)
        version = tax.version
        if version != model.taxonomy_version_:
            raise SchemaError(
                f"the model was built for taxonomy {model.taxonomy_version_!r} but taxonomy "
                f"{version!r} was passed; pass the model's taxonomy or refit the model."
            )
    cut = float(model.threshold_ if threshold is None else threshold)
    if not 0.0 <= cut <= 1.0:
        raise SchemaError(f"threshold must be between 0 and 1, got {threshold}.")

    ids = records[RECORD_ID].tolist()
    texts = ["" if not isinstance(t, str) else t for t in records[TEXT].tolist()]
    if segments is None:
        from voiceline.nlp.segments import segment_records

        segments = segment_records(records[[RECORD_ID, TEXT]], splitter="rules")
    else:
        require_columns(segments, (RECORD_ID, TEXT), table="segments")
    position = {rid: i for i, rid in enumerate(ids)}
    seg_rec = np.array([position.get(r, -1) for r in segments[RECORD_ID].tolist()], dtype=np.int64)
    seg_text = ["" if not isinstance(t, str) else t for t in segments[TEXT].tolist()]
    keep = seg_rec >= 0
    seg_rec = seg_rec[keep]
    seg_text = [t for t, k in zip(seg_text, keep, strict=True) if k]

    distinct = list(dict.fromkeys([t for t in texts + seg_text if t.strip()]))
    if not distinct:
        return empty_concerns(records[RECORD_ID].dtype)
    if encoder is not None:
        emb = np.asarray(encoder.encode(distinct), dtype=np.float32)
        proba = np.asarray(model.predict_proba(distinct, embeddings=emb), dtype=np.float64)
    else:
        proba = np.asarray(model.predict_proba(distinct), dtype=np.float64)
    row_of = {t: i for i, t in enumerate(distinct)}
    labels = list(model.labels_)
    n, k = len(texts), len(labels)
    zero = np.zeros(k)
    p_rec = np.stack([proba[row_of[t]] if t.strip() else zero for t in texts])
    p_seg = (
        np.stack([proba[row_of[t]] if t.strip() else zero for t in seg_text])
        if seg_text
        else np.zeros((0, k))
    )

    best = np.full((n, k), -1.0)
    best_seg = np.full((n, k), -1, dtype=np.int64)
    for j, i in enumerate(seg_rec):
        better = p_seg[j] > best[i]
        best[i, better] = p_seg[j, better]
        best_seg[i, better] = j
    has_seg = best_seg[:, 0] >= 0
    score = np.where(has_seg[:, None], (p_rec + np.maximum(best, 0.0)) / 2.0, p_rec)

    hits = np.zeros((n, k), dtype=bool)
    if rules and hasattr(model, "rule_hits"):
        hits = np.asarray(model.rule_hits(texts), dtype=bool)

    version = str(model.taxonomy_version_)
    method = str(model.method)
    out: list[tuple[Any, ...]] = []
    for i in range(n):
        chosen = [(score[i, c], c, method) for c in range(k) if score[i, c] >= cut]
        chosen += [(score[i, c], c, "rule") for c in range(k) if hits[i, c] and score[i, c] < cut]
        chosen.sort(key=lambda x: (-x[0], x[1]))
        for rank, (s, c, how) in enumerate(chosen[:max_concerns]):
            evidence = _evidence(i, c, how, texts, seg_text, seg_rec, best_seg, model)
            out.append((ids[i], labels[c], float(s), rank == 0, how, evidence, version))
    if not out:
        return empty_concerns(records[RECORD_ID].dtype)
    frame = pd.DataFrame(out, columns=list(CONCERN_COLUMNS))
    frame[RECORD_ID] = frame[RECORD_ID].astype(records[RECORD_ID].dtype)
    frame[IS_PRIMARY] = frame[IS_PRIMARY].astype(bool)
    return frame


def _evidence(
    i: int,
    c: int,
    how: str,
    texts: list[str],
    seg_text: list[str],
    seg_rec: np.ndarray,
    best_seg: np.ndarray,
    model: Any,
) -> str:
    """The segment carrying concern ``c`` in record ``i``: the best scoring one, or for a rule
    the first segment where a keyword occurs."""
    if how == "rule":
        pattern = model.keyword_patterns_[c]
        for j in np.flatnonzero(seg_rec == i):
            if pattern.search(seg_text[j]):
                return seg_text[j]
    j = best_seg[i, c]
    return seg_text[j] if j >= 0 else texts[i]
