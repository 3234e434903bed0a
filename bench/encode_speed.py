"""Encoding speed of both profiles and of the embedding cache's hit path, on real pol.is comments.

Prints one comparable line per measurement:

    encode accurate: 3,000 texts (mean 92 chars) in 60.0 s = 50 texts/s (baseline)
    encode fast: 3,000 texts in 0.30 s = 10,000 texts/s (fast/accurate speed ratio 200)
    encode cache-hit accurate: 3,000 texts in 0.20 s = 15,000 texts/s (hit/accurate ratio 300)

The ratios against MiniLM, timed in the same process, are the figures to compare across
machines (these machines are shared and noisy); texts/s is the absolute figure for this machine.
Models load once, outside the timings. The cache is a temporary file, so nothing is kept.

    python bench/encode_speed.py                 # 3,000 English pol.is comments
    python bench/encode_speed.py --limit 500
"""
from __future__ import annotations

import argparse
import glob
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()


def polis_comments(limit: int) -> list[str]:
    """Distinct English pol.is comments (a crude ASCII filter drops German and Chinese ones)."""
    import pandas as pd

    files = sorted(glob.glob(str(DATA / "polis_opendata" / "*" / "comments.csv")))
    if not files:
        raise SystemExit(f"no pol.is comments under {DATA / 'polis_opendata'}")
    seen: dict[str, None] = {}
    for path in files:
        for text in pd.read_csv(path)["comment-body"].dropna().astype(str):
            text = text.strip()
            if text and sum(c.isascii() for c in text) / len(text) > 0.95:
                seen.setdefault(text, None)
    texts = list(seen)
    if len(texts) < limit:
        print(f"(only {len(texts)} distinct English comments; using all of them)")
    return texts[:limit]


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=3000)
    args = parser.parse_args()

    from voiceline.nlp.cache import CachedEncoder, EmbeddingCache
    from voiceline.nlp.embeddings import load_encoder

    texts = polis_comments(args.limit)
    n = len(texts)
    mean_chars = sum(map(len, texts)) / n
    accurate = load_encoder("accurate", use_cache=False)
    fast = load_encoder("fast", use_cache=False)
    accurate.encode(["warm up"])
    fast.encode(["warm up"])

    acc_s, acc_vecs = timed(accurate.encode, texts, batch_size=64)
    print(
        f"encode accurate: {n:,} texts (mean {mean_chars:.0f} chars) in {acc_s:.1f} s = "
        f"{n / acc_s:,.0f} texts/s (baseline)"
    )
    fast_s, _ = timed(fast.encode, texts)
    print(
        f"encode fast: {n:,} texts in {fast_s:.2f} s = {n / fast_s:,.0f} texts/s "
        f"(fast/accurate speed ratio {acc_s / fast_s:,.0f})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "embeddings.sqlite"
        from voiceline.nlp.cache import text_hash

        EmbeddingCache.open(path).put_many(
            accurate.model_id, zip((text_hash(t) for t in texts), acc_vecs, strict=True)
        )
        hit = CachedEncoder(accurate, EmbeddingCache.open(path))  # a later run: fresh instance
        hit_s, hit_vecs = timed(hit.encode, texts)
        assert hit.stats.misses == 0, hit.stats
        assert (hit_vecs == acc_vecs).all()
        print(
            f"encode cache-hit accurate: {n:,} texts in {hit_s:.2f} s = {n / hit_s:,.0f} "
            f"texts/s (hit/accurate ratio {acc_s / hit_s:,.0f})"
        )


if __name__ == "__main__":
    main()
