"""The report's two charts (concern trends, sentiment by concern) as Plotly HTML fragments.

Plotly is imported here, inside the functions, so importing :mod:`voiceline.report` stays
cheap. Fragments are made with ``include_plotlyjs=False`` and fixed ``div_id`` s (the same
inputs give the same HTML); the page inlines plotly.js once (:func:`plotly_js`). Colours are
the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies), and lines
also differ by marker and dash so they survive greyscale print.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from voiceline import findings as F
from voiceline import schemas as S

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
             "#B8860B")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "cross")
DASHES = ("solid", "dash", "dot", "dashdot")
VISIBLE_LINES = 6
"""Trend lines drawn at first; the others are one legend click away."""
MAX_MONTHS = 13

_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
_FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
         "size": 13, "color": "#1a1a1a"}


def plotly_js() -> str:
    """The plotly.js bundle, to inline once in the page (no CDN)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _html(fig: Any, div_id: str) -> str:
    return fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=div_id, config=_CONFIG,
        default_width="100%",
    )


def trend_frame(
    findings: pd.DataFrame, history: pd.DataFrame | None, *, period: str | None
) -> pd.DataFrame:
    """City-wide records per period x concern up to ``period`` (NaN where withheld).

    Rows of ``findings`` win over ``history`` rows of the same period; history of another
    taxonomy version is left out (its counts mean something else).
    """
    frames = []
    version = None
    if findings is not None and not findings.empty:
        versions = findings[S.TAXONOMY_VERSION].dropna().astype(str)
        version = versions.iloc[0] if len(versions) else None
        frames.append(findings)
    if history is not None and not history.empty:
        h = history
        if version is not None and S.TAXONOMY_VERSION in h.columns:
            h = h[h[S.TAXONOMY_VERSION].isna() | (h[S.TAXONOMY_VERSION].astype(str) == version)]
        frames.append(h)
    if not frames or period is None:
        return pd.DataFrame()
    rows = pd.concat(
        [f[[c for c in (*F.FINDINGS_KEY, F.N_RECORDS, F.SUPPRESSED) if c in f.columns]]
         for f in frames],
        ignore_index=True,
    )
    rows = rows[(rows[S.NEIGHBORHOOD_ID] == F.ALL) & (rows[S.PERIOD].astype(str) <= period)]
    rows = rows[rows[S.PERIOD].astype(str).str.match(r"^\d{4}-\d{2}$")]
    rows = rows.drop_duplicates([S.PERIOD, S.CONCERN_ID], keep="first")
    n = pd.to_numeric(rows[F.N_RECORDS], errors="coerce").astype(float)
    if F.SUPPRESSED in rows.columns:
        n = n.where(~rows[F.SUPPRESSED].fillna(False).astype(bool))
    table = rows.assign(_n=n).pivot(index=S.PERIOD, columns=S.CONCERN_ID, values="_n")
    return table.sort_index().iloc[-MAX_MONTHS:]


def trend_chart(table: pd.DataFrame, *, labels: Mapping[str, str], order: list[str]) -> str:
    """Lines of city-wide records per month, one per concern (top concerns shown first)."""
    import plotly.graph_objects as go

    concerns = [c for c in order if c in table.columns]
    concerns += sorted(c for c in table.columns if c not in concerns)
    fig = go.Figure()
    periods = [str(p) for p in table.index]
    for i, cid in enumerate(concerns):
        color = OKABE_ITO[i % len(OKABE_ITO)]
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=table[cid].tolist(),
                name=labels.get(cid, cid),
                mode="lines+markers",
                line={"color": color, "width": 2.5, "dash": DASHES[(i // len(OKABE_ITO)) % 4]},
                marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 8, "color": color},
                visible=True if i < VISIBLE_LINES else "legendonly",
                hovertemplate="%{x}: %{y} records<extra>%{fullData.name}</extra>",
                connectgaps=False,
            )
        )
    fig.update_layout(
        template="plotly_white",
        font=_FONT,
        height=420,
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        legend={"orientation": "v", "x": 1.02, "y": 1, "font": {"size": 12}},
        xaxis={"type": "category", "title": {"text": "Month"}},
        yaxis={"title": {"text": "Records (city-wide)"}, "rangemode": "tozero"},
        hovermode="closest",
    )
    return _html(fig, "chart-trends")


def sentiment_chart(rows: list[dict[str, Any]]) -> str:
    """Mean sentiment per concern (-1 negative .. +1 positive) with its 95% interval."""
    import plotly.graph_objects as go

    labels = [r["label"] for r in rows]
    means = [r["mean"] for r in rows]
    fig = go.Figure(
        go.Scatter(
            x=means,
            y=labels,
            mode="markers",
            marker={"size": 11, "color": OKABE_ITO[0], "symbol": "diamond"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [max(r["high"] - r["mean"], 0.0) for r in rows],
                "arrayminus": [max(r["mean"] - r["low"], 0.0) for r in rows],
                "color": "#555555",
                "thickness": 1.5,
                "width": 5,
            },
            customdata=[[r["low"], r["high"], r["n"]] for r in rows],
            hovertemplate=(
                "%{y}: %{x:.2f} (95% interval %{customdata[0]:.2f} to %{customdata[1]:.2f}, "
                "%{customdata[2]} records)<extra></extra>"
            ),
            showlegend=False,
        )
    )
    fig.add_vline(x=0, line={"color": "#888888", "width": 1, "dash": "dot"})
    fig.update_layout(
        template="plotly_white",
        font=_FONT,
        height=max(220, 60 + 30 * len(rows)),
        margin={"l": 20, "r": 20, "t": 10, "b": 50},
        xaxis={
            "range": [-1.05, 1.05],
            "tickvals": [-1, -0.5, 0, 0.5, 1],
            "ticktext": ["\u22121 negative", "\u22120.5", "0 neutral", "+0.5", "+1 positive"],
            "title": {"text": "Mean sentiment with 95% interval"},
        },
        yaxis={"automargin": True, "categoryorder": "array", "categoryarray": labels},
    )
    return _html(fig, "chart-sentiment")
