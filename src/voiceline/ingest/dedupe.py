"""Exact and near-duplicate records, and coordinated copy-paste campaigns.

The same complaint pasted twice should count once, and fifty residents sending the same letter is
a campaign: worth reporting as one voice with fifty signatures, not as fifty independent concerns.
:func:`mark_duplicates` adds ``duplicate_of``, ``duplicate_kind`` and ``campaign_id`` so later
stages can do either.

Rules (all deterministic, whatever the input row order):

- **Order.** Records are ordered by ``created_at`` (when the column is present; missing times
  last), then ``record_id``. The earliest record of a group is its first copy and gets
  ``duplicate_of = None``.
- **Exact** duplicates share the same *normalised text*: NFKC, casefolded, punctuation, symbols
  and emoji removed, whitespace collapsed. Texts with no letters or digits (emoji only) are
  compared on their casefolded, whitespace-collapsed form instead, so "👍" and "❤️" differ.
  An exact copy points at the first record with the same normalised text.
- **Near** duplicates: texts of at least :data:`MIN_WORDS` words whose word-bigram sets have a
  Jaccard similarity >= ``near_threshold`` with an earlier first copy. Candidates come from
  MinHash (numpy) with LSH banding and every candidate is verified with the exact Jaccard, so
  there are no false positives; the first (earliest) matching first copy wins. A near duplicate
  points at that first copy; exact copies of a near duplicate still point at their own first
  copy (chains are at most two links long).
- **Campaigns**: a group (a first copy with all its exact and near copies) of texts with at least
  :data:`MIN_WORDS` words, posted by at least ``campaign_min_authors`` distinct authors (a missing
  ``author_hash`` counts as a distinct author), gets ``campaign_id = "camp-" + the first 10 hex
  of sha1(first copy's record_id)``, on every member including the first copy.
- **Short texts** (fewer than :data:`MIN_WORDS` words, e.g. "Thank you!") recur naturally: they
  are only ever exact duplicates, never near duplicates, never campaigns.

Duplicates are found across all sources (``source_type`` is not used): the same letter sent to a
survey and posted on social media is still one letter.

Example::

    marked = mark_duplicates(records)
    marked[marked["duplicate_of"].isna()]   # one row per distinct text
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
import pandas as pd

from voiceline import schemas as S

MIN_WORDS = 6
"""Texts with fewer words are never near duplicates or campaigns."""

NUM_PERM = 64
BANDS = 16  # 16 bands x 4 rows
MIN_SHARED_BANDS = 2  # P(candidate) ~0.9999 at Jaccard 0.85, ~0.26 at 0.5 (then verified)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_text(text: object) -> str:
    """The key for exact duplicates: casefolded words, no punctuation, emoji or extra spaces.

    >>> normalize_text("  Fix the LIGHTS!!! 💡 ")
    'fix the lights'
    >>> normalize_text("👍")
    '👍'
    """
    if not isinstance(text, str):
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = _NON_WORD.sub(" ", folded).split()
    if words:
        return " ".join(words)
    # no letters or digits: keep the symbols (minus variation selectors) so emoji stay distinct
    return "".join(c for c in "".join(folded.split()) if unicodedata.category(c) != "Mn")


def mark_duplicates(
    frame: pd.DataFrame,
    *,
    near_threshold: float = 0.85,
    campaign_min_authors: int = 3,
) -> pd.DataFrame:
    """Return a copy of ``frame`` with ``duplicate_of``, ``duplicate_kind`` and ``campaign_id``.

    Needs ``record_id`` and ``text``; uses ``author_hash`` and ``created_at`` when present. See
    the module docstring for the exact rules. ``near_threshold`` > 1 turns near-duplicate
    detection off. 100,000 records take a few seconds.

    >>> df = pd.DataFrame({"record_id": ["a", "b"], "text": ["Fix it!", "fix it"]})
    >>> mark_duplicates(df)[["duplicate_of", "duplicate_kind"]].values.tolist()
    [[None, None], ['a', 'exact']]
    """
    S.require_columns(frame, [S.RECORD_ID, S.TEXT], table="records")
    n = len(frame)
    out = frame.copy()
    if n == 0:
        for col in (S.DUPLICATE_OF, S.DUPLICATE_KIND, S.CAMPAIGN_ID):
            out[col] = pd.Series([], index=frame.index, dtype=object)
        return out

    rid = frame[S.RECORD_ID].astype(str).to_numpy(dtype=object)
    sort_keys = [rid]
    if S.CREATED_AT in frame.columns:
        created = pd.to_datetime(frame[S.CREATED_AT], errors="coerce", utc=True)
        ns = created.to_numpy(dtype="datetime64[ns]").astype("int64")
        missing = created.isna().to_numpy()
        ns = np.where(missing, np.iinfo(np.int64).max, ns)
        sort_keys = [rid, ns]  # lexsort: last key is primary
    order = np.lexsort(sort_keys) if len(sort_keys) > 1 else np.argsort(rid, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)

    texts = frame[S.TEXT].to_numpy(dtype=object)
    norm = np.array([normalize_text(t) for t in texts], dtype=object)
    authors = (
        frame[S.AUTHOR_HASH].to_numpy(dtype=object)
        if S.AUTHOR_HASH in frame.columns
        else np.full(n, None, dtype=object)
    )

    dup_of = np.full(n, None, dtype=object)
    kind = np.full(n, None, dtype=object)
    first_of_norm: dict[str, int] = {}
    exact_first = np.empty(n, dtype=np.int64)  # position of each row's exact first copy
    for pos in order:
        key = norm[pos]
        first = first_of_norm.setdefault(key, pos)
        exact_first[pos] = first
        if first != pos:
            dup_of[pos] = rid[first]
            kind[pos] = "exact"

    # near duplicates among the exact first copies, in order
    reps = [pos for pos in order if exact_first[pos] == pos]
    group_of = {pos: pos for pos in reps}  # representative -> group leader
    long_reps = [pos for pos in reps if norm[pos].count(" ") + 1 >= MIN_WORDS]
    if near_threshold <= 1.0 and len(long_reps) > 1:
        leader_of = _near_leaders(long_reps, norm, near_threshold)
        for pos, lead in leader_of.items():
            if lead != pos:
                dup_of[pos] = rid[lead]
                kind[pos] = "near"
                group_of[pos] = lead

    # campaigns: group = leader + near copies + all exact copies
    group = np.array([group_of[exact_first[p]] for p in range(n)], dtype=np.int64)
    campaign = np.full(n, None, dtype=object)
    members: dict[int, list[int]] = {}
    for p in range(n):
        members.setdefault(int(group[p]), []).append(p)
    for lead, rows in members.items():
        if len(rows) < campaign_min_authors or norm[lead].count(" ") + 1 < MIN_WORDS:
            continue
        distinct = set()
        anonymous = 0
        for p in rows:
            a = authors[p]
            if a is None or (isinstance(a, float) and a != a) or a is pd.NA or a == "":
                anonymous += 1
            else:
                distinct.add(a)
        if len(distinct) + anonymous >= campaign_min_authors:
            cid = "camp-" + hashlib.sha1(str(rid[lead]).encode("utf-8")).hexdigest()[:10]
            for p in rows:
                campaign[p] = cid

    out[S.DUPLICATE_OF] = pd.Series(dup_of, index=frame.index, dtype=object)
    out[S.DUPLICATE_KIND] = pd.Series(kind, index=frame.index, dtype=object)
    out[S.CAMPAIGN_ID] = pd.Series(campaign, index=frame.index, dtype=object)
    return out


def _near_leaders(positions: list[int], norm: np.ndarray, threshold: float) -> dict[int, int]:
    """Map each position (in order) to the earliest leader it near-duplicates, or itself."""
    vocab: dict[str, int] = {}
    shingles: list[frozenset[int]] = []
    for pos in positions:
        words = norm[pos].split()
        ids = frozenset(
            vocab.setdefault(words[i] + " " + words[i + 1], len(vocab))
            for i in range(len(words) - 1)
        )
        shingles.append(ids)
    sigs = _minhash(shingles)
    rows_per_band = NUM_PERM // BANDS
    buckets: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]
    result: dict[int, int] = {}
    for k, pos in enumerate(positions):
        sig = sigs[k]
        keys = [sig[b * rows_per_band : (b + 1) * rows_per_band].tobytes() for b in range(BANDS)]
        shared: dict[int, int] = {}
        for b, key in enumerate(keys):
            for c in buckets[b].get(key, ()):
                shared[c] = shared.get(c, 0) + 1
        # a pair at the threshold shares ~8 of 16 bands; one shared band is mostly chance
        candidates = [c for c, hits in shared.items() if hits >= MIN_SHARED_BANDS]
        lead = -1
        mine = shingles[k]
        for c in sorted(candidates):  # earliest leader first
            other = shingles[c]
            inter = len(mine & other)
            if inter and inter / (len(mine) + len(other) - inter) >= threshold:
                lead = c
                break
        if lead >= 0:
            result[pos] = positions[lead]
        else:
            result[pos] = pos
            for b, key in enumerate(keys):
                buckets[b].setdefault(key, []).append(k)
    return result


def _minhash(sets: list[frozenset[int]]) -> np.ndarray:
    """MinHash signatures (len(sets) x NUM_PERM, uint32), seeded multiply-shift hashing."""
    rng = np.random.default_rng(20240501)
    a = rng.integers(1, np.iinfo(np.uint64).max, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, np.iinfo(np.uint64).max, size=NUM_PERM, dtype=np.uint64)
    sigs = np.full((len(sets), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    flat = np.fromiter((x for s in sets for x in s), dtype=np.uint64, count=int(lengths.sum()))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    shift = np.uint64(32)
    chunk_docs = 4096
    for lo in range(0, len(sets), chunk_docs):
        hi = min(lo + chunk_docs, len(sets))
        nz = np.flatnonzero(lengths[lo:hi]) + lo
        if not len(nz):
            continue
        s0, s1 = starts[lo], starts[hi - 1] + lengths[hi - 1]
        # multiply-shift: the top 32 bits of a*x + b (mod 2**64) are a universal hash of x
        h = ((flat[s0:s1, None] * a[None, :] + b[None, :]) >> shift).astype(np.uint32)
        sigs[nz] = np.minimum.reduceat(h, starts[nz] - s0, axis=0)
    return sigs
