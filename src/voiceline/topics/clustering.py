"""From embeddings to topic memberships: BERTopic's UMAP + HDBSCAN, then centroid-consistent.

Why a settling step after HDBSCAN: next month, a saved model assigns records by nearest centroid
(that is all it keeps). HDBSCAN's clusters live in UMAP space, so about one record in eight that
HDBSCAN put in topic A is closer, in the encoder's space, to topic B's centroid: refit with 10 %
more records and those records change topic, although nothing about them changed. A few
spherical k-means steps started from HDBSCAN's clusters (:func:`settle`) move such records to
their nearest centroid, so the fitted memberships are the ones the saved model reproduces.

>>> import numpy as np
>>> emb = np.array([[1, 0], [0.9, 0.1], [0.2, 0.8], [0, 1]], dtype=np.float32)
>>> settle(emb, np.array([0, 0, 0, 1]), 2).tolist()
[0, 0, 1, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voiceline.topics.columns import OUTLIER

SETTLE_ITERATIONS = 10


def centroids_of(embeddings: np.ndarray, labels: np.ndarray, n_topics: int) -> np.ndarray:
    """L2-normalised mean embedding of each topic's members (float32, (n_topics, dim))."""
    import scipy.sparse as sp

    member = np.flatnonzero(labels >= 0)
    onehot = sp.csr_matrix(
        (np.ones(len(member)), (labels[member], member)), shape=(n_topics, len(labels))
    )
    out = np.asarray(onehot @ embeddings.astype(np.float64), dtype=np.float64)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return out.astype(np.float32)


def nearest_centroid(
    embeddings: np.ndarray, centroids: np.ndarray, *, chunk: int = 50_000
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the most similar centroid of each row and that cosine similarity (chunked, so
    100,000 rows never need a full similarity matrix at once)."""
    n = embeddings.shape[0]
    nearest = np.zeros(n, dtype=np.int64)
    best = np.zeros(n, dtype=np.float32)
    for start in range(0, n, chunk):
        sims = embeddings[start : start + chunk] @ centroids.T
        nearest[start : start + chunk] = sims.argmax(axis=1)
        best[start : start + chunk] = sims.max(axis=1)
    return nearest, best


def settle(
    embeddings: np.ndarray,
    labels: np.ndarray,
    n_topics: int,
    *,
    iterations: int = SETTLE_ITERATIONS,
    fixed: np.ndarray | None = None,
) -> np.ndarray:
    """Spherical k-means steps from ``labels``: each topic member moves to its nearest centroid,
    centroids are recomputed, until nothing moves or ``iterations`` are done.

    Outliers (-1) stay outliers; rows where ``fixed`` is true keep their topic (records a previous
    model placed). A topic may end up empty; the caller drops it. Returns new labels.
    """
    labels = labels.copy()
    movable = labels >= 0
    if fixed is not None:
        movable &= ~fixed
    if not movable.any() or n_topics < 2:
        return labels
    for _ in range(iterations):
        centroids = centroids_of(embeddings, labels, n_topics)
        nearest, _ = nearest_centroid(embeddings[movable], centroids)
        if (nearest == labels[movable]).all():
            break
        labels[movable] = nearest
    return labels


def compact(labels: np.ndarray, n_topics: int) -> tuple[np.ndarray, list[int]]:
    """Drop topics without members: new labels 0..k'-1 (order kept) and the old id of each."""
    present = sorted(set(labels[labels >= 0].tolist()))
    remap = np.full(n_topics + 1, OUTLIER, dtype=np.int64)
    remap[present] = np.arange(len(present))
    return np.where(labels >= 0, remap[np.maximum(labels, 0)], OUTLIER), present


def default_sub_models(
    n: int,
    *,
    n_neighbors: int,
    n_components: int,
    min_topic_size: int,
    seed: int,
    single: bool = False,
) -> tuple[Any, Any]:
    """Seeded UMAP (cosine, ``n_jobs=1``: numba's parallel paths are not reproducible) and
    HDBSCAN (``min_cluster_size=min_topic_size``; ``single`` allows one cluster, for the
    remainder after a previous model, which may hold just one emerging topic)."""
    from hdbscan import HDBSCAN
    from umap import UMAP

    umap_model = UMAP(
        n_neighbors=max(2, min(n_neighbors, n - 1)),
        n_components=n_components,
        min_dist=0.0,
        metric="cosine",
        random_state=seed,
        n_jobs=1,
        low_memory=True,
    )
    hdbscan_model = HDBSCAN(
        min_cluster_size=min_topic_size,
        metric="euclidean",
        cluster_selection_method="eom",
        prediction_data=False,
        allow_single_cluster=single,
    )
    return umap_model, hdbscan_model


def cluster(
    texts: list[str],
    embeddings: np.ndarray,
    *,
    umap_model: Any,
    hdbscan_model: Any,
    nr_topics: int | None,
    min_topic_size: int,
) -> np.ndarray:
    """BERTopic's UMAP + HDBSCAN (+ reduction to ``nr_topics``): a label per text (-1 outlier)."""
    from voiceline.nlp.embeddings import set_offline

    set_offline()
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    model = BERTopic(
        embedding_model=None,
        umap_model=umap_model,
        hdbscan_model=hdbscan_model,
        vectorizer_model=CountVectorizer(stop_words="english"),
        nr_topics=nr_topics,
        min_topic_size=min_topic_size,
        calculate_probabilities=False,
        verbose=False,
    )
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    return np.asarray(topics, dtype=np.int64)
