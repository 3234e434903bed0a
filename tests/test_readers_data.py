"""Readers on real public files (../shared/data) and on the project's own sample_data.

Only counts and shapes are asserted; no raw text is printed or stored.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd
import pytest

from voiceline import schemas
from voiceline.config import SourceConfig, load_config
from voiceline.ingest.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"real data folder {DATA} is absent")


def _src(path: Path) -> SourceConfig:
    return SourceConfig(name="real", path=str(path))


@needs_data
@pytest.mark.shared_data
def test_polis_comments_no_mapping() -> None:
    files = sorted(glob.glob(str(DATA / "polis_opendata" / "*" / "comments.csv")))
    assert files
    for f in files:
        raw = read_source(f, source=_src(Path(f)))
        ref = pd.read_csv(f, keep_default_na=False, dtype=str)
        assert len(raw) == len(ref), f
        assert raw["text"].tolist() == ref["comment-body"].tolist(), f
        assert raw["source_id"].tolist() == ref["comment-id"].tolist()
        assert raw["created_raw"].tolist() == ref["timestamp"].tolist()
        moderated = (ref["moderated"] == "-1").tolist()
        dropped = (raw["reject_reason"] == "dropped: moderated out").tolist()
        assert dropped == moderated
        assert set(raw["reject_reason"].dropna()) <= {"dropped: moderated out"}


@needs_data
@pytest.mark.shared_data
def test_new_haven_no_mapping() -> None:
    f = DATA / "seeclickfix_newhaven_2014" / "newhaven_2014_train.csv"
    raw = read_source(f, source=_src(f))
    assert len(raw) == 6944
    assert (raw["source_type"] == "report").all()
    assert raw["source_id"].notna().all()
    assert raw["lat"].notna().mean() > 0.95
    assert raw["created_raw"].str.match(r"\d\d/\d\d/\d{4} - \d\d:\d\d[AP]M").all()
    assert raw["reject_reason"].isna().all()


@needs_data
@pytest.mark.shared_data
def test_minneapolis_transcript() -> None:
    files = sorted((DATA / "mpls_council_transcripts" / "transcripts").glob("transcript_*.json"))
    assert files
    raw = read_source(files[1], source=_src(files[1]))
    assert len(raw) > 50
    assert (raw["source_type"] == "meeting").all()
    assert raw["created_raw"].str.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d").all()
    assert raw["created_raw"].is_monotonic_increasing
    texts = " ".join(raw["text"])
    assert ">>" not in texts and "[GAVEL]" not in texts.upper()
    letters = [c for c in texts if c.isalpha()]
    assert sum(c.isupper() for c in letters) / len(letters) < 0.2  # readable case
    assert set(raw["speaker_role_hint"]) <= set(schemas.SPEAKER_ROLES)
    assert (raw["speaker_role_hint"] == "official").sum() > 0


SAMPLE_CONFIG = ROOT / "pipelines" / "sample-city.yaml"


@pytest.mark.skipif(not SAMPLE_CONFIG.exists(), reason="sample-city config not written yet")
def test_every_sample_file_reads() -> None:
    cfg = load_config(SAMPLE_CONFIG)
    seen = 0
    for source in cfg.sources:
        for f in sorted(glob.glob(source.path)):
            raw = read_source(f, source=source)
            assert list(raw.columns) == list(schemas.RAW_COLUMNS)
            assert len(raw) > 0, f
            if source.type:
                assert (raw["source_type"] == source.type).all()
            seen += 1
    assert seen == len(cfg.sources)
