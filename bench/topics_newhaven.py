"""Topics on the New Haven SeeClickFix descriptions: outlier share, NMI against Category, stability.

Prints ONE line: voiceline's outlier share and NMI (topics vs the reporter's Category) next to a
plain ``BERTopic(min_topic_size=10)`` on the same embeddings, and the share of records that keep
their topic id when 10 % new records are added (refit with ``previous=``). Both fits are timed
after numba's one-off compilation (UMAP and pynndescent) and after spaCy is loaded.

    python bench/topics_newhaven.py [--profile accurate|fast] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="accurate", choices=["accurate", "fast"])
    ap.add_argument(
        "--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    )
    ap.add_argument("--min-topic-size", type=int, default=10)
    ap.add_argument("--labels", default="keyphrase", choices=["keyphrase", "keywords"])
    args = ap.parse_args()
    path = Path(args.data) / "seeclickfix_newhaven_2014" / "newhaven_2014_train.csv"
    if not path.is_file():
        print(f"topics_newhaven: SKIPPED, {path} not found")
        return 0
    from sklearn.metrics import normalized_mutual_info_score

    from voiceline.nlp.embeddings import load_encoder
    from voiceline.topics import fit_topics

    raw = pd.read_csv(path)
    raw = raw[raw["Description"].fillna("").str.strip().str.len() > 0]
    records = pd.DataFrame(
        {
            "record_id": "nh-" + raw["Id"].astype(str),
            "text": raw["Description"].astype(str),
            "neighborhood_id": raw["police_district"].astype(str),
        }
    ).reset_index(drop=True)
    category = raw["Category"].astype(str).to_numpy()
    encoder = load_encoder(args.profile)
    t0 = time.perf_counter()
    emb = encoder.encode(records["text"].tolist())
    t_enc = time.perf_counter() - t0

    # warm-up: numba compiles UMAP on its first call in a process, and pynndescent (the nearest
    # neighbours of 4,096 points or more) on its first call too (about 90 s on 2 cores); neither
    # timing should pay it, so both paths run once on 4,500 random points first
    from umap import UMAP

    warm = np.random.default_rng(0).normal(size=(4500, emb.shape[1])).astype(np.float32)
    UMAP(n_neighbors=15, n_components=5, metric="cosine", random_state=0, n_jobs=1).fit(warm)
    UMAP(n_neighbors=15, n_components=5, metric="cosine").fit(warm)
    t_spacy = 0.0
    if args.labels == "keyphrase":  # loaded once per process, as in a pipeline run
        from voiceline.nlp.spacy_model import load_spacy

        t0 = time.perf_counter()
        load_spacy(profile="full")
        t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    run = fit_topics(
        records,
        embeddings=emb,
        encoder=encoder,
        labels=args.labels,
        min_topic_size=args.min_topic_size,
    )
    t_fit = time.perf_counter() - t0
    topics = run.topics.topic_id.to_numpy()
    nmi = normalized_mutual_info_score(category, topics)

    # plain BERTopic on the same embeddings
    from bertopic import BERTopic

    t0 = time.perf_counter()
    plain, _ = BERTopic(min_topic_size=args.min_topic_size).fit_transform(
        records["text"].tolist(), embeddings=emb
    )
    t_plain = time.perf_counter() - t0
    plain = np.asarray(plain)
    nmi_plain = normalized_mutual_info_score(category, plain)

    # stability: fit on 90 %, then on all with previous=; share of the 90 % keeping their id
    rng = np.random.default_rng(0)
    base = np.sort(rng.choice(len(records), size=int(0.9 * len(records)), replace=False))
    first = fit_topics(
        records.iloc[base],
        embeddings=emb[base],
        encoder=encoder,
        labels="keywords",
        min_topic_size=args.min_topic_size,
    )
    second = fit_topics(
        records,
        embeddings=emb,
        encoder=encoder,
        labels="keywords",
        min_topic_size=args.min_topic_size,
        previous=first.model,
    )
    a = first.topics.set_index("record_id").topic_id
    b = second.topics.set_index("record_id").topic_id.loc[a.index]
    kept = float((a.to_numpy() == b.to_numpy()).mean())
    print(
        f"topics_newhaven profile={args.profile} n={len(records)} topics={run.summary['n_topics']} "
        f"outliers={run.summary['outlier_share']:.3f} "
        f"(before_reassign={run.summary['outlier_share_before_reassignment']:.3f}) nmi={nmi:.3f} | "
        f"plain_bertopic topics={plain.max() + 1} outliers={(plain < 0).mean():.3f} "
        f"nmi={nmi_plain:.3f} | "
        f"stability_10pct_added={kept:.3f} | fit_time_ratio={t_fit / t_plain:.2f} "
        f"(fit {t_fit:.1f}s incl. labels, plain {t_plain:.1f}s, encode {t_enc:.1f}s, "
        f"spaCy load {t_spacy:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
