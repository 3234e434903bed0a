"""One month of a run: records, concerns, sentiment, topics, findings, store, report."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import __version__
from voiceline import schemas as S
from voiceline.config import PipelineConfig
from voiceline.io import read_table, write_table
from voiceline.pipeline.common import (
    Stages,
    base_manifest,
    count_voices,
    default_store_url,
    is_period,
    masked,
    of_version,
    period_records,
    records_key,
    save_folder,
    short_counts,
    timed,
)
from voiceline.pipeline.ingest_stage import IngestStage
from voiceline.pipeline.keys import files_sha256, frame_digest, stage_key
from voiceline.progress import ProgressFn

log = logging.getLogger("voiceline")


@dataclass
class PeriodResult:
    """What one period's run did: stages run and skipped, the folder and its files."""

    period: str
    folder: Path
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, Any]] = field(default_factory=dict)


# --- one period -------------------------------------------------------------------------------


class PeriodRun:
    """The stages of one period, in order; each either skipped (key unchanged) or run."""

    def __init__(
        self,
        cfg: PipelineConfig,
        out: Path,
        period: str,
        run_id: str,
        all_records: pd.DataFrame,
        ingest: IngestStage,
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
        self.stages = Stages(
            self.folder,
            base_manifest(
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
            counts, seconds = timed(lambda fn=fn, outputs=outputs: fn(outputs))
            self.stages.record(name, key, outputs, counts, seconds)
            log.info(
                "period %s: %s done in %.1f s %s", self.period, name, seconds, short_counts(counts)
            )
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
                and is_period(p.name)
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
        save_folder(run.model.save, self.folder / "topic_model")
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
            of_version(read_table(p / "findings.parquet", what="findings table"), version)
            for p in sorted(self.folder.parent.iterdir())
            if p.is_dir()
            and is_period(p.name)
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
            "voices": count_voices(records[~excluded]),
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
            for p in sorted(x.name for x in self.folder.parent.iterdir() if is_period(x.name))
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
