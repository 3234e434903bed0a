"""Representative quotes: up to three redacted texts that show what a cell's concern sounds like.

Why by concern score: the classifier's score for the cell's concern says how squarely a record
is about it, so the top-scored records are the most central to the concern (embedding centrality
would need the encoder in the findings stage; the score is already in the concerns table and is
deterministic). One quote per voice (author or campaign), so one prolific writer cannot fill
all three. Only safe texts (:func:`voiceline.findings.disclosure.quote_is_safe`) are eligible;
the caller passes only counted records (no triage-flagged records, no duplicate copies) of an
unsuppressed cell.

>>> import pandas as pd
>>> cell = pd.DataFrame({"record_id": ["r1", "r2", "r3"], "voice": ["a", "a", "b"],
...     "score": [0.9, 0.8, 0.7],
...     "text": ["The corner of Elm and Pine has no crosswalk and cars fly by."] * 3})
>>> [q["record_id"] for q in select_quotes(cell)]
['r1', 'r3']
"""

from __future__ import annotations

import json

import pandas as pd

from voiceline.findings.disclosure import quote_is_safe

MAX_QUOTES = 3


def select_quotes(
    cell: pd.DataFrame, *, max_quotes: int = MAX_QUOTES
) -> list[dict[str, str]]:
    """Pick quotes from one cell: columns ``record_id``, ``text``, ``score``, ``voice``.

    Highest score first, ties by ``record_id``; at most one per voice; unsafe texts skipped.
    """
    if cell.empty:
        return []
    ranked = cell.sort_values(["score", "record_id"], ascending=[False, True], kind="stable")
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    for rid, text, voice in zip(ranked["record_id"], ranked["text"], ranked["voice"], strict=True):
        if voice in seen or not quote_is_safe(text):
            continue
        seen.add(voice)
        out.append({"record_id": str(rid), "text": str(text).strip()})
        if len(out) >= max_quotes:
            break
    return out


def quotes_json(quotes: list[dict[str, str]]) -> str:
    """The ``quotes`` column's value: a JSON list of ``{"record_id", "text"}`` objects."""
    return json.dumps(quotes, ensure_ascii=False)
