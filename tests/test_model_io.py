"""Model folders without pickles: round trip, hashes, format version, encoder and kind checks."""
from __future__ import annotations

import json

import numpy as np
import pytest

from voiceline.concerns.model_io import FORMAT_VERSION, MANIFEST, WEIGHTS, load_model, save_model
from voiceline.errors import ModelError


def _save(folder, **kw):
    args = dict(
        kind="demo",
        tensors={"coef": np.arange(6, dtype=np.float32).reshape(2, 3)},
        labels=["a", "b"],
        encoder_model_id="fake-8-0",
        settings={"C": 2.0},
        side_files={"vocabulary.json": {"word": ["x", "y"]}},
    )
    args.update(kw)
    return save_model(folder, **args)


def test_round_trip_keeps_arrays_labels_settings_and_side_files(tmp_path):
    _save(tmp_path / "m")
    found = load_model(tmp_path / "m", kind="demo", encoder_model_id="fake-8-0")
    assert found.labels == ["a", "b"]
    assert found.settings == {"C": 2.0}
    assert found.side_files == {"vocabulary.json": {"word": ["x", "y"]}}
    np.testing.assert_array_equal(found.tensors["coef"], np.arange(6).reshape(2, 3))
    manifest = json.loads((tmp_path / "m" / MANIFEST).read_text())
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["voiceline_version"]
    assert set(manifest["files"]) == {WEIGHTS, "vocabulary.json"}


def test_no_pickle_files_are_written(tmp_path):
    _save(tmp_path / "m")
    names = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert names == [MANIFEST, "vocabulary.json", WEIGHTS]
    for p in (tmp_path / "m").iterdir():
        assert not p.read_bytes().startswith(b"\x80")  # pickle protocol 2+ header


def test_tampered_weights_are_refused(tmp_path):
    _save(tmp_path / "m")
    path = tmp_path / "m" / WEIGHTS
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"weights\.safetensors: sha256 .* does not match"):
        load_model(tmp_path / "m", kind="demo")


def test_tampered_side_file_is_refused(tmp_path):
    _save(tmp_path / "m")
    (tmp_path / "m" / "vocabulary.json").write_text('{"word": ["x", "z"]}')
    with pytest.raises(ModelError, match="vocabulary.json: sha256"):
        load_model(tmp_path / "m", kind="demo")


def test_other_format_version_is_refused(tmp_path):
    _save(tmp_path / "m")
    path = tmp_path / "m" / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match=f"format_version {FORMAT_VERSION + 1}.*Train it again"):
        load_model(tmp_path / "m", kind="demo")


def test_encoder_mismatch_is_refused(tmp_path):
    _save(tmp_path / "m")
    with pytest.raises(ModelError, match="trained on embeddings from encoder 'fake-8-0'.*'other'"):
        load_model(tmp_path / "m", kind="demo", encoder_model_id="other")
    load_model(tmp_path / "m", kind="demo", encoder_model_id="other", check_encoder=False)


def test_missing_folder_manifest_or_file(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        load_model(tmp_path / "nowhere", kind="demo")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match=r"has no model\.json \(found: nothing\)"):
        load_model(tmp_path / "empty", kind="demo")
    _save(tmp_path / "m")
    (tmp_path / "m" / "vocabulary.json").unlink()
    with pytest.raises(ModelError, match="lacks vocabulary.json"):
        load_model(tmp_path / "m", kind="demo")


def test_wrong_kind_is_refused(tmp_path):
    _save(tmp_path / "m")
    with pytest.raises(ModelError, match="this is a 'demo' model, expected a 'sentiment' model"):
        load_model(tmp_path / "m", kind="sentiment")


def test_bad_side_file_name(tmp_path):
    with pytest.raises(ModelError, match="side file name"):
        _save(tmp_path / "m", side_files={"../x.json": {}})
