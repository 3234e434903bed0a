"""Zero-shot concern classification on the project's development set.

Loads ``bench/devsets/concerns_dev.csv`` (ids and labels only), joins the texts from
``../shared/data`` (skips cleanly when absent), runs :func:`voiceline.classify_concerns` with the
zero-shot model on each encoder profile and prints one line per profile and split::

    python bench/zero_shot_eval.py [--profiles accurate,fast] [--data DIR]

The split is fixed by a hash of each row's key: about 2/3 ``tune`` (used to choose the shared
threshold and the taxonomy wording), 1/3 ``report`` (looked at only to report).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "bench" / "devsets" / "concerns_dev.csv"
DATA = (REPO / ".." / "shared" / "data").resolve()


def split_of(dataset: str, source_file: str, key: str) -> str:
    """``tune`` for about 2/3 of rows, ``report`` for the rest; stable on any machine."""
    digest = hashlib.sha256(f"{dataset}|{source_file}|{key}".encode()).digest()
    return "report" if digest[0] % 3 == 0 else "tune"


def load_dev(data_dir: Path = DATA, dev_csv: Path = DEV) -> pd.DataFrame:
    """The dev set with texts joined: dataset, source_file, source_id_or_row, labels (set),
    text, split, record_id."""
    dev = pd.read_csv(dev_csv, dtype=str, keep_default_na=False)
    texts: dict[tuple[str, str], str] = {}
    for source_file, rows in dev.groupby("source_file"):
        path = data_dir / source_file
        keys = set(rows["source_id_or_row"])
        if source_file.endswith("newhaven_2014_train.csv"):
            frame = pd.read_csv(path, dtype={"Id": str})
            frame = frame[frame["Id"].isin(keys)]
            pairs = zip(frame["Id"], frame["Description"], strict=True)
            texts.update({(source_file, k): t for k, t in pairs})
        elif source_file.endswith("comments.csv"):
            frame = pd.read_csv(path)
            frame["cid"] = frame["comment-id"].astype(str)
            frame = frame[frame["cid"].isin(keys)]
            pairs = zip(frame["cid"], frame["comment-body"], strict=True)
            texts.update({(source_file, k): t for k, t in pairs})
        elif source_file.endswith(".json"):
            from voiceline.config import SourceConfig
            from voiceline.ingest.readers import read_source

            source = SourceConfig(name="mpls", path=str(path), type="meeting")
            raw = read_source(path, source=source)
            raw["key"] = raw["source_row"].astype(int).astype(str)
            raw = raw[raw["key"].isin(keys)]
            pairs = zip(raw["key"], raw["text"], strict=True)
            texts.update({(source_file, k): t for k, t in pairs})
    dev["text"] = [
        texts.get((f, k)) for f, k in zip(dev["source_file"], dev["source_id_or_row"], strict=True)
    ]
    missing = dev["text"].isna().sum()
    if missing:
        raise SystemExit(f"{missing} dev rows have no text in {data_dir}; is the data complete?")
    dev["labels"] = [frozenset(x for x in s.split(";") if x) for s in dev["labels"]]
    dev["split"] = [
        split_of(d, f, k)
        for d, f, k in zip(dev["dataset"], dev["source_file"], dev["source_id_or_row"], strict=True)
    ]
    dev["record_id"] = [f"dev{i:04d}" for i in range(len(dev))]
    return dev


def predicted_sets(dev: pd.DataFrame, concerns: pd.DataFrame) -> list[set[str]]:
    got = concerns.groupby("record_id")["concern_id"].apply(set).to_dict()
    return [got.get(r, set()) for r in dev["record_id"]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profiles", default="accurate,fast")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"SKIP: real data not found at {args.data}")
        return 0

    from voiceline.concerns.classify import classify_concerns
    from voiceline.concerns.metrics import multilabel_report
    from voiceline.concerns.taxonomy import Taxonomy
    from voiceline.concerns.zero_shot import ZeroShotClassifier
    from voiceline.nlp.embeddings import load_encoder

    dev = load_dev(args.data)
    tax = Taxonomy.load()
    records = dev[["record_id", "text"]]
    for profile in [p.strip() for p in args.profiles.split(",") if p.strip()]:
        try:
            encoder = load_encoder(profile)
        except Exception as exc:  # noqa: BLE001 - report and go on to the next profile
            print(f"profile={profile} SKIP: {exc}")
            continue
        model = ZeroShotClassifier(tax, encoder=encoder).fit()
        classify_concerns(records.head(5), model=model, encoder=encoder)  # warm up
        if getattr(encoder, "stats", None) is not None:
            encoder.stats.hits = encoder.stats.misses = 0
        start = time.perf_counter()
        concerns = classify_concerns(
            records, model=model, encoder=encoder, threshold=args.threshold
        )
        elapsed = time.perf_counter() - start
        stats = getattr(encoder, "stats", None)
        cache = "none" if stats is None else ("warm" if stats.misses == 0 else "cold")
        pred = predicted_sets(dev, concerns)
        for split in ("tune", "report", "all"):
            mask = [True] * len(dev) if split == "all" else (dev["split"] == split).tolist()
            gold = [g for g, m in zip(dev["labels"], mask, strict=True) if m]
            got = [p for p, m in zip(pred, mask, strict=True) if m]
            rep = multilabel_report(gold, got, labels=tax.ids).set_index("concern_id")
            micro, macro = rep.loc["micro"], rep.loc["macro"]
            print(
                f"zero_shot profile={profile} split={split} n={len(gold)} "
                f"micro_f1={micro.f1:.3f} macro_f1={macro.f1:.3f} "
                f"micro_p={micro.precision:.3f} micro_r={micro.recall:.3f} "
                f"threshold={model.threshold_ if args.threshold is None else args.threshold:.2f} "
                f"records_per_s={len(records) / elapsed:.0f} embedding_cache={cache}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
