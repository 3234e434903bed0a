"""The workbook's sheets as DataFrames with headers people read (``workbook_tables``).

The CSV and Parquet files keep the machine column names; the workbook is for people who open
it in Excel, so its headers are words, neighborhoods and concerns have names, quotes are text
(not JSON), withheld counts are blank with a note, and an "About" sheet says what each column
means.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.report.common import (
    FLAG_LABELS,
    concern_labels,
    conform_findings,
    disclosure_k,
    humanize,
    manifest_value,
    neighborhood_label,
    parse_quotes,
    report_period,
    triage_counts,
)
from voiceline.report.content import about as about_facts
from voiceline.report.content import topic_rows

COLUMNS: dict[str, tuple[str, str]] = {
    S.PERIOD: ("Period", "Month (YYYY-MM)."),
    "_neighborhood": ("Neighborhood", "Neighborhood name; City-wide for the whole city."),
    "_concern": ("Concern", "Concern from the taxonomy."),
    F.N_RECORDS: ("Records", "Records raising the concern (copies of one text count once)."),
    F.N_AUTHORS: ("Voices", "Distinct people; a copy-paste campaign is one voice."),
    F.SHARE: ("Share", "Share of the area's records that month that raise the concern."),
    F.N_RECORDS_RAW: ("Records incl. copies", "Records including duplicate copies."),
    F.N_CAMPAIGN_RECORDS: ("Campaign records", "Records that belong to a copy-paste campaign."),
    **{F.N_SOURCE_PREFIX + t: (f"From {t}", f"Records from {t} sources.") for t in S.SOURCE_TYPES},
    F.SENTIMENT_MEAN: ("Sentiment", "Mean tone, -1 negative to +1 positive."),
    F.SENTIMENT_CI_LOW: ("Sentiment low", "Lower end of the 95% interval of the mean tone."),
    F.SENTIMENT_CI_HIGH: ("Sentiment high", "Upper end of the 95% interval of the mean tone."),
    F.PREV_N_RECORDS: ("Last month", "Records the month before."),
    F.CHANGE_ABS: ("Change", "Records minus last month's records."),
    F.CHANGE_REL: ("Change %", "Change relative to last month."),
    F.EXPECTED: ("Expected", "Average of up to 6 earlier months (the spike baseline)."),
    F.N_HISTORY: ("Months compared", "Earlier months in the baseline."),
    F.P_VALUE: ("p-value", "Chance of a count this high if nothing changed."),
    F.Q_VALUE: ("q-value", "p-value corrected for the many cells tested at once."),
    F.SPIKE: ("Spike", "yes when the count is clearly above its recent level."),
    F.SUPPRESSED: ("Withheld", "yes when counts and quotes are withheld (fewer than k)."),
    "_note": ("Note", "Why values are blank."),
    F.N_TRIAGE: ("Follow-up items", "Records routed to people (kept out of every count)."),
    F.QUOTES: ("Quotes", "Up to 3 representative redacted comments, with record ids."),
    S.NEIGHBORHOOD_ID: ("Neighborhood ID", "Neighborhood id in the data."),
    S.CONCERN_ID: ("Concern ID", "Concern id in the taxonomy."),
    S.TAXONOMY_VERSION: ("Taxonomy", "Taxonomy version."),
    F.RUN_ID: ("Run", "Run id."),
    F.CONFIG_HASH: ("Config hash", "Hash of the run's configuration."),
}

FINDINGS_SHEET = [
    S.PERIOD, "_neighborhood", "_concern", F.N_RECORDS, F.N_AUTHORS, F.SHARE, F.PREV_N_RECORDS,
    F.CHANGE_ABS, F.CHANGE_REL, F.EXPECTED, F.P_VALUE, F.Q_VALUE, F.SPIKE, F.SENTIMENT_MEAN,
    F.SENTIMENT_CI_LOW, F.SENTIMENT_CI_HIGH, F.SUPPRESSED, "_note", F.N_TRIAGE, F.N_RECORDS_RAW,
    F.N_CAMPAIGN_RECORDS, *F.N_BY_SOURCE, F.N_HISTORY, F.QUOTES, S.NEIGHBORHOOD_ID,
    S.CONCERN_ID, S.TAXONOMY_VERSION, F.RUN_ID, F.CONFIG_HASH,
]
CITY_SHEET = [
    S.PERIOD, "_concern", F.N_RECORDS, F.N_AUTHORS, F.SHARE, F.PREV_N_RECORDS, F.CHANGE_ABS,
    F.CHANGE_REL, F.EXPECTED, F.P_VALUE, F.Q_VALUE, F.SPIKE, F.SENTIMENT_MEAN, F.SENTIMENT_CI_LOW,
    F.SENTIMENT_CI_HIGH, F.SUPPRESSED, "_note", F.N_TRIAGE, F.QUOTES, S.CONCERN_ID,
]
SPIKE_SHEET = [
    S.PERIOD, "_neighborhood", "_concern", F.N_RECORDS, F.EXPECTED, F.PREV_N_RECORDS,
    F.CHANGE_ABS, F.CHANGE_REL, F.P_VALUE, F.Q_VALUE, F.N_HISTORY, F.QUOTES, S.NEIGHBORHOOD_ID,
    S.CONCERN_ID,
]


def quotes_text(value: object) -> str:
    """The ``quotes`` JSON as lines people read: ``“text” (record id)``, a blank line between.

    >>> quotes_text('[{"record_id": "r1", "text": "Cars race down Elm every night."}]')
    '“Cars race down Elm every night.” (r1)'
    """
    return "\n\n".join(f"\u201c{q['text']}\u201d ({q['record_id']})" for q in parse_quotes(value))


def _readable(findings: pd.DataFrame, columns: list[str], *, labels, k: int) -> pd.DataFrame:
    f = findings
    out = pd.DataFrame(index=f.index)
    sup = f[F.SUPPRESSED].astype(bool)
    for col in columns:
        if col == "_neighborhood":
            out[col] = f[S.NEIGHBORHOOD_ID].map(neighborhood_label)
        elif col == "_concern":
            out[col] = f[S.CONCERN_ID].map(lambda c: labels.get(c, c))
        elif col == "_note":
            out[col] = sup.map(
                lambda s: f"Fewer than {k} records or voices: counts and quotes withheld"
                if s else ""
            )
        elif col in (F.SPIKE, F.SUPPRESSED):
            out[col] = f[col].map(lambda v: "yes" if bool(v) else "")
        elif col == F.QUOTES:
            out[col] = f[col].map(quotes_text)
        else:
            out[col] = f[col]
    return out.rename(columns={c: COLUMNS[c][0] for c in columns}).reset_index(drop=True)


def workbook_tables(
    findings: pd.DataFrame,
    triage: pd.DataFrame | None = None,
    topics: pd.DataFrame | None = None,
    manifest: Mapping[str, Any] | None = None,
    *,
    k: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The workbook's sheets: "Findings", "City-wide", "Spikes", "Follow-up", "Topics", "About".

    ``triage`` is reduced to counts of the report's period (by kind and by neighborhood, small
    counts withheld), never its texts: the list itself is ``triage.csv``, for the people who
    follow up.
    """
    findings = conform_findings(findings)
    k_value, k_known = disclosure_k(manifest, k)
    versions = findings[S.TAXONOMY_VERSION].dropna().astype(str)
    names = concern_labels(
        sorted(set(findings[S.CONCERN_ID].astype(str))),
        taxonomy_version=versions.iloc[0] if len(versions) else None,
        labels=labels,
    )
    city = findings[findings[S.NEIGHBORHOOD_ID] == F.ALL]
    spikes = findings[findings[F.SPIKE].astype(bool)]
    period = report_period(findings) or manifest_value(manifest, "period")
    spike_sheet = _readable(spikes, SPIKE_SHEET, labels=names, k=k_value)
    if spike_sheet.empty:
        spike_sheet = _note_row(spike_sheet, "No spikes in these findings.")
    tables = {
        "Findings": _readable(findings, FINDINGS_SHEET, labels=names, k=k_value),
        "City-wide": _readable(city, CITY_SHEET, labels=names, k=k_value),
        "Spikes": spike_sheet,
        "Follow-up": _triage_sheet(triage, period=period, k=k_value),
        "Topics": _topics_sheet(topics, k=k_value),
        "About": _about_sheet(findings, manifest, period=period, k=k_value, k_known=k_known),
    }
    return tables


def _note_row(frame: pd.DataFrame, note: str) -> pd.DataFrame:
    """An empty sheet says why it is empty, in its first cell."""
    return pd.DataFrame([{frame.columns[0]: note}], columns=frame.columns)


def _triage_sheet(triage: pd.DataFrame | None, *, period: str | None, k: int) -> pd.DataFrame:
    summary = triage_counts(triage, period=period, k=k)
    rows = [("Kind", FLAG_LABELS.get(f, humanize(f)), n) for f, n in summary.by_flag]
    rows += [("Neighborhood", neighborhood_label(nb), n) for nb, n in summary.by_neighborhood]
    frame = pd.DataFrame(rows, columns=["Grouping", "Group", "Items"])
    if frame.empty:
        return _note_row(frame.assign(Note=""), "No items were routed for follow-up.")
    frame["Items"] = pd.array(frame["Items"].tolist(), dtype="Int64")
    frame["Note"] = [f"Fewer than {k}: withheld" if pd.isna(n) else "" for n in frame["Items"]]
    return frame


def _topics_sheet(topics: pd.DataFrame | None, *, k: int) -> pd.DataFrame:
    rows, n_small = topic_rows(topics, k=k)
    columns = ["Topic", "Key words", "Records", "New"]
    if not rows and not n_small:
        note = "Topic discovery did not run." if topics is None else "No emerging topics."
        return _note_row(pd.DataFrame(columns=columns), note)
    frame = pd.DataFrame(
        [(r["label"], r["keywords"], r["size"], "yes" if r["new"] else "") for r in rows],
        columns=columns,
    )
    if n_small:
        note = pd.DataFrame(
            [(f"({n_small} smaller topic(s) with fewer than {k} records not listed)", "", None,
              "")], columns=frame.columns)
        frame = pd.concat([frame, note], ignore_index=True) if len(frame) else note
    frame["Records"] = pd.array(frame["Records"].tolist(), dtype="Int64")
    return frame


def _about_sheet(
    findings: pd.DataFrame, manifest, *, period: str | None, k: int, k_known: bool
) -> pd.DataFrame:
    facts = about_facts(findings, manifest=manifest, k=k, k_known=k_known)
    rows: list[tuple[str, str]] = [("Report period", period or "(none)")]
    rows += [(key, str(value)) for key, value in facts["facts"]]
    rows += [(f"Stage: {name}", counts) for name, counts in facts["stages"]]
    rows += [
        ("Withheld cells", f"Cells from fewer than {k} records or voices are blank, with a note; "
                           "a few more are withheld so totals cannot reveal them."),
        ("Follow-up items", "Crime tips, threats, complaints naming an officer and welfare "
                            "concerns are kept out of the counts; their list is triage.csv."),
        ("", ""),
        ("Column", "Meaning"),
    ]
    rows += [(header, meaning) for header, meaning in COLUMNS.values()]
    return pd.DataFrame(rows, columns=["Item", "Value"])
