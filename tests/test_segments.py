"""Sentence segmentation: offsets always index the record text, rules on resident text, bounds."""
from __future__ import annotations

import tracemalloc

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceline import schemas
from voiceline.errors import ConfigError, SchemaError
from voiceline.nlp.segments import segment_records, split_rules


def _frame(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"record_id": [f"r{i}" for i in range(len(texts))], "text": list(texts)})


def _sents(text: str) -> list[str]:
    return [text[a:b] for a, b in split_rules(text)]


def _check_offsets(records: pd.DataFrame, segments: pd.DataFrame) -> None:
    texts = dict(zip(records["record_id"], records["text"], strict=True))
    for row in segments.itertuples(index=False):
        source = texts[row.record_id]
        assert source[row.start_char : row.end_char] == row.text
        assert row.text == row.text.strip() and row.text


def test_columns_and_offsets() -> None:
    records = _frame("  Lights out on Elm.  Again!  ", "", "One sentence")
    out = segment_records(records)
    assert tuple(out.columns) == schemas.SEGMENT_COLUMNS
    assert out["text"].tolist() == ["Lights out on Elm.", "Again!", "One sentence"]
    assert out["segment_idx"].tolist() == [0, 1, 0]
    assert out["record_id"].tolist() == ["r0", "r0", "r2"]
    _check_offsets(records, out)


def test_input_not_mutated_and_missing_columns() -> None:
    records = _frame("A. B.")
    before = records.copy()
    segment_records(records)
    pd.testing.assert_frame_equal(records, before)
    with pytest.raises(SchemaError, match="text"):
        segment_records(pd.DataFrame({"record_id": [1]}))
    with pytest.raises(ConfigError, match="splitter"):
        segment_records(records, splitter="nltk")  # type: ignore[arg-type]


def test_empty_and_missing_text_give_no_rows() -> None:
    records = pd.DataFrame({"record_id": [1, 2, 3], "text": ["", "   \n ", None]})
    out = segment_records(records)
    assert len(out) == 0 and tuple(out.columns) == schemas.SEGMENT_COLUMNS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Lee and Dr. Ortiz came by. Thanks.", ["Mr. Lee and Dr. Ortiz came by.", "Thanks."]),
        ("Cars race down St. Paul Ave every night.", ["Cars race down St. Paul Ave every night."]),
        ("I live on Main St. It is loud.", ["I live on Main St.", "It is loud."]),
        ("It starts at 2 a.m. and goes on.", ["It starts at 2 a.m. and goes on."]),
        ("It starts at 2 a.m. Nobody sleeps.", ["It starts at 2 a.m.", "Nobody sleeps."]),
        ("The U.S. attorney said no.", ["The U.S. attorney said no."]),
        ("Well... maybe. I don't know…", ["Well... maybe.", "I don't know…"]),
        ("Slow down!!! Kids play here?!", ["Slow down!!!", "Kids play here?!"]),
        ("Great job 👍 Thanks officers", ["Great job 👍", "Thanks officers"]),
        ("Thank you! 😊😊 See you", ["Thank you! 😊😊", "See you"]),
        ("Ask [PERSON]. She saw it.", ["Ask [PERSON].", "She saw it."]),
        ("Call [PHONE] now. ok", ["Call [PHONE] now.", "ok"]),
        ("line one\nline two\n\nline three", ["line one", "line two", "line three"]),
        ("Costs $3.50 at 7.30pm. Bad", ["Costs $3.50 at 7.30pm.", "Bad"]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("See J. Smith about it.", ["See J. Smith about it."]),
        ("Rights of U.S. Citizens matter.", ["Rights of U.S. Citizens matter."]),
        ("I moved to the U.S. The rent is high.", ["I moved to the U.S.", "The rent is high."]),
        ("Steps: 1. Fix lights. 2. Add patrols.", ["Steps: 1. Fix lights.", "2. Add patrols."]),
        ("Cap it at $20K. It works.", ["Cap it at $20K.", "It works."]),
        ("Bikes, scooters etc. We need lanes.", ["Bikes, scooters etc.", "We need lanes."]),
        ("Bikes, scooters etc. are fine.", ["Bikes, scooters etc. are fine."]),
        ("It must stop.This must change.", ["It must stop.", "This must change."]),
        ("Talk to us. ! Please", ["Talk to us. !", "Please"]),
        ("路灯坏了。请修理！谢谢", ["路灯坏了。", "请修理！", "谢谢"]),
    ],
)
def test_rules_on_resident_text(text: str, expected: list[str]) -> None:
    assert _sents(text) == expected


def test_long_sentence_cut_at_word_boundaries() -> None:
    text = " ".join(["word"] * 600)  # 2,999 characters, no punctuation
    out = segment_records(_frame(text), max_chars=1000)
    assert (out["end_char"] - out["start_char"]).max() <= 1000
    assert len(out) == 3
    assert all(not t.startswith(" ") and "wor " not in t for t in out["text"])
    _check_offsets(_frame(text), out)
    hard = segment_records(_frame("x" * 2500), max_chars=1000)
    assert hard["text"].str.len().tolist() == [1000, 1000, 500]


def test_ten_thousand_word_statement_is_bounded() -> None:
    sentence = "We need more patrols near the school on Fifth because cars speed every day. "
    text = sentence * 800  # about 10,000 words
    records = _frame(text)
    tracemalloc.start()
    out = segment_records(records)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(out) == 800
    assert peak < 20 * len(text) + 5_000_000  # output-sized, no per-character blow-up
    _check_offsets(records, out)


_alphabet = st.sampled_from(
    list("abcXYZ .!?…\n\t\"')[]") + ["St.", "Mr.", "a.m.", "U.S.", "😊", "[PERSON].", "...", "  "]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_alphabet, max_size=60).map("".join), st.integers(min_value=1, max_value=40))
def test_offsets_property(text: str, max_chars: int) -> None:
    records = _frame(text)
    out = segment_records(records, max_chars=max_chars)
    _check_offsets(records, out)
    assert (out["end_char"] - out["start_char"]).max(skipna=True) <= max_chars or out.empty
    starts = out["start_char"].tolist()
    ends = out["end_char"].tolist()
    assert starts == sorted(starts)
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))  # no overlap
    # nothing but whitespace is dropped
    covered = "".join(out["text"])
    assert "".join(covered.split()) == "".join(text.split())


class _FakeSent:
    def __init__(self, start: int, end: int) -> None:
        self.start_char, self.end_char = start, end


class _FakeDoc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.sents = [_FakeSent(a, b) for a, b in split_rules(text)]


class _FakeNLP:
    """Stands in for spaCy: sentences by the rules, records what it was handed."""

    pipe_names = ["senter", "ner"]

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.disabled: list[str] = []

    def pipe(self, texts, *, batch_size: int, disable: list[str]):
        self.disabled = disable
        for text in texts:
            self.seen.append(text)
            yield _FakeDoc(text)


def test_spacy_path_chunks_long_texts_and_disables_ner() -> None:
    nlp = _FakeNLP()
    text = "Patrol the park. " * 1000  # 17,000 characters
    records = _frame(text, "Short one. Two.")
    out = segment_records(records, splitter="spacy", nlp=nlp)
    assert nlp.disabled == ["ner"]
    assert max(len(t) for t in nlp.seen) <= 5000
    assert len(out) == 1002
    _check_offsets(records, out)


@pytest.mark.slow
def test_spacy_senter_real() -> None:
    records = _frame("The lights on Elm are out. Officers were great though!", "")
    out = segment_records(records, splitter="spacy")
    assert out["text"].tolist() == ["The lights on Elm are out.", "Officers were great though!"]
    _check_offsets(records, out)
