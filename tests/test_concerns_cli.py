"""`voiceline classify` and `voiceline evaluate concerns` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceline import schemas as S
from voiceline.cli import main

TEXTS = [
    "Cars fly down Elm Street at 60 mph every morning. Also the street light at Elm and 4th is out.",
    "Somebody stole the catalytic converter off my car last night.",
    "Thank you all for coming tonight.",
    "There's an encampment under the bridge again and people are cold.",
]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def records_file(tmp_path: Path) -> Path:
    path = tmp_path / "records.parquet"
    pd.DataFrame({S.RECORD_ID: [f"r{i}" for i in range(len(TEXTS))], S.TEXT: TEXTS}).to_parquet(
        path
    )
    return path


def test_missing_records_file(tmp_path: Path) -> None:
    result = invoke("classify", str(tmp_path / "nope.parquet"), "-o", str(tmp_path / "c.parquet"))
    assert result.exit_code == 1
    assert "nope.parquet does not exist" in result.output


def test_records_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    pd.DataFrame({"record_id": ["a"], "body": ["x"]}).to_parquet(path)
    result = invoke("classify", str(path), "-o", str(tmp_path / "c.parquet"), "--profile", "fast")
    assert result.exit_code == 1
    assert "lacks column(s) text" in result.output


def test_bad_taxonomy_names_the_file(tmp_path: Path, records_file: Path) -> None:
    tax = tmp_path / "tax.yaml"
    tax.write_text(
        "version: t1\nconcerns:\n"
        "  - {id: noise, label: Noise, definition: loud, examples: [loud music]}\n"
        "  - {id: noise, label: Noise, definition: '', examples: [x], colour: red}\n"
    )
    result = invoke(
        "classify",
        str(records_file),
        "-o",
        str(tmp_path / "c.parquet"),
        "--taxonomy",
        str(tax),
        "--profile",
        "fast",
    )
    assert result.exit_code == 1
    assert "tax.yaml" in result.output and "noise" in result.output


@pytest.mark.slow
def test_classify_and_evaluate_with_the_fast_profile(tmp_path: Path, records_file: Path) -> None:
    out = tmp_path / "concerns.parquet"
    result = invoke("classify", str(records_file), "-o", str(out), "--profile", "fast")
    assert result.exit_code == 0, result.output
    concerns = pd.read_parquet(out)
    assert list(concerns.columns) == list(S.CONCERN_COLUMNS)
    by_record = concerns.groupby("record_id").concern_id.agg(set)
    assert "property_crime" in by_record.get("r1", set())
    assert {"traffic_safety", "infrastructure"} <= by_record.get(
        "r0", set()
    )  # two sentences, two concerns
    assert "homelessness" in by_record.get("r3", set())

    gold = tmp_path / "gold.csv"
    pd.DataFrame(
        {
            "text": TEXTS,
            "label": ["traffic_safety;infrastructure", "property_crime", "", "homelessness"],
            "source_type": ["survey", "social", "meeting", "social"],
        }
    ).to_csv(gold, index=False)
    report = tmp_path / "report.json"
    result = invoke(
        "evaluate",
        "concerns",
        "--gold",
        str(gold),
        "--group-column",
        "source_type",
        "--profile",
        "fast",
        "-o",
        str(report),
    )
    assert result.exit_code == 0, result.output
    assert "micro" in result.output and "By source_type" in result.output
    data = json.loads(report.read_text())
    assert {"overall", "source_type"} <= set(data)


def test_evaluate_rejects_unknown_gold_labels(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    pd.DataFrame({"text": ["speeding"], "label": ["speeding_cars"]}).to_csv(gold, index=False)
    import voiceline.commands.concerns as cc
    from voiceline.nlp.embeddings import FakeEncoder

    mp = pytest.MonkeyPatch()
    mp.setattr(cc, "encoder_for", lambda profile, **_: FakeEncoder())
    try:
        result = invoke("evaluate", "concerns", "--gold", str(gold))
    finally:
        mp.undo()
    assert result.exit_code == 1
    assert "speeding_cars" in result.output


def test_topics_on_too_few_records_says_why(tmp_path: Path) -> None:
    import voiceline.commands.concerns as cc
    from voiceline.nlp.embeddings import FakeEncoder

    path = tmp_path / "records.parquet"
    texts = [f"pothole number {i} on Forest Ave" for i in range(12)]
    pd.DataFrame({S.RECORD_ID: [f"r{i}" for i in range(12)], S.TEXT: texts}).to_parquet(path)
    mp = pytest.MonkeyPatch()
    mp.setattr(cc, "encoder_for", lambda profile, **_: FakeEncoder())
    try:
        result = invoke("topics", str(path), "-o", str(tmp_path / "t" / "topics.parquet"))
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    assert "Note:" in result.output
    assert (tmp_path / "t" / "topic_info.parquet").exists()
    assert (tmp_path / "t" / "topic_review.csv").exists()


def test_train_then_classify_with_the_trained_model(tmp_path: Path, records_file: Path) -> None:
    import voiceline.commands.concerns as cc
    from voiceline.nlp.embeddings import FakeEncoder

    labels = tmp_path / "labeled.csv"
    rows = (
        [(f"cars speeding on Elm street, trip {i}", "speeding") for i in range(6)]
        + [(f"street light out at corner {i}", "lights") for i in range(6)]
        + [(f"encampment under the bridge again, tent {i}", "homeless") for i in range(6)]
        + [("", "lights")]
    )
    pd.DataFrame(rows, columns=["comment", "tag"]).to_csv(labels, index=False)
    model_dir = tmp_path / "unit-model"
    mp = pytest.MonkeyPatch()
    mp.setattr(cc, "encoder_for", lambda profile, **_: FakeEncoder())
    try:
        result = invoke("train", "concerns", "--labels", str(labels), "--text-column", "comment",
                        "--label-column", "tag", "-o", str(model_dir))
        assert result.exit_code == 0, result.output
        assert "3 labels" in result.output
        assert "sentence embeddings (not their texts)" in result.output
        assert (model_dir / "model.json").exists()
        out = tmp_path / "concerns.parquet"
        result = invoke("classify", str(records_file), "-o", str(out), "--model", str(model_dir))
        assert result.exit_code == 0, result.output
        concerns = pd.read_parquet(out)
        assert set(concerns[S.CONCERN_ID]) <= {"speeding", "lights", "homeless"}
        assert (concerns[S.METHOD] == "trained").all()
        found = concerns.groupby(S.RECORD_ID)[S.CONCERN_ID].agg(list).to_dict()
        assert "lights" in found["r0"] and found["r3"][0] == "homeless"

        once = tmp_path / "once.csv"
        pd.DataFrame({"comment": ["a", "b", "c"], "tag": ["x", "x", "y"]}).to_csv(once, index=False)
        result = invoke("train", "concerns", "--labels", str(once), "--text-column", "comment",
                        "--label-column", "tag", "-o", str(tmp_path / "m2"))
        assert result.exit_code == 1
        assert "seen only once" in result.output and "y" in result.output
        assert not (tmp_path / "m2").exists()
    finally:
        mp.undo()
