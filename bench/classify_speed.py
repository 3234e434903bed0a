"""Zero-shot classify throughput, fast vs accurate profile, cold embedding cache.

Prints one line per profile on English pol.is comments of typical length (segmentation,
encoding of every distinct segment and record, scoring):

    classify fast: 2,000 records (mean 104 chars) in 1.9 s = 1,050 records/s (cold cache)
    classify accurate: 300 records (mean 104 chars) in 20.5 s = 15 records/s (cold cache); fast/accurate 71x

The accurate profile runs on fewer records (it is ~100x slower); the ratio is the comparable
figure, records/s the absolute one for this machine. Models load before the timing (a run pays
that once); the embedding cache is a fresh temporary folder, so nothing is reused.

    python bench/classify_speed.py [--n 2000] [--n-accurate 300]
"""

from __future__ import annotations

import argparse
import glob
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()
ENGLISH = ("15-per-hour-seattle", "scoop-hivemind", "brexit-consensus", "canadian-electoral-reform",
           "football-concussions", "march-on")


def comments(n: int):
    import pandas as pd

    texts: list[str] = []
    for path in sorted(glob.glob(str(DATA / "polis_opendata" / "*" / "comments.csv"))):
        if not any(tag in path for tag in ENGLISH):
            continue
        frame = pd.read_csv(path)
        frame = frame[frame["moderated"] != -1]
        texts += [t for t in frame["comment-body"].dropna().astype(str) if 20 <= len(t) <= 400]
    texts = sorted(set(texts))[:n]
    return pd.DataFrame({"record_id": [f"r{i}" for i in range(len(texts))], "text": texts})


def run(profile: str, records, cache_dir: str) -> float:
    from voiceline.concerns.classify import classify_concerns
    from voiceline.concerns.zero_shot import ZeroShotClassifier
    from voiceline.nlp.embeddings import load_encoder

    encoder = load_encoder(profile, cache_dir=cache_dir)  # type: ignore[arg-type]
    model = ZeroShotClassifier(encoder=encoder).fit()  # taxonomy examples: encoded before timing
    start = time.perf_counter()
    classify_concerns(records, model=model, encoder=encoder)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--n-accurate", type=int, default=300)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: real data not found at {DATA}")
        return
    records = comments(args.n)
    mean = records["text"].str.len().mean()
    with tempfile.TemporaryDirectory() as cache:
        fast_s = run("fast", records, cache)
    fast_rate = len(records) / fast_s
    print(f"classify fast: {len(records):,} records (mean {mean:.0f} chars) in {fast_s:.1f} s = "
          f"{fast_rate:,.0f} records/s (cold cache)")
    small = records.iloc[: args.n_accurate]
    with tempfile.TemporaryDirectory() as cache:
        acc_s = run("accurate", small, cache)
    acc_rate = len(small) / acc_s
    print(f"classify accurate: {len(small):,} records (mean {small['text'].str.len().mean():.0f} chars) "
          f"in {acc_s:.1f} s = {acc_rate:,.0f} records/s (cold cache); fast/accurate {fast_rate / acc_rate:.0f}x")


if __name__ == "__main__":
    main()
