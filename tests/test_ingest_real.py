"""Ingest of the real formats in ../shared/data, as a user runs it (slow tier; skips without the data).

Subsets are written to tmp_path during the test only: real rows never enter the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceline import schemas as S
from voiceline.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]


def ingest(*args: str) -> tuple[pd.DataFrame, dict]:
    result = CliRunner().invoke(main, ["ingest", *args, "--no-progress"])
    assert result.exit_code == 0, result.output
    out = Path(args[args.index("-o") + 1])
    manifest = json.loads(out.with_name(f"{out.stem}.manifest.json").read_text())
    return pd.read_parquet(out), manifest


def reconciles(manifest: dict) -> bool:
    return all(
        c["rows_read"] == c["records"] + c["rejected"] + c["dropped"]
        for c in manifest["stages"]["ingest"]["by_source"].values()
    )


def test_polis_comments_without_mapping(shared_data: Path, tmp_path: Path, no_network) -> None:
    src = shared_data / "polis_opendata" / "15-per-hour-seattle" / "comments.csv"
    records, manifest = ingest(
        str(src), "-o", str(tmp_path / "polis.parquet"), "--source-type", "social"
    )
    S.validate_records(records)
    assert len(records) >= 30  # the conversation's 58 comments less those moderated out
    assert records.source_id.notna().all() and records.author_hash.notna().all()
    assert records.period.notna().all()
    assert reconciles(manifest)
    drops = manifest["stages"]["ingest"]["by_source"]["comments"]["dropped_by_reason"]
    assert drops.get("moderated out", 0) > 0


def test_polis_german_and_chinese_conversations(shared_data: Path, tmp_path: Path) -> None:
    de = shared_data / "polis_opendata" / "austria-climate.2vkxcncppn.2022-07-07" / "comments.csv"
    zh = shared_data / "polis_opendata" / "vtaiwan.uberx" / "comments.csv"
    records, manifest = ingest(str(de), str(zh), "-o", str(tmp_path / "p.parquet"))
    langs = records.groupby("source_name").language.agg(lambda s: s.value_counts().index[0])
    assert sorted(langs) == ["de", "zh"]
    assert reconciles(manifest)


def test_new_haven_reports_without_mapping(shared_data: Path, tmp_path: Path) -> None:
    full = pd.read_csv(
        shared_data / "seeclickfix_newhaven_2014" / "newhaven_2014_train.csv", dtype=str
    )
    subset = tmp_path / "newhaven_subset.csv"
    full.iloc[:300].to_csv(subset, index=False)
    records, manifest = ingest(
        str(subset), "-o", str(tmp_path / "nh.parquet"), "--timezone", "America/New_York"
    )
    assert set(records.source_type) == {"report"}
    assert records.source_id.isin(full.Id.iloc[:300]).all()
    assert (records.period == "2014-01").mean() > 0.5
    assert reconciles(manifest)
    assert json.loads(records.pii_counts.iloc[0]) is not None


def test_minneapolis_caption_json(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "mpls_council_transcripts" / "transcripts"
    upper = folder / "transcript_Ezq0NwJu3N0.json"  # an ALL CAPS committee meeting
    if not upper.exists():
        upper = sorted(folder.glob("*.json"))[0]
    records, manifest = ingest(
        str(upper), "-o", str(tmp_path / "m.parquet"), "--source-type", "meeting"
    )
    assert len(records) > 20
    assert set(records.speaker_role) <= set(S.SPEAKER_ROLES)
    letters = "".join(records.text)
    assert sum(c.isupper() for c in letters) / max(1, sum(c.isalpha() for c in letters)) < 0.3
    assert not records.text.str.contains(">>").any()
    assert reconciles(manifest)


def test_bbc_corpus_tsv_with_a_mapping(shared_data: Path, tmp_path: Path) -> None:
    corpus = shared_data / "bbc_news_octis" / "corpus.tsv"
    mapping = tmp_path / "bbc.yaml"
    mapping.write_text(
        'has_header: false\ncolumn_names: [text, split, label]\ndelimiter: "\\t"\nextra_columns: [label]\n'
    )
    records, manifest = ingest(
        str(corpus),
        "--mapping",
        str(mapping),
        "--format",
        "tsv",
        "--no-redact",
        "-o",
        str(tmp_path / "bbc.parquet"),
    )
    assert len(records) == 2225
    labels = records.extra.map(lambda e: json.loads(e)["label"])
    assert labels.nunique() == 5
    assert reconciles(manifest)
