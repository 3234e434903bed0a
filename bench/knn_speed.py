"""What the trained model's neighbour vote costs at scoring time, against the linear head.

Random unit vectors stand in for MiniLM embeddings (the cost depends only on the shapes): a
model trained on ``--train`` examples with ``--labels`` labels scores ``--n`` records. Prints
one line: records/s of the neighbour vote and of the linear head on the same embeddings
(a dense (n, 384) x (384, labels) product plus its bias, i.e. the embedding part of the head),
and their ratio, measured in the same process::

    python bench/knn_speed.py [--n 100000] [--train 7000] [--labels 23]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--train", type=int, default=7_000)
    parser.add_argument("--labels", type=int, default=23)
    parser.add_argument("--dim", type=int, default=384)
    args = parser.parse_args(argv)
    from voiceline.concerns.neighbors import knn_votes, unit_rows

    rng = np.random.default_rng(0)
    ref = unit_rows(rng.normal(size=(args.train, args.dim)).astype(np.float32))
    Y = np.eye(args.labels, dtype=np.int8)[rng.integers(0, args.labels, args.train)]
    query = unit_rows(rng.normal(size=(args.n, args.dim)).astype(np.float32))
    coef = rng.normal(size=(args.labels, args.dim)).astype(np.float32)

    t0 = time.perf_counter()
    _ = query @ coef.T + 0.1
    linear = time.perf_counter() - t0
    t0 = time.perf_counter()
    knn_votes(query, ref, Y, neighbors=40, temperature=20.0)
    knn = time.perf_counter() - t0
    print(
        f"neighbour vote: {args.n:,} records x {args.train:,} examples in {knn:.1f} s = "
        f"{args.n / knn:,.0f} records/s; linear head on the embeddings {args.n / linear:,.0f} "
        f"records/s; vote/linear time x{knn / linear:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
