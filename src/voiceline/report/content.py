"""What the report says, as plain Python values: the headline, spikes, quotes, topics, about.

Each builder reads findings rows (and the optional run tables) and returns dicts and lists that
the template lays out; nothing here knows HTML. Withheld (suppressed) values stay withheld: a
count that is NA in the findings is never recomputed from anything else here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.findings import stats
from voiceline.report.common import (
    PERIOD_RE,
    as_float,
    as_int,
    as_list,
    is_missing,
    manifest_value,
    neighborhood_label,
    parse_quotes,
)

TOP_CONCERNS = 5
"""How many concerns the headline names and the quotes section covers."""
MINUS = "\u2212"


def period_label(period: str | None) -> str:
    """``"2026-10"`` -> ``"October 2026"``; other values unchanged; None -> "(no period)".

    >>> period_label("2026-10"), period_label("unknown")
    ('October 2026', 'unknown')
    """
    if not period:
        return "(no period)"
    if PERIOD_RE.match(period):
        return pd.Period(period, freq="M").strftime("%B %Y")
    return period


def fmt_int(n: int | None) -> str:
    return "withheld" if n is None else f"{n:,}"


def fmt_pct(x: float | None, *, signed: bool = False) -> str:
    """Whole percentages; small non-zero values as ``<1%``; ``MINUS`` for negatives."""
    if x is None:
        return ""
    if 0 < abs(x) < 0.005:
        text = "<1%"
        return (("+" if x > 0 else MINUS) + text) if signed else text
    text = f"{abs(x):.0%}"
    if signed:
        return ("+" if x > 0 else MINUS if x < 0 else "\u00b1") + text
    return text


def fmt_p(p: float | None) -> str:
    """p- and q-values: three decimals, ``<0.001`` below that."""
    if p is None:
        return "withheld"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def change_text(n: int | None, prev: int | None, *, has_previous: bool) -> tuple[str, str]:
    """``(text, direction)`` of a change against last month; direction is up/down/flat/none.

    >>> change_text(12, 8, has_previous=True)
    ('+4 (+50%)', 'up')
    >>> change_text(3, 0, has_previous=True)
    ('new (+3)', 'up')
    """
    if n is None:
        return "withheld", "none"
    if not has_previous:
        return "no earlier month", "none"
    if prev is None:
        return "last month withheld", "none"
    delta = n - prev
    if prev == 0:
        return (f"new (+{n})", "up") if n > 0 else ("no change", "flat")
    if delta == 0:
        return "no change", "flat"
    sign = "+" if delta > 0 else MINUS
    return f"{sign}{abs(delta)} ({fmt_pct(delta / prev, signed=True)})", (
        "up" if delta > 0 else "down"
    )


# --- rows of the period ----------------------------------------------------------------------


def period_rows(findings: pd.DataFrame, period: str | None) -> pd.DataFrame:
    if findings is None or findings.empty or period is None:
        return pd.DataFrame(columns=list(F.FINDINGS_COLUMNS))
    return findings[findings[S.PERIOD].astype(str) == period]


def city_rows(cur: pd.DataFrame) -> pd.DataFrame:
    """The city-wide rows of a period, most records first (withheld counts last)."""
    rows = cur[cur[S.NEIGHBORHOOD_ID] == F.ALL].copy()
    rows["_n"] = pd.to_numeric(rows[F.N_RECORDS], errors="coerce").astype(float)
    return rows.sort_values(["_n", S.CONCERN_ID], ascending=[False, True], na_position="last")


def period_records(cur: pd.DataFrame, manifest: Mapping[str, Any] | None) -> int | None:
    """Records counted this period city-wide: the manifest's number, else ``n / share`` of an
    unsuppressed city-wide row (shares are of the period's counted records)."""
    found = manifest_value(manifest, "stages.findings.records", "stages.findings.n_records")
    if isinstance(found, int):
        return found
    all_rows = cur[cur[S.NEIGHBORHOOD_ID] == F.ALL]
    n = pd.to_numeric(all_rows[F.N_RECORDS], errors="coerce").astype(float)
    share = all_rows[F.SHARE].astype(float)
    ok = (n > 0) & (share > 0) & ~all_rows[F.SUPPRESSED].astype(bool)
    if not ok.any():
        return None
    return int(round((n[ok] / share[ok]).median()))


def headline(
    cur: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    manifest: Mapping[str, Any] | None,
    has_previous: bool,
) -> dict[str, Any]:
    """Key figures and the top concerns city-wide."""
    city = city_rows(cur)
    top = []
    for _, row in city.iterrows():
        n = as_int(row[F.N_RECORDS])
        if n == 0:
            continue
        prev = as_int(row[F.PREV_N_RECORDS])
        text, direction = change_text(n, prev, has_previous=has_previous)
        top.append(
            {
                "concern_id": row[S.CONCERN_ID],
                "label": labels.get(row[S.CONCERN_ID], row[S.CONCERN_ID]),
                "n": n,
                "n_text": fmt_int(n),
                "voices": fmt_int(as_int(row[F.N_AUTHORS])),
                "share": fmt_pct(as_float(row[F.SHARE])),
                "change": text,
                "direction": direction,
                "delta": None if n is None or prev is None or not has_previous else n - prev,
                "spike": bool(row[F.SPIKE]),
            }
        )
    voices = manifest_value(manifest, "stages.findings.voices", "stages.findings.n_authors")
    cells = cur[cur[S.NEIGHBORHOOD_ID] != F.ALL]
    return {
        "records": period_records(cur, manifest),
        "voices": voices if isinstance(voices, int) else None,
        "n_concerns": int((pd.to_numeric(city[F.N_RECORDS], errors="coerce") > 0).sum()),
        "top": top[:TOP_CONCERNS],
        "all_concerns": top,
        "n_spikes": int(cur[F.SPIKE].astype(bool).sum()) if not cur.empty else 0,
        "n_cells": len(cells),
        "n_suppressed": int(cells[F.SUPPRESSED].astype(bool).sum()) if not cells.empty else 0,
        # zeros are shown (they say nothing about anyone), so "all withheld" means no count
        # above zero is left to show
        "all_suppressed": bool(len(cur)) and bool(cur[F.SUPPRESSED].astype(bool).any())
        and not bool((pd.to_numeric(cur[F.N_RECORDS], errors="coerce") > 0).any()),
    }


# --- spikes, quotes --------------------------------------------------------------------------


def spike_rows(cur: pd.DataFrame, *, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every spike of the period, city-wide first, then by q-value and size."""
    if cur.empty:
        return []
    sp = cur[cur[F.SPIKE].astype(bool)].copy()
    sp["_all"] = (sp[S.NEIGHBORHOOD_ID] != F.ALL).astype(int)
    sp["_q"] = sp[F.Q_VALUE].astype(float).fillna(1.0)
    sp["_n"] = -pd.to_numeric(sp[F.N_RECORDS], errors="coerce").astype(float).fillna(0)
    sp = sp.sort_values(["_all", "_q", "_n", S.NEIGHBORHOOD_ID, S.CONCERN_ID])
    out = []
    shown: set[str] = set()  # a quote already shown under an earlier spike is not repeated
    for _, row in sp.iterrows():
        quotes = [q for q in parse_quotes(row[F.QUOTES]) if q["record_id"] not in shown]
        shown.update(q["record_id"] for q in quotes)
        n = as_int(row[F.N_RECORDS])
        expected = as_float(row[F.EXPECTED])
        prev = as_int(row[F.PREV_N_RECORDS])
        ratio = n / expected if n is not None and expected else None
        out.append(
            {
                "where": neighborhood_label(row[S.NEIGHBORHOOD_ID]),
                "concern": labels.get(row[S.CONCERN_ID], row[S.CONCERN_ID]),
                "n": fmt_int(n),
                "expected": "withheld" if expected is None else f"{expected:.1f}",
                "ratio": "" if ratio is None else f"{ratio:.1f}\u00d7",
                "prev": fmt_int(prev) if not is_missing(row[F.PREV_N_RECORDS]) else "\u2013",
                "p": fmt_p(as_float(row[F.P_VALUE])),
                "q": fmt_p(as_float(row[F.Q_VALUE])),
                "months": as_int(row[F.N_HISTORY]) or 0,
                "quotes": quotes,
            }
        )
    return out


def top_quotes(top: list[dict[str, Any]], cur: pd.DataFrame) -> list[dict[str, Any]]:
    """The city-wide quotes of each top concern (already redacted and screened upstream)."""
    city = cur[cur[S.NEIGHBORHOOD_ID] == F.ALL].set_index(S.CONCERN_ID)
    out = []
    for item in top:
        cid = item["concern_id"]
        quotes = parse_quotes(city.at[cid, F.QUOTES]) if cid in city.index else []
        out.append({"label": item["label"], "n_text": item["n_text"], "quotes": quotes})
    return out


def sentiment_rows(cur: pd.DataFrame, *, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """City-wide mean sentiment per concern with its interval (shown rows only)."""
    city = cur[cur[S.NEIGHBORHOOD_ID] == F.ALL]
    rows = []
    for _, row in city.iterrows():
        mean = as_float(row[F.SENTIMENT_MEAN])
        if mean is None or bool(row[F.SUPPRESSED]):
            continue
        low, high = as_float(row[F.SENTIMENT_CI_LOW]), as_float(row[F.SENTIMENT_CI_HIGH])
        rows.append(
            {
                "label": labels.get(row[S.CONCERN_ID], row[S.CONCERN_ID]),
                "mean": mean,
                "low": mean if low is None else low,
                "high": mean if high is None else high,
                "n": as_int(row[F.SENTIMENT_N]) or 0,
            }
        )
    return sorted(rows, key=lambda r: (r["mean"], r["label"]))


# --- topics ----------------------------------------------------------------------------------


def topic_rows(topics: pd.DataFrame | None, *, k: int) -> tuple[list[dict[str, Any]], int]:
    """Emerging topics (new first, then largest) with at least ``k`` records, and how many
    smaller ones were left out (a topic of two records can describe two people)."""
    if topics is None or topics.empty or "topic_label" not in topics.columns:
        return [], 0
    t = topics
    if "topic_id" in t.columns:
        t = t[pd.to_numeric(t["topic_id"], errors="coerce").fillna(0) >= 0]
    size = pd.to_numeric(t["size"], errors="coerce").fillna(0) if "size" in t.columns else None
    is_new = (
        t["is_new"].map(lambda v: str(v).strip().lower() in ("true", "1", "yes"))
        if "is_new" in t.columns
        else pd.Series(False, index=t.index)
    )
    t = t.assign(_size=size if size is not None else 0, _new=is_new)
    t = t.sort_values(["_new", "_size", "topic_label"], ascending=[False, False, True])
    shown = t[t["_size"] >= k] if size is not None else t
    rows = [
        {
            "label": str(r["topic_label"]),
            "keywords": ", ".join(as_list(r["keywords"])[:8]) if "keywords" in t.columns else "",
            "size": int(r["_size"]),
            "new": bool(r["_new"]),
        }
        for _, r in shown.iterrows()
    ]
    return rows, len(t) - len(shown)


# --- about -----------------------------------------------------------------------------------


def _first(series: pd.Series) -> str | None:
    vals = [v for v in series.dropna().astype(str) if v]
    return vals[0] if vals else None


def about(
    findings: pd.DataFrame,
    *,
    manifest: Mapping[str, Any] | None,
    k: int,
    k_known: bool,
) -> dict[str, Any]:
    """Provenance, method notes and source counts for the "About this report" section."""
    m = manifest or {}
    empty = findings is None or findings.empty
    run_id = manifest_value(m, "run_id") or (None if empty else _first(findings[F.RUN_ID]))
    config_hash = manifest_value(m, "config_hash") or (
        None if empty else _first(findings[F.CONFIG_HASH])
    )
    taxonomy = None if empty else _first(findings[S.TAXONOMY_VERSION])
    taxonomy = taxonomy or manifest_value(m, "taxonomy_version", "stages.findings.taxonomy_version")
    alpha = manifest_value(m, "alpha", "stages.findings.alpha", "config.findings.alpha")
    facts = [
        ("Run", run_id or "not recorded"),
        ("Config hash", config_hash or "not recorded"),
        ("Concern taxonomy", taxonomy or "not recorded"),
        ("Disclosure threshold", f"k = {k}" + ("" if k_known else " (the default)")),
        ("Run finished", manifest_value(m, "finished_at") or "not recorded"),
        ("voiceline version", manifest_value(m, "voiceline_version", "packages.voiceline")
         or "not recorded"),
    ]
    inputs = manifest_value(m, "inputs")
    if isinstance(inputs, list) and inputs:
        facts.append(("Input files", f"{len(inputs)} (sizes and SHA-256 hashes in manifest.json)"))
    return {
        "facts": facts,
        "k": k,
        "taxonomy": taxonomy or "not recorded",
        "alpha": float(alpha) if isinstance(alpha, int | float) else 0.05,
        "max_history": stats.MAX_HISTORY,
        "sources": _source_rows(m),
        "stages": _stage_rows(m),
    }


def _source_rows(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    by_source = manifest_value(manifest, "stages.ingest.by_source")
    if not isinstance(by_source, Mapping):
        return []
    rows = []
    for name in sorted(by_source):
        c = by_source[name] if isinstance(by_source[name], Mapping) else {}
        rows.append(
            {
                "name": str(name),
                "rows_read": c.get("rows_read", ""),
                "records": c.get("records", ""),
                "rejected": c.get("rejected", ""),
                "dropped": c.get("dropped", ""),
            }
        )
    return rows


def _stage_rows(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    stages = manifest_value(manifest, "stages")
    if not isinstance(stages, Mapping):
        return []
    rows = []
    for name, counts in stages.items():
        if not isinstance(counts, Mapping):
            continue
        parts = [
            f"{key.replace('_', ' ')} {value:,}"
            for key, value in counts.items()
            if isinstance(value, int) and not isinstance(value, bool)
        ]
        if parts:
            rows.append((str(name), ", ".join(parts)))
    return rows
