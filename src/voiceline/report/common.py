"""Helpers the report and the workbook share: labels, quotes, periods, the manifest, triage counts.

Everything here reads the run's tables as they are written (``findings.parquet``,
``triage.csv``, ``topic_info.parquet``, ``manifest.json``) and tolerates the shapes those files
take after a round trip through Parquet or CSV (a list column read back as a JSON string or a
NumPy array, an ``Int64`` count read back as a float).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.findings import disclosure

DEFAULT_K = 5
"""The disclosure threshold assumed when neither the caller nor the manifest names one
(``build_findings``' default)."""

PERIOD_RE = re.compile(r"^\d{4}-\d{2}$")

FLAG_LABELS = {
    "crime_tip": "Crime tip or crime in progress",
    "threat": "Threat or imminent danger",
    "officer_complaint": "Complaint naming an officer",
    "welfare": "Welfare concern",
}
"""How the triage flags read in the report and the workbook."""


def conform_findings(findings: pd.DataFrame | None) -> pd.DataFrame:
    """The findings table checked against its contract, keys as text (``unknown`` for blanks).

    ``None`` or an empty frame without columns (a period with no records) is an empty table.
    """
    if findings is None or (findings.empty and not set(F.FINDINGS_KEY) <= set(findings.columns)):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in F.FINDINGS_COLUMNS})
    S.require_columns(findings, F.FINDINGS_COLUMNS, table="findings")
    out = findings.copy()
    for col in F.FINDINGS_KEY:
        out[col] = out[col].astype("object").where(out[col].notna(), F.UNKNOWN).astype(str)
    return out


# --- names people read -----------------------------------------------------------------------


@lru_cache(maxsize=8)
def _bundled_labels(taxonomy_version: str) -> dict[str, str]:
    try:
        from voiceline.concerns.taxonomy import BUNDLED_NAME, Taxonomy

        if Path(BUNDLED_NAME).stem != taxonomy_version:  # not the bundled one: skip reading it
            return {}
        tax = Taxonomy.load()
    except Exception:  # noqa: BLE001 - labels are a nicety; fall back to the ids
        return {}
    if tax.version != taxonomy_version:
        return {}
    return {c.id: c.label for c in tax}


def humanize(identifier: object) -> str:
    """``"property_crime"`` -> ``"Property crime"``; ``"lighthouse-hill"`` -> ``"Lighthouse Hill"``.

    >>> humanize("property_crime"), humanize("lighthouse-hill"), humanize("N01")
    ('Property crime', 'Lighthouse Hill', 'N01')
    """
    text = str(identifier)
    if "-" in text:
        return " ".join(w[:1].upper() + w[1:] for w in text.split("-") if w)
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def concern_labels(
    concern_ids: Iterable[str],
    *,
    taxonomy_version: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A display label per concern id: ``labels`` first, then the bundled taxonomy's labels when
    ``taxonomy_version`` is the bundled one, then the id made readable."""
    bundled = _bundled_labels(taxonomy_version) if taxonomy_version else {}
    given = dict(labels or {})
    return {c: given.get(c) or bundled.get(c) or humanize(c) for c in concern_ids}


def neighborhood_label(nb: object) -> str:
    """How a ``neighborhood_id`` reads in the report (``ALL`` is the whole city)."""
    if nb == F.ALL:
        return "City-wide"
    if nb == F.UNKNOWN or nb is None or (isinstance(nb, float) and math.isnan(nb)):
        return "Unknown area"
    return humanize(nb)


# --- values ----------------------------------------------------------------------------------


def is_missing(value: object) -> bool:
    """None, NaN and ``pd.NA`` (not an empty list or string)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_int(value: object) -> int | None:
    return None if is_missing(value) else int(round(float(value)))  # type: ignore[arg-type]


def as_float(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def parse_quotes(value: object) -> list[dict[str, str]]:
    """The findings ``quotes`` value as a list of ``{"record_id", "text"}`` (``[]`` when none).

    >>> parse_quotes('[{"record_id": "r1", "text": "Too dark at night."}]')[0]["text"]
    'Too dark at night.'
    >>> parse_quotes(None)
    []
    """
    if is_missing(value):
        return []
    items: Any = value
    if isinstance(value, str):
        try:
            items = json.loads(value)
        except json.JSONDecodeError:
            return []
    if isinstance(items, np.ndarray):
        items = items.tolist()
    out = []
    for item in items if isinstance(items, list | tuple) else []:
        if isinstance(item, Mapping) and str(item.get("text") or "").strip():
            out.append({"record_id": str(item.get("record_id", "")), "text": str(item["text"])})
    return out


def as_list(value: object) -> list[str]:
    """A list-like cell (list, NumPy array, JSON text, ``a;b`` or ``a, b`` text) as strings."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [str(v) for v in value if not is_missing(v) and str(v).strip()]
    if is_missing(value):
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(v) for v in parsed if str(v).strip()]
    sep = ";" if ";" in text else ","
    return [t.strip() for t in text.split(sep) if t.strip()]


# --- periods ---------------------------------------------------------------------------------


def report_period(findings: pd.DataFrame, period: str | None = None) -> str | None:
    """The period a report is about: ``period`` when given, else the latest in ``findings``."""
    if period:
        return str(period)
    if findings is None or findings.empty or S.PERIOD not in findings.columns:
        return None
    known = sorted({str(p) for p in findings[S.PERIOD].dropna()} - {F.UNKNOWN})
    return known[-1] if known else None


def previous_period(period: str | None) -> str | None:
    """``"2026-10"`` -> ``"2026-09"``; anything else -> None."""
    if not period or not PERIOD_RE.match(period):
        return None
    return str(pd.Period(period, freq="M") - 1)


# --- manifest --------------------------------------------------------------------------------


def manifest_value(manifest: Mapping[str, Any] | None, *paths: str) -> Any:
    """The first value found at one of the dotted ``paths`` (``"stages.findings.k"``)."""
    for path in paths:
        node: Any = manifest or {}
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                node = None
                break
            node = node[part]
        if node is not None:
            return node
    return None


def disclosure_k(manifest: Mapping[str, Any] | None, k: int | None = None) -> tuple[int, bool]:
    """``(k, known)``: the disclosure threshold and whether the caller or manifest named it."""
    if k is not None:
        return int(k), True
    found = manifest_value(
        manifest, "k", "findings.k", "stages.findings.k", "config.findings.k", "options.k"
    )
    if isinstance(found, int | float) and not isinstance(found, bool) and found >= 1:
        return int(found), True
    return DEFAULT_K, False


# --- triage ----------------------------------------------------------------------------------


def triage_long(triage: pd.DataFrame | None, period: str | None = None) -> pd.DataFrame:
    """One row per (record, triage flag, neighborhood) of ``period`` (all rows when the table
    has no period column). Accepts ``triage_table``'s ``flag`` column or a ``flags`` list."""
    cols = [S.RECORD_ID, "flag", S.NEIGHBORHOOD_ID]
    if triage is None or triage.empty:
        return pd.DataFrame(columns=cols)
    t = triage
    if period and S.PERIOD in t.columns:
        t = t[t[S.PERIOD].astype(str) == str(period)]
    only_triage = False
    if "flag" in t.columns:  # triage_table(): one row per record x flag
        flags = [[str(f)] if not is_missing(f) else [] for f in t["flag"]]
    elif S.FLAGS in t.columns:  # records with their flag lists
        flags = [as_list(f) for f in t[S.FLAGS]]
        only_triage = True
    else:
        flags = [["unspecified"] for _ in range(len(t))]
    ids = t[S.RECORD_ID].astype(str) if S.RECORD_ID in t.columns else pd.Series(
        [f"row{i}" for i in range(len(t))], index=t.index
    )
    hoods = (
        t[S.NEIGHBORHOOD_ID] if S.NEIGHBORHOOD_ID in t.columns else pd.Series(None, index=t.index)
    )
    rows = []
    for rid, fl, nb in zip(ids, flags, hoods, strict=True):
        nb = F.UNKNOWN if is_missing(nb) or not str(nb).strip() else str(nb)
        for flag in fl:
            if flag in S.TRIAGE_FLAGS or not only_triage:
                rows.append((rid, flag, nb))
    return pd.DataFrame(rows, columns=cols).drop_duplicates()


@dataclass(frozen=True)
class TriageSummary:
    """Counts of the period's triage items, never their texts (those go to a person).

    ``n_items`` is the number of flagged records; ``by_flag`` and ``by_neighborhood`` are
    ``(key, count)`` pairs. A count is ``None`` where it is withheld.
    """

    n_items: int | None
    by_flag: list[tuple[str, int | None]]
    by_neighborhood: list[tuple[str, int | None]]
    n_raw: int

    @property
    def empty(self) -> bool:
        return self.n_raw == 0


def _withheld_counts(
    keys: list[str], counts: np.ndarray, *, k: int
) -> list[tuple[str, int | None]]:
    sup = disclosure.complementary_suppression(
        counts, disclosure.primary_suppressed(counts, counts, k=k), k=k
    )
    return [(key, None if s else int(c)) for key, c, s in zip(keys, counts, sup, strict=True)]


def triage_counts(triage: pd.DataFrame | None, *, period: str | None, k: int) -> TriageSummary:
    """Triage items of ``period`` counted by flag and, separately, by neighborhood.

    Counts follow the findings' disclosure rules (:mod:`voiceline.findings.disclosure`): the
    report is read by people who do not handle the items, and "2 officer complaints in Libby
    Hill" can point at people. So a count of 1..k-1 is withheld, and within each list one more
    is withheld where a single small count could be recovered by subtraction from the total.
    The two lists are margins, not a flag x neighborhood cross-table: a cross-table of such
    small numbers would be almost all withheld.

    >>> t = pd.DataFrame({"record_id": list("abcdefg"), "flag": ["threat"] * 6 + ["welfare"],
    ...                   "neighborhood_id": ["x"] * 6 + ["y"]})
    >>> s = triage_counts(t, period=None, k=5)
    >>> s.n_items, s.by_flag
    (7, [('threat', None), ('welfare', None)])
    """
    long = triage_long(triage, period)
    if long.empty:
        return TriageSummary(0, [], [], 0)
    n = int(long[S.RECORD_ID].nunique())
    by_flag = long.groupby("flag")[S.RECORD_ID].nunique()
    flags = [f for f in S.TRIAGE_FLAGS if f in by_flag.index]
    flags += sorted(f for f in by_flag.index if f not in flags)
    by_nb = long.drop_duplicates([S.RECORD_ID, S.NEIGHBORHOOD_ID]).groupby(S.NEIGHBORHOOD_ID)[
        S.RECORD_ID
    ].nunique()
    hoods = sorted(h for h in by_nb.index if h != F.UNKNOWN)
    hoods += [F.UNKNOWN] if F.UNKNOWN in by_nb.index else []
    return TriageSummary(
        n_items=None if 0 < n < k else n,
        by_flag=_withheld_counts(flags, by_flag.reindex(flags).to_numpy(), k=k),
        by_neighborhood=_withheld_counts(hoods, by_nb.reindex(hoods).to_numpy(), k=k),
        n_raw=n,
    )
