"""The sample city end to end with the real models (slow tier), and a run killed mid-way.

The killed run is a real process killed with SIGKILL after it has written one period to the
store and started the next: the re-run must complete, and the store must hold each period once.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "pipelines" / "sample-city.yaml"

pytestmark = pytest.mark.slow

KEY = ["period", "neighborhood_id", "concern_id", "taxonomy_version"]


def _cmd(out: Path, *extra: str, profile: str = "fast") -> list[str]:
    return [
        sys.executable, "-m", "voiceline.cli", "run", str(CONFIG), "--no-progress",
        "--set", f"output={out}", "--set", f"profile={profile}", *extra,
    ]  # fmt: skip


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["VOICELINE_SALT"] = "test-salt"
    env.setdefault("VOICELINE_CACHE", str(tmp / "cache"))
    return env


def _trends(out: Path) -> pd.DataFrame:
    with sqlite3.connect(out / "voiceline.db") as con:
        return pd.read_sql("select * from trends", con)


def test_killed_run_resumes_and_store_holds_each_period_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = _env(tmp_path)
    proc = subprocess.Popen(
        _cmd(out), cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    seen: list[str] = []
    killed = False
    deadline = time.monotonic() + 400
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append(line)
        # the first period is in the store; the second has started: kill it there
        if "period 2026-10: concerns" in line:
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        if time.monotonic() > deadline:
            break
    proc.wait(timeout=60)
    assert killed, "the run never reached the second period:\n" + "".join(seen[-30:])
    assert proc.returncode == -signal.SIGKILL
    partial = _trends(out)
    assert sorted(partial["period"].unique()) == ["2026-09"]
    assert not (out / "2026-10" / "findings.parquet").exists()

    again = subprocess.run(
        _cmd(out), cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "ingest reused" in again.stdout  # the killed run had finished ingest
    trends = _trends(out)
    assert sorted(trends["period"].unique()) == ["2026-09", "2026-10"]
    assert not trends.duplicated(KEY).any()
    m9 = json.loads((out / "2026-09" / "manifest.json").read_text())["stages"]
    assert all(m9[s]["skipped"] for s in ("records", "concerns", "sentiment", "findings", "store"))
    m10 = json.loads((out / "2026-10" / "manifest.json").read_text())["stages"]
    assert not m10["findings"]["skipped"] and not m10["store"]["skipped"]

    # and a third run changes nothing in the store
    third = subprocess.run(
        _cmd(out), cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert third.returncode == 0, third.stdout + third.stderr
    assert third.stdout.count("ran nothing (all unchanged)") == 2
    pd.testing.assert_frame_equal(_trends(out), trends)
    report = (out / "2026-10" / "report.html").read_text()
    assert '<script src="http' not in report


def test_sample_city_accurate_run_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "acc"
    cmd = _cmd(out, profile="accurate")
    run = subprocess.run(
        cmd, cwd=REPO, env=_env(tmp_path), capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for period in ("2026-09", "2026-10"):
        folder = out / period
        findings = pd.read_parquet(folder / "findings.parquet")
        city = findings[findings["neighborhood_id"] == "ALL"]
        assert city["n_records"].fillna(0).sum() > 0
        assert (folder / "topic_info.parquet").exists() and (folder / "report.html").exists()
        # quotes are redacted text: no e-mail address or phone number survives
        quotes = " ".join(findings["quotes"].dropna())
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", quotes)
        assert not re.search(r"\(?\b\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\b", quotes)
    assert "Report:" in run.stdout and "Workbook:" in run.stdout and "Store:" in run.stdout
