"""The topic model: BERTopic (seeded UMAP + HDBSCAN) on precomputed embeddings, kept as arrays.

Why a wrapper and not BERTopic itself: what the next period needs from a fitted model is small
(topic centroids in the encoder's space, keywords, labels, ids), and BERTopic's own ``save`` is a
pickle. :class:`TopicModel` fits BERTopic once, then keeps only those arrays, so it can be saved
as safetensors + JSON (:mod:`~voiceline.topics.persist`), loaded on any machine, and used to
assign new records to existing topics by nearest centroid. It follows the scikit-learn contract:
``__init__`` stores, ``fit`` sets ``attr_``, ``transform`` checks it was fitted.

What ``fit`` adds to plain BERTopic, step by step:

1. bounded memory: at most ``max_fit_docs`` documents are clustered (a seeded sample);
2. with a ``prior`` model, records close to one of its topics stay there; only the rest is
   clustered (:mod:`~voiceline.topics.clustering`: seeded UMAP with ``n_jobs=1`` + HDBSCAN);
3. few outliers: an outlier whose cosine similarity to the nearest topic centroid reaches
   ``outlier_threshold`` joins that topic (records outside the sample likewise);
4. centroid-consistent memberships (:func:`~voiceline.topics.clustering.settle`): what a refit
   or :meth:`transform` reproduces next month;
5. keywords that hang together (:mod:`~voiceline.topics.keywords`): c-TF-IDF candidates on the
   final memberships, re-ranked by co-occurrence; then labels (:mod:`~voiceline.topics.labels`).

>>> import numpy as np
>>> from sklearn.decomposition import PCA
>>> from sklearn.cluster import KMeans
>>> rng = np.random.default_rng(0)
>>> emb = np.repeat(np.eye(4, 8, dtype=np.float32), 10, axis=0) + 0.01 * rng.random((40, 8))
>>> texts = [f"{w} complaint" for w in ["noise", "speeding", "trash", "lights"] for _ in range(10)]
>>> tm = TopicModel(umap_model=PCA(2), hdbscan_model=KMeans(4, n_init=1, random_state=0))
>>> tm = tm.fit(texts, emb)  # doctest: +SKIP
>>> sorted(tm.keywords_[0][:1])  # doctest: +SKIP
['lights']
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from voiceline.errors import ModelError
from voiceline.topics.clustering import (
    SETTLE_ITERATIONS,
    centroids_of,
    cluster,
    compact,
    default_sub_models,
    nearest_centroid,
    settle,
)
from voiceline.topics.columns import (  # noqa: F401  (re-exported: the historic import path)
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
from voiceline.topics.keywords import (  # noqa: F401  (re-exported)
    COHERENCE_WEIGHT,
    TOP_N_WORDS,
    bag_of_words,
    class_tfidf,
    coherent_top_words,
    fold_plurals,
    keyword_label,
    top_words,
)
from voiceline.topics.persist import FORMAT, FORMAT_VERSION, load_model, save_model  # noqa: F401

log = logging.getLogger("voiceline")

_KEEP_WORDS = 50  # c-TF-IDF weights saved per topic (enough to recompute keyword overlaps)
MIN_KEYWORD_DOCS = 2
"""A keyword must occur in at least this many of its topic's records (one record's names do not
describe a topic)."""
LABEL_DOCS = 50
"""Most central records per topic handed to a labeler."""


class TopicModel:
    """BERTopic fitted on precomputed embeddings, reduced to savable arrays.

    Options (stored as given, scikit-learn style):

    - ``nr_topics``: merge down to at most this many topics (BERTopic's agglomerative reduction),
      ``None`` keeps what HDBSCAN finds;
    - ``min_topic_size``: HDBSCAN's ``min_cluster_size``;
    - ``seed``: UMAP's ``random_state`` and the sampling seed;
    - ``outlier_threshold``: cosine similarity from which an outlier joins its nearest topic
      (``None`` keeps HDBSCAN's outliers); also the bar for :meth:`transform`;
    - ``max_fit_docs``: cluster at most this many documents (a seeded sample), assign the rest;
    - ``umap_model`` / ``hdbscan_model``: injected sub-models (anything BERTopic accepts);
      default seeded UMAP (5 dims, cosine) and HDBSCAN (``min_topic_size``);
    - ``keyword_min_share``: a keyword must occur in at least this share of its topic's records;
    - ``keyword_coherence``: weight of co-occurrence against c-TF-IDF when choosing keywords
      (0 gives BERTopic's top c-TF-IDF words);
    - ``settle_iterations``: spherical k-means steps after HDBSCAN (0 keeps HDBSCAN's
      memberships, which a refit reproduces less often).

    Fitted attributes: ``topic_ids_`` (stable ids), ``labels_``, ``keywords_``, ``sizes_``,
    ``centroids_`` ((k, dim) float32), ``ctfidf_`` and ``vocabulary_`` (top c-TF-IDF weights),
    ``representative_ids_``, ``is_new_``, ``doc_topics_``/``doc_scores_`` (per fitted document),
    ``origin_`` (the prior id of each topic, or None), ``info_`` (a dict: reason when no topics
    were found, outlier shares before and after reassignment, counts).
    """

    def __init__(
        self,
        *,
        nr_topics: int | None = None,
        min_topic_size: int = 10,
        seed: int = 0,
        outlier_threshold: float | None = 0.35,
        max_fit_docs: int = 20_000,
        n_neighbors: int = 15,
        n_components: int = 5,
        umap_model: Any = None,
        hdbscan_model: Any = None,
        keyword_min_share: float = 0.1,
        keyword_coherence: float = COHERENCE_WEIGHT,
        settle_iterations: int = SETTLE_ITERATIONS,
    ) -> None:
        self.nr_topics = nr_topics
        self.min_topic_size = min_topic_size
        self.seed = seed
        self.outlier_threshold = outlier_threshold
        self.max_fit_docs = max_fit_docs
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.umap_model = umap_model
        self.hdbscan_model = hdbscan_model
        self.keyword_min_share = keyword_min_share
        self.keyword_coherence = keyword_coherence
        self.settle_iterations = settle_iterations

    # --- configuration -------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """The JSON-able options (sub-models are named by class, not saved)."""
        return {
            "nr_topics": self.nr_topics,
            "min_topic_size": self.min_topic_size,
            "seed": self.seed,
            "outlier_threshold": self.outlier_threshold,
            "max_fit_docs": self.max_fit_docs,
            "n_neighbors": self.n_neighbors,
            "n_components": self.n_components,
            "keyword_min_share": self.keyword_min_share,
            "keyword_coherence": self.keyword_coherence,
            "settle_iterations": self.settle_iterations,
            "umap_model": type(self.umap_model).__name__ if self.umap_model is not None else "UMAP",
            "hdbscan_model": (
                type(self.hdbscan_model).__name__ if self.hdbscan_model is not None else "HDBSCAN"
            ),
        }

    def _check_options(self) -> None:
        problems = []
        if not isinstance(self.min_topic_size, int) or self.min_topic_size < 2:
            problems.append(f"min_topic_size must be an integer >= 2, got {self.min_topic_size!r}")
        if self.nr_topics is not None and (
            not isinstance(self.nr_topics, int) or self.nr_topics < 2
        ):
            problems.append(f"nr_topics must be None or an integer >= 2, got {self.nr_topics!r}")
        if self.outlier_threshold is not None and not -1 <= self.outlier_threshold <= 1:
            problems.append(
                f"outlier_threshold must be in -1..1 or None, got {self.outlier_threshold!r}"
            )
        if not 0 <= self.keyword_coherence <= 1:
            problems.append(f"keyword_coherence must be in 0..1, got {self.keyword_coherence!r}")
        if not isinstance(self.settle_iterations, int) or self.settle_iterations < 0:
            problems.append(
                f"settle_iterations must be an integer >= 0, got {self.settle_iterations!r}"
            )
        if problems:
            from voiceline.errors import ConfigError

            raise ConfigError("invalid topic model options:", problems)

    # --- fitting -------------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray,
        *,
        ids: Sequence[str] | None = None,
        labeler: Any = None,
        prior: TopicModel | None = None,
        keep_similarity: float = 0.5,
    ) -> TopicModel:
        """Cluster ``texts`` (with their ``embeddings``, rows L2-normalised) into topics.

        ``ids`` (default the row positions as strings) name the representative documents.
        ``labeler`` is a callable ``(texts_by_topic, keywords, centroids) -> labels`` (see
        :mod:`voiceline.topics.labels`); default: the top keywords joined.

        ``prior`` (last period's model, same encoder): a document whose cosine similarity to one
        of its centroids reaches ``keep_similarity`` joins that topic and stays there (``origin_``
        records the prior id of each topic); only the others are clustered, into new topics.

        Too few distinct documents to cluster gives a fitted model with no topics and the reason
        in ``info_["reason"]`` (never an exception).
        """
        self._check_options()
        texts = [str(t) for t in texts]
        emb = np.asarray(embeddings, dtype=np.float32)
        if emb.ndim != 2 or emb.shape[0] != len(texts):
            raise ModelError(
                f"embeddings must be a (n_texts, dim) array; got shape {emb.shape} for "
                f"{len(texts)} texts. Pass the encoder's vectors for exactly these texts."
            )
        ids = [str(i) for i in ids] if ids is not None else [str(i) for i in range(len(texts))]
        n = len(texts)
        self.dim_ = int(emb.shape[1])
        self.info_: dict[str, Any] = {"n_documents": n, "reason": None}
        self._reset()
        fit_idx = np.arange(n)
        if n > self.max_fit_docs:
            rng = np.random.default_rng(self.seed)
            fit_idx = np.sort(rng.choice(n, size=self.max_fit_docs, replace=False))
        self.info_["n_fitted"] = int(len(fit_idx))
        raw, origin, kept = self._first_labels(texts, emb, fit_idx, prior, keep_similarity)
        raw, present = compact(raw, len(origin))
        origin = [origin[t] for t in present]
        k = len(present)
        if k == 0:
            self.info_["reason"] = self.info_["reason"] or (
                "HDBSCAN found no cluster (every document is an outlier)"
            )
            log.warning("topics: %s", self.info_["reason"])
            self._finish_empty(n)
            return self
        self.info_["outlier_share_before"] = float((raw < 0).mean())
        labels = np.full(n, OUTLIER, dtype=np.int64)
        labels[fit_idx] = raw
        labels = self._join_outliers(emb, labels, fit_idx, centroids_of(emb[fit_idx], raw, k))
        fixed = np.zeros(n, dtype=bool)
        fixed[fit_idx[kept]] = True
        labels = settle(emb, labels, k, iterations=self.settle_iterations, fixed=fixed)
        labels, present = compact(labels, k)
        origin = [origin[t] for t in present]
        k = len(present)
        # ids by size (largest first), ties by first member: deterministic
        sizes = np.bincount(labels[labels >= 0], minlength=k)
        first = np.array([int(np.flatnonzero(labels == t)[0]) for t in range(k)])
        order = sorted(range(k), key=lambda t: (-sizes[t], first[t]))
        remap = np.full(k + 1, OUTLIER, dtype=np.int64)
        remap[np.array(order)] = np.arange(k)
        labels = np.where(labels >= 0, remap[np.maximum(labels, 0)], OUTLIER)
        self.origin_ = [origin[t] for t in order]
        self.centroids_ = centroids_of(emb, labels, k)
        own = np.einsum("ij,ij->i", emb, self.centroids_[np.maximum(labels, 0)])
        _, best = nearest_centroid(emb, self.centroids_)
        self.doc_topics_ = labels
        self.doc_scores_ = np.clip(np.where(labels >= 0, own, best), 0.0, 1.0).astype(np.float32)
        self.sizes_ = [int(s) for s in np.bincount(labels[labels >= 0], minlength=k)]
        self.info_["outlier_share"] = float((labels < 0).mean())
        self._describe(texts, ids, labels, k, labeler)
        return self

    def _first_labels(
        self,
        texts: list[str],
        emb: np.ndarray,
        fit_idx: np.ndarray,
        prior: TopicModel | None,
        keep_similarity: float,
    ) -> tuple[np.ndarray, list[int | None], np.ndarray]:
        """Labels of the fit sample before any reassignment: the prior's topics for records
        close to them, then HDBSCAN clusters of the rest. Returns ``(labels, origin, kept)``:
        the prior id (or None) of each label, and which sample rows the prior kept."""
        raw = np.full(len(fit_idx), OUTLIER, dtype=np.int64)
        origin: list[int | None] = []
        if prior is not None and getattr(prior, "topic_ids_", None):
            nearest, best = nearest_centroid(emb[fit_idx], prior.centroids_)
            keep = best >= keep_similarity
            raw[keep] = nearest[keep]
            origin = [int(t) for t in prior.topic_ids_]
        kept = raw >= 0
        rest = np.flatnonzero(~kept)
        n_distinct = len({texts[fit_idx[i]] for i in rest})
        need = max(2 * self.min_topic_size, 20)
        if n_distinct < need:
            self.info_["reason"] = (
                f"too few distinct texts to find {'new ' if origin else ''}topics: {n_distinct}, "
                f"need at least {need} (2 x min_topic_size, at least 20)"
            )
            log.warning("topics: %s", self.info_["reason"])
            return raw, origin, kept
        umap_model, hdbscan_model = self.umap_model, self.hdbscan_model
        if umap_model is None or hdbscan_model is None:
            default_umap, default_hdbscan = default_sub_models(
                len(rest),
                n_neighbors=self.n_neighbors,
                n_components=self.n_components,
                min_topic_size=self.min_topic_size,
                seed=self.seed,
                single=bool(origin),
            )
            umap_model = umap_model if umap_model is not None else default_umap
            hdbscan_model = hdbscan_model if hdbscan_model is not None else default_hdbscan
        sub = cluster(
            [texts[fit_idx[i]] for i in rest],
            emb[fit_idx[rest]],
            umap_model=umap_model,
            hdbscan_model=hdbscan_model,
            nr_topics=self.nr_topics,
            min_topic_size=self.min_topic_size,
        )
        raw[rest] = np.where(sub >= 0, sub + len(origin), OUTLIER)
        origin += [None] * (int(sub.max()) + 1 if (sub >= 0).any() else 0)
        return raw, origin, kept

    def _join_outliers(
        self, emb: np.ndarray, labels: np.ndarray, fit_idx: np.ndarray, centroids: np.ndarray
    ) -> np.ndarray:
        """Records outside the fit sample, and outliers close enough to a centroid (similarity
        at least ``outlier_threshold``), join their nearest topic."""
        nearest, best = nearest_centroid(emb, centroids)
        in_fit = np.zeros(len(labels), dtype=bool)
        in_fit[fit_idx] = True
        bar = -np.inf if self.outlier_threshold is None else self.outlier_threshold
        join = (labels < 0) & (best >= bar) & (~in_fit | (self.outlier_threshold is not None))
        return np.where(join, nearest, labels)

    def _describe(
        self, texts: list[str], ids: list[str], labels: np.ndarray, k: int, labeler: Any
    ) -> None:
        bag = bag_of_words(texts)
        weights, vocab = class_tfidf(
            bag, labels, n_classes=k, min_share=self.keyword_min_share, min_docs=MIN_KEYWORD_DOCS
        )
        self.keywords_ = coherent_top_words(weights, bag, coherence_weight=self.keyword_coherence)
        keep = sorted({i for row in weights for i in np.argsort(-row)[:_KEEP_WORDS] if row[i] > 0})
        self.vocabulary_ = [vocab[i] for i in keep]
        self.ctfidf_ = weights[:, keep].astype(np.float32) if keep else np.zeros((k, 0), np.float32)
        self.representative_ids_ = []
        members_by_topic: list[list[str]] = []
        for t in range(k):
            members = np.flatnonzero(labels == t)
            sims = self.doc_scores_[members]
            order = members[np.lexsort((members, -sims))]
            self.representative_ids_.append([ids[i] for i in order[:3]])
            members_by_topic.append([texts[i] for i in order[:LABEL_DOCS]])
        if labeler is None:
            self.labels_ = [keyword_label(kw) for kw in self.keywords_]
        else:
            self.labels_ = list(labeler(members_by_topic, self.keywords_, self.centroids_))
        self.topic_ids_ = list(range(k))
        self.is_new_ = [True] * k
        self.next_id_ = k
        self.retired_: list[dict[str, Any]] = []

    def _reset(self) -> None:
        self.topic_ids_: list[int] = []
        self.labels_: list[str] = []
        self.keywords_: list[list[str]] = []
        self.sizes_: list[int] = []
        self.representative_ids_: list[list[str]] = []
        self.is_new_: list[bool] = []
        self.centroids_ = np.zeros((0, self.dim_), dtype=np.float32)
        self.ctfidf_ = np.zeros((0, 0), dtype=np.float32)
        self.vocabulary_: list[str] = []
        self.next_id_ = 0
        self.retired_ = []
        self.origin_: list[int | None] = []

    def _finish_empty(self, n: int) -> None:
        self.doc_topics_ = np.full(n, OUTLIER, dtype=np.int64)
        self.doc_scores_ = np.zeros(n, dtype=np.float32)
        self.info_["outlier_share"] = 1.0 if n else 0.0

    # --- using a fitted model ------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "centroids_"):
            raise ModelError(
                "this TopicModel is not fitted yet; call fit(texts, embeddings) or "
                "TopicModel.load(folder) first."
            )

    @property
    def n_topics(self) -> int:
        """How many topics the fitted model has."""
        self._check_fitted()
        return len(self.topic_ids_)

    def transform(self, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stable topic id (or -1) and similarity of each row, by nearest centroid.

        A row joins its nearest topic when the cosine similarity reaches ``outlier_threshold``
        (any similarity when it is ``None``). This is how a saved model labels next month's
        records without refitting.
        """
        self._check_fitted()
        emb = np.asarray(embeddings, dtype=np.float32)
        n = emb.shape[0] if emb.ndim == 2 else 0
        if not self.topic_ids_ or n == 0:
            return np.full(n, OUTLIER, dtype=np.int64), np.zeros(n, dtype=np.float32)
        if emb.shape[1] != self.centroids_.shape[1]:
            raise ModelError(
                f"embeddings have {emb.shape[1]} dimensions but the topic model was fitted on "
                f"{self.centroids_.shape[1]}; encode with the same encoder as the model "
                f"({self.info_.get('encoder', 'unknown')})."
            )
        nearest, best = nearest_centroid(emb, self.centroids_)
        bar = -np.inf if self.outlier_threshold is None else self.outlier_threshold
        ids = np.asarray(self.topic_ids_, dtype=np.int64)[nearest]
        return np.where(best >= bar, ids, OUTLIER), np.clip(best, 0.0, 1.0).astype(np.float32)

    def label_of(self, topic_id: int) -> str:
        """The label of a stable topic id (``OUTLIER_LABEL`` for -1)."""
        if topic_id == OUTLIER:
            return OUTLIER_LABEL
        return self.labels_[self.topic_ids_.index(int(topic_id))]

    # --- saving without pickles (see voiceline.topics.persist) ---------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write ``model.safetensors`` (centroids, c-TF-IDF rows) and ``model.json`` (the rest).

        No pickle anywhere: a saved model can be inspected, diffed and loaded safely.
        """
        self._check_fitted()
        return save_model(self, folder)

    @classmethod
    def load(cls, folder: str | Path) -> TopicModel:
        """Read a model written by :meth:`save`; a clear :class:`ModelError` for anything else."""
        return load_model(cls, folder)
