"""Files in: read every configured source with the readers and hand the rows to the stage.

This is the I/O edge of ingest; :func:`voiceline.ingest.stage.ingest_frame` never touches files.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd

from voiceline import schemas as S
from voiceline.config import PipelineConfig, SourceConfig
from voiceline.errors import InputError
from voiceline.ingest.stage import IngestResult, RedactorLike, ingest_frame
from voiceline.progress import ProgressFn, no_progress


def ingest_sources(
    sources: list[SourceConfig],
    *,
    config: PipelineConfig | None = None,
    redactor: RedactorLike | None = None,
    progress: ProgressFn = no_progress,
) -> tuple[IngestResult, list[str]]:
    """Read every source (globs expanded, files in sorted order) and ingest them together.

    Returns the result and the list of files read (for the manifest's input hashes).
    """
    from voiceline.ingest.readers import read_source

    config = config or PipelineConfig(sources=sources)
    gazetteer = None
    if config.gazetteer:
        from voiceline.ingest.gazetteer import Gazetteer

        gazetteer = Gazetteer.load(config.gazetteer)
    plan = []
    for src in sources:
        matches = sorted(glob.glob(src.path)) if any(ch in src.path for ch in "*?[") else [src.path]
        if not matches:
            raise InputError(f"source {src.name}: {src.path} matches no file; check the path.")
        plan.extend((src, m) for m in matches)
    frames = []
    files: list[str] = []
    for i, (src, path) in enumerate(plan, 1):
        frames.append(read_source(path, source=src))
        files.append(str(Path(path)))
        progress("reading sources", i, len(plan))
    raw = pd.concat(frames, ignore_index=True) if frames else S.empty_raw_frame()
    result = ingest_frame(
        raw, config=config, gazetteer=gazetteer, redactor=redactor, progress=progress
    )
    return result, files
