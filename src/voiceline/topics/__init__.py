"""Emerging topics: BERTopic over what the taxonomy does not cover, stable and reviewable.

- :func:`assign_topics` / :func:`fit_topics` (``assign.py``): the stage;
- :class:`TopicModel` (``model.py``): the fitted model, step by step; it uses
  ``clustering.py`` (UMAP + HDBSCAN, then centroid-consistent memberships), ``keywords.py``
  (c-TF-IDF candidates re-ranked by co-occurrence), ``labels.py`` (spaCy keyphrase labels) and
  ``persist.py`` (saved as safetensors + JSON); table columns in ``columns.py``;
- :func:`align_topics`, :func:`topic_diff` (``stability.py``): ids across periods;
- :func:`review_queue`, :func:`apply_review` (``review.py``): from topics to taxonomy versions.

Heavy libraries (BERTopic, UMAP, HDBSCAN, spaCy) load inside the functions that need them.
"""

from __future__ import annotations

from voiceline.topics.assign import TopicRun, assign_topics, fit_topics, select_uncovered, topics_by
from voiceline.topics.model import TopicModel
from voiceline.topics.stability import align_topics, match_topics, topic_diff

__all__ = [
    "TopicModel",
    "TopicRun",
    "align_topics",
    "assign_topics",
    "fit_topics",
    "match_topics",
    "select_uncovered",
    "topic_diff",
    "topics_by",
]
