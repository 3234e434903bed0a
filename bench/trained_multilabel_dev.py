"""Trained concern classifier on multi-label data: 5-fold micro- and macro-F1 on the dev set.

The project's own dev set (``bench/devsets/concerns_dev.csv``: 322 real resident texts from
``../shared/data``, each labeled with zero or more v1 concern ids by reading it) is the only
multi-label data here. It is small (several labels have fewer than 10 examples), so read the
figures as a check that an option helps or hurts on multi-label data, not as an accuracy claim.
Prints one line per variant (``--set`` options of :class:`TrainedConcernModel`, ``;``-separated
per variant; the default compares the shipped model with the neighbour vote off)::

    python bench/trained_multilabel_dev.py
    python bench/trained_multilabel_dev.py --variant "" --variant "knn_neighbors=0"
"""
from __future__ import annotations

import argparse
import ast
import os
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from zero_shot_eval import DATA, DEV, load_dev  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--variant", action="append", default=None, metavar="K=V;K=V",
                        help="options of one variant ('' = defaults); repeatable")
    args = parser.parse_args(argv)
    if not args.data.is_dir() or not DEV.is_file():
        print(f"skipped: {args.data} or {DEV} not found (needs ../shared/data)")
        return 0
    warnings.filterwarnings("ignore")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sklearn.metrics import f1_score
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import MultiLabelBinarizer

    from voiceline.concerns.trained import TrainedConcernModel
    from voiceline.nlp.embeddings import load_encoder

    dev = load_dev(args.data)
    texts = dev["text"].tolist()
    labels = [sorted(row) for row in dev["labels"]]
    encoder = load_encoder("accurate")
    emb = np.asarray(encoder.encode(texts), dtype=np.float32)
    binarizer = MultiLabelBinarizer().fit(labels)
    Y = binarizer.transform(labels)
    folds = list(KFold(args.folds, shuffle=True, random_state=0).split(texts))
    for variant in args.variant if args.variant is not None else ["", "knn_neighbors=0"]:
        options = {
            k.strip(): ast.literal_eval(v)
            for k, v in (p.split("=", 1) for p in variant.split(";") if p.strip())
        }
        pred = np.zeros_like(Y)
        for train, test in folds:
            model = TrainedConcernModel(encoder=encoder, **options).fit(
                [texts[i] for i in train], [labels[i] for i in train], embeddings=emb[train])
            found = model.predict([texts[i] for i in test], embeddings=emb[test])
            pred[test] = binarizer.transform(
                [[c for c in row if c in binarizer.classes_] for row in found])
        print(
            f"dev multi-label {args.folds}-fold ({len(texts)} texts, {Y.shape[1]} labels) "
            f"{options or 'defaults'}: micro-F1 {f1_score(Y, pred, average='micro'):.3f}, "
            f"macro-F1 {f1_score(Y, pred, average='macro', zero_division=0):.3f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
