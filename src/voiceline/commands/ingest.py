"""``voiceline ingest``: build the config from options, call the stage, write tables and manifest."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import click

from voiceline.config import (
    Mapping,
    PipelineConfig,
    SourceConfig,
    load_config,
    load_mapping,
    resolve_paths,
)
from voiceline.errors import ConfigError, InputError

log = logging.getLogger("voiceline")


def build_config(
    *,
    sources: list[Path],
    config_path: Path | None,
    overrides: list[str],
    source_type: str | None,
    mapping_path: Path | None,
    text_columns: list[str],
    fmt: str | None,
    name: str | None,
    gazetteer: Path | None,
    timezone: str | None,
    period: str | None,
    redact: bool,
) -> PipelineConfig:
    """The effective config: the config file (if any), then command-line sources and options."""
    if config_path is not None:
        cfg = load_config(config_path, overrides=overrides)
    else:
        if overrides:
            from voiceline.config import apply_overrides

            data = apply_overrides({}, overrides)
            try:
                cfg = PipelineConfig.model_validate(data)
            except Exception as exc:
                raise ConfigError(f"invalid --set override(s): {exc}") from None
        else:
            cfg = PipelineConfig()
    if sources:
        for src in sources:
            if not src.exists() and not any(ch in str(src) for ch in "*?["):
                raise InputError(f"source file {src} does not exist; check the path.")
        mapping: Mapping | None = load_mapping(mapping_path) if mapping_path else None
        if text_columns:
            mapping = (mapping or Mapping()).model_copy(update={"text_columns": list(text_columns)})
        base = name or sources[0].stem
        cfg.sources = [
            SourceConfig(
                name=base if len(sources) == 1 else f"{base}" if i == 0 else f"{base}-{i + 1}",
                path=str(src.resolve()),
                type=source_type,  # type: ignore[arg-type]
                format=fmt,
                mapping=mapping,
            )
            for i, src in enumerate(sources)
        ]
    elif mapping_path or text_columns or fmt or source_type:
        raise click.UsageError(
            "--mapping, --text-column, --format and --source-type apply to SOURCE files."
        )
    if gazetteer is not None:
        cfg.gazetteer = str(gazetteer)
    if timezone is not None:
        cfg = _revalidate(cfg, timezone=timezone)
    if period is not None:
        cfg = _revalidate(cfg, period=period)
    if not redact:
        cfg.privacy.redact = False
    if config_path is None or gazetteer is not None:
        cfg = resolve_paths(cfg, Path.cwd(), where="command line")
    if not cfg.sources:
        raise ConfigError(f"config {config_path} lists no sources; add a `sources:` list.")
    return cfg


def _revalidate(cfg: PipelineConfig, **update: Any) -> PipelineConfig:
    from pydantic import ValidationError

    data = cfg.model_dump()
    data.update(update)
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as err:
        problems = [f"--{e['loc'][0]}: {e['msg']}" for e in err.errors()]
        raise ConfigError("invalid option(s):", problems) from None


def run_ingest(
    *,
    sources: list[Path],
    output: Path | None,
    config_path: Path | None,
    overrides: list[str],
    source_type: str | None,
    mapping_path: Path | None,
    text_columns: list[str],
    fmt: str | None,
    name: str | None,
    gazetteer: Path | None,
    timezone: str | None,
    period: str | None,
    rejects_path: Path | None,
    redact: bool,
    show_progress: bool,
) -> dict[str, Any]:
    """Everything ``voiceline ingest`` does; returns the manifest."""
    from voiceline.ingest.sources import ingest_sources
    from voiceline.io import write_json, write_table
    from voiceline.manifest import Manifest, describe_inputs
    from voiceline.progress import progress_reporter

    cfg = build_config(
        sources=sources,
        config_path=config_path,
        overrides=overrides,
        source_type=source_type,
        mapping_path=mapping_path,
        text_columns=text_columns,
        fmt=fmt,
        name=name,
        gazetteer=gazetteer,
        timezone=timezone,
        period=period,
        redact=redact,
    )
    if output is None:
        output = Path(cfg.output) / "records.parquet"
    if output.suffix.lower() not in (".parquet", ".csv", ".jsonl"):
        raise InputError(f"output {output}: use a .parquet, .csv or .jsonl file name.")
    rejects_path = rejects_path or output.with_name(f"{output.stem}.rejects.csv")
    manifest_path = output.with_name(f"{output.stem}.manifest.json")
    triage_path = output.with_name(f"{output.stem}.triage.csv")
    if not cfg.privacy.redact:
        log.warning(
            "PII redaction is off: the records table keeps names, phones and addresses as written."
        )

    manifest = Manifest(
        config_hash=cfg.config_hash(), config_path=str(config_path) if config_path else None
    )
    started = time.perf_counter()
    with progress_reporter(enabled=show_progress) as progress:
        result, files = ingest_sources(cfg.sources, config=cfg, progress=progress)
    elapsed = time.perf_counter() - started
    manifest.inputs = describe_inputs(files)
    summary = result.summary()
    manifest.add_stage(
        "ingest",
        {
            "rows_read": summary["rows_read"],
            "records_out": summary["records"],
            "rejected": summary["rejected"],
            "dropped": summary["dropped"],
            "by_source": result.counts,
            "redacted_spans": summary["redacted_spans"],
            "unknown_neighborhoods": summary["unknown_neighborhoods"],
            "triage": summary["triage"],
            "seconds": round(elapsed, 2),
        },
    )
    manifest.models = _model_versions(cfg)
    write_table(result.records, output)
    write_table(result.rejects, rejects_path)
    from voiceline.ingest.triage import triage_table

    write_table(triage_table(result.records), triage_path)
    data = manifest.to_dict()
    write_json(data, manifest_path)
    _print_summary(
        summary, output=output, rejects=rejects_path, manifest=manifest_path, seconds=elapsed
    )
    click.echo(
        f"Wrote {_shown(triage_path)} ({sum(summary['triage'].values())} flags for follow-up)"
    )
    return data


def _model_versions(cfg: PipelineConfig) -> dict[str, Any]:
    """The models ingest used, with their pinned hashes, for the manifest."""
    if not cfg.privacy.redact:
        return {}
    from voiceline.nlp.spacy_model import PACKAGE, VERSION, pinned_hashes

    return {"spacy": {"package": PACKAGE, "version": VERSION, "sha256": pinned_hashes()}}


def _print_summary(
    summary: dict[str, Any], *, output: Path, rejects: Path, manifest: Path, seconds: float
) -> None:
    echo = click.echo
    echo(
        f"Ingested {summary['records']} records from {summary['rows_read']} rows read "
        f"({summary['rejected']} rejected, {summary['dropped']} dropped by rule) in {seconds:.1f} s."
    )
    echo("Records per source:")
    for name, n in summary["by_source"].items():
        echo(f"  {name:<34} {n:>7}")
    echo("Records per neighborhood:")
    for name, n in summary["by_neighborhood"].items():
        echo(f"  {name:<34} {n:>7}")
    if summary["by_period"]:
        echo(
            "Records per period: " + ", ".join(f"{k} {v}" for k, v in summary["by_period"].items())
        )
    spans = summary["redacted_spans"]
    echo(
        "Redacted spans: " + (", ".join(f"{k} {v}" for k, v in spans.items()) if spans else "none")
    )
    echo(
        f"Duplicates marked: {summary['duplicates']}; records in copy-paste campaigns: {summary['campaign_records']}"
    )
    triage = summary["triage"]
    echo(
        "Triage flags: " + (", ".join(f"{k} {v}" for k, v in triage.items()) if triage else "none")
    )
    if summary["unknown_neighborhoods"]:
        unknown = ", ".join(
            f"{k!r} ({v})" for k, v in list(summary["unknown_neighborhoods"].items())[:8]
        )
        echo(f"Neighborhood values the gazetteer does not know: {unknown}")
    echo(f"Wrote {_shown(output)}")
    echo(f"Wrote {_shown(rejects)} ({summary['rejected']} rejected rows, with reasons)")
    echo(f"Wrote {_shown(manifest)}")


def _shown(path: Path) -> str:
    """A path as a user wants to read it: relative to the working folder when inside it."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd()))
    except ValueError:
        return str(resolved)
