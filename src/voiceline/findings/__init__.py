"""Findings: concern x neighborhood x period, the table a liaison unit actually reads.

The stage is :func:`build_findings` (``findings/aggregate.py``); the statistics live in
``stats.py``, disclosure control in ``disclosure.py``, quote selection in ``quotes.py``.

The column names below are the findings table's contract (DESIGN.md section 2). They live here
until the lead moves them into :mod:`voiceline.schemas` (a "findings" section); the names and
their order are meant to move unchanged.

>>> from voiceline.findings import FINDINGS_COLUMNS
>>> FINDINGS_COLUMNS[:3]
('period', 'neighborhood_id', 'concern_id')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voiceline import schemas as S

ALL = "ALL"
"""``neighborhood_id`` of the city-wide rows."""
UNKNOWN = "unknown"
"""``period`` / ``neighborhood_id`` of records that have none: they are counted, never lost."""

N_RECORDS = "n_records"
N_RECORDS_RAW = "n_records_raw"
N_AUTHORS = "n_authors"
N_CAMPAIGN_RECORDS = "n_campaign_records"
N_SOURCE_PREFIX = "n_source_"
N_BY_SOURCE: tuple[str, ...] = tuple(N_SOURCE_PREFIX + t for t in S.SOURCE_TYPES)
"""One count column per source type (``n_source_survey`` ...), not a JSON string: additive,
filterable in Excel and SQL. They sum to ``n_records``."""
SHARE = "share"
SENTIMENT_N = "sentiment_n"
SENTIMENT_MEAN = "sentiment_mean"
SENTIMENT_CI_LOW = "sentiment_ci_low"
SENTIMENT_CI_HIGH = "sentiment_ci_high"
PREV_N_RECORDS = "prev_n_records"
CHANGE_ABS = "change_abs"
CHANGE_REL = "change_rel"
EXPECTED = "expected"
N_HISTORY = "n_history_periods"
P_VALUE = "p_value"
Q_VALUE = "q_value"
SPIKE = "spike"
QUOTES = "quotes"
SUPPRESSED = "suppressed"
N_TRIAGE = "n_triage"
RUN_ID = "run_id"
CONFIG_HASH = "config_hash"

FINDINGS_KEY: tuple[str, ...] = (S.PERIOD, S.NEIGHBORHOOD_ID, S.CONCERN_ID)

FINDINGS_COLUMNS: tuple[str, ...] = (
    S.PERIOD,
    S.NEIGHBORHOOD_ID,
    S.CONCERN_ID,
    N_RECORDS,
    N_RECORDS_RAW,
    N_AUTHORS,
    N_CAMPAIGN_RECORDS,
    *N_BY_SOURCE,
    SHARE,
    SENTIMENT_N,
    SENTIMENT_MEAN,
    SENTIMENT_CI_LOW,
    SENTIMENT_CI_HIGH,
    PREV_N_RECORDS,
    CHANGE_ABS,
    CHANGE_REL,
    EXPECTED,
    N_HISTORY,
    P_VALUE,
    Q_VALUE,
    SPIKE,
    QUOTES,
    SUPPRESSED,
    N_TRIAGE,
    S.TAXONOMY_VERSION,
    RUN_ID,
    CONFIG_HASH,
)

COUNT_COLUMNS: tuple[str, ...] = (
    N_RECORDS,
    N_RECORDS_RAW,
    N_AUTHORS,
    N_CAMPAIGN_RECORDS,
    *N_BY_SOURCE,
    SENTIMENT_N,
    PREV_N_RECORDS,
    CHANGE_ABS,
    N_HISTORY,
    N_TRIAGE,
)
"""Integer columns (pandas ``Int64``: NA where withheld)."""

if TYPE_CHECKING:  # pragma: no cover
    from voiceline.findings.aggregate import build_findings


def __getattr__(name: str):  # lazy, so `import voiceline.findings` stays cheap
    if name == "build_findings":
        from voiceline.findings.aggregate import build_findings

        return build_findings
    raise AttributeError(name)


__all__ = ["ALL", "UNKNOWN", "FINDINGS_COLUMNS", "FINDINGS_KEY", "build_findings"]
