"""`voiceline run`, `findings`, `report` as a user meets them: exit codes, messages, files, store.

Fast tier: a small made-up survey export (three months, Port Alder's gazetteer), redaction off,
the fast profile, topics off. The sample city end to end (and a run killed mid-way) is in
test_run_slow.py.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceline.cli import main

REPO = Path(__file__).resolve().parents[1]
GAZETTEER = REPO / "sample_data" / "gazetteer" / "gazetteer.yaml"

TEMPLATES = [
    "Cars speed down {street} every morning, someone will get hurt near the school.",
    "People are dealing drugs openly by {place}, needles left in the grass.",
    "Please fix the street lights on {street}, it is pitch dark and feels unsafe at night.",
    "The officers at the {place} event were friendly and listened to us, thank you.",
    "Loud parties and music until 3am on {street} every weekend.",
    "My car was broken into on {street} last week, second time this year.",
    "There are tents and people sleeping outside {place}, they need shelter and help.",
    "Response times are terrible, we called about a fight and nobody came for an hour.",
]
STREETS = ["Warren Avenue", "Congress Street", "Forest Avenue", "Allen Avenue"]
PLACES = ["Riverton Park", "the library", "the community center", "the bus station"]
HOODS = ["Riverton", "Northside", "Harbor Point", "Old Mill"]


def _survey(path: Path, months: list[str], per_month: int = 40, seed: int = 0) -> Path:
    rng = random.Random(seed)
    rows = []
    for m in months:
        for i in range(per_month):
            text = rng.choice(TEMPLATES).format(
                street=rng.choice(STREETS), place=rng.choice(PLACES)
            )
            rows.append(
                {
                    "id": f"{m}-{i}",
                    "date": f"{m}-{rng.randint(1, 28):02d} 10:00",
                    "neighborhood": rng.choice(HOODS + ["Atlantis"]),  # one the gazetteer lacks
                    "comment": f"{text} ({i})",
                    "respondent": f"r{rng.randint(1, 60)}",
                }
            )
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _config(tmp: Path, *, months=("2026-01", "2026-02", "2026-03"), extra: str = "") -> Path:
    data = tmp / "survey.csv"
    if not data.exists():
        _survey(data, list(months))
    cfg = tmp / "job.yaml"
    cfg.write_text(
        f"""name: test-job
timezone: America/New_York
gazetteer: {GAZETTEER}
sources:
  - name: survey
    path: survey.csv
    type: survey
    mapping:
      text_columns: [comment]
      id_column: id
      date_column: date
      neighborhood_column: neighborhood
      author_column: respondent
privacy:
  redact: false
  salt: test-salt
profile: fast
topics:
  enabled: false
output: out
{extra}"""
    )
    return cfg


def invoke(*args: str):
    return CliRunner().invoke(main, [*args], catch_exceptions=False)


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("job")
    cfg = _config(tmp)
    first = invoke("run", str(cfg), "--no-progress")
    return {"tmp": tmp, "cfg": cfg, "first": first, "out": tmp / "out"}


def _trends(out: Path) -> pd.DataFrame:
    with sqlite3.connect(out / "voiceline.db") as con:
        return pd.read_sql("select * from trends", con)


def test_run_writes_every_period_and_says_where(job: dict) -> None:
    result, out = job["first"], job["out"]
    assert result.exit_code == 0, result.output
    for period in ("2026-01", "2026-02", "2026-03"):
        folder = out / period
        for name in (
            "records.parquet",
            "segments.parquet",
            "concerns.parquet",
            "sentiment.parquet",
            "findings.parquet",
            "findings.csv",
            "findings.xlsx",
            "triage.csv",
            "report.html",
            "manifest.json",
        ):
            assert (folder / name).exists(), f"{period}/{name} missing"
    assert (out / "ingest" / "rejects.csv").exists()
    assert "Report:" in result.output and "2026-03/report.html" in result.output
    assert "Store:" in result.output and "voiceline.db" in result.output
    assert "gazetteer does not know" in result.output and "Atlantis" in result.output


def test_manifest_counts_reconcile_and_carry_provenance(job: dict) -> None:
    out = job["out"]
    ingest = json.loads((out / "ingest" / "manifest.json").read_text())["stages"]["ingest"]
    assert ingest["rows_read"] == ingest["records_out"] + ingest["rejected"] + ingest["dropped"]
    assert "atlantis" in json.dumps(ingest["unknown_neighborhoods"]).lower()
    total = 0
    for period in ("2026-01", "2026-02", "2026-03"):
        m = json.loads((out / period / "manifest.json").read_text())
        st = m["stages"]
        assert st["records"]["records_in"] == ingest["records_out"]
        assert st["concerns"]["records_in"] == st["records"]["records_out"]
        assert st["sentiment"]["records_in"] == st["records"]["records_out"]
        assert st["sentiment"]["record_rows_out"] == st["records"]["records_out"]
        assert st["findings"]["records_in"] == st["records"]["records_out"]
        assert st["store"]["rows_written"] == st["findings"]["rows_out"]
        assert m["inputs"] and all(len(i["sha256"]) == 64 for i in m["inputs"])
        assert m["models"]["concerns"]["encoder"] and m["models"]["sentiment"]["files"]
        assert m["packages"]["voiceline"]
        total += st["records"]["records_out"]
        findings = pd.read_parquet(out / period / "findings.parquet")
        assert findings["run_id"].eq(m["run_id"]).all()
        assert findings["config_hash"].eq(m["config_hash"]).all()
        assert findings["taxonomy_version"].notna().all()
    assert total + ingest["records_without_period"] == ingest["records_out"]


def test_store_holds_each_period_once(job: dict) -> None:
    trends = _trends(job["out"])
    assert sorted(trends["period"].unique()) == ["2026-01", "2026-02", "2026-03"]
    key = ["period", "neighborhood_id", "concern_id", "taxonomy_version"]
    assert not trends.duplicated(key).any()
    later = pd.read_parquet(job["out"] / "2026-03" / "findings.parquet")
    assert later["n_history_periods"].max() == 2  # the spike test saw the two earlier months


def test_second_run_changes_nothing_and_skips_everything(job: dict) -> None:
    before = _trends(job["out"])
    result = invoke("run", str(job["cfg"]), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "inputs unchanged" in result.output
    assert result.output.count("ran nothing (all unchanged)") == 3
    pd.testing.assert_frame_equal(_trends(job["out"]), before)


def test_changing_k_reruns_only_what_depends_on_it(job: dict) -> None:
    result = invoke("run", str(job["cfg"]), "--no-progress", "--set", "findings.k=3")
    assert result.exit_code == 0, result.output
    m = json.loads((job["out"] / "2026-02" / "manifest.json").read_text())["stages"]
    assert m["concerns"]["skipped"] and m["sentiment"]["skipped"]
    assert not m["findings"]["skipped"] and not m["store"]["skipped"]
    trends = _trends(job["out"])
    assert not trends.duplicated(["period", "neighborhood_id", "concern_id"]).any()
    # back to the default, so later tests see the module's first state of the config
    assert invoke("run", str(job["cfg"]), "--no-progress").exit_code == 0


def test_deleted_store_is_written_again(job: dict, tmp_path: Path) -> None:
    db = job["out"] / "voiceline.db"
    db.unlink()
    result = invoke("run", str(job["cfg"]), "--no-progress")
    assert result.exit_code == 0, result.output
    assert sorted(_trends(job["out"])["period"].unique()) == ["2026-01", "2026-02", "2026-03"]


def test_period_without_records_is_a_clear_error(job: dict) -> None:
    before = _trends(job["out"])
    result = CliRunner().invoke(
        main, ["run", str(job["cfg"]), "--period", "2025-07", "--no-progress"]
    )
    assert result.exit_code == 1
    assert "period 2025-07 has no records" in result.output and "2026-01" in result.output
    assert not (job["out"] / "2025-07").exists()
    pd.testing.assert_frame_equal(_trends(job["out"]), before)


def test_bad_period_is_a_config_error(job: dict) -> None:
    result = CliRunner().invoke(main, ["run", str(job["cfg"]), "--period", "2026-13"])
    assert result.exit_code == 1 and "YYYY-MM" in result.output


def test_second_run_while_one_holds_the_lock_exits_3(job: dict) -> None:
    from voiceline.pipeline.lock import JobLock

    with JobLock(job["out"], job="test-job"):
        result = CliRunner().invoke(main, ["run", str(job["cfg"]), "--no-progress"])
    assert result.exit_code == 3, result.output
    assert "another run of job 'test-job' is in progress" in result.output


def test_unreachable_database_exits_4_before_any_work(tmp_path: Path) -> None:
    url = "postgresql+psycopg://someone:secret@127.0.0.1:1/nowhere"
    cfg = _config(tmp_path, extra=f"store:\n  url: {url}\n")
    result = CliRunner().invoke(main, ["run", str(cfg), "--no-progress"])
    assert result.exit_code == 4, result.output
    assert "secret" not in result.output and "127.0.0.1" in result.output
    assert not (tmp_path / "out" / "ingest").exists()


def test_missing_source_lists_the_problem(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    (tmp_path / "survey.csv").unlink()
    result = CliRunner().invoke(main, ["run", str(cfg)])
    assert result.exit_code == 1
    assert "survey.csv" in result.output and "matches no file" in result.output


def test_findings_command_on_stage_tables(job: dict, tmp_path: Path) -> None:
    folder = job["out"] / "2026-02"
    out = tmp_path / "f"
    result = invoke(
        "findings",
        "--records",
        str(folder / "records.parquet"),
        "--concerns",
        str(folder / "concerns.parquet"),
        "--sentiment",
        str(folder / "sentiment.parquet"),
        "-o",
        str(out),
        "--store",
        f"sqlite:///{tmp_path / 'store.db'}",
    )
    assert result.exit_code == 0, result.output
    for name in ("findings.parquet", "findings.csv", "findings.xlsx", "triage.csv"):
        assert (out / name).exists()
    assert "Store: wrote 1 period(s)" in result.output
    again = invoke("report", str(out))
    assert again.exit_code == 0, again.output
    assert (out / "report.html").exists()


def test_findings_command_names_a_missing_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "findings",
            "--records",
            str(tmp_path / "r.parquet"),
            "--concerns",
            "c.parquet",
            "-o",
            "x",
        ],
    )
    assert result.exit_code == 1 and "r.parquet" in result.output


def test_report_of_a_folder_without_findings(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 1 and "no findings.parquet" in result.output


def test_late_answers_rerun_only_their_month_and_are_reported(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    assert invoke("run", str(cfg), "--no-progress").exit_code == 0
    survey = tmp_path / "survey.csv"
    frame = pd.read_csv(survey)
    late = frame.iloc[[0]].assign(
        id="late-1",
        date="2026-01-30 09:00",
        comment="Late answer: speeding cars on Forest Avenue near the school.",
    )
    pd.concat([frame, late]).to_csv(survey, index=False)

    # a scheduled run of March alone says January changed, and leaves it alone
    only = invoke("run", str(cfg), "--no-progress", "--period", "2026-03")
    assert only.exit_code == 0, only.output
    assert "Warning: the records of 2026-01 changed since their last run" in only.output

    full = invoke("run", str(cfg), "--no-progress")
    assert full.exit_code == 0, full.output
    m = {
        p: json.loads((tmp_path / "out" / p / "manifest.json").read_text())["stages"]
        for p in ("2026-01", "2026-02")
    }
    assert not m["2026-01"]["records"]["skipped"] and not m["2026-01"]["store"]["skipped"]
    assert m["2026-02"]["concerns"]["skipped"] and m["2026-02"]["records"]["skipped"]

    # a month that disappears from the inputs is kept, and said
    frame = pd.read_csv(survey)
    frame[~frame["date"].str.startswith("2026-03")].to_csv(survey, index=False)
    gone = invoke("run", str(cfg), "--no-progress")
    assert gone.exit_code == 0, gone.output
    assert "2026-03 are in the store" in gone.output
    assert "2026-03" in set(_trends(tmp_path / "out")["period"])


def test_a_month_where_nothing_raises_a_concern(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    survey = tmp_path / "survey.csv"
    frame = pd.read_csv(survey)
    quiet = pd.DataFrame(
        {
            "id": ["q1", "q2"],
            "date": ["2026-04-03 10:00", "2026-04-09 11:00"],
            "neighborhood": ["Riverton", "Northside"],
            "comment": ["Thanks for reading this, have a nice day.", "Nothing to add."],
            "respondent": ["r1", "r2"],
        }
    )
    pd.concat([frame, quiet]).to_csv(survey, index=False)
    first = invoke("run", str(cfg), "--no-progress")
    assert first.exit_code == 0, first.output
    april = pd.read_parquet(tmp_path / "out" / "2026-04" / "findings.parquet")
    assert len(april) and april["taxonomy_version"].notna().all()
    assert (april["n_records"].fillna(0) == 0).all()
    trends = _trends(tmp_path / "out")
    assert (trends["period"] == "2026-04").sum() == len(april)
    again = invoke("run", str(cfg), "--no-progress")
    assert again.exit_code == 0 and again.output.count("ran nothing (all unchanged)") == 4


def test_relative_sqlite_store_is_read_from_the_config_folder(tmp_path: Path, monkeypatch) -> None:
    from voiceline.config import load_config

    cfg = _config(tmp_path, extra="store:\n  url: sqlite:///trends/store.db\n")
    monkeypatch.chdir(Path("/"))
    loaded = load_config(cfg)
    assert loaded.store.url == f"sqlite:///{tmp_path / 'trends' / 'store.db'}"


def test_outputs_are_readable_like_any_file(tmp_path: Path) -> None:
    """Atomic writes go through mkstemp (0600); finished files get the usual mode."""
    import os
    import stat

    from voiceline.io import write_json

    path = write_json({"a": 1}, tmp_path / "m.json")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_run_on_both_store_backends(tmp_path: Path, store_url: str) -> None:
    """The job against a real PostgreSQL (and SQLite): each month once; a re-run changes nothing."""
    from voiceline.store import open_store

    cfg = _config(tmp_path, extra=f"store:\n  url: '{store_url}'\n")
    first = invoke("run", str(cfg), "--no-progress")
    assert first.exit_code == 0, first.output
    with open_store(store_url) as store:
        rows = store.read(job="test-job", with_job=True)
    assert sorted(rows["period"].unique()) == ["2026-01", "2026-02", "2026-03"]
    assert not rows.duplicated(
        ["job", "period", "neighborhood_id", "concern_id", "taxonomy_version"]
    ).any()
    again = invoke("run", str(cfg), "--no-progress")
    assert again.output.count("ran nothing (all unchanged)") == 3, again.output
    with open_store(store_url) as store:
        pd.testing.assert_frame_equal(store.read(job="test-job", with_job=True), rows)
