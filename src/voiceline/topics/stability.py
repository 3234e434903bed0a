"""Stable topic ids across periods: match this month's topics to last month's, and diff them.

Why: a topic id that changes on every retrain makes trend lines and review decisions worthless.
A new topic that matches an earlier one keeps its id and its (possibly analyst-edited) label; a
topic with no match gets a fresh id (never a retired one) and ``is_new``; earlier topics with no
match are listed as retired. Matching is one-to-one (Hungarian assignment) on a score of centroid
cosine similarity plus keyword overlap, accepted only above thresholds, so two unrelated topics
are never forced together.

>>> import numpy as np
>>> from voiceline.topics.model import TopicModel
>>> def fake(ids, cents, kws):
...     m = TopicModel(); m.dim_ = 2; m._reset(); m.info_ = {}
...     m.topic_ids_, m.centroids_, m.keywords_ = ids, np.asarray(cents, np.float32), kws
...     m.labels_ = [k[0] for k in kws]; m.sizes_ = [5] * len(ids); m.is_new_ = [True] * len(ids)
...     m.representative_ids_ = [[]] * len(ids); m.next_id_ = max(ids, default=-1) + 1
...     return m
>>> prev = fake([7, 8], [[1, 0], [0, 1]], [["noise"], ["trash"]])
>>> cur = fake([0, 1], [[0, 1], [0.7, -0.7]], [["trash"], ["fireworks"]])
>>> aligned = align_topics(cur, prev)
>>> aligned.topic_ids_, aligned.is_new_, [r["topic_id"] for r in aligned.retired_]
([8, 9], [False, True], [7])
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import numpy as np
import pandas as pd

from voiceline.topics.model import TopicModel

log = logging.getLogger("voiceline")

MIN_SIMILARITY = 0.70
"""Centroid cosine from which two topics may be the same (with any keyword overlap)."""
STRONG_SIMILARITY = 0.85
"""Centroid cosine from which two topics match even with no keyword in common."""
MIN_KEYWORD_OVERLAP = 0.1


def keyword_overlap(a: list[str], b: list[str]) -> float:
    """Jaccard overlap of two keyword lists (0..1)."""
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 0.0


def incompatibility(current: TopicModel, previous: TopicModel) -> str | None:
    """Why ``previous`` cannot lend its ids to ``current`` (another encoder, taxonomy or
    dimension), or ``None`` when it can."""
    return incompatible_setup(
        previous,
        dim=int(current.centroids_.shape[1]),
        encoder=current.info_.get("encoder"),
        taxonomy_version=current.info_.get("taxonomy_version"),
    )


def incompatible_setup(
    previous: TopicModel, *, dim: int, encoder: str | None, taxonomy_version: str | None
) -> str | None:
    """Why a run with this embedding ``dim``, ``encoder`` id and ``taxonomy_version`` cannot use
    ``previous`` (``None`` when it can): checked before fitting, so nothing half-matches."""
    if previous.topic_ids_ and previous.centroids_.shape[1] != dim:
        return (
            f"the previous topic model has {previous.centroids_.shape[1]}-dimensional centroids, "
            f"this run {dim}: it was fitted with another encoder"
        )
    for key, new, what in (
        ("encoder", encoder, "encoder"),
        ("taxonomy_version", taxonomy_version, "taxonomy version"),
    ):
        old = previous.info_.get(key)
        if old is not None and new is not None and old != new:
            return f"the previous topic model used {what} {old!r}, this run uses {new!r}"
    return None


def match_topics(
    current: TopicModel,
    previous: TopicModel,
    *,
    min_similarity: float = MIN_SIMILARITY,
    strong_similarity: float = STRONG_SIMILARITY,
    min_keyword_overlap: float = MIN_KEYWORD_OVERLAP,
    fixed: dict[int, int] | None = None,
) -> dict[int, tuple[int, float, float]]:
    """``{current index: (previous topic id, similarity, keyword overlap)}`` for matched topics.

    One-to-one, maximising similarity + keyword overlap; a pair is accepted when the similarity
    is at least ``strong_similarity``, or at least ``min_similarity`` with a keyword overlap of at
    least ``min_keyword_overlap``. ``fixed`` (current index -> previous id, from
    ``TopicModel.origin_``) are kept as they are and taken out of the assignment.
    """
    if not current.topic_ids_ or not previous.topic_ids_:
        return {}
    from scipy.optimize import linear_sum_assignment

    sims = current.centroids_ @ previous.centroids_.T
    overlap = np.array(
        [[keyword_overlap(a, b) for b in previous.keywords_] for a in current.keywords_]
    )
    fixed = dict(fixed or {})
    col_of = {int(t): j for j, t in enumerate(previous.topic_ids_)}
    out = {}
    for r, old_id in sorted(fixed.items()):
        c = col_of.get(int(old_id))
        if c is not None:
            out[int(r)] = (int(old_id), float(sims[r, c]), float(overlap[r, c]))
    score = sims + overlap
    taken_cols = [col_of[v] for v in fixed.values() if v in col_of]
    score[list(fixed), :] = -10.0
    score[:, taken_cols] = -10.0
    rows, cols = linear_sum_assignment(-score)
    for r, c in zip(rows, cols, strict=True):
        if r in fixed or c in taken_cols:
            continue
        s, o = float(sims[r, c]), float(overlap[r, c])
        if s >= strong_similarity or (s >= min_similarity and o >= min_keyword_overlap):
            out[int(r)] = (int(previous.topic_ids_[c]), s, o)
    return out


def align_topics(current: TopicModel, previous: TopicModel | None) -> TopicModel:
    """A copy of ``current`` whose topics carry ``previous``'s ids and labels where they match.

    Unmatched topics get fresh ids from ``previous.next_id_`` (ids are never reused) and
    ``is_new``; unmatched previous topics are recorded in ``retired_``. An incompatible
    ``previous`` (see :func:`incompatibility`) is ignored with a warning and the reason in
    ``info_["previous_ignored"]``.
    """
    out = copy.deepcopy(current)
    if previous is None:
        return out
    reason = incompatibility(current, previous)
    if reason:
        msg = f"{reason}; topic ids start afresh (pass a --previous folder from the same setup)"
        log.warning("topics: %s", msg)
        out.info_["previous_ignored"] = msg
        return out
    fixed = {i: o for i, o in enumerate(getattr(current, "origin_", []) or []) if o is not None}
    matches = match_topics(current, previous, fixed=fixed)
    next_id = max(previous.next_id_, max(previous.topic_ids_, default=-1) + 1)
    old_id_of = {i: m[0] for i, m in matches.items()}
    ids, labels, new = [], [], []
    prev_label = dict(zip(previous.topic_ids_, previous.labels_, strict=True))
    for i in range(len(current.topic_ids_)):
        if i in old_id_of:
            ids.append(old_id_of[i])
            labels.append(prev_label[old_id_of[i]])
            new.append(False)
        else:
            ids.append(next_id)
            labels.append(current.labels_[i])
            new.append(True)
            next_id += 1
    remap = dict(zip(current.topic_ids_, ids, strict=True))
    out.topic_ids_, out.labels_, out.is_new_, out.next_id_ = ids, labels, new, next_id
    if hasattr(out, "doc_topics_"):
        out.doc_topics_ = np.array([remap.get(int(t), t) for t in out.doc_topics_], dtype=np.int64)
    matched_old = set(old_id_of.values())
    out.retired_ = [
        {"topic_id": int(t), "topic_label": lab, "keywords": kw, "size": int(s)}
        for t, lab, kw, s in zip(
            previous.topic_ids_, previous.labels_, previous.keywords_, previous.sizes_, strict=True
        )
        if t not in matched_old
    ]
    out.info_["matches"] = {
        str(ids[i]): {"similarity": round(s, 4), "keyword_overlap": round(o, 4)}
        for i, (_, s, o) in sorted(matches.items())
    }
    return out


def topic_diff(previous: TopicModel | None, current: TopicModel) -> pd.DataFrame:
    """One row per topic of either period: ``status`` kept / new / retired, sizes and change,
    keywords gained and lost. ``current`` should come from :func:`align_topics`.

    >>> topic_diff(None, TopicModel.load(folder)).status.unique()  # doctest: +SKIP
    array(['new'], dtype=object)
    """
    prev: dict[int, dict[str, Any]] = {}
    if previous is not None and "previous_ignored" not in current.info_:
        for t, lab, kw, s in zip(
            previous.topic_ids_, previous.labels_, previous.keywords_, previous.sizes_, strict=True
        ):
            prev[int(t)] = {"label": lab, "keywords": kw, "size": int(s)}
    rows = []
    for t, lab, kw, s in zip(
        current.topic_ids_, current.labels_, current.keywords_, current.sizes_, strict=True
    ):
        p = prev.get(int(t))
        rows.append(
            {
                "topic_id": int(t),
                "topic_label": lab,
                "status": "kept" if p else "new",
                "size_previous": p["size"] if p else 0,
                "size_current": int(s),
                "change": int(s) - (p["size"] if p else 0),
                "keywords_added": ";".join(w for w in kw if not p or w not in p["keywords"]),
                "keywords_removed": ";".join(
                    w for w in (p["keywords"] if p else []) if w not in kw
                ),
            }
        )
    current_ids = {int(t) for t in current.topic_ids_}
    for t, p in sorted(prev.items()):
        if t not in current_ids:
            rows.append(
                {
                    "topic_id": t,
                    "topic_label": p["label"],
                    "status": "retired",
                    "size_previous": p["size"],
                    "size_current": 0,
                    "change": -p["size"],
                    "keywords_added": "",
                    "keywords_removed": ";".join(p["keywords"]),
                }
            )
    cols = [
        "topic_id",
        "topic_label",
        "status",
        "size_previous",
        "size_current",
        "change",
        "keywords_added",
        "keywords_removed",
    ]
    return (
        pd.DataFrame(rows, columns=cols)
        .sort_values("topic_id", kind="stable")
        .reset_index(drop=True)
    )
