"""Per-concern sentiment on mixed-feeling sentences: right where the record-level label cannot be.

``bench/devsets/aspect_sentences.csv`` holds sentences written for this project (no real data):
each raises two concerns with opposite feelings ("I love the new officer on our block but the
speeding on Elm is out of control"), with a gold label per concern. ``evidence`` is empty where
both concerns sit in one sentence (a sentence-level concern classifier gives that sentence as the
evidence of both) and holds the carrying sentence where they sit in two.

One record-level label can be right for at most one of the two concerns (at most 50 %);
per-concern rows can be right for both. Prints one line::

    aspect: 40 concern rows in 20 records; per-concern label right 0.80 (32/40), record label
    right 0.40 (16/40); both concerns right in 0.65 of records (record label: 0.00 by construction)

    python bench/sentiment_aspect.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEVSET = REPO / "bench" / "devsets" / "aspect_sentences.csv"


def main() -> int:
    from voiceline.sentiment.model import load_default_model
    from voiceline.sentiment.score import score_sentiment

    dev = pd.read_csv(DEVSET, dtype=str, keep_default_na=False)
    records = dev.drop_duplicates("item_id")[["item_id", "text"]].rename(
        columns={"item_id": "record_id"}
    )
    records["language"] = "en"
    concerns = pd.DataFrame(
        {
            "record_id": dev["item_id"],
            "concern_id": dev["concern_id"],
            "evidence": [e if e else t for e, t in zip(dev["evidence"], dev["text"], strict=True)],
        }
    )
    model = load_default_model()
    t0 = time.perf_counter()
    out = score_sentiment(records, concerns=concerns, model=model)
    secs = time.perf_counter() - t0
    rec = out[out["concern_id"].isna()].set_index("record_id")["label"]
    per = out.dropna(subset=["concern_id"]).reset_index(drop=True)
    gold = dev["gold"].tolist()
    per_right = [p == g for p, g in zip(per["label"], gold, strict=True)]
    rec_right = [rec[r] == g for r, g in zip(dev["item_id"], gold, strict=True)]
    both = pd.Series(per_right).groupby(dev["item_id"].to_numpy()).all()
    n = len(gold)
    print(
        f"aspect: {n} concern rows in {len(records)} records; per-concern label right "
        f"{sum(per_right) / n:.2f} ({sum(per_right)}/{n}), record label right "
        f"{sum(rec_right) / n:.2f} ({sum(rec_right)}/{n}); both concerns right in "
        f"{both.mean():.2f} of records (record label: 0.00 by construction); {secs:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
