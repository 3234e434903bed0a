"""The topics stage: emerging topics in what the concern taxonomy does not cover (issue 6).

``assign_topics(records)`` models every record; ``assign_topics(records, concerns=...)`` models
only the records the taxonomy leaves uncovered (no concern row) or weakly covered (best score
below ``weak``): that is where a new scam or a string of car fires shows up before anyone adds it
to the taxonomy. It returns the per-record topics table (``record_id, topic_id, topic_label,
probability``) and the topic-info table (``topic_id, topic_label, keywords, size,
representative_ids, is_new``). :func:`fit_topics` returns the same plus the fitted
:class:`~voiceline.topics.model.TopicModel` (to save for next period) and the diff against the
previous period.

Reproducibility: records are sorted by ``record_id`` before anything is encoded or fitted, and
UMAP is seeded with ``n_jobs=1``, so the same records and options give byte-identical tables
whatever order the rows come in (the output rows follow the input order). Changing the *set* of
records (adding 10 % more) changes the fit; a saved model plus ``previous=`` keeps the ids stable.

``probability`` is the cosine similarity of the record to its topic's centroid (0..1); for an
outlier (``topic_id == -1``) it is the similarity to the nearest topic, which was below
``outlier_threshold``.

>>> from voiceline.nlp.embeddings import FakeEncoder
>>> enc = FakeEncoder()
>>> topics, info = assign_topics(records, encoder=enc, labels="keywords")  # doctest: +SKIP
>>> list(info.columns)  # doctest: +SKIP
['topic_id', 'topic_label', 'keywords', 'size', 'representative_ids', 'is_new']
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from voiceline.errors import ModelError, SchemaError
from voiceline.schemas import (
    CONCERN_ID,
    DUPLICATE_OF,
    RECORD_ID,
    SCORE,
    TAXONOMY_VERSION,
    TEXT,
    require_columns,
)
from voiceline.topics.clustering import SETTLE_ITERATIONS
from voiceline.topics.columns import (
    IS_NEW,
    KEYWORDS,
    OUTLIER,
    OUTLIER_LABEL,
    PROBABILITY,
    REPRESENTATIVE_IDS,
    SIZE,
    TOPIC_COLUMNS,
    TOPIC_ID,
    TOPIC_INFO_COLUMNS,
    TOPIC_LABEL,
)
from voiceline.topics.keywords import COHERENCE_WEIGHT
from voiceline.topics.model import TopicModel
from voiceline.topics.stability import align_topics, incompatible_setup, topic_diff

log = logging.getLogger("voiceline")

WEAK_SCORE = 0.5
"""A record whose best concern score is below this is 'weakly covered' and gets modelled."""


@dataclass
class TopicRun:
    """Everything one topics run produces: the two stage tables, the model, the diff, a summary."""

    topics: pd.DataFrame
    info: pd.DataFrame
    model: TopicModel
    diff: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def select_uncovered(
    records: pd.DataFrame, concerns: pd.DataFrame, *, weak: float = WEAK_SCORE
) -> pd.DataFrame:
    """The records with no concern row, or whose best concern score is below ``weak``.

    >>> recs = pd.DataFrame({"record_id": ["a", "b", "c"], "text": ["x", "y", "z"]})
    >>> cons = pd.DataFrame({"record_id": ["a", "b"], "concern_id": ["noise", "parking"],
    ...                      "score": [0.9, 0.3]})
    >>> select_uncovered(recs, cons).record_id.tolist()
    ['b', 'c']
    """
    require_columns(concerns, (RECORD_ID, CONCERN_ID, SCORE), table="concerns")
    best = concerns.groupby(RECORD_ID)[SCORE].max()
    covered = set(best.index[best >= weak])
    return records.loc[~records[RECORD_ID].isin(covered)]


def fit_topics(
    records: pd.DataFrame,
    *,
    concerns: pd.DataFrame | None = None,
    encoder: Any = None,
    embeddings: np.ndarray | None = None,
    nr_topics: int | None = None,
    min_topic_size: int = 10,
    seed: int = 0,
    previous: TopicModel | str | Path | None = None,
    weak: float = WEAK_SCORE,
    outlier_threshold: float | None = 0.35,
    max_fit_docs: int = 20_000,
    labels: Literal["keyphrase", "keywords"] = "keyphrase",
    nlp: Any = None,
    umap_model: Any = None,
    hdbscan_model: Any = None,
    keep_similarity: float | None = 0.5,
    keyword_min_share: float = 0.1,
    keyword_coherence: float = COHERENCE_WEIGHT,
    settle_iterations: int = SETTLE_ITERATIONS,
) -> TopicRun:
    """Fit topics on ``records`` (see the module docstring) and return a :class:`TopicRun`.

    - ``encoder``: Encoder contract; default ``load_encoder("accurate")`` when ``embeddings`` is
      not given. ``embeddings``: precomputed vectors, one row per row of ``records`` (input order).
    - ``previous``: last period's saved model folder (or a loaded :class:`TopicModel`): matching
      topics keep its ids and labels. A folder that cannot be read, or one from another encoder or
      taxonomy version, is ignored with a warning and the reason in ``summary["previous_ignored"]``.
    - ``labels``: ``"keyphrase"`` (spaCy noun chunks, ``nlp`` default ``load_spacy("full")``) or
      ``"keywords"`` (the first keywords joined; no spaCy).
    - ``umap_model``/``hdbscan_model``: injected sub-models (tests pass small, fast ones).
    - ``keep_similarity``: with ``previous``, a record whose cosine similarity to one of the
      previous topics' centroids reaches this stays in that topic (same id, same label) and
      only the rest is clustered for new topics; ``None`` refits everything and matches topics
      afterwards (centroid similarity + keyword overlap), which moves more records.
    - ``keyword_min_share``: a keyword must occur in at least this share of its topic's
      records (see :func:`~voiceline.topics.keywords.class_tfidf`).
    - ``keyword_coherence``: how much co-occurrence, against c-TF-IDF, decides the keywords
      (see :func:`~voiceline.topics.keywords.coherent_top_words`; 0 gives plain c-TF-IDF).
    - ``settle_iterations``: spherical k-means steps after HDBSCAN, so that memberships are the
      nearest-centroid ones a refit reproduces (see :func:`~voiceline.topics.clustering.settle`).
    """
    require_columns(records, (RECORD_ID, TEXT), table="records")
    if records[RECORD_ID].duplicated().any():
        dup = records.loc[records[RECORD_ID].duplicated(), RECORD_ID].iloc[0]
        raise SchemaError(
            f"record_id {dup!r} appears more than once in the records table; "
            "pass one row per record (as written by voiceline ingest)."
        )
    if embeddings is not None:
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or embeddings.shape[0] != len(records):
            raise SchemaError(
                f"embeddings must have one row per record: {len(records)} records, "
                f"embeddings of shape {embeddings.shape}."
            )
    taxonomy_version = None
    frame = records
    if concerns is not None:
        frame = select_uncovered(records, concerns, weak=weak)
        if TAXONOMY_VERSION in concerns.columns and concerns[TAXONOMY_VERSION].notna().any():
            taxonomy_version = str(concerns[TAXONOMY_VERSION].dropna().iloc[0])
    positions = np.flatnonzero(records[RECORD_ID].isin(set(frame[RECORD_ID])).to_numpy())
    order = positions[
        np.argsort(records[RECORD_ID].to_numpy()[positions].astype(str), kind="stable")
    ]
    chosen = records.iloc[order]
    ids = chosen[RECORD_ID].astype(str).tolist()
    texts = chosen[TEXT].fillna("").astype(str).tolist()

    if embeddings is not None:
        emb = embeddings[order]
    else:
        if encoder is None:
            from voiceline.nlp.embeddings import load_encoder

            encoder = load_encoder("accurate")
        emb = _encode_distinct(encoder, texts)
    is_dup = (
        chosen[DUPLICATE_OF].notna().to_numpy()
        if DUPLICATE_OF in chosen.columns
        else np.zeros(len(chosen), dtype=bool)
    )
    fit_mask = ~is_dup & np.array([bool(t.strip()) for t in texts], dtype=bool)

    labeler = None
    if labels == "keyphrase":
        from voiceline.topics.labels import KeyphraseLabeler

        if nlp is None:
            from voiceline.nlp.spacy_model import load_spacy

            nlp = load_spacy(profile="full")
        labeler = KeyphraseLabeler(nlp=nlp, encoder=encoder)
    elif labels != "keywords":
        raise SchemaError(f"labels must be 'keyphrase' or 'keywords', got {labels!r}.")

    model = TopicModel(
        nr_topics=nr_topics,
        min_topic_size=min_topic_size,
        seed=seed,
        outlier_threshold=outlier_threshold,
        max_fit_docs=max_fit_docs,
        keyword_min_share=keyword_min_share,
        keyword_coherence=keyword_coherence,
        settle_iterations=settle_iterations,
        umap_model=umap_model,
        hdbscan_model=hdbscan_model,
    )
    encoder_id = getattr(encoder, "model_id", None) if encoder is not None else None
    prev_model, prev_reason = _load_previous(previous)
    if prev_model is not None:
        prev_reason = incompatible_setup(
            prev_model, dim=int(emb.shape[1]), encoder=encoder_id, taxonomy_version=taxonomy_version
        )
        if prev_reason:
            prev_reason += "; topic ids start afresh (pass a --previous folder from the same setup)"
            log.warning("topics: %s", prev_reason)
            prev_model = None
    fit_idx = np.flatnonzero(fit_mask)
    model.fit(
        [texts[i] for i in fit_idx],
        emb[fit_idx],
        ids=[ids[i] for i in fit_idx],
        labeler=labeler,
        prior=prev_model if keep_similarity is not None else None,
        keep_similarity=keep_similarity if keep_similarity is not None else 1.0,
    )
    model.info_["encoder"] = encoder_id
    model.info_["taxonomy_version"] = taxonomy_version

    aligned = align_topics(model, prev_model)
    if prev_reason:
        aligned.info_["previous_ignored"] = prev_reason

    topic_of = np.full(len(texts), OUTLIER, dtype=np.int64)
    prob = np.zeros(len(texts), dtype=np.float32)
    topic_of[fit_idx] = aligned.doc_topics_
    prob[fit_idx] = aligned.doc_scores_
    rest = np.flatnonzero(~fit_mask)
    if len(rest):
        t, p = aligned.transform(emb[rest])
        topic_of[rest], prob[rest] = t, p

    label_of = dict(zip(aligned.topic_ids_, aligned.labels_, strict=True))
    by_sorted = pd.DataFrame(
        {
            RECORD_ID: ids,
            TOPIC_ID: topic_of,
            TOPIC_LABEL: [label_of.get(int(t), OUTLIER_LABEL) for t in topic_of],
            PROBABILITY: np.round(prob.astype(np.float64), 6),
        }
    )
    # rows in the input order of the modelled records
    topics = by_sorted.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    topics = topics[list(TOPIC_COLUMNS)]

    sizes = pd.Series(topic_of).value_counts()
    aligned.sizes_ = [int(sizes.get(t, 0)) for t in aligned.topic_ids_]
    info = pd.DataFrame(
        {
            TOPIC_ID: pd.Series(aligned.topic_ids_, dtype="int64"),
            TOPIC_LABEL: pd.Series(aligned.labels_, dtype="object"),
            KEYWORDS: pd.Series(aligned.keywords_, dtype="object"),
            SIZE: pd.Series(aligned.sizes_, dtype="int64"),
            REPRESENTATIVE_IDS: pd.Series(aligned.representative_ids_, dtype="object"),
            IS_NEW: pd.Series(aligned.is_new_, dtype="bool"),
        }
    )[list(TOPIC_INFO_COLUMNS)]
    info = info.sort_values(TOPIC_ID, kind="stable").reset_index(drop=True)
    n = len(texts)
    summary = {
        "n_records": int(len(records)),
        "n_modelled": int(n),
        "n_fitted": int(len(fit_idx)),
        "n_topics": int(len(aligned.topic_ids_)),
        "outlier_share": float((topic_of == OUTLIER).mean()) if n else 0.0,
        "outlier_share_before_reassignment": aligned.info_.get("outlier_share_before"),
        "reason": aligned.info_.get("reason"),
        "previous_ignored": aligned.info_.get("previous_ignored"),
        "retired": [r["topic_id"] for r in aligned.retired_],
        "taxonomy_version": taxonomy_version,
        "encoder": aligned.info_.get("encoder"),
    }
    aligned.info_["outlier_share"] = summary["outlier_share"]
    if n == 0:
        summary["reason"] = summary["reason"] or "no records to model"
    diff = topic_diff(prev_model, aligned)
    info.attrs["topics"] = summary
    return TopicRun(topics=topics, info=info, model=aligned, diff=diff, summary=summary)


def assign_topics(
    records: pd.DataFrame,
    *,
    concerns: pd.DataFrame | None = None,
    encoder: Any = None,
    embeddings: np.ndarray | None = None,
    nr_topics: int | None = None,
    min_topic_size: int = 10,
    seed: int = 0,
    previous: TopicModel | str | Path | None = None,
    **options: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The topics stage: ``(topics, topic_info)`` for ``records`` (see :func:`fit_topics` for
    every option; ``options`` are passed on). The run summary (outlier share, the reason when
    no topics were found) is in ``topic_info.attrs["topics"]``.

    >>> topics, info = assign_topics(records, concerns=concerns)  # doctest: +SKIP
    """
    run = fit_topics(
        records,
        concerns=concerns,
        encoder=encoder,
        embeddings=embeddings,
        nr_topics=nr_topics,
        min_topic_size=min_topic_size,
        seed=seed,
        previous=previous,
        **options,
    )
    return run.topics, run.info


def topics_by(
    topics: pd.DataFrame, records: pd.DataFrame, *, by: str = "neighborhood_id"
) -> pd.DataFrame:
    """Counts of each topic per value of a records column (``neighborhood_id``, ``period``, ...):
    BERTopic's per-class and over-time views as a plain table (``by, topic_id, n, share``).

    >>> t = pd.DataFrame({"record_id": ["a", "b"], "topic_id": [0, 0]})
    >>> r = pd.DataFrame({"record_id": ["a", "b"], "period": ["2024-01", "2024-02"]})
    >>> topics_by(t, r, by="period").n.tolist()
    [1, 1]
    """
    require_columns(topics, (RECORD_ID, TOPIC_ID), table="topics")
    require_columns(records, (RECORD_ID, by), table="records")
    joined = topics[[RECORD_ID, TOPIC_ID]].merge(records[[RECORD_ID, by]], on=RECORD_ID, how="left")
    counts = joined.groupby([by, TOPIC_ID], dropna=False).size().rename("n").reset_index()
    totals = counts.groupby(by, dropna=False)["n"].transform("sum")
    counts["share"] = counts["n"] / totals
    return counts.sort_values([by, TOPIC_ID], kind="stable").reset_index(drop=True)


def _encode_distinct(encoder: Any, texts: list[str]) -> np.ndarray:
    """Encode each distinct text once (in sorted-record order, so batches are reproducible)."""
    distinct: dict[str, int] = {}
    for t in texts:
        distinct.setdefault(t, len(distinct))
    vectors = np.asarray(encoder.encode(list(distinct)), dtype=np.float32)
    if len(distinct) == 0:
        return np.zeros((0, getattr(encoder, "dim", 0)), dtype=np.float32)
    return vectors[[distinct[t] for t in texts]]


def _load_previous(
    previous: TopicModel | str | Path | None,
) -> tuple[TopicModel | None, str | None]:
    if previous is None or isinstance(previous, TopicModel):
        return previous, None
    try:
        return TopicModel.load(previous), None
    except ModelError as exc:
        msg = f"previous topic model ignored: {exc}"
        log.warning("topics: %s", msg)
        return None, msg
