"""Topic quality on BBC News (OCTIS preprocessing): NPMI, topic diversity and NMI, 10 to 50 topics.

Prints ONE line: averages over nr_topics 10, 20, 30, 40, 50 for a plain
``BERTopic(nr_topics=N, min_topic_size=5)`` on the bundled MiniLM (the baseline; the BERTopic
paper reports 0.170 / 0.802 with MiniLM) and for voiceline's configuration on each profile.

NPMI is computed as OCTIS does: gensim ``CoherenceModel(coherence="c_npmi", topn=10)`` over the
corpus itself (boolean sliding windows of 10 tokens), on each topic's top-10 words, outlier topic
excluded; diversity is unique words / all top-10 words; NMI compares document topics with the 5
labels. UMAP (same settings as BERTopic's default, seeded) is computed once per embedding set and
shared by every nr_topics (a precomputed reducer): this removes run-to-run UMAP noise from the
comparison and saves four fits per profile.

    python bench/topics_bbc.py [--profiles accurate,fast] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

NS = (10, 20, 30, 40, 50)


class Precomputed:
    """A reducer that returns UMAP coordinates computed once (BERTopic calls fit/transform)."""

    def __init__(self, reduced: np.ndarray) -> None:
        self.reduced = reduced

    def fit(self, X, y=None):  # noqa: N803 - sklearn signature
        return self

    def transform(self, X):  # noqa: N803
        return self.reduced


def umap_once(emb: np.ndarray) -> np.ndarray:
    from umap import UMAP

    return UMAP(
        n_neighbors=15,
        n_components=5,
        min_dist=0.0,
        metric="cosine",
        random_state=0,
        n_jobs=1,
        low_memory=True,
    ).fit_transform(emb)


def scores(
    topic_words: list[list[str]], texts, dictionary, labels, doc_topics
) -> tuple[float, float, float]:
    from gensim.models.coherencemodel import CoherenceModel
    from sklearn.metrics import normalized_mutual_info_score

    words = [[w for w in t if w in dictionary.token2id][:10] for t in topic_words]
    words = [w for w in words if len(w) >= 2]
    npmi = CoherenceModel(
        topics=words, texts=texts, dictionary=dictionary, coherence="c_npmi", topn=10, processes=1
    ).get_coherence()
    top = [w for t in words for w in t[:10]]
    diversity = len(set(top)) / len(top)
    return float(npmi), float(diversity), float(normalized_mutual_info_score(labels, doc_topics))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profiles", default="accurate,fast")
    ap.add_argument(
        "--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    )
    args = ap.parse_args()
    path = Path(args.data) / "bbc_news_octis" / "corpus.tsv"
    if not path.is_file():
        print(f"topics_bbc: SKIPPED, {path} not found")
        return 0
    import pandas as pd
    from bertopic import BERTopic
    from gensim.corpora import Dictionary
    from hdbscan import HDBSCAN

    from voiceline.nlp.embeddings import load_encoder
    from voiceline.topics import fit_topics

    corpus = pd.read_csv(
        path,
        sep="\t",
        header=None,
        names=["text", "split", "label"],
        quoting=3,
        keep_default_na=False,
    )
    docs = corpus["text"].astype(str).tolist()
    labels = corpus["label"].astype(str).to_numpy()
    texts = [d.split() for d in docs]
    dictionary = Dictionary(texts)
    records = pd.DataFrame({"record_id": [f"bbc-{i:05d}" for i in range(len(docs))], "text": docs})
    out = []
    for profile in args.profiles.split(","):
        encoder = load_encoder(profile)
        emb = encoder.encode(docs)
        reduced = umap_once(emb)
        rows = {"plain": [], "voiceline": []}
        t_plain = t_ours = 0.0
        for n in NS:
            t0 = time.perf_counter()
            bt = BERTopic(nr_topics=n, min_topic_size=5, umap_model=Precomputed(reduced))
            doc_topics, _ = bt.fit_transform(docs, embeddings=emb)
            t_plain += time.perf_counter() - t0
            words = [[w for w, _ in bt.get_topic(t)] for t in sorted(bt.get_topics()) if t != -1]
            rows["plain"].append(scores(words, texts, dictionary, labels, doc_topics))
            t0 = time.perf_counter()
            run = fit_topics(
                records,
                embeddings=emb,
                encoder=encoder,
                nr_topics=n,
                min_topic_size=5,
                labels="keywords",
                umap_model=Precomputed(reduced),
                hdbscan_model=HDBSCAN(min_cluster_size=5, prediction_data=False),
            )
            t_ours += time.perf_counter() - t0
            rows["voiceline"].append(
                scores(
                    run.info.keywords.tolist(),
                    texts,
                    dictionary,
                    labels,
                    run.topics.topic_id.to_numpy(),
                )
            )
        for name, vals in rows.items():
            m = np.mean(vals, axis=0)
            extra = f" outliers={run.summary['outlier_share']:.3f}" if name == "voiceline" else ""
            out.append(f"{name}/{profile} npmi={m[0]:.3f} div={m[1]:.3f} nmi={m[2]:.3f}{extra}")
        out.append(f"time_ratio/{profile}={t_ours / t_plain:.2f}")
    print("topics_bbc (mean over nr_topics 10-50) " + " | ".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
