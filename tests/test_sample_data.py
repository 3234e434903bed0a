"""The sample data (fictional Port Alder): reproducible, valid, and as messy as promised.

``sample_data/README.md`` lists the deliberate mess; the tests below check that each item is
really in the files, so the README cannot drift from them.
"""
from __future__ import annotations

import csv
import importlib.util
import itertools
import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SCRIPT = ROOT / "scripts" / "make_sample_data.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("make_sample_data", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample_a")
    _load_script().generate(out)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


def test_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    _load_script().generate(tmp_path)
    first, second = _files(generated), _files(tmp_path)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == [], f"not byte-stable across runs: {differ}"


def test_committed_files_match_the_generator(generated: Path) -> None:
    committed, fresh = _files(SAMPLE), _files(generated)
    assert sorted(committed) == sorted(fresh), "run: python scripts/make_sample_data.py"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert stale == [], f"stale sample files {stale}; run: python scripts/make_sample_data.py"


def test_sample_data_is_small() -> None:
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < 1_000_000


def test_pipeline_config_loads_with_every_source_and_mapping() -> None:
    from voiceline.config import Mapping, load_config

    cfg = load_config(ROOT / "pipelines" / "sample-city.yaml")
    assert cfg.timezone == "America/New_York"
    assert set(cfg.ingest.agency_accounts) == {"Port Alder Police Department", "PortAlderPD"}
    suffixes = {Path(s.path).suffix for s in cfg.sources}
    assert suffixes == {".csv", ".xlsx", ".md", ".docx", ".srt", ".vtt", ".txt", ".json", ".jsonl"}
    for src in cfg.sources:
        assert Path(src.path).is_file(), src.path
        if src.type != "meeting":
            assert isinstance(src.mapping, Mapping), f"{src.name} has no mapping"
    areas = {s.name: s.meeting_area for s in cfg.sources if s.meeting_area}
    assert areas == {"harbor-point-meeting": "harbor-point",
                     "northside-listening-session": "northside"}
    used = {Path(p).name for p in (SAMPLE / "mappings").glob("*.yaml")}
    assert used == {"survey_csv.yaml", "survey_xlsx.yaml", "facebook.yaml", "nextdoor.yaml",
                    "twitter.yaml", "service_requests.yaml"}


def test_gazetteer_follows_the_documented_format() -> None:
    gaz = yaml.safe_load((SAMPLE / "gazetteer" / "gazetteer.yaml").read_text(encoding="utf-8"))
    assert gaz["city"] == "Port Alder" and gaz["boundaries"] == "neighborhoods.geojson"
    hoods = gaz["neighborhoods"]
    assert len(hoods) == 8
    zips: dict[str, int] = {}
    for h in hoods:
        assert set(h) == {"id", "name", "aliases", "zips", "places", "streets"}
        assert 2 <= len(h["aliases"]) <= 4 and 1 <= len(h["zips"]) <= 2
        assert 4 <= len(h["places"]) <= 8 and 3 <= len(h["streets"]) <= 6
        for z in h["zips"]:
            assert isinstance(z, str) and len(z) == 5
            zips[z] = zips.get(z, 0) + 1
    assert sorted(n for n in zips.values() if n > 1) == [2], "exactly one ZIP is shared by two"


def test_polygons_tile_without_overlap() -> None:
    from shapely.geometry import Point, shape

    gaz = yaml.safe_load((SAMPLE / "gazetteer" / "gazetteer.yaml").read_text(encoding="utf-8"))
    fc = json.loads((SAMPLE / "gazetteer" / "neighborhoods.geojson").read_text(encoding="utf-8"))
    polys = {f["properties"]["neighborhood_id"]: shape(f["geometry"]) for f in fc["features"]}
    assert set(polys) == {h["id"] for h in gaz["neighborhoods"]}
    for a, b in itertools.combinations(polys, 2):
        assert polys[a].is_valid and polys[a].intersection(polys[b]).area < 1e-12, (a, b)
    for p in polys.values():  # lon, lat order, around Port Alder
        assert -70.4 < p.centroid.x < -70.1 and 43.6 < p.centroid.y < 43.72
    with (SAMPLE / "reports" / "service_requests_2026.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    located = [r for r in rows if r["Latitude"]]
    inside = [r for r in located
              if any(p.contains(Point(float(r["Longitude"]), float(r["Latitude"])))
                     for p in polys.values())]
    assert len(rows) == 150 and len(located) - len(inside) == 1  # one point outside the city


def test_the_deliberate_mess_is_there() -> None:
    survey = (SAMPLE / "survey" / "community_survey_2026.csv").read_text(encoding="utf-8")
    assert survey.startswith("\ufeff")  # Excel-style BOM
    rows = list(csv.DictReader(survey.lstrip("\ufeff").splitlines()))
    open_q = [c for c in rows[0] if c.startswith(("Q3", "Q4", "Q6"))]
    assert len(open_q) == 3
    assert any(r["Submitted On"] == "last Tuesday" for r in rows)
    assert any(all(not r[q] for q in open_q) for r in rows), "a row with every answer blank"
    assert any(r[q] and not r[q].strip() for r in rows for q in open_q), "whitespace-only answer"
    assert "Ã©" in survey and "â€" in survey, "mojibake"
    assert any("-" in r["ZIP code"] for r in rows), "ZIP+4"

    fb = json.loads((SAMPLE / "social" / "facebook_comments_2026-09.json").read_text("utf-8"))
    items = fb["data"]
    assert any(i["from"]["name"] == "Port Alder Police Department" for i in items)
    assert sum(1 for i in items if "message" not in i) >= 3, "reaction-only items"
    messages = [i.get("message", "") for i in items]
    campaign = [m for m in messages if "Safe Streets for Kids" in m]
    assert len(campaign) == 5 and len(set(campaign)) == 3
    assert any(messages.count(m) == 2 for m in set(messages) if m), "exact duplicates"

    lines = (SAMPLE / "social" / "nextdoor_2026-10.jsonl").read_text("utf-8").splitlines()
    broken = 0
    for line in lines:
        try:
            json.loads(line)
        except json.JSONDecodeError:
            broken += 1
    assert broken == 1

    reports = (SAMPLE / "reports" / "service_requests_2026.csv").read_text("utf-8")
    assert "7KXR221" in reports and "(207) 555-0131" in reports
    vtt = (SAMPLE / "meetings" / "2026-10-02_public_safety_committee.vtt").read_text("utf-8")
    assert vtt.startswith("WEBVTT") and ">>" in vtt and "[inaudible]" in vtt
    assert "MY NAME IS DESMOND CLARKE" in vtt


def test_texts_are_distinct_apart_from_the_deliberate_copies() -> None:
    """Residents do not all say the same sentence: only the planted copies are duplicates.

    Reads every source (no spaCy) and runs ingest's own duplicate rules on the texts: the
    deliberate exact duplicates, the campaign and a few short natural repeats ("no", "Thank
    you!") may repeat, nothing else (the generator once reused template sentences: 180 of 609
    records were duplicates).
    """
    import pandas as pd

    from voiceline.config import load_config
    from voiceline.ingest.dedupe import mark_duplicates
    from voiceline.ingest.readers import read_source

    cfg = load_config(ROOT / "pipelines" / "sample-city.yaml")
    raw = pd.concat([read_source(s.path, source=s) for s in cfg.sources], ignore_index=True)
    text = raw["text"].fillna("").str.strip()
    agency = raw["author_raw"].isin(cfg.ingest.agency_accounts)
    keep = raw[raw["reject_reason"].isna() & (text.str.len() > 1) & ~agency]
    frame = pd.DataFrame(
        {
            "record_id": [f"r{i:04d}" for i in range(len(keep))],
            "text": keep["text"].to_numpy(),
            "author_hash": keep["author_raw"].fillna(keep["speaker"]).to_numpy(),
        }
    )
    assert len(frame) > 550
    marked = mark_duplicates(frame)
    dups = marked[marked["duplicate_of"].notna()]
    assert len(dups) < 20, dups["text"].value_counts().head(10).to_dict()
    long_dups = dups[dups["text"].str.split().str.len() >= 6]
    planted = long_dups["text"].str.contains(
        "Safe Streets for Kids|catalytic converter gone on Sheridan|broken into on Wharf Street"
    )
    assert planted.all(), long_dups.loc[~planted, "text"].tolist()
    campaign = marked[marked["campaign_id"].notna()]
    assert 5 <= len(campaign) <= 8
    assert campaign["text"].str.contains("Safe Streets for Kids").all()
