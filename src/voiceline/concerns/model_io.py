"""Saving and loading trained heads without pickles: safetensors for arrays, JSON for the rest.

A model folder holds:

- ``weights.safetensors``: every numeric array (coefficients, intercepts, idf vectors, ...);
- zero or more JSON side files (a TF-IDF vocabulary, say), named by the model;
- ``model.json``: the manifest, written last, with the format version, the model ``kind``, the
  voiceline version that wrote it, the encoder ``model_id`` it was trained with, the label list,
  the model's own settings and the sha256 of every other file in the folder.

Why not pickle (or joblib)? Loading a pickle runs arbitrary code, and a model folder is exactly the
kind of file a unit passes around by e-mail or a shared drive. safetensors and JSON are data only,
and the hashes in the manifest catch a truncated copy or a hand-edited weight file before it
silently scores a month of feedback.

Any trained head (the concern classifier, the sentiment model) uses the same two functions:

>>> import numpy as np, tempfile
>>> folder = tempfile.mkdtemp()
>>> _ = save_model(folder, kind="demo", tensors={"coef": np.eye(2, dtype=np.float32)},
...                labels=["a", "b"], encoder_model_id="fake-8-0", settings={"C": 1.0})
>>> loaded = load_model(folder, kind="demo", encoder_model_id="fake-8-0")
>>> loaded.labels, loaded.settings["C"], loaded.tensors["coef"].shape
(['a', 'b'], 1.0, (2, 2))
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from voiceline.errors import ModelError
from voiceline.io import atomic_path, file_sha256, write_json

FORMAT_VERSION = 1
"""Bump when the folder layout or the meaning of a stored array changes."""

MANIFEST = "model.json"
WEIGHTS = "weights.safetensors"


@dataclass(frozen=True)
class LoadedModel:
    """What :func:`load_model` found in a folder, already checked."""

    folder: Path
    kind: str
    labels: list[str]
    encoder_model_id: str | None
    settings: dict[str, Any]
    tensors: dict[str, np.ndarray]
    side_files: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)


def _voiceline_version() -> str:
    from voiceline import __version__

    return __version__


def save_model(
    folder: str | Path,
    *,
    kind: str,
    tensors: Mapping[str, np.ndarray],
    labels: list[str],
    encoder_model_id: str | None,
    settings: Mapping[str, Any] | None = None,
    side_files: Mapping[str, Any] | None = None,
) -> Path:
    """Write a model folder (weights, JSON side files, then the manifest) and return it.

    ``side_files`` maps a file name ending in ``.json`` to JSON-serialisable data. Every file is
    written atomically and the manifest last, so a folder without ``model.json`` is incomplete.

    Example: ``save_model("models/my-unit", kind="concerns-trained", tensors={"coef": W},
    labels=labels, encoder_model_id=encoder.model_id, settings={"threshold": 0.5})``.
    """
    from safetensors.numpy import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {name: np.ascontiguousarray(value) for name, value in tensors.items()}
    for name, value in arrays.items():
        if value.dtype == object:
            raise ModelError(f"cannot save tensor {name!r}: object arrays are not numeric data")
    with atomic_path(folder / WEIGHTS) as tmp:
        save_file(arrays, str(tmp))
    hashes = {WEIGHTS: file_sha256(folder / WEIGHTS)}
    for name, data in (side_files or {}).items():
        if not name.endswith(".json") or "/" in name or name in (MANIFEST, WEIGHTS):
            raise ModelError(f"side file name {name!r} must be a plain '<name>.json'")
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        with atomic_path(folder / name) as tmp:
            tmp.write_text(text, encoding="utf-8")
        hashes[name] = file_sha256(folder / name)
    manifest = {
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "voiceline_version": _voiceline_version(),
        "encoder_model_id": encoder_model_id,
        "labels": list(labels),
        "settings": dict(settings or {}),
        "files": hashes,
    }
    write_json(manifest, folder / MANIFEST)
    return folder


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The manifest of a model folder, with a clear error when it is missing or not JSON."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not folder.is_dir():
        raise ModelError(f"model folder {folder} does not exist; pass the folder written by "
                         "`voiceline train` (or TrainedConcernModel.save).")
    if not path.is_file():
        found = ", ".join(sorted(p.name for p in folder.iterdir())) or "nothing"
        raise ModelError(f"model folder {folder} has no {MANIFEST} (found: {found}); it is not a "
                         "voiceline model or it was not written completely. Train it again.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path} is not valid JSON ({exc}); train the model again.") from exc
    if not isinstance(manifest, dict):
        raise ModelError(f"{path} should hold a JSON object; found {type(manifest).__name__}.")
    return manifest


def load_model(
    folder: str | Path,
    *,
    kind: str,
    encoder_model_id: str | None = None,
    check_encoder: bool = True,
) -> LoadedModel:
    """Read and verify a model folder written by :func:`save_model`.

    Raises :class:`~voiceline.errors.ModelError` when the folder or a file is missing, the
    format version or kind differ, a file's sha256 differs from the manifest (altered or
    truncated copy), or ``encoder_model_id`` is given, ``check_encoder`` is on, and differs from
    the encoder the model was trained with (its weights would score meaningless vectors).
    """
    from safetensors.numpy import load_file

    folder = Path(folder)
    manifest = read_manifest(folder)
    path = folder / MANIFEST
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(
            f"{path}: format_version {version!r}, but this voiceline "
            f"({_voiceline_version()}) reads format {FORMAT_VERSION}; the model was written by "
            f"voiceline {manifest.get('voiceline_version', '?')}. Train it again with this version."
        )
    if manifest.get("kind") != kind:
        raise ModelError(f"{path}: this is a {manifest.get('kind')!r} model, expected a {kind!r} "
                         "model; check which folder you passed.")
    missing_keys = [k for k in ("labels", "files", "settings") if k not in manifest]
    if missing_keys:
        raise ModelError(f"{path} lacks key(s) {', '.join(missing_keys)}; train the model again.")
    files: dict[str, str] = manifest["files"]
    if WEIGHTS not in files:
        raise ModelError(f"{path} lists no {WEIGHTS}; train the model again.")
    for name, expected in files.items():
        file = folder / name
        if not file.is_file():
            raise ModelError(f"model folder {folder} lacks {name}, which {MANIFEST} lists; copy "
                             "the whole folder or train the model again.")
        found = file_sha256(file)
        if found != expected:
            raise ModelError(
                f"{file}: sha256 {found[:12]}... does not match {expected[:12]}... recorded in "
                f"{MANIFEST}; the file was altered or copied incompletely. Copy the folder "
                "again or train the model again."
            )
    trained_with = manifest.get("encoder_model_id")
    if check_encoder and encoder_model_id is not None and trained_with != encoder_model_id:
        raise ModelError(
            f"{path}: the model was trained on embeddings from encoder {trained_with!r}, but "
            f"the encoder given is {encoder_model_id!r}; use the same encoder profile or train "
            "the model again with this one."
        )
    tensors = dict(load_file(str(folder / WEIGHTS)))
    side = {
        name: json.loads((folder / name).read_text(encoding="utf-8"))
        for name in files
        if name != WEIGHTS
    }
    return LoadedModel(
        folder=folder,
        kind=kind,
        labels=[str(x) for x in manifest["labels"]],
        encoder_model_id=trained_with,
        settings=dict(manifest["settings"]),
        tensors=tensors,
        side_files=side,
        manifest=manifest,
    )
