"""The monthly report: one self-contained HTML file a commander or council member reads in five
minutes (headline, map of concerns by neighborhood, trends, spikes, sentiment, emerging topics,
quotes, follow-up counts, and how it was made).

"Self-contained" is literal: plotly.js is inlined once, there are no fonts, stylesheets, images
or scripts from anywhere else, so the file opens on a closed network and can be mailed.

Example::

    html = render_report(findings, history=earlier, triage=triage, manifest=manifest)
    write_report("out/sample-city/2026-10")          # -> out/sample-city/2026-10/report.html
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.errors import InputError
from voiceline.io import atomic_path, read_table
from voiceline.report import charts, content
from voiceline.report.common import (
    FLAG_LABELS,
    PERIOD_RE,
    concern_labels,
    conform_findings,
    disclosure_k,
    humanize,
    manifest_value,
    neighborhood_label,
    previous_period,
    report_period,
    triage_counts,
)
from voiceline.report.heatmap import heat_table
from voiceline.report.template import CSS, TEMPLATE

FINDINGS_FILE = "findings.parquet"
TRIAGE_FILE = "triage.csv"
TOPIC_INFO_FILE = "topic_info.parquet"
TOPIC_REVIEW_FILES = ("topic_review.csv", "review_queue.csv")
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "report.html"


def render_report(
    findings: pd.DataFrame,
    *,
    history: pd.DataFrame | None = None,
    topics: pd.DataFrame | None = None,
    triage: pd.DataFrame | None = None,
    manifest: Mapping[str, Any] | None = None,
    title: str | None = None,
    period: str | None = None,
    k: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """The report for one period as an HTML string (no file access, inputs unchanged).

    ``findings`` is the findings table (its latest period is reported unless ``period`` is
    given; its earlier periods count as history); ``history`` earlier findings rows;
    ``topics`` the topic-info table; ``triage`` the triage table (only counts are shown);
    ``manifest`` the run manifest. ``k`` (default: the manifest's, else 5) is the disclosure
    threshold printed for withheld cells; ``labels`` maps concern ids to display names
    (default: the bundled taxonomy's labels when the taxonomy version matches).
    """
    findings = conform_findings(findings)
    period = report_period(findings, period) or _manifest_period(manifest)
    k_value, k_known = disclosure_k(manifest, k)
    version = _first(findings[S.TAXONOMY_VERSION]) if not findings.empty else None
    concern_ids = sorted(set(findings[S.CONCERN_ID].dropna().astype(str)))
    if history is not None and S.CONCERN_ID in history.columns:
        concern_ids = sorted(set(concern_ids) | set(history[S.CONCERN_ID].dropna().astype(str)))
    names = concern_labels(concern_ids, taxonomy_version=version, labels=labels)

    cur = content.period_rows(findings, period)
    prev = previous_period(period)
    trend = charts.trend_frame(findings, history, period=period)
    has_previous = prev is not None and not trend.empty and prev in set(trend.index)
    head = content.headline(cur, labels=names, manifest=manifest, has_previous=has_previous)
    order = [t["concern_id"] for t in head["all_concerns"]]
    triage_summary = triage_counts(triage, period=period, k=k_value)
    spikes = content.spike_rows(cur, labels=names)
    sentiment = content.sentiment_rows(cur, labels=names)
    topic_list, n_small = content.topic_rows(topics, k=k_value)

    trends_html = charts.trend_chart(trend, labels=names, order=order) if len(trend) >= 2 else ""
    sentiment_html = charts.sentiment_chart(sentiment) if sentiment else ""
    period_text = content.period_label(period)
    context = {
        "title": title or _default_title(manifest, period_text),
        "css": CSS,
        "plotlyjs": charts.plotly_js() if (trends_html or sentiment_html) else "",
        "period_label": period_text,
        "prev_label": content.period_label(prev) if has_previous else "",
        "k": k_value,
        "small": lambda n: f"<{k_value}" if n is None else f"{n:,}",
        "head": head,
        "empty_reason": _empty_reason(cur, manifest),
        "sentences": _sentences(head, spikes, triage_summary, k=k_value, period=period_text,
                                n_hoods=cur[S.NEIGHBORHOOD_ID].nunique() - 1 if len(cur) else 0),
        "heat": heat_table(cur, labels=names, concern_order=order, k=k_value),
        "trends_html": trends_html,
        "trends_note": _trends_note(trend, cur),
        "visible_lines": min(charts.VISIBLE_LINES, len(trend.columns)) if len(trend) else 0,
        "spikes": spikes,
        "spikes_note": _spikes_note(cur),
        "sentiment_html": sentiment_html,
        "topics": topic_list,
        "n_small_topics": n_small,
        "topics_note": _topics_note(topics, n_small, k_value),
        "quotes": content.top_quotes(head["top"], cur) if head["top"] else [],
        "triage": triage_summary,
        "about": content.about(findings, manifest=manifest, k=k_value, k_known=k_known),
    }
    context["run_id"] = dict(context["about"]["facts"]).get("Run", "").replace("not recorded", "")
    return _template().render(**context)


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals.update(
        fmt_count=lambda n: "withheld" if n is None else f"{n:,}",
        flag_label=lambda f: FLAG_LABELS.get(f, humanize(f)),
        nb_label=neighborhood_label,
    )
    return env.from_string(TEMPLATE)


# --- wording ---------------------------------------------------------------------------------


def _default_title(manifest: Mapping[str, Any] | None, period_text: str) -> str:
    name = manifest_value(manifest, "job", "name", "config.name", "pipeline")
    where = f" \u2013 {humanize(name)}" if isinstance(name, str) and name else ""
    return f"Community feedback report{where}: {period_text}"


def _empty_reason(cur: pd.DataFrame, manifest: Mapping[str, Any] | None) -> str:
    if not cur.empty:
        return ""
    n_in = manifest_value(manifest, "stages.ingest.records_out", "stages.ingest.records")
    if n_in == 0:
        return "There were no records this month, so there is nothing to report yet."
    return (
        "No findings this month: there were no records for this period, or none of them raised "
        "a concern from the list. Emerging topics and follow-up items, if any, are listed below."
    )


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentences(
    head: dict[str, Any], spikes: list[dict[str, Any]], triage, *, k: int, period: str,
    n_hoods: int,
) -> list[str]:
    out = []
    if head["records"] is not None:
        where = f" across {n_hoods} neighborhood{'s' if n_hoods != 1 else ''}" if n_hoods else ""
        out.append(f"In {period} we counted {head['records']:,} records from residents{where}.")
    shown = [t for t in head["top"] if t["n"] is not None][:3]
    if shown:
        out.append(
            "The concerns raised most often city-wide were "
            + _join([f"{t['label'].lower() if i else t['label']} ({t['n']:,})"
                     for i, t in enumerate(shown)])
            + "."
        )
    moved = [t for t in head["top"] if t["direction"] in ("up", "down") and t["delta"]]
    if moved:
        big = max(moved, key=lambda t: (abs(t["delta"]), t["n"]))
        verb = "rose" if big["direction"] == "up" else "fell"
        rel = big["change"].split("(")[-1].rstrip(")") if "(" in big["change"] else ""
        out.append(f"Among them, {big['label'].lower()} changed the most: it {verb} by "
                   f"{abs(big['delta'])} records since last month" + (f" ({rel})." if rel else "."))
    if spikes:
        first = spikes[0]
        out.append(
            f"{len(spikes)} count{'s' if len(spikes) != 1 else ''} stood out as "
            f"spike{'s' if len(spikes) != 1 else ''}, led by {first['concern'].lower()} "
            f"in {first['where'] if first['where'] != 'City-wide' else 'the city as a whole'}."
        )
    if not triage.empty:
        n = f"fewer than {k}" if triage.n_items is None else f"{triage.n_items}"
        out.append(f"{n[:1].upper() + n[1:]} item(s) were routed to people for follow-up.")
    return out


def _trends_note(trend: pd.DataFrame, cur: pd.DataFrame) -> str:
    if cur.empty:
        return "No trends to show: there are no findings for this month."
    return (
        "This is the first month with findings, so there are no trends yet. Lines appear from "
        "next month on."
    )


def _spikes_note(cur: pd.DataFrame) -> str:
    if cur.empty:
        return "No spikes can be tested without findings for this month."
    months = pd.to_numeric(cur[F.N_HISTORY], errors="coerce").fillna(0)
    if (months <= 0).all():
        return (
            "Spikes are tested against earlier months, and this is the first month with data, "
            "so none can be called yet."
        )
    return "No spikes this month: no count was clearly above its recent level."


def _topics_note(topics: pd.DataFrame | None, n_small: int, k: int) -> str:
    if topics is None:
        return "Topic discovery did not run for this report, so no emerging topics are listed."
    if n_small:
        return (
            f"No emerging topic had {k} or more records; {n_small} smaller topic(s) are not "
            "listed."
        )
    return "No emerging topics this month: the concern list covered what residents raised."


# --- inputs ----------------------------------------------------------------------------------


def _first(series: pd.Series) -> str | None:
    vals = [v for v in series.dropna().astype(str) if v]
    return vals[0] if vals else None


def _manifest_period(manifest: Mapping[str, Any] | None) -> str | None:
    found = manifest_value(manifest, "period", "config.period")
    return str(found) if found else None


def read_run(run_dir: str | Path) -> dict[str, Any]:
    """The tables a report needs from a run folder, plus earlier months from its siblings.

    Returns ``findings``, ``history`` (or None), ``topics`` (or None), ``triage`` (or None) and
    ``manifest`` (or None). Only ``findings.parquet`` is required.
    """
    run = Path(run_dir)
    if not run.is_dir():
        raise InputError(f"run folder {run} does not exist; pass the folder a run wrote "
                         "(e.g. out/sample-city/2026-10).")
    findings = read_table(run / FINDINGS_FILE, what="findings table")
    manifest = _read_manifest(run / MANIFEST_FILE)
    period = report_period(findings) or (run.name if PERIOD_RE.match(run.name) else None)
    triage = read_table(run / TRIAGE_FILE, what="triage table") if (
        run / TRIAGE_FILE).exists() else None
    return {
        "findings": findings,
        "history": _read_history(run, period),
        "topics": _read_topics(run),
        "triage": triage,
        "manifest": manifest,
        "period": period,
    }


def _read_manifest(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"manifest {path} cannot be read as JSON: {exc}") from exc
    return data if isinstance(data, dict) else None


def _read_topics(run: Path) -> pd.DataFrame | None:
    if (run / TOPIC_INFO_FILE).exists():
        return read_table(run / TOPIC_INFO_FILE, what="topic info table")
    for name in TOPIC_REVIEW_FILES:  # the review queue lists new topics only
        if (run / name).exists():
            queue = read_table(run / name, what="topic review queue")
            return queue.assign(is_new=True) if "is_new" not in queue.columns else queue
    return None


def _read_history(run: Path, period: str | None) -> pd.DataFrame | None:
    """Findings of the sibling period folders before ``period`` (``OUT/<period>/``)."""
    if period is None or run.parent == run:
        return None
    frames = []
    for sibling in sorted(run.parent.iterdir()):
        if (
            sibling.is_dir()
            and sibling.resolve() != run.resolve()
            and PERIOD_RE.match(sibling.name)
            and sibling.name < period
            and (sibling / FINDINGS_FILE).exists()
        ):
            frame = read_table(sibling / FINDINGS_FILE, what="earlier findings table")
            if not frame.empty and S.PERIOD in frame.columns:
                frames.append(frame.assign(_own=frame[S.PERIOD].astype(str) == sibling.name))
    if not frames:
        return None
    # a month's own folder wins over another folder's rows for that month
    history = pd.concat(frames, ignore_index=True).sort_values("_own", kind="stable")
    history = history.drop_duplicates(list(F.FINDINGS_KEY), keep="last")
    return history.drop(columns="_own").reset_index(drop=True)


def write_report(
    run_dir: str | Path,
    out_path: str | Path | None = None,
    *,
    title: str | None = None,
    topics: bool = True,
) -> Path:
    """Render the report of a run folder and write it atomically (default ``report.html`` in
    the folder). Earlier months come from sibling ``YYYY-MM`` folders' findings. ``topics=False``
    leaves the folder's topic tables out (a job that has turned topics off)."""
    tables = read_run(run_dir)
    html = render_report(
        tables["findings"],
        title=title,
        history=tables["history"],
        topics=tables["topics"] if topics else None,
        triage=tables["triage"],
        manifest=tables["manifest"],
        period=tables["period"],
    )
    target = Path(out_path) if out_path is not None else Path(run_dir) / REPORT_FILE
    with atomic_path(target) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return target
