"""The README's first command on the sample city, with the real models and no network (slow tier)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceline import schemas as S
from voiceline.cli import main

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "pipelines" / "sample-city.yaml"

pytestmark = pytest.mark.slow

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\(?\b\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\b")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("sample") / "records.parquet"
    mp = pytest.MonkeyPatch()
    import socket

    def _refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    for name in ("connect", "connect_ex"):
        mp.setattr(socket.socket, name, _refuse)
    mp.setattr(socket, "create_connection", _refuse)
    mp.setattr(socket, "getaddrinfo", _refuse)
    mp.setenv("VOICELINE_SALT", "test-salt")
    try:
        result = CliRunner().invoke(
            main, ["ingest", "--config", str(CONFIG), "-o", str(out), "--no-progress"]
        )
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    return {
        "output": result.output,
        "records": pd.read_parquet(out),
        "rejects": pd.read_csv(out.with_name("records.rejects.csv")),
        "manifest": json.loads(out.with_name("records.manifest.json").read_text()),
        "path": out,
    }


def test_summary_is_printed(sample_run: dict) -> None:
    out = sample_run["output"]
    for line in (
        "Ingested ",
        "Records per source:",
        "Records per neighborhood:",
        "Redacted spans:",
        "rejected",
    ):
        assert line in out


def test_records_are_valid_and_cover_every_source_type(sample_run: dict) -> None:
    records = S.validate_records(sample_run["records"])
    assert set(records.source_type) == set(S.SOURCE_TYPES)
    assert set(records.period.dropna()) >= {"2026-09", "2026-10"}


def test_counts_reconcile_per_source(sample_run: dict) -> None:
    stage = sample_run["manifest"]["stages"]["ingest"]
    for name, c in stage["by_source"].items():
        assert c["rows_read"] == c["records"] + c["rejected"] + c["dropped"], name
    assert stage["records_out"] == len(sample_run["records"])
    assert sample_run["manifest"]["models"]["spacy"]["sha256"]  # the model that redacted is named
    assert stage["rejected"] == len(sample_run["rejects"])


def test_no_raw_pii_is_written(sample_run: dict) -> None:
    raw_text = "\n".join(
        p.read_text(encoding="utf-8", errors="ignore")
        for p in (REPO / "sample_data").rglob("*")
        if p.suffix in {".csv", ".json", ".jsonl", ".md", ".txt", ".vtt", ".srt"}
    )
    emails = set(EMAIL.findall(raw_text))
    phones = set(PHONE.findall(raw_text))
    assert emails and phones  # the sample data does carry PII to redact
    written = (
        "\n".join(sample_run["records"].text)
        + "\n"
        + "\n".join(sample_run["rejects"].text_preview.fillna(""))
    )
    assert not [e for e in emails if e in written]
    assert not [p for p in phones if p in written]
    spans = sample_run["manifest"]["stages"]["ingest"]["redacted_spans"]
    for kind in ("PERSON", "PHONE", "EMAIL", "PLATE", "BADGE", "ADDRESS"):
        assert spans.get(kind, 0) > 0, kind


def test_agency_posts_and_reactions_are_dropped_and_counted(sample_run: dict) -> None:
    fb = sample_run["manifest"]["stages"]["ingest"]["by_source"]["facebook"]["dropped_by_reason"]
    assert fb.get("agency's own post", 0) > 0
    assert fb.get("reaction-only item", 0) > 0


def test_duplicates_and_campaign_are_marked(sample_run: dict) -> None:
    fb = sample_run["records"].query("source_name == 'facebook'")
    assert fb.duplicate_of.notna().any()
    assert fb.campaign_id.notna().sum() >= 5


def test_meetings_are_split_into_statements_with_roles(sample_run: dict) -> None:
    meetings = sample_run["records"].query("source_type == 'meeting'")
    assert {"resident", "official"} <= set(meetings.speaker_role)
    assert meetings.author_hash.notna().mean() > 0.3  # captions name no speakers


def test_neighborhoods_are_resolved_by_every_method(sample_run: dict) -> None:
    records = sample_run["records"]
    assert records.neighborhood_id.notna().mean() > 0.8
    assert {"field", "zip", "point", "text", "meeting"} <= set(records.neighborhood_method)


def test_text_is_repaired_and_languages_detected(sample_run: dict) -> None:
    records = sample_run["records"]
    assert not records.text.str.contains("Ã©|â€™", regex=True).any()
    assert "es" in set(records.language)


def test_same_input_same_tables(
    sample_run: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICELINE_SALT", "test-salt")
    again = tmp_path / "again.parquet"
    result = CliRunner().invoke(
        main, ["ingest", "--config", str(CONFIG), "-o", str(again), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_parquet(again), sample_run["records"])
