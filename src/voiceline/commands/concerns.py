"""``voiceline classify``, ``train concerns`` and ``evaluate concerns``: thin layers over the library."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import click
import pandas as pd

from voiceline import schemas as S
from voiceline.errors import InputError

log = logging.getLogger("voiceline")


def encoder_for(profile: str, *, model_encoder_id: str | None = None) -> Any:
    """The cached encoder of a profile; a trained model's own encoder wins over ``profile``."""
    from voiceline.nlp.embeddings import load_encoder

    if model_encoder_id:
        profile = "fast" if model_encoder_id.startswith("m2v") else "accurate"
    return load_encoder(profile)  # type: ignore[arg-type]


def load_concern_model(
    model_dir: Path | None, taxonomy: Path | None, profile: str
) -> tuple[Any, Any]:
    """(model, encoder): a trained model from ``model_dir``, else zero-shot from the taxonomy."""
    if model_dir is not None:
        from voiceline.concerns.trained import TrainedConcernModel

        encoder_id = _model_encoder_id(model_dir)
        encoder = encoder_for(profile, model_encoder_id=encoder_id)
        return TrainedConcernModel.load(model_dir, encoder=encoder), encoder
    from voiceline.concerns.taxonomy import Taxonomy
    from voiceline.concerns.zero_shot import ZeroShotClassifier

    encoder = encoder_for(profile)
    tax = Taxonomy.load(taxonomy)
    return ZeroShotClassifier(tax, encoder=encoder).fit(), encoder


def _model_encoder_id(model_dir: Path) -> str | None:
    for name in ("voiceline_model.json", "model.json", "manifest.json"):
        path = Path(model_dir) / name
        if path.exists():
            try:
                data = json.loads(path.read_text())
            except json.JSONDecodeError:
                return None
            return data.get("encoder_id") or data.get("encoder_model_id")
    return None


def run_classify(
    *,
    records_path: Path,
    output: Path,
    taxonomy: Path | None,
    model_dir: Path | None,
    profile: str,
    threshold: float | None,
    segments_out: Path | None,
) -> pd.DataFrame:
    from voiceline.concerns.classify import classify_concerns
    from voiceline.io import read_table, write_table
    from voiceline.nlp.segments import segment_records

    records = read_table(records_path, what="records table")
    S.require_columns(records, [S.RECORD_ID, S.TEXT], table=f"records ({records_path})")
    model, encoder = load_concern_model(model_dir, taxonomy, profile)
    started = time.perf_counter()
    segments = segment_records(records)
    concerns = classify_concerns(
        records, model=model, encoder=encoder, segments=segments, threshold=threshold
    )
    seconds = time.perf_counter() - started
    write_table(concerns, output)
    if segments_out is not None:
        write_table(segments, segments_out)
    n_with = concerns[S.RECORD_ID].nunique() if len(concerns) else 0
    rate = len(records) / seconds if seconds > 0 else float("inf")
    click.echo(
        f"Classified {len(records)} records in {seconds:.1f} s ({rate:,.0f} records/s): "
        f"{n_with} raise at least one concern, {len(concerns)} concern rows "
        f"({getattr(model, 'method', '?')}, threshold {threshold if threshold is not None else model.threshold_:.2f})."
    )
    if len(concerns):
        top = concerns.loc[concerns[S.IS_PRIMARY], S.CONCERN_ID].value_counts()
        click.echo("Primary concerns: " + ", ".join(f"{k} {v}" for k, v in top.items()))
    click.echo(f"Wrote {output}")
    return concerns


def read_labels(path: Path, *, text_column: str, label_column: str) -> pd.DataFrame:
    """A labels/gold file (CSV, XLSX, Parquet, JSONL) with the two named columns present."""
    if not path.exists():
        raise InputError(f"labels file {path} does not exist; check the path.")
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif suffix in (".jsonl", ".ndjson"):
            frame = pd.read_json(path, lines=True, dtype=False)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"labels file {path} cannot be read: {exc}") from exc
    missing = [c for c in (text_column, label_column) if c not in frame.columns]
    if missing:
        raise InputError(
            f"labels file {path} has no column(s) {', '.join(missing)}; it has: "
            f"{', '.join(map(str, frame.columns))}. Name them with --text-column and --label-column."
        )
    return frame


def split_labels(value: Any, separator: str = ";") -> set[str]:
    if value is None or (isinstance(value, float) and value != value):
        return set()
    return {part.strip() for part in str(value).split(separator) if part.strip()}


def run_evaluate_concerns(
    *,
    gold_path: Path,
    text_column: str,
    label_column: str,
    group_columns: list[str],
    taxonomy: Path | None,
    model_dir: Path | None,
    profile: str,
    threshold: float | None,
    output: Path | None,
) -> dict[str, Any]:
    from voiceline.concerns.classify import classify_concerns
    from voiceline.concerns.metrics import grouped_report, multilabel_report

    gold = read_labels(gold_path, text_column=text_column, label_column=label_column)
    model, encoder = load_concern_model(model_dir, taxonomy, profile)
    records = pd.DataFrame(
        {
            S.RECORD_ID: [f"g{i}" for i in range(len(gold))],
            S.TEXT: gold[text_column].fillna("").astype(str).tolist(),
        }
    )
    concerns = classify_concerns(records, model=model, encoder=encoder, threshold=threshold)
    predicted = (
        concerns.groupby(S.RECORD_ID)[S.CONCERN_ID].agg(set).to_dict() if len(concerns) else {}
    )
    pred_sets = [predicted.get(rid, set()) for rid in records[S.RECORD_ID]]
    gold_sets = [split_labels(v) for v in gold[label_column]]
    labels = list(model.labels_)
    unknown = sorted({lab for s in gold_sets for lab in s} - set(labels))
    if unknown:
        raise InputError(
            f"gold file {gold_path} uses label(s) the model does not know: {', '.join(unknown)}; "
            f"the model's labels are: {', '.join(labels)}."
        )
    report = multilabel_report(gold_sets, pred_sets, labels=labels)
    result: dict[str, Any] = {"overall": report}
    for col in group_columns:
        if col not in gold.columns:
            raise InputError(
                f"gold file {gold_path} has no column {col!r} to break results down by."
            )
        result[col] = grouped_report(
            gold_sets,
            pred_sets,
            labels=labels,
            groups=gold[col].fillna("(none)").astype(str).tolist(),
        )
    click.echo(report.to_string(float_format=lambda v: f"{v:.3f}"))
    for col in group_columns:
        click.echo(f"\nBy {col}:")
        click.echo(result[col].to_string(float_format=lambda v: f"{v:.3f}"))
    if output is not None:
        from voiceline.io import write_json

        write_json(
            {k: v.reset_index().to_dict(orient="records") for k, v in result.items()}, output
        )
        click.echo(f"Wrote {output}")
    return result


def run_train_concerns(
    *,
    labels_path: Path,
    text_column: str,
    label_column: str,
    output: Path,
    profile: str,
    separator: str,
) -> Any:
    from voiceline.concerns.trained import train_concerns

    frame = read_labels(labels_path, text_column=text_column, label_column=label_column)
    encoder = encoder_for(profile)
    started = time.perf_counter()
    model = train_concerns(
        frame,
        text_column=text_column,
        label_column=label_column,
        encoder=encoder,
        separator=separator,
    )
    model.save(output)
    click.echo(
        f"Trained a concern model on {len(frame)} examples and {len(model.labels_)} labels "
        f"in {time.perf_counter() - started:.1f} s; wrote {output}"
    )
    if getattr(model, "uses_knn_", False):
        click.echo(
            "The model folder holds the examples' sentence embeddings (not their texts) for its "
            "neighbour vote: share it as you would the labels file."
        )
    return model
