"""The whole monthly run: the sample city, and a 100,000-record month on the fast profile.

Prints ONE line per measurement:

- ``sample``: ``voiceline run pipelines/sample-city.yaml`` on an empty embedding cache, then the
  same command again (everything cached: stages skipped), as seconds and the re-run's ratio.
- ``month``: a synthetic month of N records built from REAL texts (New Haven resident reports,
  pol.is civic comments, TweetEval tweets), each made distinct by joining it with a sentence of
  another record (exact copies would be deduplicated and cached, flattering the figure), spread
  over the sample city's neighborhoods and the days of 2026-10, as one CSV source. Redaction is
  on. The run is timed per stage (from the manifest) with its peak RSS, beside a baseline
  measured in the same script: a pandas keyword count of the same CSV (read, lowercase, one
  regex per concern from the taxonomy's keywords, group by neighborhood), so the ratio can be
  compared between machines and loads.

    python bench/run_month.py [--records 100000] [--profile fast] [--skip-sample] [--no-topics]

Needs ../shared/data (skips the month with a message when absent).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()
GAZETTEER = REPO / "sample_data" / "gazetteer" / "gazetteer.yaml"


def _voiceline(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "voiceline.cli", *args], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
        raise SystemExit(f"voiceline {' '.join(args)} failed with exit code {proc.returncode}")
    return seconds, proc


def sample(scratch: Path) -> None:
    env = dict(os.environ, VOICELINE_CACHE=str(scratch / "cache-sample"), VOICELINE_SALT="bench")
    args = [
        "run",
        str(REPO / "pipelines" / "sample-city.yaml"),
        "--no-progress",
        "--set",
        f"output={scratch / 'sample-out'}",
    ]
    first, _ = _voiceline(args, env)
    again, proc = _voiceline(args, env)
    skipped = proc.stdout.count("ran nothing")
    print(
        f"sample  first_s={first:.1f} rerun_s={again:.1f} rerun/first={again / first:.2f} "
        f"periods_all_skipped={skipped}",
        flush=True,
    )


def _real_texts() -> dict[str, list[str]]:
    import pandas as pd

    nh = pd.read_csv(DATA / "seeclickfix_newhaven_2014" / "newhaven_2014_train.csv")
    polis = pd.concat(
        [pd.read_csv(p) for p in sorted((DATA / "polis_opendata").glob("*/comments.csv"))]
    )
    tweets = []
    for p in sorted((DATA / "tweeteval_sentiment").glob("*text*.txt")):
        tweets.extend(p.read_text(encoding="utf-8").splitlines())

    def clean(xs):
        return [str(x).strip() for x in xs if isinstance(x, str) and len(str(x).strip()) > 15]

    return {
        "report": clean(nh["Description"]),
        "social": clean(polis["comment-body"]) + clean(tweets),
    }


def build_month(n: int, folder: Path) -> Path:
    import pandas as pd
    import yaml

    gaz = yaml.safe_load(GAZETTEER.read_text())
    hoods = [nb["name"] for nb in gaz["neighborhoods"]]
    pools = _real_texts()
    rng = random.Random(0)
    rows = []
    for i in range(n):
        kind = "report" if i % 2 == 0 else "social"
        pool = pools[kind]
        a, b = pool[rng.randrange(len(pool))], pool[rng.randrange(len(pool))]
        tail = re.split(r"(?<=[.!?])\s+", b)[0][:200]
        rows.append(
            {
                "id": f"m{i}",
                "date": f"2026-10-{rng.randint(1, 31):02d} "
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                "neighborhood": rng.choice(hoods) if rng.random() < 0.8 else "",
                "author": f"u{rng.randrange(n // 3)}",
                "kind": kind,
                "text": f"{a} {tail}",
            }
        )
    path = folder / "month.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def baseline(csv: Path) -> float:
    """A pandas keyword count of the same file: what a quick script would do."""
    import pandas as pd
    import yaml

    tax = yaml.safe_load((REPO / "models" / "taxonomy" / "community-safety-v1.yaml").read_text())
    started = time.perf_counter()
    frame = pd.read_csv(csv)
    low = frame["text"].str.lower()
    counts = {}
    for concern in tax["concerns"]:
        words = [re.escape(k.lower()) for k in concern.get("keywords", [])]
        if words:
            hit = low.str.contains("|".join(words), regex=True)
            counts[concern["id"]] = hit.groupby(frame["neighborhood"]).sum()
    pd.DataFrame(counts)
    return time.perf_counter() - started


def month(n: int, profile: str, topics: bool, scratch: Path) -> None:
    if not DATA.is_dir():
        print(f"month   skipped: real data not found at {DATA}")
        return
    folder = scratch / f"month-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / "month.csv"
    if not csv.exists():
        build_month(n, folder)
    cfg = folder / "job.yaml"
    cfg.write_text(
        f"""name: bench-month
timezone: America/New_York
gazetteer: {GAZETTEER}
sources:
  - name: month
    path: {csv}
    mapping:
      text_columns: [text]
      id_column: id
      date_column: date
      neighborhood_column: neighborhood
      author_column: author
profile: {profile}
topics:
  enabled: {str(topics).lower()}
output: {folder / "out"}
"""
    )
    base = baseline(csv)
    env = dict(os.environ, VOICELINE_CACHE=str(folder / "cache"), VOICELINE_SALT="bench")
    seconds, _ = _voiceline(["run", str(cfg), "--no-progress", "--force"], env)
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    ingest = json.loads((folder / "out" / "ingest" / "manifest.json").read_text())["stages"]
    period = json.loads((folder / "out" / "2026-10" / "manifest.json").read_text())["stages"]
    stages = {"ingest": ingest["ingest"]["seconds"]} | {k: v["seconds"] for k, v in period.items()}
    parts = " ".join(f"{k}_s={v:.0f}" for k, v in stages.items())
    print(
        f"month   records={n} profile={profile} total_s={seconds:.0f} ({seconds / 60:.1f} min) "
        f"{parts} peak_rss_gb={peak_gb:.2f} baseline_keyword_count_s={base:.1f} "
        f"ratio={seconds / base:.0f}x records_out={period['records']['records_out']}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--profile", default="fast", choices=["fast", "accurate"])
    ap.add_argument("--skip-sample", action="store_true")
    ap.add_argument("--skip-month", action="store_true")
    ap.add_argument("--no-topics", action="store_true")
    ap.add_argument("--scratch", type=Path, default=None)
    args = ap.parse_args()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="voiceline-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    if not args.skip_sample:
        sample(scratch)
    if not args.skip_month:
        month(args.records, args.profile, not args.no_topics, scratch)


if __name__ == "__main__":
    main()
