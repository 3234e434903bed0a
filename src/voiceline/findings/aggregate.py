"""The findings stage: records + concerns (+ sentiment) -> concern x neighborhood x period rows.

Counting decisions (each one is a choice a unit may ask about):

- **Cells.** Every period in the records x every neighborhood (plus ``ALL``, the city-wide row)
  x every concern seen in the concerns table or the history: a full grid, zeros included, so a
  concern that fell to zero shows as a drop. Records with no period or no neighborhood go to the
  ``unknown`` bucket of that column, never lost. ``ALL`` rows are computed from the records (not
  summed from the cells), so a text copied into two neighborhoods counts once city-wide.
- **Triage-flagged records** (``crime_tip``, ``threat``, ``officer_complaint``, ``welfare``) are
  kept out of every statistic (``n_records``, authors, shares, sentiment, quotes, the spike
  test) and counted apart in ``n_triage``: they go to a person through the triage table.
- **Officials** (``speaker_role == "official"``, meeting statements by staff) are not resident
  feedback and are left out of every column (``exclude_roles``).
- **Duplicates.** ``n_records_raw`` counts every (non-triage) record with the concern in the
  cell; ``n_records`` counts distinct texts: a record whose ``duplicate_of`` is set counts only
  when its first copy is not in the same cell, so a copy-paste campaign of fifty is one record.
  ``n_records`` drives shares, the spike test and suppression. The ``n_source_*`` columns split
  ``n_records`` by source type and sum to it.
- **Voices.** ``n_authors`` counts distinct voices: a campaign (``campaign_id``) is ONE voice;
  otherwise an ``author_hash``; a record without an author is one voice of its own, except that
  an author-less copy (``duplicate_of`` set) is the same voice as its first copy.
  ``n_campaign_records`` counts the cell's records that belong to a campaign.
- **Share** = ``n_records`` / the neighborhood's distinct (non-triage, non-official) records that
  period, with or without a concern. Concerns are multi-label: shares need not sum to 1.
- **Sentiment** is the mean of the per-record x concern scores of the cell's distinct records
  (falling back to the record's whole-text score when the record x concern row is missing),
  with a t interval (``stats.mean_ci``).
- **Change and baseline.** ``prev_n_records`` is the calendar-previous month's count (from the
  input, else ``previous``/``history`` rows); ``expected``, ``p_value``, ``q_value`` and
  ``spike`` come from :func:`voiceline.findings.stats.detect_spikes` over the last up-to-6
  earlier periods (input periods first, then ``history``). History rows whose count was
  suppressed (NA) are read as ``(k - 1) / 2``, the middle of what suppression hides. When the
  previous month's cell was suppressed, ``prev_n_records`` and the change are withheld; when any
  history value was, ``expected``, ``p_value`` and ``q_value`` are withheld too (they are
  functions of the history sum and would reveal it); ``spike`` stays.
- **Disclosure**: :mod:`voiceline.findings.disclosure` (primary and complementary suppression).

Example::

    findings = build_findings(records, concerns, sentiment, run_id="2026-10-a1")
    findings[(findings.neighborhood_id == "ALL") & findings.spike]
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.errors import SchemaError
from voiceline.findings import disclosure, quotes, stats

log = logging.getLogger(__name__)

_VOICE = "_voice"
_GROUP = "_group"
_TRIAGE = "_triage"
_REP = "_rep"
_SENT = "_sent"


def build_findings(
    records: pd.DataFrame,
    concerns: pd.DataFrame,
    sentiment: pd.DataFrame | None = None,
    *,
    k: int = 5,
    previous: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    run_id: str | None = None,
    config_hash: str | None = None,
    alpha: float = 0.05,
    min_spike_count: int | None = None,
    exclude_roles: Iterable[str] = ("official",),
    ci_method: str = "t",
    seed: int = 0,
    taxonomy_version: str | None = None,
) -> pd.DataFrame:
    """Build the findings table (DESIGN.md section 2); inputs are never modified.

    ``previous`` and ``history`` are earlier findings rows (e.g. the trend store's): at least
    ``period``, ``neighborhood_id``, ``concern_id``, ``n_records`` (``suppressed`` and
    ``taxonomy_version`` when present are used). ``min_spike_count`` (default ``k``) is the
    smallest count that may be called a spike. ``ci_method`` is ``"t"`` or ``"bootstrap"``
    (seeded with ``seed``). ``taxonomy_version`` names the taxonomy the rows are for when the
    concerns table is empty (a month where no record raised a concern still has findings rows,
    of zero, for the concerns in ``history``). Rows are ordered by period (``unknown`` last), neighborhood (``ALL``
    first, ``unknown`` last) and concern.
    """
    if k < 1:
        raise SchemaError(f"findings: k must be at least 1, got {k}")
    S.require_columns(
        records, [S.RECORD_ID, S.PERIOD, S.NEIGHBORHOOD_ID, S.SOURCE_TYPE, S.TEXT], table="records"
    )
    S.require_columns(concerns, [S.RECORD_ID, S.CONCERN_ID, S.SCORE], table="concerns")
    if sentiment is not None:
        S.require_columns(sentiment, [S.RECORD_ID, S.CONCERN_ID, S.SCORE], table="sentiment")
    min_count = k if min_spike_count is None else int(min_spike_count)
    found = _taxonomy_version(concerns)
    if taxonomy_version is not None and found is not None and found != taxonomy_version:
        raise SchemaError(
            f"findings: the concerns table is of taxonomy {found!r}, not {taxonomy_version!r}; "
            "classify the records with the taxonomy the findings are for."
        )
    taxonomy_version = taxonomy_version or found
    hist = _history_rows(previous, history, taxonomy_version=taxonomy_version, k=k)

    rec = _prepare_records(records, exclude_roles=tuple(exclude_roles))
    long = _concern_rows(rec, concerns, sentiment)

    periods = _order(set(rec[S.PERIOD]))
    neighborhoods = _order(set(rec[S.NEIGHBORHOOD_ID]) | set(hist[S.NEIGHBORHOOD_ID]) - {F.ALL})
    concern_ids = sorted(set(long[S.CONCERN_ID]) | set(hist[S.CONCERN_ID]))
    if not periods or not concern_ids:
        return _empty()

    grid = pd.MultiIndex.from_product(
        [periods, [F.ALL, *neighborhoods], concern_ids], names=list(F.FINDINGS_KEY)
    ).to_frame(index=False)

    both = pd.concat([long, long.assign(**{S.NEIGHBORHOOD_ID: F.ALL})], ignore_index=True)
    counts = _cell_counts(both)
    out = grid.merge(counts, on=list(F.FINDINGS_KEY), how="left")
    for col in (F.N_RECORDS, F.N_RECORDS_RAW, F.N_AUTHORS, F.N_CAMPAIGN_RECORDS, F.N_TRIAGE,
                *F.N_BY_SOURCE):
        out[col] = out[col].fillna(0).astype("int64")

    denom = _denominators(rec)
    out = out.merge(denom, on=[S.PERIOD, S.NEIGHBORHOOD_ID], how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        out[F.SHARE] = np.where(out["_denom"] > 0, out[F.N_RECORDS] / out["_denom"], np.nan)
    out = out.drop(columns="_denom")

    out[F.SUPPRESSED] = _suppression(out, k=k)
    out = _sentiment_columns(out, both, ci_method=ci_method, seed=seed)
    out = _trend_columns(out, hist, periods=periods, k=k, alpha=alpha, min_count=min_count)
    out[F.QUOTES] = _quote_column(out, both)

    out = _withhold(out, k=k)
    out[S.TAXONOMY_VERSION] = taxonomy_version
    out[F.RUN_ID] = run_id
    out[F.CONFIG_HASH] = config_hash
    out = _sort(out)
    return _conform(out)


# --- inputs ----------------------------------------------------------------------------------


def _taxonomy_version(concerns: pd.DataFrame) -> str | None:
    if S.TAXONOMY_VERSION not in concerns.columns:
        return None
    versions = sorted(set(concerns[S.TAXONOMY_VERSION].dropna().astype(str)))
    if len(versions) > 1:
        raise SchemaError(
            f"the concerns table mixes taxonomy versions {versions}; findings compare counts "
            "across one taxonomy. Classify every record with the same taxonomy."
        )
    return versions[0] if versions else None


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype("string").str.strip() == "")


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype="object")


def _prepare_records(records: pd.DataFrame, *, exclude_roles: tuple[str, ...]) -> pd.DataFrame:
    """One row per record with the keys findings need: cell, voice, text group, triage."""
    rec = pd.DataFrame(
        {
            S.RECORD_ID: records[S.RECORD_ID].astype(str).to_numpy(),
            S.PERIOD: records[S.PERIOD].astype("object").to_numpy(),
            S.NEIGHBORHOOD_ID: records[S.NEIGHBORHOOD_ID].astype("object").to_numpy(),
            S.SOURCE_TYPE: records[S.SOURCE_TYPE].astype("object").to_numpy(),
            S.TEXT: records[S.TEXT].astype("object").to_numpy(),
            S.AUTHOR_HASH: _col(records, S.AUTHOR_HASH).astype("object").to_numpy(),
            S.DUPLICATE_OF: _col(records, S.DUPLICATE_OF).astype("object").to_numpy(),
            S.CAMPAIGN_ID: _col(records, S.CAMPAIGN_ID).astype("object").to_numpy(),
            S.SPEAKER_ROLE: _col(records, S.SPEAKER_ROLE).astype("object").to_numpy(),
        }
    )
    for col in (S.PERIOD, S.NEIGHBORHOOD_ID):
        rec.loc[_blank(rec[col]).to_numpy(), col] = F.UNKNOWN
        rec[col] = rec[col].astype(str)
    for col in (S.AUTHOR_HASH, S.DUPLICATE_OF, S.CAMPAIGN_ID, S.SPEAKER_ROLE):
        blank = _blank(rec[col]).to_numpy()
        rec[col] = pd.Series(
            [None if b else str(v) for v, b in zip(rec[col], blank, strict=True)], dtype="object"
        )
    flags = _col(records, S.FLAGS).to_numpy()
    rec[_TRIAGE] = [_has_triage(f) for f in flags]
    rec = rec[~rec[S.SPEAKER_ROLE].isin(exclude_roles).to_numpy()].reset_index(drop=True)

    rec[_GROUP] = rec[S.DUPLICATE_OF].where(rec[S.DUPLICATE_OF].notna(), rec[S.RECORD_ID])
    first_voice: dict[str, str] = {}
    for rid, camp, author in zip(rec[S.RECORD_ID], rec[S.CAMPAIGN_ID], rec[S.AUTHOR_HASH],
                                 strict=True):
        first_voice[rid] = _voice(rid, camp, author)
    voices = []
    for rid, camp, author, dup in zip(
        rec[S.RECORD_ID], rec[S.CAMPAIGN_ID], rec[S.AUTHOR_HASH], rec[S.DUPLICATE_OF], strict=True
    ):
        if _missing(camp) and _missing(author) and not _missing(dup):
            voices.append(first_voice.get(dup, "r:" + str(dup)))
        else:
            voices.append(first_voice[rid])
    rec[_VOICE] = voices
    return rec


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _voice(rid: str, campaign: object, author: object) -> str:
    if not _missing(campaign):
        return "c:" + str(campaign)
    if not _missing(author):
        return "a:" + str(author)
    return "r:" + rid


def _has_triage(flags: object) -> bool:
    if flags is None or isinstance(flags, float | str):
        return isinstance(flags, str) and flags in S.TRIAGE_FLAGS
    return any(f in S.TRIAGE_FLAGS for f in flags)


def _concern_rows(
    rec: pd.DataFrame, concerns: pd.DataFrame, sentiment: pd.DataFrame | None
) -> pd.DataFrame:
    """record x concern rows joined to the record keys, with a representative flag and score."""
    con = concerns[[S.RECORD_ID, S.CONCERN_ID, S.SCORE]].copy()
    con[S.RECORD_ID] = con[S.RECORD_ID].astype(str)
    con = con[con[S.CONCERN_ID].notna()]
    con[S.CONCERN_ID] = con[S.CONCERN_ID].astype(str)
    con = (
        con.sort_values([S.RECORD_ID, S.CONCERN_ID, S.SCORE], ascending=[True, True, False])
        .drop_duplicates([S.RECORD_ID, S.CONCERN_ID])
    )
    unknown = ~con[S.RECORD_ID].isin(set(rec[S.RECORD_ID]))
    if unknown.any():
        log.info("findings: %d concern rows for records not in the records table (or officials) "
                 "are ignored", int(unknown.sum()))
    long = rec.merge(con, on=S.RECORD_ID, how="inner")
    long[_SENT] = _sentiment_scores(long, sentiment)
    return long


def _sentiment_scores(long: pd.DataFrame, sentiment: pd.DataFrame | None) -> np.ndarray:
    if sentiment is None or sentiment.empty or long.empty:
        return np.full(len(long), np.nan)
    sen = sentiment[[S.RECORD_ID, S.CONCERN_ID, S.SCORE]].copy()
    sen[S.RECORD_ID] = sen[S.RECORD_ID].astype(str)
    whole = sen[sen[S.CONCERN_ID].isna()].drop_duplicates(S.RECORD_ID)
    per = sen[sen[S.CONCERN_ID].notna()].copy()
    per[S.CONCERN_ID] = per[S.CONCERN_ID].astype(str)
    per = per.drop_duplicates([S.RECORD_ID, S.CONCERN_ID])
    keyed = long[[S.RECORD_ID, S.CONCERN_ID]].merge(
        per.rename(columns={S.SCORE: "_per"}), on=[S.RECORD_ID, S.CONCERN_ID], how="left"
    ).merge(
        whole[[S.RECORD_ID, S.SCORE]].rename(columns={S.SCORE: "_whole"}), on=S.RECORD_ID,
        how="left",
    )
    return keyed["_per"].fillna(keyed["_whole"]).to_numpy(dtype=float)


def _history_rows(
    previous: pd.DataFrame | None, history: pd.DataFrame | None, *, taxonomy_version, k: int
) -> pd.DataFrame:
    """Earlier findings rows as (period, neighborhood, concern, count, withheld)."""
    frames = []
    for name, frame in (("previous", previous), ("history", history)):
        if frame is None or frame.empty:
            continue
        S.require_columns(frame, [*F.FINDINGS_KEY, F.N_RECORDS], table=name)
        f = frame
        if S.TAXONOMY_VERSION in f.columns and taxonomy_version is not None:
            f = f[f[S.TAXONOMY_VERSION].isna() | (f[S.TAXONOMY_VERSION] == taxonomy_version)]
        withheld = (
            f[F.SUPPRESSED].fillna(False).astype(bool).to_numpy()
            if F.SUPPRESSED in f.columns
            else f[F.N_RECORDS].isna().to_numpy()
        )
        frames.append(
            pd.DataFrame(
                {
                    S.PERIOD: f[S.PERIOD].astype(str).to_numpy(),
                    S.NEIGHBORHOOD_ID: f[S.NEIGHBORHOOD_ID].astype(str).to_numpy(),
                    S.CONCERN_ID: f[S.CONCERN_ID].astype(str).to_numpy(),
                    "_count": pd.to_numeric(f[F.N_RECORDS], errors="coerce").to_numpy(
                        dtype=float, na_value=np.nan
                    ),
                    "_withheld": withheld,
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            {c: pd.Series(dtype="object") for c in F.FINDINGS_KEY}
            | {"_count": pd.Series(dtype=float), "_withheld": pd.Series(dtype=bool)}
        )
    hist = pd.concat(frames, ignore_index=True).drop_duplicates(list(F.FINDINGS_KEY))
    hist = hist[hist[S.PERIOD] != F.UNKNOWN]
    # a suppressed count is somewhere in 1..k-1: read it as the middle
    hist["_count"] = hist["_count"].where(~(hist["_withheld"] & hist["_count"].isna()), (k - 1) / 2)
    return hist.reset_index(drop=True)


# --- counts ----------------------------------------------------------------------------------


def _cell_counts(both: pd.DataFrame) -> pd.DataFrame:
    key = list(F.FINDINGS_KEY)
    if both.empty:
        return pd.DataFrame(
            columns=[*key, F.N_RECORDS_RAW, F.N_RECORDS, F.N_AUTHORS, F.N_CAMPAIGN_RECORDS,
                     *F.N_BY_SOURCE, F.N_TRIAGE]
        )
    stat = both[~both[_TRIAGE]]
    g = stat.groupby(key, sort=False)
    counts = pd.DataFrame(
        {
            F.N_RECORDS_RAW: g.size(),
            F.N_RECORDS: g[_GROUP].nunique(),
            F.N_AUTHORS: g[_VOICE].nunique(),
            F.N_CAMPAIGN_RECORDS: g[S.CAMPAIGN_ID].count(),
        }
    )
    reps = _representatives(stat)
    by_source = (
        reps.groupby([*key, S.SOURCE_TYPE]).size().unstack(S.SOURCE_TYPE)
        if not reps.empty
        else pd.DataFrame()
    )
    for source in S.SOURCE_TYPES:
        counts[F.N_SOURCE_PREFIX + source] = (
            by_source[source] if source in by_source.columns else 0
        )
    triage = both[both[_TRIAGE]].groupby(key).size().rename(F.N_TRIAGE)
    counts = counts.join(triage, how="outer")
    return counts.reset_index()


def _representatives(stat: pd.DataFrame) -> pd.DataFrame:
    """One row per (cell, text group): the first copy when present, else the smallest id."""
    if stat.empty:
        return stat
    ordered = stat.assign(_is_copy=stat[S.DUPLICATE_OF].notna()).sort_values(
        [*F.FINDINGS_KEY, _GROUP, "_is_copy", S.RECORD_ID], kind="stable"
    )
    return ordered.drop_duplicates([*F.FINDINGS_KEY, _GROUP]).drop(columns="_is_copy")


def _denominators(rec: pd.DataFrame) -> pd.DataFrame:
    stat = rec[~rec[_TRIAGE]]
    both = pd.concat([stat, stat.assign(**{S.NEIGHBORHOOD_ID: F.ALL})], ignore_index=True)
    return (
        both.groupby([S.PERIOD, S.NEIGHBORHOOD_ID])[_GROUP].nunique().rename("_denom").reset_index()
    )


def _suppression(out: pd.DataFrame, *, k: int) -> np.ndarray:
    sup = disclosure.primary_suppressed(
        out[F.N_RECORDS].to_numpy(), out[F.N_AUTHORS].to_numpy(), k=k
    )
    result = sup.copy()
    cells = (out[S.NEIGHBORHOOD_ID] != F.ALL).to_numpy()
    for _, idx in out[cells].groupby([S.PERIOD, S.CONCERN_ID], sort=False).groups.items():
        pos = out.index.get_indexer(idx)
        result[pos] = disclosure.complementary_suppression(
            out[F.N_RECORDS].to_numpy()[pos], sup[pos], k=k
        )
    return result


# --- sentiment, trends, quotes ---------------------------------------------------------------


def _sentiment_columns(out: pd.DataFrame, both: pd.DataFrame, *, ci_method: str, seed: int):
    key = list(F.FINDINGS_KEY)
    reps = _representatives(both[~both[_TRIAGE]])
    rows = {}
    for cell, group in reps.groupby(key, sort=True):
        scores = group[_SENT].to_numpy(dtype=float)
        scores = scores[~np.isnan(scores)]
        mean, low, high = stats.mean_ci(scores, method=ci_method, seed=seed)
        rows[cell] = (scores.size, mean, low, high)
    vals = [rows.get(cell, (0, np.nan, np.nan, np.nan)) for cell in
            zip(out[S.PERIOD], out[S.NEIGHBORHOOD_ID], out[S.CONCERN_ID], strict=True)]
    out = out.copy()
    out[F.SENTIMENT_N] = [v[0] for v in vals]
    out[F.SENTIMENT_MEAN] = [v[1] for v in vals]
    out[F.SENTIMENT_CI_LOW] = [v[2] for v in vals]
    out[F.SENTIMENT_CI_HIGH] = [v[3] for v in vals]
    return out


def _previous_month(period: str) -> str | None:
    try:
        p = pd.Period(period, freq="M")
    except (ValueError, TypeError):
        return None
    return str(p - 1)


def _trend_columns(
    out: pd.DataFrame, hist: pd.DataFrame, *, periods, k: int, alpha: float, min_count: int
) -> pd.DataFrame:
    """prev_n_records, change, expected, n_history_periods, p/q values and spike."""
    out = out.copy()
    key_cells = [S.NEIGHBORHOOD_ID, S.CONCERN_ID]
    input_periods = [p for p in periods if p != F.UNKNOWN]
    # counts[period][(nb, concern)] and withheld flags, input periods overriding history
    table: dict[str, dict[tuple[str, str], tuple[float, bool]]] = {}
    for period, nb, concern, count, withheld in zip(
        hist[S.PERIOD], hist[S.NEIGHBORHOOD_ID], hist[S.CONCERN_ID], hist["_count"],
        hist["_withheld"], strict=True,
    ):
        table.setdefault(period, {})[(nb, concern)] = (float(count), bool(withheld))
    for p in input_periods:
        sub = out[out[S.PERIOD] == p]
        table[p] = {
            (nb, c): (float(n), bool(s))
            for nb, c, n, s in zip(sub[S.NEIGHBORHOOD_ID], sub[S.CONCERN_ID], sub[F.N_RECORDS],
                                   sub[F.SUPPRESSED], strict=True)
        }
    available = sorted(table)

    n = len(out)
    prev = np.full(n, np.nan)
    prev_withheld = np.zeros(n, dtype=bool)
    expected = np.full(n, np.nan)
    n_hist = np.zeros(n, dtype="int64")
    pval = np.full(n, np.nan)
    qval = np.full(n, np.nan)
    spike = np.zeros(n, dtype=bool)
    hist_withheld = np.zeros(n, dtype=bool)
    for p in input_periods:
        pos = np.flatnonzero((out[S.PERIOD] == p).to_numpy())
        cells = list(zip(*(out[c].to_numpy()[pos] for c in key_cells), strict=True))
        pm = _previous_month(p)
        if pm in table:
            for i, cell in zip(pos, cells, strict=True):
                count, withheld = table[pm].get(cell, (0.0, False))
                prev[i] = count
                prev_withheld[i] = withheld
        earlier = [q for q in available if q < p][-stats.MAX_HISTORY:]
        if not earlier:
            continue
        histories = [[table[q].get(cell, (0.0, False))[0] for q in earlier] for cell in cells]
        hist_withheld[pos] = [
            any(table[q].get(cell, (0.0, False))[1] for q in earlier) for cell in cells
        ]
        observed = out[F.N_RECORDS].to_numpy(dtype=float)[pos]
        e, pv, qv, sp = stats.detect_spikes(
            observed, histories, alpha=alpha, min_count=min_count
        )
        expected[pos], pval[pos], qval[pos], spike[pos] = e, pv, qv, sp
        n_hist[pos] = len(earlier)
    out[F.PREV_N_RECORDS] = prev
    out["_prev_withheld"] = prev_withheld
    out["_hist_withheld"] = hist_withheld
    out[F.CHANGE_ABS] = out[F.N_RECORDS] - prev
    with np.errstate(divide="ignore", invalid="ignore"):
        out[F.CHANGE_REL] = np.where(prev > 0, (out[F.N_RECORDS] - prev) / prev, np.nan)
    out[F.EXPECTED] = expected
    out[F.N_HISTORY] = n_hist
    out[F.P_VALUE] = pval
    out[F.Q_VALUE] = qval
    out[F.SPIKE] = spike
    return out


def _quote_column(out: pd.DataFrame, both: pd.DataFrame) -> list[str | None]:
    key = list(F.FINDINGS_KEY)
    stat = both[~both[_TRIAGE]]
    # quotes never come from a suppressed cell, not even through the ALL row
    sup = out.loc[out[F.SUPPRESSED] & (out[S.NEIGHBORHOOD_ID] != F.ALL), key]
    sup_cells = set(map(tuple, sup.to_numpy().tolist()))
    own = list(zip(stat[S.PERIOD], stat[S.NEIGHBORHOOD_ID], stat[S.CONCERN_ID], strict=True))
    is_all = (stat[S.NEIGHBORHOOD_ID] == F.ALL).to_numpy()
    # ALL rows carry the record's own neighborhood in the first half of `both`; recover it
    home = dict(zip(both[S.RECORD_ID].iloc[: len(both) // 2], both[S.NEIGHBORHOOD_ID]
                    .iloc[: len(both) // 2], strict=True))
    blocked = []
    for (p, nb, c), all_row, rid in zip(own, is_all, stat[S.RECORD_ID], strict=True):
        cell = (p, home.get(rid, nb), c) if all_row else (p, nb, c)
        blocked.append(cell in sup_cells)
    reps = _representatives(stat[~np.asarray(blocked, dtype=bool)])
    reps = reps.rename(columns={S.SCORE: "score", _VOICE: "voice"})
    picked = {
        cell: quotes.quotes_json(quotes.select_quotes(group))
        for cell, group in reps.groupby(key, sort=True)
    }
    return [
        None if s else picked.get(cell, "[]")
        for cell, s in zip(
            zip(out[S.PERIOD], out[S.NEIGHBORHOOD_ID], out[S.CONCERN_ID], strict=True),
            out[F.SUPPRESSED],
            strict=True,
        )
    ]


# --- disclosure, order, types ----------------------------------------------------------------


def _withhold(out: pd.DataFrame, *, k: int) -> pd.DataFrame:
    out = out.copy()
    sup = out[F.SUPPRESSED].to_numpy(dtype=bool)
    hidden = [
        F.N_RECORDS, F.N_RECORDS_RAW, F.N_AUTHORS, F.N_CAMPAIGN_RECORDS, *F.N_BY_SOURCE, F.SHARE,
        F.SENTIMENT_N, F.SENTIMENT_MEAN, F.SENTIMENT_CI_LOW, F.SENTIMENT_CI_HIGH,
        F.PREV_N_RECORDS, F.CHANGE_ABS, F.CHANGE_REL, F.EXPECTED, F.P_VALUE, F.Q_VALUE,
        F.N_TRIAGE,
    ]
    for col in hidden:
        out[col] = out[col].astype("float64").where(~sup, np.nan)
    out.loc[sup, F.SPIKE] = False
    # a previous count that was itself suppressed is not shown, nor the change it implies
    pw = out["_prev_withheld"].to_numpy(dtype=bool)
    for col in (F.PREV_N_RECORDS, F.CHANGE_ABS, F.CHANGE_REL):
        out[col] = out[col].where(~pw, np.nan)
    # expected and p-values are functions of the history sum: hidden when it holds a hidden count
    hw = out["_hist_withheld"].to_numpy(dtype=bool)
    for col in (F.EXPECTED, F.P_VALUE, F.Q_VALUE):
        out[col] = out[col].where(~hw, np.nan)
    # a triage count is a count too: 1..k-1 is withheld, plus what would let it be worked out
    # from the city-wide row by subtraction (the same complementary rule as the counts)
    out[F.N_TRIAGE] = _withhold_triage(out, k=k)
    return out.drop(columns=["_prev_withheld", "_hist_withheld"])


def _withhold_triage(out: pd.DataFrame, *, k: int) -> pd.Series:
    tri = out[F.N_TRIAGE].astype("float64")
    hide = ((tri > 0) & (tri < k)).to_numpy().copy()
    cells = (out[S.NEIGHBORHOOD_ID] != F.ALL).to_numpy()
    groups = out.loc[cells].groupby([S.PERIOD, S.CONCERN_ID], sort=False).indices
    positions = np.flatnonzero(cells)
    for idx in groups.values():
        rows = positions[idx]
        counts = tri.to_numpy()[rows]
        known = ~np.isnan(counts)
        hidden = hide[rows] | ~known  # already withheld with a suppressed cell: counts as hidden
        if not hide[rows].any():
            continue
        extended = disclosure.complementary_suppression(np.nan_to_num(counts), hidden, k=k)
        hide[rows] = extended & known
    return tri.where(~hide, np.nan)


def _order(values: set[str]) -> list[str]:
    tail = [F.UNKNOWN] if F.UNKNOWN in values else []
    return sorted(v for v in values if v != F.UNKNOWN) + tail


def _sort(out: pd.DataFrame) -> pd.DataFrame:
    rank_p = out[S.PERIOD].eq(F.UNKNOWN).astype(int)
    rank_n = np.where(out[S.NEIGHBORHOOD_ID].eq(F.ALL), 0,
                      np.where(out[S.NEIGHBORHOOD_ID].eq(F.UNKNOWN), 2, 1))
    return (
        out.assign(_rp=rank_p, _rn=rank_n)
        .sort_values(["_rp", S.PERIOD, "_rn", S.NEIGHBORHOOD_ID, S.CONCERN_ID], kind="stable")
        .drop(columns=["_rp", "_rn"])
        .reset_index(drop=True)
    )


def _conform(out: pd.DataFrame) -> pd.DataFrame:
    out = out.copy()
    for col in F.FINDINGS_COLUMNS:
        if col not in out.columns:
            out[col] = None
    out = out[list(F.FINDINGS_COLUMNS)]
    for col in F.COUNT_COLUMNS:
        out[col] = pd.array(np.round(out[col].astype("float64")), dtype="Int64")
    for col in (F.SHARE, F.SENTIMENT_MEAN, F.SENTIMENT_CI_LOW, F.SENTIMENT_CI_HIGH, F.CHANGE_REL,
                F.EXPECTED, F.P_VALUE, F.Q_VALUE):
        out[col] = out[col].astype("float64")
    for col in (F.SPIKE, F.SUPPRESSED):
        out[col] = out[col].astype(bool)
    for col in (*F.FINDINGS_KEY, F.QUOTES, S.TAXONOMY_VERSION, F.RUN_ID, F.CONFIG_HASH):
        out[col] = pd.Series(
            [v if isinstance(v, str) else None for v in out[col]], index=out.index, dtype="object"
        )
    return out


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in F.FINDINGS_COLUMNS})
    return _conform(frame)
