"""The ingest stage on tiny inline frames with a fake redactor (fast tier: no models)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceline import schemas as S
from voiceline.config import IngestConfig, PipelineConfig, PrivacyConfig
from voiceline.errors import SchemaError
from voiceline.ingest.stage import ingest_frame, record_id


def raw(rows: list[dict]) -> pd.DataFrame:
    base = {"source_name": "fb", "source_type": "social", "source_file": "fb.json"}
    frame = pd.DataFrame([{**base, "source_row": i + 1, **r} for i, r in enumerate(rows)])
    return S.conform_raw(frame)


def config(**ingest) -> PipelineConfig:
    return PipelineConfig(
        timezone="America/New_York",
        ingest=IngestConfig(detect_language=False, **ingest),
        privacy=PrivacyConfig(salt="test-salt"),
    )


def run(rows: list[dict], fake_redactor, **ingest):
    return ingest_frame(raw(rows), config=config(**ingest), redactor=fake_redactor)


def test_records_have_every_column_and_reconcile(fake_redactor) -> None:
    result = run(
        [
            {
                "text": "Speeding on Elm again. Call me at 207-555-0134",
                "created_raw": "2026-09-03T14:22:05+0000",
                "author_raw": "Ann",
            },
            {"text": "", "is_reaction": True},
            {"text": "   "},
            {"text": "Great job at the meeting", "author_raw": "Port Alder PD"},
            {"text": "x", "reject_reason": "broken encoding"},
            {"text": "moderated", "reject_reason": "dropped: moderated out"},
        ],
        fake_redactor,
        agency_accounts=["port alder pd"],
    )
    records = S.validate_records(result.records)
    assert list(records.columns) == list(S.RECORD_COLUMNS)
    assert len(records) == 1
    rec = records.iloc[0]
    assert rec.text == "Speeding on Elm again. Call me at [PHONE]"
    assert json.loads(rec.pii_counts) == {"PHONE": 1}
    assert rec.period == "2026-09"
    assert rec.author_hash and "Ann" not in rec.author_hash
    counts = result.counts["fb"]
    assert counts["rows_read"] == 6
    assert counts["records"] + counts["rejected"] + counts["dropped"] == 6
    assert counts["dropped_by_reason"] == {
        "agency's own post": 1,
        "moderated out": 1,
        "reaction-only item": 1,
    }
    assert counts["rejected_by_reason"] == {"broken encoding": 1, "empty text": 1}
    assert set(result.rejects.columns) == set(S.REJECT_COLUMNS)


def test_input_is_not_mutated(fake_redactor) -> None:
    frame = raw([{"text": "Call 207-555-0134 about the potholes", "created_raw": "2026-10-01"}])
    before = frame.copy(deep=True)
    ingest_frame(frame, config=config(), redactor=fake_redactor)
    pd.testing.assert_frame_equal(frame, before)


def test_reject_previews_are_redacted(fake_redactor) -> None:
    result = run(
        [{"text": "Email me at ann@example.org", "created_raw": "yesterday-ish"}],
        fake_redactor,
        require_date=True,
    )
    assert result.rejects.iloc[0].reject_reason.startswith("unreadable date")
    assert "ann@example.org" not in result.rejects.iloc[0].text_preview
    assert "[EMAIL]" in result.rejects.iloc[0].text_preview


def test_unreadable_date_is_flagged_when_not_required(fake_redactor) -> None:
    result = run([{"text": "Potholes on Dock Lane", "created_raw": "last Tuesday"}], fake_redactor)
    rec = result.records.iloc[0]
    assert list(rec["flags"]) == ["date_unreadable"]
    assert pd.isna(rec.created_at) and rec.period is None


def test_period_filter_drops_and_counts(fake_redactor) -> None:
    rows = [
        {"text": "a pothole", "created_raw": "2026-09-10"},
        {"text": "a fire", "created_raw": "2026-10-10"},
    ]
    result = ingest_frame(
        raw(rows), config=config().model_copy(update={"period": "2026-10"}), redactor=fake_redactor
    )
    assert result.records.period.tolist() == ["2026-10"]
    assert result.counts["fb"]["dropped_by_reason"] == {"outside period 2026-10": 1}


def test_long_text_is_truncated_and_flagged(fake_redactor) -> None:
    result = run([{"text": "word " * 500}], fake_redactor, max_chars=200)
    rec = result.records.iloc[0]
    assert len(rec.text) <= 200 and "truncated" in list(rec["flags"])


def test_same_row_twice_is_dropped_not_doubled(fake_redactor) -> None:
    row = {"text": "Dirt bikes every night", "source_id": "42"}
    result = run([row, row], fake_redactor)
    assert len(result.records) == 1
    assert result.counts["fb"]["dropped"] == 1


def test_duplicates_are_marked_not_deleted(fake_redactor) -> None:
    text = "Please add a crosswalk at Water Street and Dock Lane, kids cross there every morning."
    result = run(
        [{"text": text, "author_raw": "a"}, {"text": text, "author_raw": "b"}], fake_redactor
    )
    assert len(result.records) == 2
    assert result.records.duplicate_of.notna().sum() == 1


def test_meeting_roles(fake_redactor) -> None:
    rows = [
        {
            "text": "We need more patrols.",
            "source_type": "meeting",
            "speaker_role_hint": "resident",
        },
        {"text": "We hear you.", "source_type": "meeting", "speaker_role_hint": None},
        {"text": "Nice post", "source_type": "social"},
    ]
    roles = run(rows, fake_redactor).records.speaker_role
    assert roles.iloc[:2].tolist() == ["resident", "unknown"] and pd.isna(roles.iloc[2])


def test_missing_raw_columns_fail_at_the_door(fake_redactor) -> None:
    with pytest.raises(SchemaError, match="lacks column"):
        ingest_frame(pd.DataFrame({"text": ["hi"]}), config=config(), redactor=fake_redactor)


def test_empty_input_gives_empty_tables(fake_redactor) -> None:
    result = ingest_frame(S.empty_raw_frame(), config=config(), redactor=fake_redactor)
    assert result.records.empty and list(result.records.columns) == list(S.RECORD_COLUMNS)
    assert result.rejects.empty


def test_record_ids_do_not_depend_on_other_rows_or_order(fake_redactor) -> None:
    rows = [{"text": f"comment number {i}", "source_id": str(i)} for i in range(6)]
    first = run(rows, fake_redactor).records.set_index("source_id").record_id
    second = run(list(reversed(rows[2:])), fake_redactor).records.set_index("source_id").record_id
    assert (first.loc[second.index] == second).all()


@settings(max_examples=50, deadline=None)
@given(
    st.text(min_size=1, max_size=20),
    st.one_of(st.none(), st.text(max_size=8)),
    st.integers(1, 10**6),
    st.text(max_size=200),
)
def test_record_id_is_stable_and_shaped(name: str, sid: str | None, row: int, text: str) -> None:
    a = record_id(name, sid, "f.csv", row, None, text)
    assert a == record_id(name, sid, "f.csv", row, None, text)
    assert a.startswith("r-") and len(a) == 22
