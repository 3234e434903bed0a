"""Config loading: whole-file validation with every problem listed, overrides, paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceline.config import PipelineConfig, apply_overrides, load_config, load_mapping
from voiceline.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_config_loads_with_defaults(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("text\nhello\n")
    cfg = load_config(write(tmp_path / "job.yaml", "sources:\n  - {name: a, path: a.csv}\n"))
    assert cfg.timezone == "UTC"
    assert cfg.sources[0].path == str(tmp_path / "a.csv")
    assert cfg.output == str(tmp_path / "out")
    assert cfg.privacy.redact is True


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = """
timezone: Mars/Olympus
period: 2026-13
ingest: {min_chars: 0, colour: blue}
sources:
  - {name: a, path: missing.csv}
  - {name: a, path: other.csv}
"""
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path / "job.yaml", text))
    message = str(err.value)
    assert "timezone" in message and "Mars/Olympus" in message
    assert "period" in message
    assert "ingest.min_chars" in message
    assert "ingest.colour: unknown key" in message
    assert "used twice" in message
    assert len(err.value.problems) >= 5


def test_missing_source_file_and_mapping_are_reported_together(tmp_path: Path) -> None:
    text = "sources:\n  - {name: a, path: nope/*.csv, mapping: nomap.yaml}\n"
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path / "job.yaml", text))
    assert "matches no file" in str(err.value)
    assert "nomap.yaml does not exist" in str(err.value)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d"):
        load_config(write(tmp_path / "job.yaml", "name: x\nsources: [a\nbad: : :\n"))


def test_missing_config_file() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config("no/such/job.yaml")


def test_overrides_reach_nested_keys_and_lists(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("text\nhello\n")
    (tmp_path / "b.csv").write_text("text\nhello\n")
    path = write(tmp_path / "job.yaml", "sources:\n  - {name: a, path: a.csv}\n")
    cfg = load_config(
        path,
        overrides=["ingest.require_date=true", "sources.0.path=b.csv", "timezone=America/Chicago"],
    )
    assert cfg.ingest.require_date is True
    assert cfg.sources[0].path.endswith("b.csv")
    assert cfg.timezone == "America/Chicago"


def test_bad_override_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="expected key=value"):
        apply_overrides({}, ["novalue"])
    with pytest.raises(ConfigError, match="cannot reach"):
        apply_overrides({"sources": []}, ["sources.3.path=x"])


def test_override_does_not_mutate_input() -> None:
    data = {"ingest": {"min_chars": 2}}
    apply_overrides(data, ["ingest.min_chars=9"])
    assert data == {"ingest": {"min_chars": 2}}


def test_mapping_unknown_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="text_column: unknown key"):
        load_mapping(write(tmp_path / "m.yaml", "text_column: body\n"))


def test_config_hash_is_stable_and_sensitive() -> None:
    a = PipelineConfig(name="x")
    assert a.config_hash() == PipelineConfig(name="x").config_hash()
    assert a.config_hash() != PipelineConfig(name="y").config_hash()


def test_sample_city_config_is_valid() -> None:
    path = Path(__file__).resolve().parents[1] / "pipelines" / "sample-city.yaml"
    cfg = load_config(path)
    assert cfg.gazetteer and Path(cfg.gazetteer).exists()
    assert {s.type for s in cfg.sources} >= {"survey", "meeting", "social", "report"}
