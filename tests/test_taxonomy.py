"""The taxonomy file: the bundled v1 and every validation error, named."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from voiceline.concerns.taxonomy import Taxonomy, bundled_path
from voiceline.errors import ConfigError

V1_IDS = [
    "violent_crime", "property_crime", "drugs", "traffic_safety", "parking", "noise", "disorder",
    "infrastructure", "homelessness", "youth", "mental_health", "police_conduct",
    "police_service", "community_relations", "housing", "economy_services",
]


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "tax.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _concern(cid: str, **extra) -> dict:
    base = {"id": cid, "label": cid, "definition": f"about {cid}", "examples": [f"{cid} here"]}
    base.update(extra)
    return base


def test_bundled_v1_has_the_16_design_ids_in_order() -> None:
    tax = Taxonomy.load()
    assert tax.version == "community-safety-v1"
    assert tax.ids == V1_IDS
    assert tax.path == bundled_path()
    for concern in tax:
        assert concern.definition and concern.label
        assert 15 <= len(concern.examples) <= 30, concern.id
    assert tax.background


def test_valid_file_loads(tmp_path: Path) -> None:
    tax = Taxonomy.load(_write(tmp_path, {"version": "t1", "concerns": [_concern("noise")]}))
    assert tax.ids == ["noise"] and tax["noise"].examples == ("noise here",)


def test_every_problem_is_listed_at_once_naming_the_file(tmp_path: Path) -> None:
    data = {
        "version": "t1",
        "colour": "blue",
        "concerns": [
            _concern("noise"),
            _concern("noise"),
            _concern("parking", definition="  "),
            _concern("drugs", sinonyms=["x"]),
            _concern("Bad-Id"),
            _concern("youth", examples=[]),
        ],
    }
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as err:
        Taxonomy.load(path)
    msg = str(err.value)
    assert str(path) in msg
    assert "duplicate id 'noise'" in msg
    assert "concern 'parking': empty definition" in msg
    assert "concern 'drugs': unknown key 'sinonyms'" in msg
    assert "unknown key 'colour' at the top" in msg
    assert "bad id 'Bad-Id'" in msg
    assert "concern 'youth': no examples" in msg
    assert len(err.value.problems) == 6


def test_missing_version_and_concerns(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        Taxonomy.load(_write(tmp_path, {"name": "x"}))
    assert "'version' is missing" in str(err.value) and "'concerns' is missing" in str(err.value)


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Taxonomy.load(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("concerns: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Taxonomy.load(bad)
