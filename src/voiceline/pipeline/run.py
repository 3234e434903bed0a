"""``voiceline run``: the whole chain for a job, one folder per period, skipping what is unchanged.

Layout of a job's output folder (``output:`` in the config)::

    OUT/ingest/            records.parquet (every period), rejects.csv, triage.csv, manifest.json
    OUT/<YYYY-MM>/         records.parquet, segments.parquet, concerns.parquet, sentiment.parquet,
                           topics.parquet, topic_info.parquet, topic_review.csv, topic_model/,
                           findings.parquet, findings.csv, findings.xlsx, triage.csv,
                           report.html, manifest.json
    OUT/voiceline.db       the trend store (unless ``store.url`` names another)
    OUT/.voiceline.lock    held while a run works (a second run exits with code 3)

Rejected rows cannot always be dated, so they stay in ``OUT/ingest/rejects.csv`` (one file per
job run, listed in every period's manifest) rather than being split by period.

How a re-run decides what to do: every stage has a key (:mod:`voiceline.pipeline.keys`) made of
its upstream keys, its config section, the hashes of the model files it loads and voiceline's
version. A period's ``manifest.json`` records each finished stage's key and the sha256 of its
outputs; the stage is skipped when both still match. The manifest is rewritten after every
stage, so a run killed mid-way resumes at the stage it had not finished, and because each file
is written atomically and the store is written in one transaction, nothing half-done is ever
taken for finished. Periods run oldest first, so each period's spike test sees the store's
history of the periods before it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import schemas as S
from voiceline.config import PipelineConfig
from voiceline.errors import InputError
from voiceline.manifest import new_run_id
from voiceline.pipeline.common import (
    default_store_url,
    is_period,
    masked,
    read_manifest,
    records_key,
)
from voiceline.pipeline.ingest_stage import IngestStage
from voiceline.pipeline.lock import JobLock
from voiceline.pipeline.period import PeriodResult, PeriodRun
from voiceline.progress import ProgressFn, no_progress

log = logging.getLogger("voiceline")

__all__ = ["PeriodResult", "RunResult", "default_store_url", "masked", "run_pipeline"]


@dataclass
class RunResult:
    """What ``run_pipeline`` did, for the CLI's summary and for tests."""

    run_id: str
    output: Path
    store_url: str | None
    periods: list[PeriodResult] = field(default_factory=list)
    ingest: dict[str, Any] = field(default_factory=dict)
    ingest_skipped: bool = False
    warnings: list[str] = field(default_factory=list)


def run_pipeline(
    cfg: PipelineConfig,
    *,
    config_path: str | Path | None = None,
    period: str | None = None,
    force: bool = False,
    progress: ProgressFn = no_progress,
) -> RunResult:
    """Run every stage of a job for every period in its inputs (or only ``period``).

    ``cfg`` must have its paths resolved (:func:`voiceline.config.load_config` does that).
    ``force`` re-runs every stage even when its key is unchanged. Raises
    :class:`~voiceline.errors.RunLockedError` when another run of the job holds the lock,
    :class:`~voiceline.errors.StoreError` when the store cannot be used (before any work), and
    :class:`~voiceline.errors.InputError` when ``period`` has no records.
    """
    out = Path(cfg.output)
    out.mkdir(parents=True, exist_ok=True)
    with JobLock(out, job=cfg.name):
        run_id = new_run_id()
        store = None
        url = default_store_url(cfg) if cfg.store.enabled else None
        if url is not None:
            from voiceline.store import open_store

            store = open_store(url)  # an unreachable or foreign store fails before any work
        try:
            result = RunResult(run_id=run_id, output=out, store_url=masked(url) if url else None)
            records, ingest = IngestStage(cfg, out / "ingest", run_id, force, progress).run()
            result.ingest = ingest.counts
            result.ingest_skipped = ingest.skipped
            periods = sorted(p for p in records[S.PERIOD].dropna().unique() if p)
            if period is not None:
                if period not in periods:
                    raise InputError(
                        f"period {period} has no records in the inputs of job {cfg.name!r} "
                        f"(they hold {', '.join(periods) or 'no dated records'}); nothing was "
                        "written. Check --period or the sources' dates."
                    )
                periods = [period]
            elif not periods:
                raise InputError(
                    f"job {cfg.name!r}: no record has a date, so no period can be built; map a "
                    "date column (mapping `date_column`) in the sources. Nothing was written."
                )
            result.warnings = stale_periods(cfg, out, records, periods, store, only=period)
            for w in result.warnings:
                log.warning(w)
            for p in periods:
                runner = PeriodRun(cfg, out, p, run_id, records, ingest, store, force, progress)
                result.periods.append(runner.run())
            return result
        finally:
            if store is not None:
                store.close()


def stale_periods(
    cfg: PipelineConfig,
    out: Path,
    records: pd.DataFrame,
    periods: list[str],
    store: Any,
    *,
    only: str | None,
) -> list[str]:
    """What this run will NOT update but should be looked at: said, never silently ignored.

    - months in the store or in OUT/ that the inputs no longer hold (a date fixed, a file
      removed): their rows stay, and later months' spike baselines still read them;
    - with ``--period``, other months whose records changed since their last run (a late
      answer): their findings and store rows are stale until a run without ``--period``.
    """
    present = set(records[S.PERIOD].dropna())
    warnings = []
    on_disk = {p.name for p in out.iterdir() if p.is_dir() and is_period(p.name)}
    in_store = set(store.periods(job=cfg.name)) if store is not None else set()
    gone = sorted((on_disk | in_store) - present)
    if gone:
        warnings.append(
            f"month(s) {', '.join(gone)} are in the store or {out} but no longer in the inputs; "
            "their findings were kept. Delete them (folder and store rows) if they are wrong."
        )
    if only is not None:
        changed = [
            p
            for p in sorted(present & on_disk - {only})
            if read_manifest(out / p / "manifest.json")
            .get("stages", {})
            .get("records", {})
            .get("key")
            not in (None, records_key(records, p))
        ]
        if changed:
            warnings.append(
                f"the records of {', '.join(changed)} changed since their last run; run without "
                "--period to update their findings and the store."
            )
    return warnings
