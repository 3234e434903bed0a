"""Disclosure control: small cells are withheld, and no quote may point at a person.

Why: the findings table goes to commanders and council members and into a shared store. A cell
with three records about "police conduct in Libby Hill" can point at the three residents (or the
one officer) involved; a quote that says "my neighbor at [ADDRESS]" does even after redaction.

Rules:

- **Primary suppression.** A cell is suppressed when ``0 < n_records < k`` or
  ``0 < n_authors < k`` (a cell of six posts by two people is two people). A zero is shown: it
  says nothing about anyone. A suppressed row is kept (the table's shape is stable) with its
  counts, shares, changes, sentiment, spike test and quotes withheld (NA / None).
- **Complementary suppression** (no leak through ``ALL`` by subtraction). For each period and
  concern, the city-wide ``ALL`` row minus the shown neighborhood cells would reveal a single
  suppressed cell. So when any neighborhood cell of the group is suppressed, the smallest
  unsuppressed non-zero cells are suppressed too, until the suppressed cells number at least two
  and together hold at least ``k`` records (or every non-zero cell is suppressed). The
  ``unknown`` neighborhood bucket is a cell like any other. ``n_records`` is nearly additive
  (duplicates of one text across neighborhoods count once in ``ALL``), so the check uses it.
  What remains visible by subtraction is the *sum* of at least two suppressed cells, itself at
  least ``k``.
- **Quotes** are never taken from suppressed cells or triage-flagged records, and never from a
  text that :func:`quote_is_safe` rejects.

>>> quote_is_safe("The streetlights on our block have been out for three weeks now.")
True
>>> quote_is_safe("My neighbor [PERSON] at [ADDRESS] deals out of his garage every night.")
False
"""

from __future__ import annotations

import re

import numpy as np

IDENTIFYING_PLACEHOLDERS = (
    "PERSON",
    "ADDRESS",
    "PHONE",
    "EMAIL",
    "PLATE",
    "BADGE",
    "SSN",
    "CREDIT_CARD",
    "IP_ADDRESS",
)
"""Redaction placeholders that stand for a person, a home or an account: never quoted."""

_PLACEHOLDER = re.compile(r"\[(" + "|".join(IDENTIFYING_PLACEHOLDERS) + r")\]")

_IDENTIFYING_CONTEXT = re.compile(
    r"\b(my (name|address|house|home|apartment|apt|unit|son|daughter|wife|husband|kid|kids|"
    r"child|children|mother|mom|father|dad|brother|sister|neighbou?r|landlord|tenant|boss)|"
    r"i live (at|on|in)|i am \d+|i'm \d+|\d+[- ]year[- ]old|years old|next door to|"
    r"apt\.? ?#?\d+|unit #?\d+|house number|"
    r"\d+ (block of)?\s*[A-Z][a-z]+ (st|street|ave|avenue|rd|road)\b)",
    re.IGNORECASE,
)

MIN_QUOTE_CHARS = 40
MIN_QUOTE_WORDS = 8


def quote_is_safe(text: object) -> bool:
    """Whether a redacted text may be shown as a quote.

    No: texts shorter than :data:`MIN_QUOTE_CHARS` characters or :data:`MIN_QUOTE_WORDS` words
    (too little to be representative, and short texts are easy to attribute), texts holding any
    identifying redaction placeholder (a redacted name next to a story still narrows who it is),
    and texts with self- or family-identifying context ("my son", "I live on", "72 years old").

    >>> quote_is_safe("Too short.")
    False
    >>> quote_is_safe("I live on Elm and my son was stopped twice this month by the same patrol.")
    False
    """
    if not isinstance(text, str):
        return False
    stripped = text.strip()
    if len(stripped) < MIN_QUOTE_CHARS or len(stripped.split()) < MIN_QUOTE_WORDS:
        return False
    if _PLACEHOLDER.search(stripped):
        return False
    return not _IDENTIFYING_CONTEXT.search(stripped)


def primary_suppressed(n_records: np.ndarray, n_authors: np.ndarray, *, k: int) -> np.ndarray:
    """Cells with ``0 < n_records < k`` or ``0 < n_authors < k``.

    >>> primary_suppressed(np.array([0, 3, 7, 7]), np.array([0, 3, 7, 2]), k=5).tolist()
    [False, True, False, True]
    """
    n = np.asarray(n_records, dtype=float)
    a = np.asarray(n_authors, dtype=float)
    return ((n > 0) & (n < k)) | ((a > 0) & (a < k))


def complementary_suppression(counts: np.ndarray, suppressed: np.ndarray, *, k: int) -> np.ndarray:
    """Extend ``suppressed`` within one group (the cells that add up to an ``ALL`` row).

    While fewer than two cells are suppressed or they hold fewer than ``k`` records together,
    suppress the smallest unsuppressed non-zero cell (ties: first in order). Returns a new array.

    >>> complementary_suppression(np.array([3, 9, 6, 0]), np.array([True, False, False, False]),
    ...                           k=5).tolist()
    [True, False, True, False]
    >>> complementary_suppression(np.array([9, 6]), np.array([False, False]), k=5).tolist()
    [False, False]
    """
    c = np.asarray(counts, dtype=float)
    out = np.asarray(suppressed, dtype=bool).copy()
    if not out.any():
        return out
    while True:
        if out.sum() >= 2 and c[out].sum() >= k:
            return out
        candidates = np.flatnonzero(~out & (c > 0))
        if candidates.size == 0:
            return out
        pick = candidates[int(np.argmin(c[candidates]))]  # argmin: first of ties
        out[pick] = True
