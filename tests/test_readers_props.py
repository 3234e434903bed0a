"""Property tests: whatever texts csv.writer writes, the CSV reader gives back."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from voiceline.config import SourceConfig
from voiceline.ingest.readers import read_source
from voiceline.ingest.text import repair_text

_texts = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\x00")
        | st.sampled_from(["\n", ",", '"', "\r", ";", "\t"]),
        max_size=60,
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(_texts)
def test_csv_round_trip(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "t.csv"
        with p.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "text"])
            for i, t in enumerate(texts):
                w.writerow([f"r{i}", t])
        raw = read_source(p, source=SourceConfig(name="t", path=str(p)))
        assert [repair_text(t) for t in raw["text"]] == [repair_text(t) for t in texts]
        assert raw["source_id"].tolist() == [f"r{i}" for i in range(len(texts))]
        assert raw["reject_reason"].isna().all()
