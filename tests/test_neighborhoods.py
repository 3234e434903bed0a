"""Neighborhood resolution: gazetteer validation, each method, order, speed."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voiceline.errors import ConfigError
from voiceline.ingest.neighborhoods import (
    NEIGHBORHOOD_UNMATCHED,
    Gazetteer,
    Neighborhood,
    normalize_zip,
    resolve_neighborhoods,
)

GAZ_PATH = Path(__file__).parent / "fixtures" / "gazetteer" / "gazetteer.yaml"
# the fixture's squares: 0.01 degree each, west to east, from lon -70.30, lat 43.65 to 43.66
INSIDE = {"harbor-point": (43.655, -70.295), "elm-heights": (43.655, -70.285)}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(GAZ_PATH)


def raw(**cols: list) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"text": [""] * n}
    base.update(cols)
    return pd.DataFrame(base)


def resolved(frame: pd.DataFrame, gaz: Gazetteer | None) -> list[tuple]:
    out = resolve_neighborhoods(frame, gazetteer=gaz)
    return list(
        zip(out["neighborhood_id"], out["neighborhood_method"], out["neighborhood_confidence"],
            strict=True)
    )


def test_load_fixture(gaz: Gazetteer) -> None:
    assert gaz.city == "Testville" and gaz.version == "test.1"
    assert [nb.id for nb in gaz.neighborhoods] == ["harbor-point", "elm-heights", "riverside"]
    assert set(gaz.boundaries) == {"harbor-point", "elm-heights", "riverside"}
    assert gaz.zip_index["04103"] == ("elm-heights", "riverside")
    assert gaz.name_index["harbour point"] == "harbor-point"


def test_load_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(
        """
city: X
version: "1"
colour: red
boundaries: b.geojson
neighborhoods:
  - {id: north, name: North, zips: [4101, "1234"], nickname: N}
  - {id: north, name: North Again}
  - {id: "Bad Id", name: B}
  - {id: south, name: South, aliases: [North]}
""",
        encoding="utf-8",
    )
    bowtie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    feats = [
        {"type": "Feature", "properties": {"neighborhood_id": "nowhere"},
         "geometry": {"type": "Polygon", "coordinates": [square]}},
        {"type": "Feature", "properties": {"neighborhood_id": "south"},
         "geometry": {"type": "Polygon", "coordinates": [bowtie]}},
    ]
    (tmp_path / "b.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        Gazetteer.load(tmp_path / "g.yaml")
    text = "\n".join(info.value.problems)
    assert "g.yaml" in str(info.value)
    for expected in ("colour", "nickname", "bad ZIP 4101", "bad ZIP '1234'", "duplicate id 'north'",
                     "'Bad Id'", "'North' is also used by 'north'", "'nowhere'",
                     "invalid geometry"):
        assert expected in text, expected


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Gazetteer.load(tmp_path / "none.yaml")


def test_field_exact_alias_fuzzy_and_unmatched(gaz: Gazetteer) -> None:
    frame = raw(
        neighborhood_raw=["Harbor Point", "  the heights ", "harbor-point", "Elm Heigths",
                          "Narnia"],
        zip_raw=[None, None, None, None, "04101"],
    )
    out = resolve_neighborhoods(frame, gazetteer=gaz)
    assert out["neighborhood_id"].tolist() == [
        "harbor-point", "elm-heights", "harbor-point", "elm-heights", "harbor-point"
    ]
    assert out["neighborhood_method"].tolist() == ["field"] * 4 + ["zip"]
    assert out["neighborhood_confidence"].iloc[0] == 1.0
    assert 0.7 < out["neighborhood_confidence"].iloc[3] < 0.9
    # the unknown value is kept for the report, resolution went on with the ZIP
    assert out[NEIGHBORHOOD_UNMATCHED].tolist() == [None, None, None, None, "Narnia"]


def test_zip_numbers_and_shared(gaz: Gazetteer) -> None:
    frame = raw(zip_raw=[4101.0, "04103-1234", 98101, "99999", None])
    assert resolved(frame, gaz) == [
        ("harbor-point", "zip", 1.0),
        ("elm-heights", "zip", 0.5),
        ("riverside", "zip", 1.0),
        (None, "none", 0.0),
        (None, "none", 0.0),
    ]


def test_points_inside_near_far_swapped(gaz: Gazetteer) -> None:
    lat, lon = INSIDE["elm-heights"]
    frame = raw(
        lat=[lat, 43.655, 43.655, lon, None, "43.655"],
        lon=[lon, -70.268, -70.26, lat, -70.29, "-70.295"],
    )
    assert resolved(frame, gaz) == [
        ("elm-heights", "point", 1.0),
        ("riverside", "point", 0.6),  # ~160 m east of riverside's edge
        (None, "none", 0.0),  # ~800 m away
        (None, "none", 0.0),  # lat/lon swapped: lat out of range, ignored
        (None, "none", 0.0),
        ("harbor-point", "point", 1.0),  # numbers as strings still work
    ]


def test_order_field_beats_zip_beats_point_beats_meeting_beats_text(gaz: Gazetteer) -> None:
    lat, lon = INSIDE["harbor-point"]
    frame = raw(
        neighborhood_raw=["Riverside", None, None, None],
        zip_raw=["04102", "04102", None, None],
        lat=[lat, lat, lat, None],
        lon=[lon, lon, lon, None],
        meeting_area=["Riverside", "Riverside", "Riverside", "Riverside"],
        text=["Pier 9"] * 4,
    )
    out = resolve_neighborhoods(frame, gazetteer=gaz)
    assert out["neighborhood_method"].tolist() == ["field", "zip", "point", "meeting"]
    assert out["neighborhood_id"].tolist() == ["riverside", "elm-heights", "harbor-point",
                                               "riverside"]
    assert out["neighborhood_confidence"].iloc[3] == 0.9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cars race down Water St every night", "harbor-point"),
        ("Cars race down Water Street every night", "harbor-point"),
        ("the water is brown", None),  # a street name needs its street word
        ("Someone was shot near the Mill Pond", "riverside"),
        ("I live in elm heights and love it", "elm-heights"),
        ("We saw HP police at the point", "harbor-point"),  # HP is case-sensitive
        ("my hp laptop, the point is", None),
        ("Trouble on Broadway again", "elm-heights"),  # suffix-less street after "on"
        ("", None),
    ],
)
def test_text_mentions(gaz: Gazetteer, text: str, expected: str | None) -> None:
    out = resolve_neighborhoods(raw(text=[text]), gazetteer=gaz)
    assert out["neighborhood_id"].iloc[0] == expected
    assert out["neighborhood_method"].iloc[0] == ("text" if expected else "none")
    if expected:
        assert 0.5 <= out["neighborhood_confidence"].iloc[0] <= 0.9


def test_text_most_mentioned_wins_with_lower_confidence(gaz: Gazetteer) -> None:
    texts = [
        "Pier 9 and Cannery Row are fine but Elm Street is dark",
        "Mill Pond or Oakwood Park",  # a tie: lowest confidence
        "Cannery Row at night",
    ]
    out = resolve_neighborhoods(raw(text=texts), gazetteer=gaz)
    assert out["neighborhood_id"].tolist() == ["harbor-point", "elm-heights", "harbor-point"]
    conf = out["neighborhood_confidence"].tolist()
    assert conf[1] == 0.5
    assert conf[0] < conf[2] == 0.8


def test_text_fuzzy_near_miss(gaz: Gazetteer) -> None:
    out = resolve_neighborhoods(raw(text=["the lights at Harbr Point Library are out"]),
                                gazetteer=gaz)
    assert out["neighborhood_id"].iloc[0] == "harbor-point"
    off = resolve_neighborhoods(raw(text=["the lights at Harbr Point Library are out"]),
                                gazetteer=gaz, fuzzy_text=False)
    assert off["neighborhood_id"].iloc[0] is None


def test_without_gazetteer() -> None:
    frame = raw(neighborhood_raw=["  Ward  25 ", None, None], meeting_area=[None, "North", None])
    assert resolved(frame, None) == [
        ("Ward 25", "field", 1.0),
        ("North", "meeting", 0.9),
        (None, "none", 0.0),
    ]


def test_input_not_mutated_and_index_kept(gaz: Gazetteer) -> None:
    frame = raw(neighborhood_raw=["Riverside", "x"], zip_raw=["04101", None])
    frame.index = [10, 3]
    before = frame.copy()
    out = resolve_neighborhoods(frame, gazetteer=gaz)
    pd.testing.assert_frame_equal(frame, before)
    assert list(out.index) == [10, 3]
    assert "neighborhood_id" not in frame.columns


def test_gazetteer_built_in_code() -> None:
    gaz = Gazetteer("X", "1", [Neighborhood("north-end", "North End", zips=("02113",))])
    assert resolved(raw(zip_raw=[2113]), gaz) == [("north-end", "zip", 1.0)]


@given(st.integers(min_value=100, max_value=99999))
def test_zip_number_forms_round_trip(n: int) -> None:
    expected = f"{n:05d}"
    assert normalize_zip(n) == expected
    assert normalize_zip(float(n)) == expected
    assert normalize_zip(f"{n}.0") == expected if n < 10000 else True
    assert normalize_zip(expected) == expected
    assert normalize_zip(f"{expected}-1234") == expected
    assert normalize_zip(f"{expected}1234") == expected
    assert normalize_zip(int(f"{expected}1234")) == expected


@given(st.text(alphabet="abcXYZ -_/", max_size=12))
def test_zip_garbage_is_none(text: str) -> None:
    assert normalize_zip(text) is None


def test_speed_50k_rows(gaz: Gazetteer) -> None:
    rng = np.random.default_rng(0)
    n = 50_000
    frame = pd.DataFrame({
        "neighborhood_raw": rng.choice(np.array([None, None, "Harbor Point", "harbour pt",
                                                 "Narnia"], dtype=object), n),
        "zip_raw": rng.choice(np.array([None, 4101.0, "04103-1234"], dtype=object), n),
        "lat": 43.65 + rng.random(n) * 0.012,
        "lon": -70.30 + rng.random(n) * 0.032,
        "text": [f"report {i} on Water St" for i in range(n)],
    })
    start = time.perf_counter()
    out = resolve_neighborhoods(frame, gazetteer=gaz)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"{n} rows took {elapsed:.1f}s"
    assert out["neighborhood_method"].isin(["field", "zip", "point", "text", "none"]).all()


@pytest.mark.shared_data
def test_new_haven_without_gazetteer(shared_data: Path) -> None:
    path = shared_data / "seeclickfix_newhaven_2014" / "newhaven_2014_train.csv"
    src = pd.read_csv(path, usecols=["Description", "ward", "Lat", "Lng"])
    frame = pd.DataFrame({"text": src["Description"], "neighborhood_raw": src["ward"],
                          "lat": src["Lat"], "lon": src["Lng"]})
    start = time.perf_counter()
    out = resolve_neighborhoods(frame, gazetteer=None)
    assert time.perf_counter() - start < 2
    has_ward = src["ward"].notna().to_numpy()
    assert (out.loc[has_ward, "neighborhood_method"] == "field").all()
    assert (out.loc[~has_ward, "neighborhood_method"] == "none").all()
    assert out.loc[has_ward, "neighborhood_id"].str.startswith("Ward ").all()
