"""Saving a fitted :class:`~voiceline.topics.model.TopicModel` without pickles.

A model folder holds ``model.safetensors`` (centroids and the kept c-TF-IDF rows, float32) and
``model.json`` (options, topics with ids, labels, keywords, sizes and representative record ids,
the vocabulary, retired topics, versions). It can be inspected, diffed and loaded safely on any
machine. Format version 1 is unchanged since voiceline's first topic model: options added later
(``settle_iterations``, ``keyword_coherence``) take their defaults when an older folder lacks them.

>>> folder = save_model(model, "out/topic_model")      # doctest: +SKIP
>>> again = load_model(TopicModel, folder)             # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from voiceline.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    from voiceline.topics.model import TopicModel

FORMAT = "voiceline-topic-model"
FORMAT_VERSION = 1


def save_model(model: TopicModel, folder: str | Path) -> Path:
    """Write ``model.safetensors`` and ``model.json`` into ``folder`` (each atomically)."""
    from safetensors.numpy import save_file

    from voiceline.io import atomic_path, write_json

    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    tensors = {
        "centroids": np.ascontiguousarray(model.centroids_, dtype=np.float32),
        "ctfidf": np.ascontiguousarray(model.ctfidf_, dtype=np.float32),
    }
    with atomic_path(root / "model.safetensors") as tmp:
        save_file(tensors, str(tmp), metadata={"format": FORMAT, "version": str(FORMAT_VERSION)})
    info = {k: v for k, v in model.info_.items() if _jsonable(v)}
    write_json(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "config": model.get_config(),
            "versions": _versions(),
            "dim": model.dim_,
            "topics": [
                {
                    "topic_id": int(tid),
                    "label": label,
                    "keywords": kw,
                    "size": int(size),
                    "representative_ids": reps,
                    "is_new": bool(new),
                }
                for tid, label, kw, size, reps, new in zip(
                    model.topic_ids_,
                    model.labels_,
                    model.keywords_,
                    model.sizes_,
                    model.representative_ids_,
                    model.is_new_,
                    strict=True,
                )
            ],
            "vocabulary": model.vocabulary_,
            "next_id": int(model.next_id_),
            "retired": model.retired_,
            "info": info,
        },
        root / "model.json",
    )
    return root


def load_model(cls: type[TopicModel], folder: str | Path) -> TopicModel:
    """Read a folder written by :func:`save_model`; a clear :class:`ModelError` otherwise."""
    from safetensors.numpy import load_file

    root = Path(folder)
    meta_path, weights_path = root / "model.json", root / "model.safetensors"
    for p in (meta_path, weights_path):
        if not p.is_file():
            raise ModelError(
                f"topic model folder {root} lacks {p.name}; pass a folder written by "
                "voiceline topics (it holds model.json and model.safetensors)."
            )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(
            f"{meta_path} is not valid JSON ({exc}); re-run voiceline topics."
        ) from exc
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{meta_path} is not a voiceline topic model of format version {FORMAT_VERSION} "
            f"(found format {meta.get('format')!r}, version {meta.get('format_version')!r}); "
            "re-run voiceline topics to write a current one."
        )
    tensors = load_file(str(weights_path))
    known = set(cls().get_config()) - {"umap_model", "hdbscan_model"}
    cfg = {k: v for k, v in dict(meta["config"]).items() if k in known}
    model = cls(**cfg)
    model.dim_ = int(meta["dim"])
    topics = meta["topics"]
    model.topic_ids_ = [int(t["topic_id"]) for t in topics]
    model.labels_ = [str(t["label"]) for t in topics]
    model.keywords_ = [list(t["keywords"]) for t in topics]
    model.sizes_ = [int(t["size"]) for t in topics]
    model.representative_ids_ = [list(t["representative_ids"]) for t in topics]
    model.is_new_ = [bool(t["is_new"]) for t in topics]
    model.centroids_ = tensors["centroids"].reshape(len(topics), model.dim_)
    model.ctfidf_ = tensors["ctfidf"]
    model.vocabulary_ = list(meta["vocabulary"])
    model.next_id_ = int(meta["next_id"])
    model.retired_ = list(meta.get("retired", []))
    model.info_ = dict(meta.get("info", {}))
    model.versions_ = dict(meta.get("versions", {}))
    model.origin_ = [None] * len(topics)
    return model


def _jsonable(v: Any) -> bool:
    try:
        json.dumps(v)
    except (TypeError, ValueError):
        return False
    return True


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("voiceline", "bertopic", "umap-learn", "hdbscan", "scikit-learn", "numpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out
