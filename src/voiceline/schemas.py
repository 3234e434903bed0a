"""Column names and table contracts shared by every stage (DESIGN.md section 2).

Every stage validates its input with :func:`require_columns` and fails with one message listing
every missing column. Column names live here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from voiceline.errors import SchemaError

# --- records -------------------------------------------------------------------------------
RECORD_ID = "record_id"
SOURCE_TYPE = "source_type"
SOURCE_NAME = "source_name"
SOURCE_FILE = "source_file"
SOURCE_ROW = "source_row"
SOURCE_ID = "source_id"
CREATED_AT = "created_at"
PERIOD = "period"
NEIGHBORHOOD_ID = "neighborhood_id"
NEIGHBORHOOD_METHOD = "neighborhood_method"
NEIGHBORHOOD_CONFIDENCE = "neighborhood_confidence"
AUTHOR_HASH = "author_hash"
SPEAKER_ROLE = "speaker_role"
TEXT = "text"
TEXT_HASH = "text_hash"
LANGUAGE = "language"
PII_COUNTS = "pii_counts"
DUPLICATE_OF = "duplicate_of"
DUPLICATE_KIND = "duplicate_kind"
CAMPAIGN_ID = "campaign_id"
FLAGS = "flags"
QUESTION = "question"
EXTRA = "extra"

RECORD_COLUMNS: tuple[str, ...] = (
    RECORD_ID,
    SOURCE_TYPE,
    SOURCE_NAME,
    SOURCE_FILE,
    SOURCE_ROW,
    SOURCE_ID,
    CREATED_AT,
    PERIOD,
    NEIGHBORHOOD_ID,
    NEIGHBORHOOD_METHOD,
    NEIGHBORHOOD_CONFIDENCE,
    AUTHOR_HASH,
    SPEAKER_ROLE,
    TEXT,
    TEXT_HASH,
    LANGUAGE,
    PII_COUNTS,
    DUPLICATE_OF,
    DUPLICATE_KIND,
    CAMPAIGN_ID,
    FLAGS,
    QUESTION,
    EXTRA,
)

SOURCE_TYPES = ("survey", "meeting", "social", "report")
NEIGHBORHOOD_METHODS = ("field", "zip", "point", "text", "meeting", "none")
SPEAKER_ROLES = ("resident", "official", "unknown")
DUPLICATE_KINDS = ("exact", "near")

# --- raw rows: what a reader hands to the ingest stage ---------------------------------------
# One row per candidate record, before normalisation, redaction and resolution. Readers fill
# what their format has and leave the rest empty; ``reject_reason`` marks a row the reader
# could already tell is unusable (it still reaches the rejects file, never vanishes).
RAW_CREATED = "created_raw"
RAW_AUTHOR = "author_raw"
RAW_NEIGHBORHOOD = "neighborhood_raw"
RAW_ZIP = "zip_raw"
RAW_LAT = "lat"
RAW_LON = "lon"
RAW_SPEAKER = "speaker"
RAW_ROLE_HINT = "speaker_role_hint"
RAW_MEETING_AREA = "meeting_area"
RAW_IS_REACTION = "is_reaction"
REJECT_REASON = "reject_reason"

RAW_COLUMNS: tuple[str, ...] = (
    SOURCE_NAME,
    SOURCE_TYPE,
    SOURCE_FILE,
    SOURCE_ROW,
    SOURCE_ID,
    TEXT,
    RAW_CREATED,
    RAW_AUTHOR,
    RAW_NEIGHBORHOOD,
    RAW_ZIP,
    RAW_LAT,
    RAW_LON,
    RAW_SPEAKER,
    RAW_ROLE_HINT,
    RAW_MEETING_AREA,
    RAW_IS_REACTION,
    QUESTION,
    EXTRA,
    REJECT_REASON,
)

# --- rejects ---------------------------------------------------------------------------------
REJECT_COLUMNS: tuple[str, ...] = (
    SOURCE_NAME,
    SOURCE_FILE,
    SOURCE_ROW,
    SOURCE_ID,
    QUESTION,
    REJECT_REASON,
    "text_preview",
)


def empty_raw_frame() -> pd.DataFrame:
    """An empty raw frame with every raw column, for readers that found nothing."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in RAW_COLUMNS})


def conform_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Add any raw column a reader left out (as empty) and order the columns."""
    out = frame.copy()
    for col in RAW_COLUMNS:
        if col not in out.columns:
            out[col] = None
    return out[list(RAW_COLUMNS)]


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, table: str) -> None:
    """Fail with one message naming every column of ``columns`` that ``frame`` lacks.

    >>> require_columns(pd.DataFrame({"text": []}), ["record_id", "text"], table="records")
    Traceback (most recent call last):
    ...
    voiceline.errors.SchemaError: the records table lacks column(s) record_id; found: text. ...
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "no columns"
        raise SchemaError(
            f"the {table} table lacks column(s) {', '.join(missing)}; found: {found}. "
            f"Pass a {table} table written by voiceline (or add the columns)."
        )


def validate_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a records table against the contract; return it unchanged when it passes."""
    require_columns(frame, RECORD_COLUMNS, table="records")
    problems = []
    bad_types = sorted(set(frame[SOURCE_TYPE].dropna()) - set(SOURCE_TYPES))
    if bad_types:
        problems.append(f"source_type has {bad_types}; expected one of {list(SOURCE_TYPES)}")
    if frame[RECORD_ID].duplicated().any():
        dup = frame.loc[frame[RECORD_ID].duplicated(), RECORD_ID].iloc[0]
        problems.append(f"record_id {dup} appears more than once")
    if frame[TEXT].isna().any():
        problems.append("text is empty in some rows")
    if problems:
        raise SchemaError("invalid records table: " + "; ".join(problems))
    return frame


# --- segments (sentences of a record's redacted text) ----------------------------------------
SEGMENT_IDX = "segment_idx"
START_CHAR = "start_char"
END_CHAR = "end_char"
SEGMENT_COLUMNS: tuple[str, ...] = (RECORD_ID, SEGMENT_IDX, TEXT, START_CHAR, END_CHAR)

# --- concerns (long form: one row per record x assigned concern) -----------------------------
CONCERN_ID = "concern_id"
SCORE = "score"
IS_PRIMARY = "is_primary"
METHOD = "method"
EVIDENCE = "evidence"
TAXONOMY_VERSION = "taxonomy_version"
CONCERN_COLUMNS: tuple[str, ...] = (
    RECORD_ID,
    CONCERN_ID,
    SCORE,
    IS_PRIMARY,
    METHOD,
    EVIDENCE,
    TAXONOMY_VERSION,
)
CONCERN_METHODS = ("zero_shot", "trained", "rule")

# --- sentiment -------------------------------------------------------------------------------
LABEL = "label"
CONFIDENCE = "confidence"
SENTIMENT_COLUMNS: tuple[str, ...] = (RECORD_ID, CONCERN_ID, LABEL, SCORE, CONFIDENCE)
SENTIMENT_LABELS = ("negative", "neutral", "positive")

# --- privacy ---------------------------------------------------------------------------------
PII_TYPES: tuple[str, ...] = (
    "PERSON",
    "PHONE",
    "EMAIL",
    "ADDRESS",
    "PLATE",
    "BADGE",
    "URL",
    "CREDIT_CARD",
    "SSN",
    "IP_ADDRESS",
)
"""The span types voiceline redacts, each replaced by ``[TYPE]`` in the text."""

# --- triage ----------------------------------------------------------------------------------
TRIAGE_FLAGS = ("crime_tip", "threat", "officer_complaint", "welfare")
"""Flags that route a record to a person (DESIGN.md section 4); findings count them apart."""
