"""The neighborhood x concern heat map, as an HTML table rather than a chart.

Why a table: it prints, it reads aloud in a screen reader (a caption, row and column headers),
every cell carries its number, and a withheld cell can say ``<5`` instead of being a gap in a
colour field. Colour is a single-hue blue ramp (ColorBrewer "Blues"), which stays ordered for
every common colour-vision deficiency and in greyscale print.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.report.common import as_float, as_int, neighborhood_label

BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5",
         "#08519c", "#08306b")


def _hex(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def ramp(x: float) -> tuple[str, str]:
    """``(background, text colour)`` for ``x`` in 0..1 on the Blues ramp.

    >>> ramp(0.0), ramp(1.0)
    (('#f7fbff', '#111111'), ('#08306b', '#ffffff'))
    """
    x = min(max(float(x), 0.0), 1.0) * (len(BLUES) - 1)
    lo = int(np.floor(x))
    hi = min(lo + 1, len(BLUES) - 1)
    rgb = _hex(BLUES[lo]) + (_hex(BLUES[hi]) - _hex(BLUES[lo])) * (x - lo)
    bg = "#" + "".join(f"{int(round(v)):02x}" for v in rgb)
    lum = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    return bg, "#111111" if lum > 140 else "#ffffff"


def heat_table(
    cur: pd.DataFrame, *, labels: Mapping[str, str], concern_order: list[str], k: int
) -> dict[str, Any]:
    """Rows are concerns (most raised city-wide first), columns the city and each neighborhood.

    A cell shows the share of that area's records that raise the concern; its tooltip the
    count. Withheld cells read ``<k``; empty cells (no records) ``0``.
    """
    if cur.empty:
        return {"columns": [], "rows": []}
    hoods = [F.ALL] + [h for h in dict.fromkeys(cur[S.NEIGHBORHOOD_ID]) if h != F.ALL]
    present = set(cur[S.CONCERN_ID])
    concerns = [c for c in concern_order if c in present]
    concerns += sorted(present - set(concerns))
    by_cell = cur.set_index([S.CONCERN_ID, S.NEIGHBORHOOD_ID])
    cells = cur[(cur[S.NEIGHBORHOOD_ID] != F.ALL) & ~cur[F.SUPPRESSED].astype(bool)]
    top = float(np.nanmax(cells[F.SHARE].astype(float).to_numpy(), initial=0.0) or 0.0)
    rows = []
    for cid in concerns:
        label = labels.get(cid, cid)
        out = []
        for nb in hoods:
            out.append(_cell(by_cell, cid, nb, label=label, top=top, k=k))
        rows.append({"label": label, "cells": out})
    columns = [neighborhood_label(h) for h in hoods]
    return {"columns": columns, "rows": rows}


def _cell(
    by_cell: pd.DataFrame, cid: str, nb: str, *, label: str, top: float, k: int
) -> dict[str, Any]:
    where = neighborhood_label(nb)
    if (cid, nb) not in by_cell.index:
        return {"text": "", "bg": "#ffffff", "fg": "#111111", "title": "", "kind": "none"}
    row = by_cell.loc[(cid, nb)]
    if isinstance(row, pd.DataFrame):  # duplicate keys: take the first
        row = row.iloc[0]
    if bool(row[F.SUPPRESSED]):
        return {
            "text": f"<{k}",
            "bg": "#f0f0f0",
            "fg": "#444444",
            "title": f"{where}, {label}: fewer than {k} records or voices; withheld",
            "kind": "withheld",
        }
    n = as_int(row[F.N_RECORDS]) or 0
    share = as_float(row[F.SHARE])
    if n == 0:
        return {"text": "0", "bg": "#ffffff", "fg": "#767676",
                "title": f"{where}, {label}: no records", "kind": "zero"}
    text = "" if share is None else ("<1%" if share < 0.005 else f"{share:.0%}")
    bg, fg = ramp((share or 0.0) / top) if top > 0 and nb != F.ALL else ("#ffffff", "#111111")
    spike = bool(row[F.SPIKE])
    title = f"{where}, {label}: {n:,} records ({text} of the area's records)"
    return {
        "text": text,
        "bg": bg,
        "fg": fg,
        "title": title + (", a spike" if spike else ""),
        "kind": "spike" if spike else "value",
    }
