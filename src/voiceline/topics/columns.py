"""Column names of the topics and topic-info tables (DESIGN.md section 2), and the outlier id.

Kept here, in one place for the topics package, until they move into :mod:`voiceline.schemas`.

>>> TOPIC_COLUMNS
('record_id', 'topic_id', 'topic_label', 'probability')
"""

from __future__ import annotations

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
"""The topic id of a record that belongs to no topic."""
OUTLIER_LABEL = "(no topic)"
