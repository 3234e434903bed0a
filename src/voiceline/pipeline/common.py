"""Bookkeeping shared by the run's stages: keys of records, manifests, skip checks, helpers."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import __version__
from voiceline import schemas as S
from voiceline.config import PipelineConfig
from voiceline.io import file_sha256, write_json
from voiceline.manifest import package_versions
from voiceline.pipeline.keys import files_sha256, frame_digest, stage_key

log = logging.getLogger("voiceline")

EXTRA_PACKAGES = ("scikit-learn", "sentence-transformers", "model2vec", "bertopic", "SQLAlchemy")


def default_store_url(cfg: PipelineConfig) -> str:
    """``store.url``, else a SQLite file ``voiceline.db`` in the job's output folder."""
    return cfg.store.url or f"sqlite:///{Path(cfg.output).resolve() / 'voiceline.db'}"


def masked(url: str) -> str:
    """A store URL safe to print and to write into a manifest (password hidden)."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - printing must never fail
        return url.split("@")[-1]


# --- stage bookkeeping ------------------------------------------------------------------------


class Stages:
    """Keys, outputs and counts of a folder's stages; skip logic; the manifest after each stage."""

    def __init__(self, folder: Path, manifest: dict[str, Any], force: bool):
        self.folder = folder
        self.force = force
        self.path = folder / "manifest.json"
        self.previous = read_manifest(self.path)
        self.manifest = manifest
        self.manifest.setdefault("stages", {})
        # a skipped stage's models are still the ones behind its outputs
        self.manifest["models"] = {**self.previous.get("models", {}), **manifest.get("models", {})}
        self.ran: list[str] = []
        self.skipped: list[str] = []

    def done(self, name: str, key: str) -> bool:
        """Whether stage ``name`` already finished with this key and its outputs are intact."""
        if self.force:
            return False
        old = self.previous.get("stages", {}).get(name)
        if not old or old.get("key") != key:
            return False
        for rel, sha in old.get("outputs", {}).items():
            path = self.folder / rel
            if not path.exists() or output_sha(path) != sha:
                return False
        self.manifest["stages"][name] = {**old, "skipped": True}
        self.skipped.append(name)
        return True

    def record(
        self, name: str, key: str, outputs: list[str], counts: dict[str, Any], seconds: float
    ) -> None:
        shas = {
            rel: output_sha(self.folder / rel) for rel in outputs if (self.folder / rel).exists()
        }
        self.manifest["stages"][name] = {
            "key": key,
            "outputs": shas,
            **counts,
            "seconds": round(seconds, 2),
            "skipped": False,
            "run_id": self.manifest.get("run_id"),
        }
        self.ran.append(name)
        self.save()

    def key_of(self, name: str) -> str | None:
        return self.manifest["stages"].get(name, {}).get("key")

    def save(self) -> None:
        from datetime import UTC, datetime

        self.manifest["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        write_json(self.manifest, self.path)


def save_folder(save: Callable[[Path], Any], target: Path) -> None:
    """Write a folder as a whole: into a temporary sibling, then swapped in by renames."""
    import shutil

    tmp = target.with_name(f".{target.name}.tmp")
    old = target.with_name(f".{target.name}.old")
    for leftover in (tmp, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    save(tmp)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    if old.exists():
        shutil.rmtree(old)


def output_sha(path: Path) -> str:
    """sha256 of a file; of a folder, a hash of every file in it (names relative to it)."""
    if path.is_dir():
        return stage_key(
            files={str(Path(p).relative_to(path)): h for p, h in files_sha256([path]).items()}
        )
    return file_sha256(path)


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def base_manifest(cfg: PipelineConfig, run_id: str, **extra: Any) -> dict[str, Any]:
    from datetime import UTC, datetime

    return {
        "run_id": run_id,
        "job": cfg.name,
        "voiceline_version": __version__,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "config_hash": cfg.config_hash(),
        **extra,
        "stages": {},
        "packages": package_versions() | package_versions(EXTRA_PACKAGES),
    }


def timed(fn: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    counts = fn()
    return counts, time.perf_counter() - started


def count_voices(records: pd.DataFrame) -> int:
    """Distinct voices among records: a campaign is one, else an author, else the record itself."""
    if records.empty:
        return 0
    voice = records[S.RECORD_ID].astype(str)
    if S.AUTHOR_HASH in records:
        voice = records[S.AUTHOR_HASH].where(records[S.AUTHOR_HASH].notna(), voice)
    if S.CAMPAIGN_ID in records:
        voice = ("c:" + records[S.CAMPAIGN_ID].astype(str)).where(
            records[S.CAMPAIGN_ID].notna(), voice
        )
    return int(voice.nunique())


def of_version(frame: pd.DataFrame, version: str | None) -> pd.DataFrame:
    if version is None or S.TAXONOMY_VERSION not in frame:
        return frame
    return frame[frame[S.TAXONOMY_VERSION] == version]


def period_records(records: pd.DataFrame, period: str) -> pd.DataFrame:
    return records[records[S.PERIOD] == period].reset_index(drop=True)


def records_key(records: pd.DataFrame, period: str) -> str:
    """The records stage's key: the content of ``period``'s rows (and voiceline's version)."""
    return stage_key(
        stage="records",
        version=__version__,
        period=period,
        content=frame_digest(period_records(records, period)),
    )


def is_period(name: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}-\d{2}", name))


def short_counts(counts: dict[str, Any]) -> str:
    plain = {
        k: v for k, v in counts.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }
    return "(" + ", ".join(f"{k} {v}" for k, v in list(plain.items())[:4]) + ")" if plain else ""
