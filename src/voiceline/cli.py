"""The ``voiceline`` command line: a thin layer that parses options, calls one library function
and writes its outputs.

Exit codes: 0 success; 1 a clear error about the input or config (``Error: ...``, no traceback
unless ``--verbose``); 2 usage errors (Click's). Heavy libraries load inside commands, so
``voiceline --help`` stays fast.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from voiceline import __version__
from voiceline.errors import ConfigError, VoicelineError

log = logging.getLogger("voiceline")


def _setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    root = logging.getLogger("voiceline")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn voiceline errors into ``Error: ...`` and exit 1; tracebacks only with ``--verbose``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        verbose = bool(ctx.find_root().params.get("verbose"))
        try:
            return fn(*args, **kwargs)
        except VoicelineError as exc:
            if verbose:
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Error: interrupted; nothing half-written was left behind.", err=True)
            ctx.exit(130)
        except OSError as exc:  # disk full, permissions, a folder that vanished: not a bug
            if verbose:
                raise
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            click.echo(
                f"Error: {exc.strerror or exc}{where}. Check free disk space and permissions, "
                "then run again.",
                err=True,
            )
            ctx.exit(1)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if verbose:
                raise
            click.echo(
                f"Error: unexpected {type(exc).__name__}: {exc}\n"
                "This is a bug in voiceline; run again with --verbose and report the traceback.",
                err=True,
            )
            ctx.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="voiceline")
@click.option("-v", "--verbose", is_flag=True, help="Debug logs and full tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
def main(verbose: bool, quiet: bool) -> None:
    """voiceline: turn what residents say into findings a community-liaison unit can act on.

    Every stage is a command; `voiceline run` chains them from a pipeline config.
    Everything runs offline: no text leaves the machine.
    """
    _setup_logging(verbose, quiet)


# --- ingest --------------------------------------------------------------------------------


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Records table to write (.parquet, .csv or .jsonl). Default with --config: OUTPUT/records.parquet.",
)
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Pipeline config (pipelines/*.yaml): its sources, gazetteer, privacy and ingest options.",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override one config key, e.g. --set ingest.require_date=true (repeatable).",
)
@click.option(
    "--source-type",
    type=click.Choice(["survey", "meeting", "social", "report"]),
    help="Type of the SOURCE files (default: inferred from the format and columns).",
)
@click.option(
    "--mapping",
    type=click.Path(path_type=Path),
    help="Mapping YAML naming the columns of the SOURCE files (docs/mapping.md).",
)
@click.option(
    "--text-column", multiple=True, help="Text column(s) of the SOURCE files (repeatable)."
)
@click.option(
    "--format", "fmt", help="Force a reader: csv, tsv, xlsx, json, jsonl, txt, md, docx, vtt, srt."
)
@click.option("--name", help="Source name for the SOURCE files (default: the first file's stem).")
@click.option(
    "--gazetteer",
    type=click.Path(path_type=Path),
    help="Gazetteer YAML of the city's neighborhoods.",
)
@click.option("--timezone", help="Time zone of naive dates (IANA name, e.g. America/New_York).")
@click.option("--period", help="Keep only records of this month (YYYY-MM).")
@click.option(
    "--rejects",
    type=click.Path(path_type=Path),
    help="Rejects CSV (default: beside the output, <name>.rejects.csv).",
)
@click.option(
    "--no-redact", is_flag=True, help="Do not redact PII (only for public, non-personal text)."
)
@click.option("--progress/--no-progress", default=True, help="Show progress (a bar on a terminal).")
@handle_errors
def ingest(
    sources: tuple[Path, ...],
    output: Path | None,
    config_path: Path | None,
    overrides: tuple[str, ...],
    source_type: str | None,
    mapping: Path | None,
    text_column: tuple[str, ...],
    fmt: str | None,
    name: str | None,
    gazetteer: Path | None,
    timezone: str | None,
    period: str | None,
    rejects: Path | None,
    no_redact: bool,
    progress: bool,
) -> None:
    """Read feedback exports into one clean, private records table.

    SOURCE files may be CSV, TSV, XLSX, JSON, JSONL, TXT, MD, DOCX, VTT or SRT. A table with an
    obvious text column (text, comment, comment-body, response, description, body, ...) needs no
    mapping. Writes the records table, a rejects CSV with the reason for each unusable row, and a
    manifest whose counts reconcile (rows read = records + rejected + dropped, per source).

    \b
    Examples:
      voiceline ingest comments.csv -o records.parquet
      voiceline ingest survey.xlsx --mapping survey-mapping.yaml -o records.parquet
      voiceline ingest --config pipelines/sample-city.yaml
    """
    from voiceline.commands.ingest import run_ingest

    if not sources and config_path is None:
        raise click.UsageError(
            "give SOURCE files, or --config with a pipeline config that lists sources."
        )
    if output is None and config_path is None:
        raise click.UsageError("give -o/--output (the records table to write).")
    run_ingest(
        sources=list(sources),
        output=output,
        config_path=config_path,
        overrides=list(overrides),
        source_type=source_type,
        mapping_path=mapping,
        text_columns=list(text_column),
        fmt=fmt,
        name=name,
        gazetteer=gazetteer,
        timezone=timezone,
        period=period,
        rejects_path=rejects,
        redact=not no_redact,
        show_progress=progress,
    )


# --- concerns --------------------------------------------------------------------------------

_PROFILE = click.option(
    "--profile",
    type=click.Choice(["accurate", "fast"]),
    default="accurate",
    show_default=True,
    help="Encoder: accurate (MiniLM) or fast (a static model distilled from it, ~100x faster).",
)


@main.command()
@click.argument("records", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Concerns table to write (.parquet/.csv).",
)
@click.option(
    "--taxonomy",
    type=click.Path(path_type=Path),
    help="Taxonomy YAML (default: the bundled community-safety v1).",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(path_type=Path),
    help="A trained model folder (voiceline train concerns).",
)
@_PROFILE
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help="Probability a concern needs (default: the model's).",
)
@click.option(
    "--segments",
    "segments_out",
    type=click.Path(path_type=Path),
    help="Also write the segments table here.",
)
@handle_errors
def classify(
    records: Path,
    output: Path,
    taxonomy: Path | None,
    model_dir: Path | None,
    profile: str,
    threshold: float | None,
    segments_out: Path | None,
) -> None:
    """Classify the concerns each record raises (multi-label, with the sentence as evidence).

    Zero-shot from the taxonomy alone by default; with --model, a model trained on your labels.
    """
    from voiceline.commands.concerns import run_classify

    run_classify(
        records_path=records,
        output=output,
        taxonomy=taxonomy,
        model_dir=model_dir,
        profile=profile,
        threshold=threshold,
        segments_out=segments_out,
    )


@main.command()
@click.argument("records", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Sentiment table to write.",
)
@click.option(
    "--concerns",
    "concerns_path",
    type=click.Path(path_type=Path),
    help="Concerns table: also score per record x concern.",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(path_type=Path),
    help="A sentiment model folder (default: the bundled one).",
)
@_PROFILE
@handle_errors
def sentiment(
    records: Path,
    output: Path,
    concerns_path: Path | None,
    model_dir: Path | None,
    profile: str,
) -> None:
    """Score sentiment per record and, with --concerns, per record x concern.

    The fast profile uses a model built on the fast encoder (about 2,000 records/s cold).
    """
    from voiceline.commands.sentiment import run_sentiment

    run_sentiment(
        records_path=records,
        output=output,
        concerns_path=concerns_path,
        model_dir=model_dir,
        profile=profile,
    )


_TEXT_COLUMN = click.option(
    "--text-column", default="text", show_default=True, help="Column holding the text."
)


@main.command()
@click.argument("what", type=click.Choice(["concerns", "sentiment"]))
@click.option(
    "--labels",
    "labels_path",
    type=click.Path(path_type=Path),
    required=True,
    help="Labeled examples (CSV, XLSX, Parquet, JSONL).",
)
@_TEXT_COLUMN
@click.option(
    "--label-column", default="label", show_default=True, help="Column holding the label(s)."
)
@click.option(
    "--separator",
    default=";",
    show_default=True,
    help="Separator of several labels in one cell (concerns).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Model folder to write."
)
@_PROFILE
@handle_errors
def train(
    what: str,
    labels_path: Path,
    text_column: str,
    label_column: str,
    separator: str,
    output: Path,
    profile: str,
) -> None:
    """Train a concern or sentiment model from labeled examples (stored without pickles)."""
    if what == "concerns":
        from voiceline.commands.concerns import run_train_concerns

        run_train_concerns(
            labels_path=labels_path,
            text_column=text_column,
            label_column=label_column,
            output=output,
            profile=profile,
            separator=separator,
        )
    else:
        from voiceline.commands.sentiment import run_train_sentiment

        run_train_sentiment(
            labels_path=labels_path,
            text_column=text_column,
            label_column=label_column,
            output=output,
            profile=profile,
        )


@main.command()
@click.argument("what", type=click.Choice(["concerns", "sentiment"]))
@click.option(
    "--gold",
    "gold_path",
    type=click.Path(path_type=Path),
    required=True,
    help="Gold labels (CSV, XLSX, Parquet, JSONL).",
)
@_TEXT_COLUMN
@click.option(
    "--label-column", default="label", show_default=True, help="Column holding the gold label(s)."
)
@click.option(
    "--group-column",
    multiple=True,
    help="Break results down by this column, e.g. source_type (repeatable).",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(path_type=Path),
    help="Model folder (default: zero-shot / the bundled model).",
)
@click.option(
    "--taxonomy", type=click.Path(path_type=Path), help="Taxonomy YAML for zero-shot concerns."
)
@_PROFILE
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help="Concern probability threshold (default: the model's).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write the report as JSON here."
)
@handle_errors
def evaluate(
    what: str,
    gold_path: Path,
    text_column: str,
    label_column: str,
    group_column: tuple[str, ...],
    model_dir: Path | None,
    taxonomy: Path | None,
    profile: str,
    threshold: float | None,
    output: Path | None,
) -> None:
    """Evaluate a concern or sentiment model against gold labels.

    Concerns: precision, recall and F1 per concern, micro and macro, per group. Sentiment:
    macro-recall (TweetEval's metric), macro-F1 and the confusion matrix, per group.
    """
    if what == "concerns":
        from voiceline.commands.concerns import run_evaluate_concerns

        run_evaluate_concerns(
            gold_path=gold_path,
            text_column=text_column,
            label_column=label_column,
            group_columns=list(group_column),
            taxonomy=taxonomy,
            model_dir=model_dir,
            profile=profile,
            threshold=threshold,
            output=output,
        )
    else:
        from voiceline.commands.sentiment import run_evaluate_sentiment

        run_evaluate_sentiment(
            gold_path=gold_path,
            text_column=text_column,
            label_column=label_column,
            group_columns=list(group_column),
            model_dir=model_dir,
            output=output,
        )


@main.command()
@click.argument("records", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Per-record topics table; topic_info.parquet, topic_model/ and topic_review.csv go beside it.")
@click.option("--concerns", "concerns_path", type=click.Path(path_type=Path),
              help="Concerns table: model only records the taxonomy leaves uncovered or weakly covered.")
@click.option("--previous", type=click.Path(path_type=Path),
              help="Last period's topic_model/ folder: matching topics keep their ids and labels.")
@click.option("--nr-topics", type=click.IntRange(2, None), help="Merge down to at most this many topics.")
@click.option("--min-topic-size", type=click.IntRange(2, None), default=10, show_default=True,
              help="Smallest cluster that counts as a topic.")
@_PROFILE
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of UMAP (same seed, same topics).")
@handle_errors
def topics(records: Path, output: Path, concerns_path: Path | None, previous: Path | None,
           nr_topics: int | None, min_topic_size: int, profile: str, seed: int) -> None:
    """Find emerging topics the taxonomy does not cover, for review (BERTopic, seeded)."""
    from voiceline.commands.topics import run_topics

    run_topics(records_path=records, output=output, concerns_path=concerns_path, previous=previous,
               nr_topics=nr_topics, min_topic_size=min_topic_size, profile=profile, seed=seed)


@main.group()
def models() -> None:
    """Build and check the bundled models (all offline)."""


@models.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when the fast model exists.")
@handle_errors
def models_build(force: bool) -> None:
    """Distill the fast profile's static model from the bundled MiniLM (once, ~15 s)."""
    from voiceline.nlp.fast_model import build_fast_model

    path = build_fast_model(force=force)
    click.echo(f"Fast model ready at {path}")


@models.command("verify")
@handle_errors
def models_verify() -> None:
    """Check the hashes of the bundled models against their pins."""
    from voiceline.nlp.spacy_model import verify_spacy_model

    click.echo(f"spaCy model OK: {verify_spacy_model()}")
    from voiceline.nlp.embeddings import load_encoder

    enc = load_encoder("accurate", use_cache=False)
    click.echo(f"Sentence encoder OK: {enc.model_id}")


@main.command()
@click.option("--records", "records_path", type=click.Path(path_type=Path), required=True,
              help="Records table (voiceline ingest).")
@click.option("--concerns", "concerns_path", type=click.Path(path_type=Path), required=True,
              help="Concerns table (voiceline classify).")
@click.option("--sentiment", "sentiment_path", type=click.Path(path_type=Path),
              help="Sentiment table (voiceline sentiment); without it the sentiment columns are empty.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Folder for findings.parquet, findings.csv, findings.xlsx and triage.csv.")
@click.option("--store", "store_url",
              help="Trend store URL (sqlite:///voiceline.db, postgresql+psycopg://...): read history, upsert each period.")
@click.option("--k", type=click.IntRange(1, None), default=5, show_default=True,
              help="Cells with fewer records are suppressed (counts, sentiment, quotes).")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.05,
              show_default=True, help="False-discovery level of the spike test.")
@click.option("--job", default="default", show_default=True,
              help="Job name the store keeps these rows under (jobs sharing a store stay apart).")
@handle_errors
def findings(records_path: Path, concerns_path: Path, sentiment_path: Path | None, output: Path,
             store_url: str | None, k: int, alpha: float, job: str) -> None:
    """Count concerns per neighborhood and month, with spikes, sentiment and safe quotes."""
    from voiceline.commands.run import run_findings

    run_findings(records_path=records_path, concerns_path=concerns_path,
                 sentiment_path=sentiment_path, output=output, store_url=store_url, k=k,
                 alpha=alpha, job=job)


@main.command()
@click.argument("run_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Where to write the HTML file (default: RUN_DIR/report.html).")
@handle_errors
def report(run_dir: Path, output: Path | None) -> None:
    """Write the self-contained HTML report of a run folder (opens offline)."""
    from voiceline.commands.run import run_report

    run_report(run_dir=run_dir, output=output)


@main.command()
@click.argument("config_path", metavar="CONFIG", type=click.Path(path_type=Path))
@click.option("--period", help="Run only this month (YYYY-MM); default: every month in the inputs.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override one config key, e.g. --set findings.k=10 (repeatable).")
@click.option("--force", is_flag=True, help="Re-run every stage even when its inputs are unchanged.")
@click.option("--progress/--no-progress", default=True, help="Show progress (a bar on a terminal).")
@handle_errors
def run(config_path: Path, period: str | None, overrides: tuple[str, ...], force: bool,
        progress: bool) -> None:
    """Run a whole job: ingest, concerns, sentiment, topics, findings, store, report.

    Exit codes: 0 done; 1 a problem with the inputs or config (fix and re-run); 2 usage;
    3 another run of the job is in progress; 4 the trend store's server is unreachable
    (retry later).
    """
    import signal

    from voiceline.commands.run import run_job

    def _terminate(signum: int, frame: Any) -> None:  # a scheduler's SIGTERM: clean up, exit 130
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    if not config_path.exists():
        raise ConfigError(f"config {config_path} does not exist; pass a pipelines/<job>.yaml file.")
    run_job(config_path=config_path, overrides=list(overrides), period=period, force=force,
            show_progress=progress)


if __name__ == "__main__":  # pragma: no cover
    main()
