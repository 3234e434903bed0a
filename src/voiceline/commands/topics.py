"""``voiceline topics``: fit emerging topics and write the tables, the model, the diff and the review queue."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from voiceline import schemas as S


def run_topics(
    *,
    records_path: Path,
    output: Path,
    concerns_path: Path | None,
    previous: Path | None,
    nr_topics: int | None,
    min_topic_size: int,
    profile: str,
    seed: int,
) -> Any:
    """Everything ``voiceline topics`` does; returns the :class:`~voiceline.topics.assign.TopicRun`."""
    from voiceline.commands.concerns import encoder_for
    from voiceline.io import read_table, write_json, write_table
    from voiceline.topics.assign import fit_topics
    from voiceline.topics.review import review_queue

    records = read_table(records_path, what="records table")
    S.require_columns(records, [S.RECORD_ID, S.TEXT], table=f"records ({records_path})")
    concerns = read_table(concerns_path, what="concerns table") if concerns_path else None
    started = time.perf_counter()
    run = fit_topics(
        records,
        concerns=concerns,
        encoder=encoder_for(profile),
        nr_topics=nr_topics,
        min_topic_size=min_topic_size,
        seed=seed,
        previous=previous,
    )
    seconds = time.perf_counter() - started
    folder = output.parent
    write_table(run.topics, output)
    write_table(run.info, folder / "topic_info.parquet")
    run.model.save(folder / "topic_model")
    if len(run.diff):
        write_table(run.diff, folder / "topic_diff.csv")
    write_table(review_queue(run.info, run.topics, records), folder / "topic_review.csv")
    write_json(run.summary, folder / "topics_summary.json")
    n_topics = int((run.info["topic_id"] >= 0).sum()) if len(run.info) else 0
    n_new = int(run.info["is_new"].sum()) if len(run.info) else 0
    click.echo(
        f"Fitted {n_topics} topics ({n_new} new) on {len(run.topics)} records in {seconds:.1f} s; "
        f"outlier share {run.summary.get('outlier_share', 0):.1%}."
    )
    if run.summary.get("reason"):
        click.echo(f"Note: {run.summary['reason']}")
    if run.summary.get("previous_ignored"):
        click.echo(f"Previous model ignored: {run.summary['previous_ignored']}")
    click.echo(f"Wrote {output}, topic_info.parquet, topic_model/, topic_review.csv in {folder}")
    return run
