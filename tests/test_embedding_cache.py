"""The on-disk embedding cache: hits and misses, dedupe, persistence, two writers, corruption."""
from __future__ import annotations

import logging
import multiprocessing as mp
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from voiceline.nlp.cache import CachedEncoder, CacheStats, EmbeddingCache, text_hash
from voiceline.nlp.embeddings import Encoder, FakeEncoder


def test_hits_misses_and_dedupe_within_a_call(tmp_path: Path) -> None:
    fake = FakeEncoder(dim=16)
    enc = CachedEncoder(fake, EmbeddingCache.open(tmp_path / "c.sqlite"))
    assert isinstance(enc, Encoder)
    assert (enc.model_id, enc.dim) == (fake.model_id, 16)
    texts = ["speeding on Elm", "speeding on Elm", "dark alley", "", "speeding on Elm"]
    first = enc.encode(texts)
    assert fake.encoded == 2  # two distinct non-empty texts reach the model
    assert enc.stats == CacheStats(hits=0, misses=2)
    np.testing.assert_array_equal(first, FakeEncoder(dim=16).encode(texts))
    assert not first[3].any()
    second = enc.encode(["dark alley", "new text"])
    assert enc.stats == CacheStats(hits=1, misses=3)
    assert fake.encoded == 3
    np.testing.assert_array_equal(second[0], first[2])
    assert second.dtype == np.float32


def test_everything_cached_never_calls_the_model(tmp_path: Path) -> None:
    fake = FakeEncoder(dim=8)
    enc = CachedEncoder(fake, EmbeddingCache.open(tmp_path / "c.sqlite"))
    enc.encode(["a", "b"])
    calls = fake.calls
    enc.encode(["b", "a", "a"])
    assert fake.calls == calls
    assert enc.encode([]).shape == (0, 8)


def test_persists_across_instances_and_keys_by_model(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "c.sqlite"
    CachedEncoder(FakeEncoder(dim=8), EmbeddingCache.open(path)).encode(["noise at night"])
    fake = FakeEncoder(dim=8)
    again = CachedEncoder(fake, EmbeddingCache.open(path))
    again.encode(["noise at night"])
    assert fake.encoded == 0 and again.stats.hits == 1
    other = FakeEncoder(dim=8, seed=1)  # another model id: never reads the first one's vectors
    CachedEncoder(other, EmbeddingCache.open(path)).encode(["noise at night"])
    assert other.encoded == 1
    cache = EmbeddingCache.open(path)
    assert cache.count() == 2 and cache.count(fake.model_id) == 1


def test_get_put_many(tmp_path: Path) -> None:
    with EmbeddingCache.open(tmp_path / "c.sqlite") as cache:
        keys = [text_hash(f"t{i}") for i in range(1200)]  # more than one SELECT chunk
        vecs = np.random.default_rng(0).standard_normal((1200, 4)).astype(np.float32)
        assert cache.put_many("m", zip(keys, vecs, strict=True)) == 1200
        got = cache.get_many("m", keys + ["absent"])
        assert len(got) == 1200
        np.testing.assert_array_equal(got[keys[1100]], vecs[1100])
        cache.put_many("m", {keys[0]: np.zeros(4)})  # existing keys are kept
        np.testing.assert_array_equal(cache.get_many("m", [keys[0]])[keys[0]], vecs[0])
        assert cache.get_many("other", keys) == {}


def _writer(path: str, seed: int, n: int) -> None:
    cache = EmbeddingCache.open(path)
    rng = np.random.default_rng(seed)
    for start in range(0, n, 50):
        items = [
            (text_hash(f"text {i}"), np.full(8, i, dtype=np.float32) + 0 * rng.random())
            for i in range(start, min(start + 50, n))
        ]
        cache.put_many("m", items)
        cache.get_many("m", [k for k, _ in items])
    cache.close()


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs the fork start method")
    path = str(tmp_path / "shared.sqlite")
    EmbeddingCache.open(path).close()
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(path, seed, 1000)) for seed in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    cache = EmbeddingCache.open(path)
    assert cache.count("m") == 1000
    got = cache.get_many("m", [text_hash("text 999")])
    np.testing.assert_array_equal(next(iter(got.values())), np.full(8, 999, dtype=np.float32))
    (row,) = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchall()
    assert row == ("ok",)


def test_corrupt_file_is_moved_aside_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    fake = FakeEncoder(dim=8)
    with caplog.at_level(logging.WARNING, logger="voiceline"):
        enc = CachedEncoder(fake, EmbeddingCache.open(path))
    assert "corrupt" in caplog.text and str(path) in caplog.text
    aside = list(tmp_path.glob("c.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    enc.encode(["works again"])
    assert EmbeddingCache.open(path).count() == 1


def test_corruption_found_later_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = EmbeddingCache.open(path)
    cache.put_many("m", [(text_hash(str(i)), np.ones(256)) for i in range(2000)])
    cache.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)  # smash some table pages
    path.write_bytes(bytes(data))
    again = EmbeddingCache.open(path)
    found = again.get_many("m", [text_hash(str(i)) for i in range(2000)])
    assert found == {}  # never raises: the file is moved aside and the texts re-encoded
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 1
    enc = CachedEncoder(FakeEncoder(dim=4), again)
    assert enc.encode(["still usable"]).shape == (1, 4)


def test_wrong_shape_from_encoder_is_an_error(tmp_path: Path) -> None:
    from voiceline.errors import ModelError

    class Broken(FakeEncoder):
        def encode(self, texts, **kwargs):
            return np.zeros((1, self.dim), dtype=np.float32)

    enc = CachedEncoder(Broken(dim=4), EmbeddingCache.open(tmp_path / "c.sqlite"))
    with pytest.raises(ModelError, match="shape"):
        enc.encode(["a", "b"])
