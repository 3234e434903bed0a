"""Reproduce the shipped sentiment model (``models/sentiment``) from ../shared/data.

Why a script: the model card must say exactly what the model was trained on, and anyone with
the public data must be able to rebuild it bit for bit. The recipe:

1. SemEval-2017 task 4A pool (``semeval2017_4a_train_pool.csv``, ``in_tweeteval_val == 0`` and
   ``is_norm_duplicate == 0``: 47,476 tweets, the ``text_tweeteval_style`` column so ``@user``
   matches TweetEval) and Tweet Sentiment Extraction (``train_10fold.csv``, 27,480 tweets, CC BY
   4.0), concatenated in that order and shuffled with ``random_state=0``;
2. the first ``--limit`` rows of that shuffled pool (all when omitted), then ``--sources``
   (``semeval``, ``tse`` or both), empty texts dropped;
3. embedded with the ``accurate`` encoder (MiniLM; ``--embeddings FILE.npy`` reuses vectors
   computed for exactly the shuffled pool's first rows, in order), text features computed;
4. :func:`voiceline.sentiment.train.train_sentiment` with :data:`SHIPPED_PARAMS`; the TF-IDF
   n-gram part of the blend (``ngram_weight``, :mod:`voiceline.sentiment.ngrams`) needs no
   embeddings, so it trains on EVERY row of the pool (``--sources`` filtered, ``--limit`` not
   applied; ``--ngram-weight 0`` turns it off);
   the project-written resident examples (``models/sentiment/resident_examples.csv``, 56
   sentences of resident feedback, none from real data) are added with weight
   ``--resident-weight`` so complaints without sentiment words ("is getting out of hand") are
   read as residents mean them;
   ``--profile fast`` does the same with the ``fast`` encoder (model2vec, 256 dims) and writes
   ``models/sentiment-fast``: encoding is cheap there, so the head sees every row too (no
   ``--limit``) and the blend weight is :data:`FAST_NGRAM_WEIGHT` (5-fold CV, MODEL_CARD.md);
5. scored on TweetEval validation (model selection only: never trained on) and saved with the
   figures in ``model.json``.

Example::

    python scripts/train_sentiment_model.py -o models/sentiment
    python scripts/train_sentiment_model.py --limit 20000 --embeddings /tmp/emb.npy -o /tmp/m
    python scripts/train_sentiment_model.py --profile fast   # -> models/sentiment-fast
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()
SEED = 0
RESIDENT_EXAMPLES = REPO / "models" / "sentiment" / "resident_examples.csv"
RESIDENT_WEIGHT = 0.0
FAST_NGRAM_WEIGHT = 0.7
"""Blend weight of the ``fast`` profile's n-gram half (5-fold CV on the pool, MODEL_CARD.md)."""


def training_pool(data: Path = DATA) -> pd.DataFrame:
    """The shuffled pool: columns ``source``, ``text``, ``label`` (see the module docstring)."""
    sem = pd.read_csv(data / "semeval2017_task4a" / "semeval2017_4a_train_pool.csv")
    sem = sem[(sem["in_tweeteval_val"] == 0) & (sem["is_norm_duplicate"] == 0)]
    tse = pd.read_csv(data / "tweet_sentiment_extraction" / "train_10fold.csv")
    pool = pd.concat(
        [
            pd.DataFrame(
                {
                    "source": "semeval",
                    "text": sem["text_tweeteval_style"].astype(str).to_numpy(),
                    "label": sem["label"].to_numpy(),
                }
            ),
            pd.DataFrame(
                {
                    "source": "tse",
                    "text": tse["text"].fillna("").astype(str).str.strip().to_numpy(),
                    "label": tse["sentiment"].to_numpy(),
                }
            ),
        ],
        ignore_index=True,
    )
    return pool.sample(frac=1.0, random_state=SEED).reset_index(drop=True)


def tweeteval_validation(data: Path = DATA) -> tuple[list[str], list[str]]:
    """TweetEval sentiment validation texts and labels (0 negative, 1 neutral, 2 positive)."""
    folder = data / "tweeteval_sentiment"
    names = ["negative", "neutral", "positive"]
    texts = (folder / "val_text.txt").read_text(encoding="utf-8").split("\n")
    labels = [names[int(x)] for x in (folder / "val_labels.txt").read_text().split()]
    return texts[: len(labels)], labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=None, help="default: the profile's")
    parser.add_argument(
        "--profile", choices=("accurate", "fast"), default="accurate", help="encoder profile"
    )
    parser.add_argument("--limit", type=int, default=None, help="first N rows of the shuffled pool")
    parser.add_argument("--sources", default="semeval,tse", help="semeval, tse or both")
    parser.add_argument(
        "--embeddings", type=Path, default=None, help="precomputed .npy, pool order"
    )
    parser.add_argument("--val-embeddings", type=Path, default=None, help="precomputed .npy")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--resident-weight", type=float, default=RESIDENT_WEIGHT)
    parser.add_argument(
        "--ngram-weight", type=float, default=None, help="blend weight (default: shipped)"
    )
    args = parser.parse_args(argv)

    from voiceline.sentiment.evaluate import sentiment_report
    from voiceline.sentiment.model import default_model_dir
    from voiceline.sentiment.train import SHIPPED_PARAMS, train_sentiment

    if not args.data.is_dir():
        print(f"Error: the training data folder {args.data} does not exist.", file=sys.stderr)
        return 1
    full_pool = training_pool(args.data)
    n = args.limit or len(full_pool)
    pool = full_pool.iloc[:n]
    emb = None
    if args.embeddings is not None:
        emb = np.load(args.embeddings)[:n]
        if len(emb) < n:
            print(f"Error: {args.embeddings} has {len(emb)} rows, need {n}.", file=sys.stderr)
            return 1
    sources = {s.strip() for s in args.sources.split(",")}
    keep = pool["source"].isin(sources).to_numpy() & pool["text"].str.strip().ne("").to_numpy()
    pool = pool[keep].reset_index(drop=True)
    ngram_pool = full_pool[
        full_pool["source"].isin(sources) & full_pool["text"].str.strip().ne("")
    ].reset_index(drop=True)
    if args.out is None:
        args.out = default_model_dir(args.profile)
    params = dict(SHIPPED_PARAMS)
    if args.profile == "fast":
        params["ngram_weight"] = FAST_NGRAM_WEIGHT
    if args.ngram_weight is not None:
        params["ngram_weight"] = args.ngram_weight
    from voiceline.nlp.embeddings import load_encoder

    encoder = load_encoder(args.profile)
    resident = pd.read_csv(RESIDENT_EXAMPLES)
    resident["source"] = "resident"
    if emb is None:
        emb = encoder.encode(pool["text"].tolist())
    else:
        emb = emb[keep]
    weights = np.ones(len(pool) + len(resident))
    if args.resident_weight > 0:
        emb = np.vstack([emb, encoder.encode(resident["text"].tolist())])
        pool = pd.concat([pool, resident], ignore_index=True)
        weights[-len(resident) :] = args.resident_weight
    else:
        weights = weights[: len(pool)]
    t0 = time.perf_counter()
    model = train_sentiment(
        pool,
        embeddings=emb,
        encoder_id=encoder.model_id,
        encoder_profile=args.profile,
        sample_weight=weights,
        ngram_labels=ngram_pool if params.get("ngram_weight", 0) > 0 else None,
        **params,
    )
    fit_s = time.perf_counter() - t0

    val_texts, val_gold = tweeteval_validation(args.data)
    val_emb = np.load(args.val_embeddings) if args.val_embeddings is not None else None
    if val_emb is None:
        val_emb = encoder.encode(val_texts)
    proba = model.predict_proba(val_texts, val_emb)
    pred = [model.labels_[i] for i in proba.argmax(axis=1)]
    rep = sentiment_report(val_gold, pred)
    counts = pool.groupby(["source", "label"]).size()
    extra = {
        "data": {
            "semeval2017_task4a": int((pool["source"] == "semeval").sum()),
            "tweet_sentiment_extraction": int((pool["source"] == "tse").sum()),
            "resident_examples": int((pool["source"] == "resident").sum()),
            "resident_weight": args.resident_weight,
            "ngram_texts": len(ngram_pool) if params.get("ngram_weight", 0) > 0 else 0,
            "recipe": (
                f"scripts/train_sentiment_model.py --profile {args.profile} --limit {n} "
                f"--sources {args.sources} "
                f"--resident-weight {args.resident_weight} "
                f"--ngram-weight {params.get('ngram_weight', 0)}"
            ),
            "label_counts": {f"{s}/{lab}": int(v) for (s, lab), v in counts.items()},
        },
        "params": params,
        "tweeteval_validation": {
            "n": rep["n"],
            "macro_recall": round(rep["macro_recall"], 4),
            "macro_f1": round(rep["macro_f1"], 4),
            "accuracy": round(rep["accuracy"], 4),
        },
    }
    model.save(args.out, extra=extra)
    print(
        f"trained on {len(pool)} tweets in {fit_s:.1f} s; TweetEval validation macro-recall "
        f"{rep['macro_recall']:.4f} macro-F1 {rep['macro_f1']:.4f}; saved to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
