"""Ingest throughput and peak memory on the real pol.is and New Haven files, redaction on.

Prints one comparable line per dataset:

    ingest polis: 9,776 rows -> 5,766 records (mean 99 chars) in 15.0 s = 384 records/s (+ read 0.4 s);
      bare spaCy pass over the same 5,766 texts 11.0 s (ingest/spaCy ratio 1.36); peak RSS 700 MB

The ratio against a bare ``nlp.pipe`` over the same texts, timed in the same process, is the
figure to compare across machines (these machines are shared and noisy); records/s is the
absolute figure for this machine. Each dataset runs in its own process so peak memory is its own.

    python bench/ingest_throughput.py            # both datasets
    python bench/ingest_throughput.py --only polis --limit 2000
"""

from __future__ import annotations

import argparse
import glob
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()


def dataset_sources(name: str) -> list[dict]:
    if name == "polis":
        files = sorted(glob.glob(str(DATA / "polis_opendata" / "*" / "comments.csv")))
        return [
            {"name": f"polis-{Path(f).parent.name}", "path": f, "type": "social"} for f in files
        ]
    if name == "newhaven":
        return [
            {
                "name": "newhaven",
                "path": str(DATA / "seeclickfix_newhaven_2014" / "newhaven_2014_train.csv"),
                "type": "report",
            }
        ]
    raise SystemExit(f"unknown dataset {name}")


def run_one(name: str, limit: int | None) -> dict:
    import pandas as pd

    from voiceline.config import PipelineConfig, SourceConfig
    from voiceline.ingest.language import detect_languages
    from voiceline.ingest.privacy import Redactor
    from voiceline.ingest.readers import read_source
    from voiceline.ingest.stage import ingest_frame
    from voiceline.nlp.spacy_model import load_spacy

    sources = [SourceConfig(**s) for s in dataset_sources(name)]
    cfg = PipelineConfig(sources=sources, timezone="America/New_York")
    t0 = time.perf_counter()
    raw = pd.concat([read_source(s.path, source=s) for s in sources], ignore_index=True)
    if limit:
        raw = raw.iloc[:limit]
    read_s = time.perf_counter() - t0

    # Models load once per process, outside both timings (a long run pays this once).
    nlp = load_spacy()
    list(nlp.pipe(["warm up"]))
    redactor = Redactor(entities=cfg.privacy.entities, score_threshold=cfg.privacy.score_threshold)
    redactor.redact(["warm up, call 555-0100"])
    detect_languages(["warm up the language detector"], languages=cfg.ingest.languages)
    t1 = time.perf_counter()
    result = ingest_frame(raw, config=cfg, salt="bench", redactor=redactor)
    ingest_s = time.perf_counter() - t1

    # the baseline: one bare spaCy pass over the texts ingest had to process (drops excluded)
    texts = [
        str(t) for t in raw.loc[raw["reject_reason"].isna(), "text"].fillna("") if str(t).strip()
    ]
    t2 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=cfg.ingest.batch_size):
        pass
    spacy_s = time.perf_counter() - t2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "dataset": name,
        "rows": len(raw),
        "processed": len(texts),
        "records": len(result.records),
        "read_s": read_s,
        "ingest_s": ingest_s,
        "spacy_s": spacy_s,
        "peak_mb": peak_mb,
        "mean_chars": float(result.records["text"].str.len().mean())
        if len(result.records)
        else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["polis", "newhaven"])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: real data not found at {DATA}")
        return
    if args.child:
        print(json.dumps(run_one(args.only, args.limit)))
        return
    for name in [args.only] if args.only else ["polis", "newhaven"]:
        cmd = [sys.executable, __file__, "--child", "--only", name]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rate = r["records"] / r["ingest_s"]
        print(
            f"ingest {r['dataset']}: {r['rows']:,} rows -> {r['records']:,} records "
            f"(mean {r['mean_chars']:.0f} chars) in {r['ingest_s']:.1f} s = {rate:,.0f} records/s "
            f"(+ read {r['read_s']:.1f} s); bare spaCy pass over the same {r['processed']:,} texts "
            f"{r['spacy_s']:.1f} s (ingest/spaCy ratio {r['ingest_s'] / r['spacy_s']:.2f}); "
            f"peak RSS {r['peak_mb']:,.0f} MB"
        )


if __name__ == "__main__":
    main()
