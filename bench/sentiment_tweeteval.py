"""Sentiment on TweetEval validation (2,000 tweets): macro-recall, macro-F1 and speed per variant.

Prints one comparable line per variant, VADER first (the baseline: its records/s is the
reference for the ``x VADER`` speed ratio, measured in the same process, since these machines
are shared and noisy)::

    vader (compound, +-0.05)             macro-recall 0.5977 macro-F1 0.5602 ... 8,317 rec/s (1.00x)
    shipped, stage on cached embeddings  macro-recall 0.6852 macro-F1 0.6599 ... 3,424 rec/s (0.41x)
    shipped, stage + cold MiniLM (300)   macro-recall 0.6807 macro-F1 0.6537 ...    24 rec/s (0.00x)

"cold" times ``score_sentiment`` end to end with the encoder's disk cache empty (a fresh
temporary folder: every tweet is encoded and written to it); "cached embeddings" is the pipeline
case where the concerns stage already encoded the records, so sentiment costs features + head
only. ``--speed-limit`` caps the tweets timed cold; ``--profile fast`` benchmarks the shipped
fast-profile model (``models/sentiment-fast``, model2vec embeddings) instead.

``--grid POOL.npy --val-emb VAL.npy`` also refits the variants tried for the model card on
precomputed MiniLM embeddings of the shuffled training pool (see
scripts/train_sentiment_model.py) and prints one line each.

    python bench/sentiment_tweeteval.py
    python bench/sentiment_tweeteval.py --profile fast --speed-limit 2000   # models/sentiment-fast
    python bench/sentiment_tweeteval.py --grid /tmp/pool.npy --val-emb /tmp/val.npy --limit 20000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from train_sentiment_model import DATA, training_pool, tweeteval_validation  # noqa: E402

LABELS = ["negative", "neutral", "positive"]


def line(name: str, rep: dict, rate: float | None, base_rate: float | None) -> str:
    speed = ""
    if rate is not None and base_rate:
        speed = f" | {rate:7,.0f} rec/s ({rate / base_rate:.2f}x VADER)"
    return (
        f"{name:<46} macro-recall {rep['macro_recall']:.4f} macro-F1 {rep['macro_f1']:.4f}"
        f" acc {rep['accuracy']:.4f}{speed}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--speed-limit", type=int, default=500)
    parser.add_argument("--val-emb", type=Path, default=None)
    parser.add_argument("--grid", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-encoder timing")
    parser.add_argument(
        "--profile", choices=("accurate", "fast"), default="accurate", help="shipped model"
    )
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found (the real data lives beside the clone)")
        return 0

    import pandas as pd

    from voiceline.sentiment.evaluate import sentiment_report
    from voiceline.sentiment.features import text_features, vader_compound

    texts, gold = tweeteval_validation()
    records = pd.DataFrame({"record_id": [f"t{i}" for i in range(len(texts))], "text": texts})

    t0 = time.perf_counter()
    comp = vader_compound(texts)
    base_rate = len(texts) / (time.perf_counter() - t0)
    vader_pred = [
        "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral" for c in comp
    ]
    print(
        line("vader (compound, +-0.05)", sentiment_report(gold, vader_pred), base_rate, base_rate)
    )

    from voiceline.sentiment.model import load_default_model
    from voiceline.sentiment.score import score_sentiment

    model = load_default_model(profile=args.profile)
    tag = "shipped" if args.profile == "accurate" else "fast"
    if args.val_emb is not None:
        val_emb = np.load(args.val_emb)
    else:
        from voiceline.nlp.embeddings import load_encoder

        val_emb = load_encoder(args.profile).encode(texts)
    feats = text_features(texts)

    class Precomputed:
        """An encoder that returns the vectors already computed for these texts (cache hits)."""

        model_id = model.encoder_id_
        dim = val_emb.shape[1]
        lookup = dict(zip(texts, val_emb, strict=True))

        def encode(self, batch, **_):
            return np.stack([self.lookup[t] for t in batch]) if batch else np.zeros((0, self.dim))

    t0 = time.perf_counter()
    out = score_sentiment(records, model=model, encoder=Precomputed())
    cached_rate = len(texts) / (time.perf_counter() - t0)
    rep = sentiment_report(gold, out["label"].tolist())
    print(line(f"{tag}, stage on cached embeddings", rep, cached_rate, base_rate))
    if getattr(model, "ngrams_", None) is not None:  # the two parts of the blend, alone
        blend = model.ngram_weight
        for name, weight in ((f"{tag} head alone (no n-grams)", 0.0), ("n-grams alone", 1.0)):
            model.ngram_weight = weight
            t0 = time.perf_counter()
            out = score_sentiment(records, model=model, encoder=Precomputed())
            rate = len(texts) / (time.perf_counter() - t0)
            print(line(name, sentiment_report(gold, out["label"].tolist()), rate, base_rate))
        model.ngram_weight = blend

    if not args.no_cold:
        import tempfile

        from voiceline.nlp.embeddings import load_encoder

        enc_name = "MiniLM" if args.profile == "accurate" else "model2vec"
        with tempfile.TemporaryDirectory(prefix="voiceline-bench-") as empty_cache:
            cold = load_encoder(args.profile, cache_dir=empty_cache)
            cold.encode(["warm up"])  # loads the weights; the timed tweets are all misses
            sub = records.iloc[: args.speed_limit]
            t0 = time.perf_counter()
            out = score_sentiment(sub, model=model, encoder=cold)
            cold_rate = len(sub) / (time.perf_counter() - t0)
        rep = sentiment_report(gold[: len(sub)], out["label"].tolist())
        name = f"{tag}, stage + cold {enc_name} (first {len(sub)})"
        print(line(name, rep, cold_rate, base_rate))

    if args.grid is not None:
        grid(args, gold, texts, val_emb, feats)
    return 0


def grid(args, gold, texts, val_emb, feats) -> None:
    """Refit the variants tried for the model card on precomputed pool embeddings."""
    from voiceline.sentiment.evaluate import sentiment_report
    from voiceline.sentiment.features import text_features
    from voiceline.sentiment.model import MINILM_ENCODER_ID, SentimentModel

    emb = np.load(args.grid)
    n = min(len(emb), args.limit or len(emb))
    pool = training_pool().iloc[:n]
    emb = emb[:n]
    keep = pool["text"].str.strip().ne("").to_numpy()
    pool, emb = pool[keep].reset_index(drop=True), emb[keep]
    pool_feats = text_features(pool["text"].tolist())
    variants = []
    for sources in (("semeval",), ("semeval", "tse")):
        for use_features in (False, True):
            for cw, C in ((None, 1.0), ("balanced", 0.3), ("balanced", 1.0)):
                variants.append((sources, use_features, cw, C))
    for sources, use_features, cw, C in variants:
        mask = pool["source"].isin(sources).to_numpy()
        model = SentimentModel(C=C, use_features=use_features, class_weight=cw)
        model.fit(
            pool["text"][mask].tolist(),
            pool["label"][mask].tolist(),
            emb[mask],
            features=pool_feats[mask],
            encoder_id=MINILM_ENCODER_ID,
        )
        proba = model.predict_proba(texts, val_emb, features=feats)
        pred = [LABELS[i] for i in proba.argmax(axis=1)]
        name = f"{'+'.join(sources)} n={int(mask.sum())} vader={int(use_features)} cw={cw} C={C}"
        print(line(name, sentiment_report(gold, pred), None, None), flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
