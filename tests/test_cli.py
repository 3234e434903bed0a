"""The command line as a user meets it: exit codes, messages, files written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceline.cli import main

FAST = ["--no-redact", "--set", "ingest.detect_language=false", "--no-progress"]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_is_fast_and_loads_no_heavy_library() -> None:
    code = "import sys, voiceline.cli; print(sorted(m for m in ('torch','spacy','presidio_analyzer','pandas','lingua') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    result = invoke("--help")
    assert result.exit_code == 0
    for command in (
        "ingest",
        "classify",
        "sentiment",
        "topics",
        "findings",
        "report",
        "run",
        "train",
        "evaluate",
    ):
        assert command in result.output


def test_ingest_a_plain_csv(tmp_path: Path) -> None:
    src = tmp_path / "comments.csv"
    src.write_text(
        "id,comment,created_at\n1,Speeding on Elm Street every night,2026-09-01\n2,,2026-09-02\n3,Love the new officer,2026-09-03\n"
    )
    out = tmp_path / "records.parquet"
    result = invoke("ingest", str(src), "-o", str(out), *FAST)
    assert result.exit_code == 0, result.output
    assert "Ingested 2 records from 3 rows read (1 rejected, 0 dropped by rule)" in result.output
    records = pd.read_parquet(out)
    assert records.source_id.tolist() == ["1", "3"]
    rejects = pd.read_csv(tmp_path / "records.rejects.csv")
    assert rejects.reject_reason.tolist() == ["empty text"]
    manifest = json.loads((tmp_path / "records.manifest.json").read_text())
    counts = manifest["stages"]["ingest"]["by_source"]["comments"]
    assert counts["rows_read"] == counts["records"] + counts["rejected"] + counts["dropped"]
    assert manifest["inputs"][0]["sha256"]


def test_rerun_gives_identical_records(tmp_path: Path) -> None:
    src = tmp_path / "c.csv"
    src.write_text("text,date\nA pothole on Dock Lane,2026-10-01\nDirt bikes again,2026-10-02\n")
    invoke("ingest", str(src), "-o", str(tmp_path / "a.parquet"), *FAST)
    invoke("ingest", str(src), "-o", str(tmp_path / "b.parquet"), *FAST)
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "a.parquet"), pd.read_parquet(tmp_path / "b.parquet")
    )


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("ingest", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "r.parquet"), *FAST)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "nope.csv does not exist" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.parquet").exists()


def test_unknown_format_names_the_file(tmp_path: Path) -> None:
    src = tmp_path / "notes.pdf"
    src.write_bytes(b"%PDF-1.4")
    result = invoke("ingest", str(src), "-o", str(tmp_path / "r.parquet"), *FAST)
    assert result.exit_code == 1
    assert "notes.pdf" in result.output and "Error:" in result.output


def test_mapping_naming_a_missing_column(tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text("Response ID,Answer\n1,More lights please\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("text_columns: [Q3]\n")
    result = invoke(
        "ingest", str(src), "--mapping", str(mapping), "-o", str(tmp_path / "r.parquet"), *FAST
    )
    assert result.exit_code == 1
    assert "Q3" in result.output and "Answer" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke("ingest").exit_code == 2
    assert invoke("ingest", "x.csv").exit_code == 2  # no -o
    assert invoke("nonsense").exit_code == 2


def test_bad_config_lists_every_problem(tmp_path: Path) -> None:
    cfg = tmp_path / "job.yaml"
    cfg.write_text(
        "timezone: Nowhere/Land\ningest: {colour: red}\nsources:\n  - {name: a, path: missing.csv}\n"
    )
    result = invoke("ingest", "--config", str(cfg))
    assert result.exit_code == 1
    assert (
        "timezone" in result.output
        and "ingest.colour" in result.output
        and "missing.csv" in result.output
    )


def test_verbose_shows_the_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--verbose", "ingest", str(tmp_path / "nope.csv"), "-o", "r.parquet", *FAST]
    )
    assert result.exit_code == 1
    assert result.exc_info is not None and result.exc_info[0].__name__ == "InputError"


@pytest.mark.parametrize(
    ("name", "payload", "expect_records"),
    [
        ("cp1252.csv", "text\nCaf\xe9 on Dock Lane is a hangout for dealers\n".encode("cp1252"), 1),
        ("utf16.csv", "text\nStreet light out on Water St\n".encode("utf-16"), 1),
        ("empty.csv", b"", 0),
        ("big.csv", b"text\n" + b"a" * 5_000_000 + b"\n", 1),
    ],
)
def test_awkward_files(tmp_path: Path, name: str, payload: bytes, expect_records: int) -> None:
    src = tmp_path / name
    src.write_bytes(payload)
    result = invoke("ingest", str(src), "-o", str(tmp_path / "r.parquet"), *FAST)
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(tmp_path / "r.parquet")) == expect_records
    if name == "cp1252.csv":
        assert "Café" in pd.read_parquet(tmp_path / "r.parquet").text.iloc[0]


def test_broken_quote_is_never_silently_lost(tmp_path: Path) -> None:
    src = tmp_path / "broken.csv"
    src.write_text('id,text\n1,"fine\n2,"unterminated quote, then more rows\n3,third\n4,fourth\n')
    result = invoke("ingest", str(src), "-o", str(tmp_path / "r.parquet"), *FAST)
    if result.exit_code == 0:
        records = pd.read_parquet(tmp_path / "r.parquet")
        rejects = pd.read_csv(tmp_path / "r.rejects.csv")
        manifest = json.loads((tmp_path / "r.manifest.json").read_text())
        assert len(records) + len(rejects) >= 1
        counts = manifest["stages"]["ingest"]["by_source"]["broken"]
        assert counts["rows_read"] == counts["records"] + counts["rejected"] + counts["dropped"]
        assert counts["rows_read"] >= 3  # not collapsed into one swallowed row
    else:
        assert result.exit_code == 1 and "Error:" in result.output and "broken.csv" in result.output
