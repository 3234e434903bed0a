"""Topics at scale: time and peak memory at 10,000 and 100,000 records, against plain BERTopic.

Prints ONE line per size: voiceline's ``fit_topics`` (fit on a 20,000-record sample, the rest
assigned by nearest centroid) and a plain default ``BERTopic().fit_transform`` on the same texts
and embeddings, each run in its own subprocess so its peak RSS is its own.

Texts: the New Haven descriptions, replicated to the count. Embeddings: the fast profile on the
distinct texts, replicated, with small seeded Gaussian noise (sigma 0.02, renormalised) so the
copies are not exact duplicates (exact duplicates make HDBSCAN degenerate, which real months
are not).

``--labels keyphrase`` times voiceline with its default spaCy keyphrase labels (the spaCy model
is loaded before the clock starts and its load time printed apart); the default ``keywords``
labels without spaCy.

    python bench/topics_scale.py [--sizes 10000,100000] [--skip-plain-above 100000]
                                 [--labels keywords|keyphrase]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
SCRATCH = Path(os.environ.get("VOICELINE_BENCH_SCRATCH", "/tmp/voiceline-scratch"))


def build(n: int, data: Path) -> tuple[list[str], np.ndarray]:
    import pandas as pd

    cache = SCRATCH / f"scale_{n}.npy"
    raw = pd.read_csv(data / "seeclickfix_newhaven_2014" / "newhaven_2014_train.csv")
    base = raw["Description"].fillna("").astype(str)
    base = base[base.str.strip().str.len() > 0].tolist()
    texts = [base[i % len(base)] for i in range(n)]
    if cache.is_file():
        return texts, np.load(cache)
    from voiceline.nlp.embeddings import load_encoder, normalise

    enc = load_encoder("fast")
    emb_base = enc.encode(base)
    rng = np.random.default_rng(0)
    emb = emb_base[np.arange(n) % len(base)] + rng.normal(0, 0.02, (n, emb_base.shape[1])).astype(
        np.float32
    )
    emb = normalise(emb)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    np.save(cache, emb)
    return texts, emb


def worker(kind: str, n: int, data: Path, labels: str = "keywords") -> None:
    texts, emb = build(n, data)
    spacy_secs = 0.0
    encoder = None
    if kind != "plain" and labels == "keyphrase":
        from voiceline.nlp.embeddings import load_encoder
        from voiceline.nlp.spacy_model import load_spacy

        t0 = time.perf_counter()
        load_spacy(profile="full")
        spacy_secs = time.perf_counter() - t0
        encoder = load_encoder("fast")  # phrases are encoded with the encoder of the embeddings
    t0 = time.perf_counter()
    if kind == "plain":
        from bertopic import BERTopic

        topics, _ = BERTopic().fit_transform(texts, embeddings=emb)
        outliers = float((np.asarray(topics) < 0).mean())
    else:
        import pandas as pd

        from voiceline.topics import fit_topics

        recs = pd.DataFrame({"record_id": [f"s{i:07d}" for i in range(n)], "text": texts})
        run = fit_topics(recs, embeddings=emb, encoder=encoder, labels=labels, max_fit_docs=20_000)
        outliers = run.summary["outlier_share"]
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB (Linux: KiB)
    print(json.dumps({"secs": secs, "peak_mib": peak, "outliers": outliers, "spacy": spacy_secs}))


def run(kind: str, n: int, data: Path, labels: str = "keywords") -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            kind,
            "--sizes",
            str(n),
            "--data",
            str(data),
            "--labels",
            labels,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--skip-plain-above", type=int, default=10**9)
    ap.add_argument("--worker", default=None)
    ap.add_argument("--labels", default="keywords", choices=["keywords", "keyphrase"])
    ap.add_argument(
        "--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    )
    args = ap.parse_args()
    data = Path(args.data)
    if args.worker:
        worker(args.worker, int(args.sizes), data, args.labels)
        return 0
    if not (data / "seeclickfix_newhaven_2014").is_dir():
        print("topics_scale: SKIPPED, New Haven data not found")
        return 0
    for n in (int(s) for s in args.sizes.split(",")):
        build(n, data)  # embeddings once, outside the timed workers
        ours = run("voiceline", n, data, args.labels)
        plain = run("plain", n, data) if n <= args.skip_plain_above else {"error": "skipped"}
        if "error" in ours:
            print(f"topics_scale n={n} voiceline FAILED: {ours['error']}")
            continue
        line = (
            f"topics_scale n={n} labels={args.labels} voiceline {ours['secs']:.1f}s "
            f"peak={ours['peak_mib']:.0f}MiB outliers={ours['outliers']:.3f}"
            + (f" (spaCy load {ours['spacy']:.1f}s apart)" if args.labels == "keyphrase" else "")
        )
        if "error" in plain:
            line += f" | plain BERTopic: {plain['error']}"
        else:
            line += (
                f" | plain BERTopic {plain['secs']:.1f}s peak={plain['peak_mib']:.0f}MiB "
                f"outliers={plain['outliers']:.3f} | time_ratio={ours['secs'] / plain['secs']:.2f} "
                f"mem_ratio={ours['peak_mib'] / plain['peak_mib']:.2f}"
            )
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
