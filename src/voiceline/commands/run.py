"""``voiceline run``, ``findings`` and ``report``: thin layers over the library."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import click

from voiceline.errors import InputError

log = logging.getLogger("voiceline")


def run_job(
    *, config_path: Path, overrides: list[str], period: str | None, force: bool, show_progress: bool
) -> Any:
    """Everything ``voiceline run`` does; returns the :class:`~voiceline.pipeline.run.RunResult`."""
    from voiceline.commands.ingest import _shown
    from voiceline.config import load_config
    from voiceline.pipeline.run import run_pipeline
    from voiceline.progress import progress_reporter

    if period is not None:
        overrides = [*overrides, f"period={period}"]  # validated with the rest of the config
    cfg = load_config(config_path, overrides=overrides)
    started = time.perf_counter()
    with progress_reporter(enabled=show_progress) as progress:
        result = run_pipeline(
            cfg, config_path=config_path, period=cfg.period, force=force, progress=progress
        )
    seconds = time.perf_counter() - started
    echo = click.echo
    ing = result.ingest
    echo(
        f"Job {cfg.name!r}, run {result.run_id}: "
        + ("inputs unchanged, ingest reused; " if result.ingest_skipped else "")
        + f"{ing.get('records_out', 0)} records from {ing.get('rows_read', 0)} rows "
        f"({ing.get('rejected', 0)} rejected, {ing.get('dropped', 0)} dropped by rule), "
        f"{len(result.periods)} period(s) in {seconds:.1f} s."
    )
    for p in result.periods:
        stages = p.counts
        findings = stages.get("findings", {})
        topics = stages.get("topics", {})
        ran = ", ".join(p.ran) or "nothing (all unchanged)"
        echo(
            f"  {p.period}: {stages.get('records', {}).get('records_out', '?')} records, "
            f"{findings.get('spikes', 0)} spike(s), "
            + (f"{topics.get('new_topics', 0)} new topic(s) to review, " if topics else "")
            + f"{stages.get('records', {}).get('triage_rows', 0)} triage item(s); ran {ran}"
        )
    for warning in result.warnings:
        echo(f"Warning: {warning}")
    unknown = ing.get("unknown_neighborhoods") or {}
    if unknown:
        shown = ", ".join(f"{k!r} ({v})" for k, v in list(unknown.items())[:8])
        echo(
            f"Neighborhood values the gazetteer does not know (counted as 'unknown'): {shown}. "
            "Add them as aliases in the gazetteer (docs/gazetteer.md) to place them."
        )
    if ing.get("records_without_period"):
        echo(
            f"{ing['records_without_period']} record(s) have no date and are in no period's "
            "findings (they stay in ingest/records.parquet); map a date column to place them."
        )
    last = result.periods[-1].folder if result.periods else result.output
    for name, what in (
        ("report.html", "Report"),
        ("findings.xlsx", "Workbook"),
        ("findings.csv", "Findings"),
        ("triage.csv", "Triage list"),
    ):
        if (last / name).exists():
            echo(f"{what + ':':<13}{_shown(last / name)}")
    echo(f"{'Rejects:':<13}{_shown(result.output / 'ingest' / 'rejects.csv')}")
    if result.store_url:
        echo(f"{'Store:':<13}{result.store_url} (table trends)")
    echo(f"{'Manifests:':<13}{_shown(result.output)}/<period>/manifest.json")
    return result


def run_findings(
    *,
    records_path: Path,
    concerns_path: Path,
    sentiment_path: Path | None,
    output: Path,
    store_url: str | None,
    k: int,
    alpha: float,
    job: str = "default",
) -> Any:
    """Everything ``voiceline findings`` does: the table, its CSV/XLSX, and the store upsert."""
    import pandas as pd

    from voiceline import findings as F
    from voiceline import schemas as S
    from voiceline.findings import build_findings
    from voiceline.io import read_table, write_table
    from voiceline.manifest import describe_inputs, new_run_id

    records = read_table(records_path, what="records table")
    concerns = read_table(concerns_path, what="concerns table")
    sentiment = read_table(sentiment_path, what="sentiment table") if sentiment_path else None
    store = None
    history = None
    if store_url:
        from voiceline.store import open_store

        store = open_store(store_url)
    try:
        periods = sorted(p for p in records[S.PERIOD].dropna().unique()) if len(records) else []
        if store is not None and periods:
            version = (
                str(concerns[S.TAXONOMY_VERSION].dropna().iloc[0])
                if len(concerns) and S.TAXONOMY_VERSION in concerns
                else None
            )
            history = store.read(job=job, taxonomy_version=version, before=periods[0])
            history = history if len(history) else None
        run_id = new_run_id()
        table = build_findings(
            records, concerns, sentiment, k=k, alpha=alpha, history=history, run_id=run_id
        )
        output.mkdir(parents=True, exist_ok=True)
        write_table(table, output / "findings.parquet")
        write_table(table, output / "findings.csv")
        from voiceline.io import write_json
        from voiceline.report import workbook_tables, write_workbook

        manifest = {
            "run_id": run_id,
            "job": job,
            "k": k,
            "alpha": alpha,
            "inputs": describe_inputs(
                [p for p in (records_path, concerns_path, sentiment_path) if p]
            ),
            "stages": {
                "findings": {
                    "records_in": len(records),
                    "rows_out": len(table),
                    "k": k,
                    "alpha": alpha,
                }
            },
        }
        write_json(manifest, output / "manifest.json")
        write_workbook(workbook_tables(table, manifest=manifest, k=k), output / "findings.xlsx")
        if S.FLAGS in records:
            from voiceline.ingest.triage import triage_table

            write_table(triage_table(records), output / "triage.csv")
        n_spikes = int(table[F.SPIKE].fillna(False).astype(bool).sum()) if len(table) else 0
        click.echo(
            f"Built {len(table)} findings rows for {len(periods)} period(s) from {len(records)} "
            f"records: {n_spikes} spike(s), {int(table[F.SUPPRESSED].sum()) if len(table) else 0} "
            f"cells suppressed (k={k})."
        )
        if store is not None:
            for p in periods:
                rows = table[table[S.PERIOD] == p]
                if len(rows):
                    store.write_period(rows, period=p, job=job)
            click.echo(f"Store: wrote {len(periods)} period(s) to {_masked(store_url)}")
        if len(table) and (table[S.PERIOD] == F.UNKNOWN).any():
            click.echo(
                "Note: records without a date are counted in period 'unknown' (not in the store)."
            )
        click.echo(f"Wrote findings.parquet, findings.csv, findings.xlsx in {output}")
        return pd.DataFrame(table)
    finally:
        if store is not None:
            store.close()


def run_report(*, run_dir: Path, output: Path | None) -> Path:
    from voiceline.report import write_report

    if not (run_dir / "findings.parquet").exists():
        raise InputError(
            f"{run_dir} holds no findings.parquet; pass a run folder such as out/<job>/<YYYY-MM>/ "
            "(written by `voiceline run`) or a folder written by `voiceline findings`."
        )
    path = write_report(run_dir, output)
    click.echo(f"Wrote {path}")
    return path


def _masked(url: str | None) -> str:
    from voiceline.pipeline.run import masked

    return masked(url) if url else ""
