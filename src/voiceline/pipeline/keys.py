"""Stage keys: a stage is skipped when its key (inputs + config + versions) is unchanged.

A key is the sha256 of a JSON document naming everything that can change a stage's output: the
keys of the stages it reads, its config section, the hashes of the model files it loads, and
voiceline's version. Keys chain, so changing a source file re-runs everything downstream of
ingest, while changing ``findings.k`` re-runs only findings, the store write and the report.
"""

from __future__ import annotations

import glob
import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline.io import file_sha256


def stage_key(**parts: Any) -> str:
    """sha256 of the parts as canonical JSON (sorted keys; paths and sets made plain)."""
    payload = json.dumps(parts, sort_keys=True, default=_plain, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot hash a {type(value).__name__} into a stage key")


def files_sha256(paths: list[str | Path]) -> dict[str, str]:
    """``{path: sha256}`` for each file (folders: every file inside, recursively)."""
    out: dict[str, str] = {}
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    out[str(child)] = file_sha256(child)
        elif path.is_file():
            out[str(path)] = file_sha256(path)
    return dict(sorted(out.items()))


def source_files(cfg: Any) -> list[str]:
    """Every input file a config reads: sources (globs expanded), gazetteer, its boundaries."""
    files: list[str] = []
    for src in cfg.sources:
        if any(ch in src.path for ch in "*?["):
            files.extend(sorted(glob.glob(src.path)))
        else:
            files.append(src.path)
    if cfg.gazetteer:
        gaz = Path(cfg.gazetteer)
        files.append(str(gaz))
        boundaries = _boundaries_file(gaz)
        if boundaries is not None:
            files.append(str(boundaries))
    return files


def _boundaries_file(gazetteer: Path) -> Path | None:
    """The GeoJSON a gazetteer's ``boundaries:`` key names (relative to the gazetteer)."""
    import yaml

    try:
        data = yaml.safe_load(gazetteer.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None  # ingest reports the problem with the gazetteer itself
    if isinstance(data, dict) and data.get("boundaries"):
        return gazetteer.parent / str(data["boundaries"])
    return None


def frame_digest(frame: pd.DataFrame | None) -> str:
    """A content hash of a table (column names, dtypes and values; row order matters)."""
    if frame is None or frame.empty:
        return "empty"
    h = hashlib.sha256()
    h.update(json.dumps([str(c) for c in frame.columns]).encode())
    values = pd.util.hash_pandas_object(frame.astype("string").fillna("<NA>"), index=False)
    h.update(values.to_numpy().tobytes())
    return h.hexdigest()
