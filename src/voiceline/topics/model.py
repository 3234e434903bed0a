"""The topic model: BERTopic (seeded UMAP + HDBSCAN) on precomputed embeddings, kept as arrays.

Why a wrapper and not BERTopic itself: what the next period needs from a fitted model is small
(topic centroids in the encoder's space, keywords, labels, ids), and BERTopic's own ``save`` is a
pickle. :class:`TopicModel` fits BERTopic once, then keeps only those arrays, so it can be saved
as safetensors + JSON, loaded on any machine, and used to assign new records to existing topics by
nearest centroid. It follows the scikit-learn contract: ``__init__`` stores, ``fit`` sets
``attr_``, ``transform`` checks it was fitted.

What ``fit`` adds to plain BERTopic:

- determinism: UMAP gets ``random_state=seed`` and ``n_jobs=1`` (numba's parallel paths are not
  reproducible); the caller sorts documents by record id, so the input order does not matter;
- few outliers: an HDBSCAN outlier whose cosine similarity to the nearest topic centroid is at
  least ``outlier_threshold`` joins that topic (``reduce_outliers`` with the embeddings strategy,
  done on the original vectors);
- keywords from a class-based TF-IDF on the *final* assignment, English stop words removed and
  regular plurals folded into their singular ("cars" and "car" count as one word);
- bounded memory: at most ``max_fit_docs`` documents are clustered (a seeded sample); the rest
  are assigned by nearest centroid.

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

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from voiceline.errors import ModelError

log = logging.getLogger("voiceline")

# --- table columns (topics and topic-info tables, DESIGN.md section 2) ------------------------
# Kept here until they move into voiceline.schemas.
TOPIC_ID = "topic_id"
TOPIC_LABEL = "topic_label"
PROBABILITY = "probability"
KEYWORDS = "keywords"
SIZE = "size"
REPRESENTATIVE_IDS = "representative_ids"
IS_NEW = "is_new"
TOPIC_COLUMNS: tuple[str, ...] = ("record_id", TOPIC_ID, TOPIC_LABEL, PROBABILITY)
TOPIC_INFO_COLUMNS: tuple[str, ...] = (
    TOPIC_ID,
    TOPIC_LABEL,
    KEYWORDS,
    SIZE,
    REPRESENTATIVE_IDS,
    IS_NEW,
)

OUTLIER = -1
OUTLIER_LABEL = "(no topic)"
FORMAT = "voiceline-topic-model"
FORMAT_VERSION = 1
TOP_N_WORDS = 10
_KEEP_WORDS = 50  # c-TF-IDF weights saved per topic (enough to recompute keyword overlaps)


def fold_plurals(vocabulary: Sequence[str]) -> list[str]:
    """Map each word to its singular when that singular is itself in the vocabulary.

    Why: c-TF-IDF otherwise lists "car" and "cars" as two of a topic's ten words, which wastes a
    slot and lowers topic diversity. Only regular plurals whose base occurs are folded, so
    "news" or "police" stay as they are.

    >>> fold_plurals(["car", "cars", "party", "parties", "news", "boxes", "box"])
    ['car', 'car', 'party', 'party', 'news', 'box', 'box']
    """
    vocab = set(vocabulary)
    out = []
    for w in vocabulary:
        base = w
        if len(w) > 3 and w.endswith("ies") and w[:-3] + "y" in vocab:
            base = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("es") and w[:-2] in vocab and w[-3] in "sxzh":
            base = w[:-2]
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss") and w[:-1] in vocab:
            base = w[:-1]
        out.append(base)
    return out


def class_tfidf(
    texts: Sequence[str],
    classes: np.ndarray,
    *,
    n_classes: int,
    min_df: int = 1,
    min_share: float = 0.0,
) -> tuple[np.ndarray, list[str]]:
    """Class-based TF-IDF (BERTopic's, frequent words damped) of ``n_classes`` document groups.

    ``classes`` holds each text's class (0..n_classes-1, or -1 for outliers, which count in the
    IDF as one more class but get no row). Returns ``(weights (n_classes, V), vocabulary)`` with
    English stop words removed and plurals folded (:func:`fold_plurals`). A word found in
    fewer than ``min_share`` of a topic's documents gets no weight in that topic: one article's
    proper names then stop crowding out the words the topic's documents share (better
    coherence).
    """
    import scipy.sparse as sp
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(
        stop_words="english", min_df=min_df, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b"
    )
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # empty vocabulary: only stop words or numbers
        return np.zeros((n_classes, 0), dtype=np.float32), []
    words = list(vectorizer.get_feature_names_out())
    folded = fold_plurals(words)
    vocab = sorted(set(folded))
    index = {w: i for i, w in enumerate(vocab)}
    fold = sp.csr_matrix(
        (np.ones(len(words)), (np.arange(len(words)), [index[w] for w in folded])),
        shape=(len(words), len(vocab)),
    )
    counts = (counts @ fold).tocsr()
    groups = np.where(classes < 0, n_classes, classes)
    member = sp.csr_matrix(
        (np.ones(len(groups)), (groups, np.arange(len(groups)))), shape=(n_classes + 1, len(groups))
    )
    per_class = (member @ counts).tocsr()
    weights = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(per_class)
    dense = np.asarray(weights.todense(), dtype=np.float32)[:n_classes]
    if min_share > 0 and n_classes:
        present = (member @ (counts > 0).astype(np.float64)).tocsr()[:n_classes]
        sizes = np.asarray(member.sum(axis=1)).ravel()[:n_classes]
        share = np.asarray(present.todense()) / np.maximum(sizes, 1)[:, None]
        dense = np.where(share >= min_share, dense, 0.0).astype(np.float32)
    return dense, vocab


def top_words(
    weights: np.ndarray, vocabulary: Sequence[str], *, n: int = TOP_N_WORDS
) -> list[list[str]]:
    """The ``n`` highest-weighted words of each row (ties broken alphabetically: deterministic)."""
    out = []
    vocab = np.asarray(vocabulary, dtype=object)
    for row in weights:
        order = np.lexsort((vocab, -row)) if len(vocab) else np.array([], dtype=int)
        out.append([str(vocab[i]) for i in order[:n] if row[i] > 0])
    return out


def centroids_of(embeddings: np.ndarray, labels: np.ndarray, n_topics: int) -> np.ndarray:
    """L2-normalised mean embedding of each topic's members (float32, (n_topics, dim))."""
    dim = embeddings.shape[1]
    out = np.zeros((n_topics, dim), dtype=np.float64)
    for t in range(n_topics):
        members = embeddings[labels == t]
        if len(members):
            out[t] = members.astype(np.float64).sum(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return out.astype(np.float32)


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
      default seeded UMAP (5 dims, cosine) and HDBSCAN (``min_topic_size``).

    Fitted attributes: ``topic_ids_`` (stable ids), ``labels_``, ``keywords_``, ``sizes_``,
    ``centroids_`` ((k, dim) float32), ``ctfidf_`` and ``vocabulary_`` (top c-TF-IDF weights),
    ``representative_ids_``, ``is_new_``, ``doc_topics_``/``doc_scores_`` (per fitted document),
    ``outlier_share_`` (before and after reassignment in ``info_``), ``info_`` (a dict: reason
    when no topics were found, counts, versions).
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
        if problems:
            from voiceline.errors import ConfigError

            raise ConfigError("invalid topic model options:", problems)

    def _sub_models(self, n: int, *, single: bool = False) -> tuple[Any, Any]:
        umap_model, hdbscan_model = self.umap_model, self.hdbscan_model
        if umap_model is None:
            from umap import UMAP

            umap_model = UMAP(
                n_neighbors=max(2, min(self.n_neighbors, n - 1)),
                n_components=self.n_components,
                min_dist=0.0,
                metric="cosine",
                random_state=self.seed,
                n_jobs=1,
                low_memory=True,
            )
        if hdbscan_model is None:
            from hdbscan import HDBSCAN

            hdbscan_model = HDBSCAN(
                min_cluster_size=self.min_topic_size,
                metric="euclidean",
                cluster_selection_method="eom",
                prediction_data=False,
                # the remainder after a prior model may hold just one emerging topic
                allow_single_cluster=single,
            )
        return umap_model, hdbscan_model

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
        of its centroids reaches ``keep_similarity`` joins that topic (``origin_`` records the
        prior id of each topic); only the others are clustered, into new topics.

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
        # with a prior model, records close to one of its topics stay there (stable ids and
        # memberships month to month); only the rest is clustered, for new topics
        raw = np.full(len(fit_idx), OUTLIER, dtype=np.int64)
        origin: list[int | None] = []
        if prior is not None and getattr(prior, "topic_ids_", None):
            sims = emb[fit_idx] @ prior.centroids_.T
            nearest = sims.argmax(axis=1)
            keep = sims[np.arange(len(fit_idx)), nearest] >= keep_similarity
            raw[keep] = nearest[keep]
            origin = [int(t) for t in prior.topic_ids_]
        rest = np.flatnonzero(raw < 0)
        n_distinct = len({texts[fit_idx[i]] for i in rest})
        need = max(2 * self.min_topic_size, 20)
        if n_distinct >= need:
            sub = self._cluster(
                [texts[fit_idx[i]] for i in rest], emb[fit_idx[rest]], single=bool(origin)
            )
            raw[rest] = np.where(sub >= 0, sub + len(origin), OUTLIER)
            origin += [None] * (int(sub.max()) + 1 if (sub >= 0).any() else 0)
        else:
            self.info_["reason"] = (
                f"too few distinct texts to find {'new ' if origin else ''}topics: {n_distinct}, "
                f"need at least {need} (2 x min_topic_size, at least 20)"
            )
            log.warning("topics: %s", self.info_["reason"])
        # drop topics without members (prior topics absent this period), keep the order
        present = sorted(set(raw[raw >= 0].tolist()))
        compact = np.full(len(origin) + 1, OUTLIER, dtype=np.int64)
        compact[present] = np.arange(len(present))
        raw = np.where(raw >= 0, compact[np.maximum(raw, 0)], OUTLIER)
        origin = [origin[t] for t in present]
        labels = np.full(n, OUTLIER, dtype=np.int64)
        labels[fit_idx] = raw
        k = len(present)
        if k == 0:
            self.info_["reason"] = self.info_["reason"] or (
                "HDBSCAN found no cluster (every document is an outlier)"
            )
            log.warning("topics: %s", self.info_["reason"])
            self._finish_empty(n)
            return self
        centroids = centroids_of(emb[fit_idx], raw, k)
        self.info_["outlier_share_before"] = float((raw < 0).mean())
        # records outside the fit sample, and outliers with enough evidence, join the nearest topic
        sims = emb @ centroids.T
        nearest = sims.argmax(axis=1)
        best = sims[np.arange(n), nearest]
        in_fit = np.zeros(n, dtype=bool)
        in_fit[fit_idx] = True
        bar = -np.inf if self.outlier_threshold is None else self.outlier_threshold
        join = (labels < 0) & (best >= bar) & (~in_fit | (self.outlier_threshold is not None))
        labels[join] = nearest[join]
        # ids by size (largest first), ties by first member: deterministic
        sizes = np.bincount(labels[labels >= 0], minlength=k)
        first = np.array([int(np.flatnonzero(labels == t)[0]) for t in range(k)])
        order = sorted(range(k), key=lambda t: (-sizes[t], first[t]))
        remap = np.full(k + 1, OUTLIER, dtype=np.int64)
        remap[np.array(order)] = np.arange(k)
        labels = np.where(labels >= 0, remap[np.maximum(labels, 0)], OUTLIER)
        self.origin_ = [origin[t] for t in order]
        self.centroids_ = centroids_of(emb, labels, k)
        scores = np.einsum("ij,ij->i", emb, self.centroids_[np.maximum(labels, 0)])
        scores = np.where(labels >= 0, scores, (emb @ self.centroids_.T).max(axis=1))
        self.doc_topics_ = labels
        self.doc_scores_ = np.clip(scores, 0.0, 1.0).astype(np.float32)
        self.sizes_ = [int(s) for s in np.bincount(labels[labels >= 0], minlength=k)]
        self.info_["outlier_share"] = float((labels < 0).mean())
        self._describe(texts, ids, labels, k, labeler)
        return self

    def _cluster(self, texts: list[str], emb: np.ndarray, *, single: bool = False) -> np.ndarray:
        """BERTopic's UMAP + HDBSCAN (+ reduction to ``nr_topics``): a label per document."""
        from voiceline.nlp.embeddings import set_offline

        set_offline()
        from bertopic import BERTopic
        from sklearn.feature_extraction.text import CountVectorizer

        umap_model, hdbscan_model = self._sub_models(len(texts), single=single)
        model = BERTopic(
            embedding_model=None,
            umap_model=umap_model,
            hdbscan_model=hdbscan_model,
            vectorizer_model=CountVectorizer(stop_words="english"),
            nr_topics=self.nr_topics,
            min_topic_size=self.min_topic_size,
            calculate_probabilities=False,
            verbose=False,
        )
        topics, _ = model.fit_transform(texts, embeddings=emb)
        return np.asarray(topics, dtype=np.int64)

    def _describe(
        self, texts: list[str], ids: list[str], labels: np.ndarray, k: int, labeler: Any
    ) -> None:
        weights, vocab = class_tfidf(texts, labels, n_classes=k, min_share=self.keyword_min_share)
        self.keywords_ = top_words(weights, vocab)
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
            members_by_topic.append([texts[i] for i in order[:50]])
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
        sims = emb @ self.centroids_.T
        nearest = sims.argmax(axis=1)
        best = sims[np.arange(n), nearest]
        bar = -np.inf if self.outlier_threshold is None else self.outlier_threshold
        ids = np.asarray(self.topic_ids_, dtype=np.int64)[nearest]
        return np.where(best >= bar, ids, OUTLIER), np.clip(best, 0.0, 1.0).astype(np.float32)

    def label_of(self, topic_id: int) -> str:
        """The label of a stable topic id (``OUTLIER_LABEL`` for -1)."""
        if topic_id == OUTLIER:
            return OUTLIER_LABEL
        return self.labels_[self.topic_ids_.index(int(topic_id))]

    # --- saving without pickles ----------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write ``model.safetensors`` (centroids, c-TF-IDF rows) and ``model.json`` (the rest).

        No pickle anywhere: a saved model can be inspected, diffed and loaded safely.
        """
        self._check_fitted()
        from safetensors.numpy import save_file

        from voiceline.io import atomic_path, write_json

        root = Path(folder)
        root.mkdir(parents=True, exist_ok=True)
        tensors = {
            "centroids": np.ascontiguousarray(self.centroids_, dtype=np.float32),
            "ctfidf": np.ascontiguousarray(self.ctfidf_, dtype=np.float32),
        }
        with atomic_path(root / "model.safetensors") as tmp:
            save_file(
                tensors, str(tmp), metadata={"format": FORMAT, "version": str(FORMAT_VERSION)}
            )
        info = {k: v for k, v in self.info_.items() if _jsonable(v)}
        write_json(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "config": self.get_config(),
                "versions": _versions(),
                "dim": self.dim_,
                "topics": [
                    {
                        "topic_id": int(tid),
                        "label": label,
                        "keywords": kw,
                        "size": int(size),
                        "representative_ids": reps,
                        "is_new": bool(new),
                    }
                    for tid, label, kw, size, reps, new in zip(
                        self.topic_ids_,
                        self.labels_,
                        self.keywords_,
                        self.sizes_,
                        self.representative_ids_,
                        self.is_new_,
                        strict=True,
                    )
                ],
                "vocabulary": self.vocabulary_,
                "next_id": int(self.next_id_),
                "retired": self.retired_,
                "info": info,
            },
            root / "model.json",
        )
        return root

    @classmethod
    def load(cls, folder: str | Path) -> TopicModel:
        """Read a model written by :meth:`save`; a clear :class:`ModelError` for anything else."""
        from safetensors.numpy import load_file

        root = Path(folder)
        meta_path, weights_path = root / "model.json", root / "model.safetensors"
        for p in (meta_path, weights_path):
            if not p.is_file():
                raise ModelError(
                    f"topic model folder {root} lacks {p.name}; pass a folder written by "
                    "voiceline topics (it holds model.json and model.safetensors)."
                )
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(
                f"{meta_path} is not valid JSON ({exc}); re-run voiceline topics."
            ) from exc
        if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
            raise ModelError(
                f"{meta_path} is not a voiceline topic model of format version {FORMAT_VERSION} "
                f"(found format {meta.get('format')!r}, version {meta.get('format_version')!r}); "
                "re-run voiceline topics to write a current one."
            )
        tensors = load_file(str(weights_path))
        cfg = dict(meta["config"])
        cfg.pop("umap_model", None)
        cfg.pop("hdbscan_model", None)
        model = cls(**cfg)
        model.dim_ = int(meta["dim"])
        topics = meta["topics"]
        model.topic_ids_ = [int(t["topic_id"]) for t in topics]
        model.labels_ = [str(t["label"]) for t in topics]
        model.keywords_ = [list(t["keywords"]) for t in topics]
        model.sizes_ = [int(t["size"]) for t in topics]
        model.representative_ids_ = [list(t["representative_ids"]) for t in topics]
        model.is_new_ = [bool(t["is_new"]) for t in topics]
        model.centroids_ = tensors["centroids"].reshape(len(topics), model.dim_)
        model.ctfidf_ = tensors["ctfidf"]
        model.vocabulary_ = list(meta["vocabulary"])
        model.next_id_ = int(meta["next_id"])
        model.retired_ = list(meta.get("retired", []))
        model.info_ = dict(meta.get("info", {}))
        model.versions_ = dict(meta.get("versions", {}))
        return model


def keyword_label(keywords: Sequence[str], n: int = 3) -> str:
    """A fallback label: the first ``n`` keywords, e.g. ``"speeding, car, street"``."""
    return ", ".join(keywords[:n]) if keywords else "(no keywords)"


def _jsonable(v: Any) -> bool:
    try:
        json.dumps(v)
    except (TypeError, ValueError):
        return False
    return True


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("voiceline", "bertopic", "umap-learn", "hdbscan", "scikit-learn", "numpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out
