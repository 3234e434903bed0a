"""Fast tier for the findings stage: counting rules, disclosure control, trend columns."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.findings import build_findings, stats

LONG = "The streetlights on the whole block have been out for three weeks and it is dark."


def make_records(rows: list[dict]) -> pd.DataFrame:
    base = {
        S.SOURCE_TYPE: "survey",
        S.AUTHOR_HASH: None,
        S.DUPLICATE_OF: None,
        S.CAMPAIGN_ID: None,
        S.FLAGS: [],
        S.SPEAKER_ROLE: None,
        S.TEXT: LONG,
    }
    out = []
    for i, row in enumerate(rows):
        rec = {S.RECORD_ID: f"r{i:03d}", **base, **row}
        rec[S.FLAGS] = list(rec[S.FLAGS])
        out.append(rec)
    return pd.DataFrame(out)


def concerns_for(records: pd.DataFrame, concern: str = "infrastructure", score=0.8):
    return pd.DataFrame(
        {
            S.RECORD_ID: records[S.RECORD_ID],
            S.CONCERN_ID: concern,
            S.SCORE: score,
            S.IS_PRIMARY: True,
            S.METHOD: "zero_shot",
            S.EVIDENCE: "",
            S.TAXONOMY_VERSION: "v1",
        }
    )


def cell(f: pd.DataFrame, period: str, nb: str, concern: str = "infrastructure") -> pd.Series:
    hit = f[(f.period == period) & (f.neighborhood_id == nb) & (f.concern_id == concern)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def town(n_a=6, n_b=7, period="2026-10") -> pd.DataFrame:
    rows = [
        {S.PERIOD: period, S.NEIGHBORHOOD_ID: "a", S.AUTHOR_HASH: f"a{i}"} for i in range(n_a)
    ] + [{S.PERIOD: period, S.NEIGHBORHOOD_ID: "b", S.AUTHOR_HASH: f"b{i}"} for i in range(n_b)]
    return make_records(rows)


def test_columns_and_types():
    recs = town()
    f = build_findings(recs, concerns_for(recs), run_id="run1", config_hash="h")
    assert tuple(f.columns) == F.FINDINGS_COLUMNS
    assert set(f.neighborhood_id) == {"ALL", "a", "b"}
    assert (f.run_id == "run1").all() and (f.config_hash == "h").all()
    assert (f.taxonomy_version == "v1").all()
    assert f[F.N_RECORDS].dtype == "Int64" and f[F.SPIKE].dtype == bool


def test_all_rows_equal_the_sums_and_sources_split_n_records():
    recs = town()
    recs.loc[recs.index[:3], S.SOURCE_TYPE] = "social"
    f = build_findings(recs, concerns_for(recs))
    a, b, total = cell(f, "2026-10", "a"), cell(f, "2026-10", "b"), cell(f, "2026-10", "ALL")
    for col in (F.N_RECORDS, F.N_RECORDS_RAW, F.N_CAMPAIGN_RECORDS, *F.N_BY_SOURCE):
        assert total[col] == a[col] + b[col], col
    assert total[F.N_RECORDS] == 13 and total[F.N_AUTHORS] == 13
    assert sum(total[c] for c in F.N_BY_SOURCE) == total[F.N_RECORDS]
    assert total[F.SHARE] == pytest.approx(1.0)


def test_campaign_is_one_voice_and_duplicates_count_once():
    recs = town(n_a=5, n_b=0)
    camp = make_records(
        [
            {S.PERIOD: "2026-10", S.NEIGHBORHOOD_ID: "a", S.AUTHOR_HASH: f"c{i}",
             S.CAMPAIGN_ID: "camp-1", S.DUPLICATE_OF: None if i == 0 else "rc0"}
            for i in range(4)
        ]
    )
    camp[S.RECORD_ID] = [f"rc{i}" for i in range(4)]
    recs = pd.concat([recs, camp], ignore_index=True)
    f = build_findings(recs, concerns_for(recs))
    a = cell(f, "2026-10", "a")
    assert a[F.N_RECORDS_RAW] == 9
    assert a[F.N_RECORDS] == 6  # 5 + the campaign's first copy
    assert a[F.N_AUTHORS] == 6  # 5 authors + one campaign voice
    assert a[F.N_CAMPAIGN_RECORDS] == 4


def test_records_without_author_are_one_voice_each():
    recs = make_records([{S.PERIOD: "2026-10", S.NEIGHBORHOOD_ID: "a"} for _ in range(6)])
    f = build_findings(recs, concerns_for(recs))
    assert cell(f, "2026-10", "a")[F.N_AUTHORS] == 6


def test_small_cells_are_suppressed_and_not_revealed_through_all():
    recs = town(n_a=3, n_b=8)
    c_recs = make_records(
        [{S.PERIOD: "2026-10", S.NEIGHBORHOOD_ID: "c", S.AUTHOR_HASH: f"x{i}"} for i in range(9)]
    )
    c_recs[S.RECORD_ID] = [f"rx{i}" for i in range(9)]
    recs = pd.concat([recs, c_recs], ignore_index=True)
    f = build_findings(recs, concerns_for(recs), k=5)
    a = cell(f, "2026-10", "a")
    assert a[F.SUPPRESSED]
    for col in (F.N_RECORDS, F.N_AUTHORS, F.SENTIMENT_MEAN, F.SHARE):
        assert pd.isna(a[col]), col
    assert a[F.QUOTES] is None
    # complementary suppression: ALL minus the shown cells must not give a's count
    cells = f[(f.period == "2026-10") & (f.neighborhood_id != "ALL")]
    total = cell(f, "2026-10", "ALL")[F.N_RECORDS]
    shown = cells.loc[~cells[F.SUPPRESSED], F.N_RECORDS].sum()
    assert cells[F.SUPPRESSED].sum() >= 2
    assert total - shown >= 5
    assert len(f) == 4 * 1  # shape kept: ALL, a, b, c


def test_quotes_never_from_suppressed_cells_or_triage_records():
    recs = town(n_a=3, n_b=6)
    recs.loc[recs.neighborhood_id == "a", S.TEXT] = (
        "SECRET small cell text that is long enough to be quoted here."
    )
    recs.loc[recs.index[-1], S.FLAGS] = ["crime_tip"]
    recs.loc[recs.index[-1], S.TEXT] = (
        "TRIAGE tip text that is long enough to be quoted by the stage."
    )
    f = build_findings(recs, concerns_for(recs), k=3)
    assert pd.isna(cell(f, "2026-10", "b")[F.N_TRIAGE])  # 1 triage record < k: withheld
    assert cell(build_findings(recs, concerns_for(recs), k=1), "2026-10", "b")[F.N_TRIAGE] == 1
    # a third small cell, so that complementary suppression needs not hide b
    extra = make_records(
        [{S.PERIOD: "2026-10", S.NEIGHBORHOOD_ID: "c", S.AUTHOR_HASH: f"z{i}"} for i in range(4)]
    )
    extra[S.RECORD_ID] = [f"rz{i}" for i in range(4)]
    recs = pd.concat([recs, extra], ignore_index=True)
    f5 = build_findings(recs, concerns_for(recs), k=5)
    assert cell(f5, "2026-10", "a")[F.SUPPRESSED] and not cell(f5, "2026-10", "b")[F.SUPPRESSED]
    texts = " ".join(q for q in f5[F.QUOTES].dropna())
    assert "SECRET" not in texts and "TRIAGE" not in texts
    b = cell(f5, "2026-10", "b")
    assert b[F.N_RECORDS] == 5  # the triage record is kept out of n_records
    assert len(json.loads(b[F.QUOTES])) == 3


def test_unsafe_quotes_are_skipped():
    recs = town(n_a=6, n_b=0)
    recs[S.TEXT] = [
        "My neighbor [PERSON] at [ADDRESS] keeps dumping trash in the alley every week.",
        "Short one.",
        "I live on Elm and my son was stopped twice this month by the same patrol car.",
        LONG,
        LONG + " Still nothing.",
        LONG + " Please fix it.",
    ]
    f = build_findings(recs, concerns_for(recs))
    quoted = [q["text"] for q in json.loads(cell(f, "2026-10", "a")[F.QUOTES])]
    assert len(quoted) == 3 and all(t.startswith("The streetlights") for t in quoted)


def test_unknown_buckets_keep_every_record():
    recs = make_records(
        [{S.PERIOD: None, S.NEIGHBORHOOD_ID: "a", S.AUTHOR_HASH: f"p{i}"} for i in range(5)]
        + [{S.PERIOD: "2026-10", S.NEIGHBORHOOD_ID: "", S.AUTHOR_HASH: f"q{i}"} for i in range(5)]
    )
    f = build_findings(recs, concerns_for(recs))
    assert cell(f, "unknown", "a")[F.N_RECORDS] == 5
    assert cell(f, "2026-10", "unknown")[F.N_RECORDS] == 5
    assert list(f.period.unique()) == ["2026-10", "unknown"]


def test_deterministic_and_input_not_mutated():
    recs = town()
    con = concerns_for(recs)
    before_r, before_c = recs.copy(deep=True), con.copy(deep=True)
    f1 = build_findings(recs, con)
    f2 = build_findings(recs.sample(frac=1, random_state=3), con.sample(frac=1, random_state=4))
    pd.testing.assert_frame_equal(f1, f2)
    pd.testing.assert_frame_equal(recs, before_r)
    pd.testing.assert_frame_equal(con, before_c)


def test_empty_concerns_gives_the_right_columns():
    recs = town()
    empty = concerns_for(recs).iloc[0:0]
    f = build_findings(recs, empty)
    assert tuple(f.columns) == F.FINDINGS_COLUMNS and len(f) == 0


def test_sentiment_uses_record_x_concern_scores():
    recs = town(n_a=6, n_b=0)
    sen = pd.DataFrame(
        {S.RECORD_ID: list(recs[S.RECORD_ID]) * 2,
         S.CONCERN_ID: [None] * 6 + ["infrastructure"] * 6,
         S.LABEL: "neutral", S.SCORE: [0.9] * 6 + [-0.5] * 6, S.CONFIDENCE: 0.5}
    )
    f = build_findings(recs, concerns_for(recs), sen)
    a = cell(f, "2026-10", "a")
    assert a[F.SENTIMENT_MEAN] == pytest.approx(-0.5)


def test_history_gives_expected_and_spike():
    months = [f"2026-{m:02d}" for m in range(1, 8)]
    rows = []
    for m in months[:-1]:
        rows += [{S.PERIOD: m, S.NEIGHBORHOOD_ID: "a", S.AUTHOR_HASH: f"{m}-{i}"} for i in range(6)]
    rows += [{S.PERIOD: months[-1], S.NEIGHBORHOOD_ID: "a", S.AUTHOR_HASH: f"s{i}"}
             for i in range(30)]
    recs = make_records(rows)
    f = build_findings(recs, concerns_for(recs))
    last = cell(f, months[-1], "a")
    assert last[F.EXPECTED] == pytest.approx((36 + stats.PRIOR_COUNT) / 6)
    assert last[F.PREV_N_RECORDS] == 6 and last[F.CHANGE_ABS] == 24
    assert last[F.SPIKE] and last[F.P_VALUE] < 0.001
    assert not cell(f, months[-2], "a")[F.SPIKE]
    # the same baseline handed in as store rows gives the same test
    hist = f[f.period < months[-1]]
    f2 = build_findings(recs[recs.period == months[-1]], concerns_for(recs), history=hist)
    assert cell(f2, months[-1], "a")[F.P_VALUE] == pytest.approx(last[F.P_VALUE])


def test_spike_false_alarm_rate_near_alpha_on_null_data():
    rng = np.random.default_rng(0)
    p_values = []
    for _ in range(40):
        means = rng.uniform(5, 30, size=100)
        counts = rng.poisson(means[:, None], size=(100, 9))
        _, p, _, _ = stats.detect_spikes(counts[:, -1], [list(h) for h in counts[:, :-1]])
        p_values.extend(p)
    rate = float(np.mean(np.array(p_values) < 0.05))
    assert 0.02 < rate <= 0.06


def test_small_triage_counts_cannot_be_recovered_by_subtraction() -> None:
    """n_triage of 1..k-1 is withheld, and so is a second cell, so ALL - others != hidden."""
    from voiceline.findings.aggregate import _withhold_triage

    rows = pd.DataFrame(
        {
            "period": ["2026-10"] * 4,
            "neighborhood_id": ["ALL", "a", "b", "c"],
            "concern_id": ["police_conduct"] * 4,
            "n_triage": [8.0, 6.0, 2.0, 0.0],
        }
    )
    out = _withhold_triage(rows, k=5)
    assert out.isna().tolist() == [False, True, True, False]  # b (2) and the next smallest (a)
    assert out.iloc[0] == 8 and out.iloc[3] == 0
