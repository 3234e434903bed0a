"""``voiceline sentiment``, ``train sentiment`` and ``evaluate sentiment``: thin layers over the library."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click
import pandas as pd

from voiceline import schemas as S
from voiceline.commands.concerns import read_labels
from voiceline.errors import InputError


def _model(model_dir: Path | None, profile: str = "accurate") -> Any:
    from voiceline.sentiment.model import SentimentModel, load_default_model

    if model_dir is not None:
        return SentimentModel.load(model_dir)
    return load_default_model(profile=profile)


def run_sentiment(
    *,
    records_path: Path,
    output: Path,
    concerns_path: Path | None,
    model_dir: Path | None,
    profile: str = "accurate",
) -> pd.DataFrame:
    from voiceline.io import read_table, write_table
    from voiceline.sentiment.score import score_sentiment

    records = read_table(records_path, what="records table")
    concerns = read_table(concerns_path, what="concerns table") if concerns_path else None
    started = time.perf_counter()
    table = score_sentiment(records, concerns=concerns, model=_model(model_dir, profile))
    seconds = time.perf_counter() - started
    write_table(table, output)
    whole = table[table[S.CONCERN_ID].isna()]
    counts = whole[S.LABEL].fillna("not scored").value_counts()
    click.echo(
        f"Scored {len(records)} records in {seconds:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + (f"; {len(table) - len(whole)} record x concern rows" if concerns is not None else "")
    )
    click.echo(f"Wrote {output}")
    return table


def _normalise_label(value: Any) -> str:
    """Accept the usual spellings of the three classes (TweetEval's 0/1/2 too)."""
    text = str(value).strip().lower()
    mapping = {
        "0": "negative",
        "1": "neutral",
        "2": "positive",
        "neg": "negative",
        "pos": "positive",
        "neu": "neutral",
        "-1": "negative",
    }
    return mapping.get(text, text)


def _checked_labels(frame: pd.DataFrame, label_column: str, path: Path) -> list[str]:
    labels = [_normalise_label(v) for v in frame[label_column]]
    bad = sorted(set(labels) - set(S.SENTIMENT_LABELS))
    if bad:
        raise InputError(
            f"{path}: column {label_column!r} holds {bad[:5]}; expected negative, neutral or positive "
            "(or 0/1/2 as in TweetEval)."
        )
    return labels


def run_train_sentiment(
    *, labels_path: Path, text_column: str, label_column: str, output: Path, profile: str
) -> Any:
    from voiceline.commands.concerns import encoder_for
    from voiceline.sentiment.train import train_sentiment

    frame = read_labels(labels_path, text_column=text_column, label_column=label_column)
    frame = frame.assign(**{label_column: _checked_labels(frame, label_column, labels_path)})
    started = time.perf_counter()
    model = train_sentiment(
        frame, text_column=text_column, label_column=label_column, encoder=encoder_for(profile)
    )
    model.save(output)
    click.echo(
        f"Trained a sentiment model on {len(frame)} examples in {time.perf_counter() - started:.1f} s; wrote {output}"
    )
    return model


def run_evaluate_sentiment(
    *,
    gold_path: Path,
    text_column: str,
    label_column: str,
    group_columns: list[str],
    model_dir: Path | None,
    output: Path | None,
) -> dict[str, Any]:
    from voiceline.sentiment.evaluate import sentiment_report
    from voiceline.sentiment.score import score_sentiment

    gold = read_labels(gold_path, text_column=text_column, label_column=label_column)
    labels = _checked_labels(gold, label_column, gold_path)
    records = pd.DataFrame(
        {
            S.RECORD_ID: [f"g{i}" for i in range(len(gold))],
            S.TEXT: gold[text_column].fillna("").astype(str).tolist(),
        }
    )
    scored = score_sentiment(records, model=_model(model_dir))
    predicted = (
        scored[scored[S.CONCERN_ID].isna()]
        .set_index(S.RECORD_ID)[S.LABEL]
        .reindex(records[S.RECORD_ID])
    )
    groups = None
    for col in group_columns:
        if col not in gold.columns:
            raise InputError(
                f"gold file {gold_path} has no column {col!r} to break results down by."
            )
    if group_columns:
        groups = gold[group_columns[0]].fillna("(none)").astype(str).tolist()
    report = sentiment_report(labels, predicted.fillna("neutral").tolist(), groups=groups)
    click.echo(
        f"macro-recall {report['macro_recall']:.3f}  macro-F1 {report['macro_f1']:.3f}  "
        f"accuracy {report['accuracy']:.3f}  (n={len(gold)})"
    )
    click.echo(report["confusion"].to_string())
    if output is not None:
        from voiceline.io import write_json

        write_json(
            {k: (v.to_dict() if hasattr(v, "to_dict") else v) for k, v in report.items()}, output
        )
        click.echo(f"Wrote {output}")
    return report
