"""The concerns stage with a fake encoder and a tiny taxonomy (fast tier)."""
from __future__ import annotations

import pandas as pd
import pytest

from voiceline.concerns.classify import classify_concerns
from voiceline.concerns.taxonomy import Taxonomy
from voiceline.concerns.zero_shot import ZeroShotClassifier
from voiceline.errors import SchemaError
from voiceline.nlp.embeddings import FakeEncoder
from voiceline.schemas import CONCERN_COLUMNS

TINY = {
    "version": "tiny-1",
    "background": ["thank you chair", "next item on the agenda", "the clerk will call the roll"],
    "concerns": [
        {
            "id": "noise",
            "label": "Noise",
            "definition": "loud music parties barking",
            "examples": ["loud music all night", "barking dog all night", "loud party music",
                         "loud music from the party next door"],
            "keywords": ["fireworks"],
        },
        {
            "id": "parking",
            "label": "Parking",
            "definition": "cars parked illegally blocking driveways",
            "examples": ["car parked in my driveway", "car blocking the driveway",
                         "parked car blocking hydrant", "car parked illegally on sidewalk"],
        },
    ],
}


@pytest.fixture(scope="module")
def enc() -> FakeEncoder:
    return FakeEncoder(dim=256)


@pytest.fixture(scope="module")
def model(enc: FakeEncoder) -> ZeroShotClassifier:
    return ZeroShotClassifier(Taxonomy.from_dict(TINY), encoder=enc, threshold=0.5).fit()


def _records(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"record_id": [f"r{i}" for i in range(len(texts))], "text": list(texts),
                         "source_type": "social"})


def test_two_sentences_two_concerns_with_their_evidence(model, enc) -> None:
    rec = _records("Loud music all night from the party. A car parked in my driveway again.")
    out = classify_concerns(rec, model=model, encoder=enc)
    assert list(out.columns) == list(CONCERN_COLUMNS)
    got = dict(zip(out.concern_id, out.evidence, strict=True))
    assert got == {
        "noise": "Loud music all night from the party.",
        "parking": "A car parked in my driveway again.",
    }
    assert out.is_primary.tolist() == [True, False]
    assert out.score.is_monotonic_decreasing
    assert set(out.method) == {"zero_shot"} and set(out.taxonomy_version) == {"tiny-1"}


def test_no_concern_gives_no_row_and_order_follows_records(model, enc) -> None:
    rec = _records("car blocking the driveway", "thank you chair", "barking dog all night")
    out = classify_concerns(rec, model=model, encoder=enc)
    assert out.record_id.tolist() == ["r0", "r2"]
    assert out.concern_id.tolist() == ["parking", "noise"]


def test_rule_only_hit_is_method_rule(model, enc) -> None:
    rec = _records("Next item. Fireworks again tonight?")
    out = classify_concerns(rec, model=model, encoder=enc)
    row = out[out.concern_id == "noise"].iloc[0]
    assert row.method == "rule" and row.evidence == "Fireworks again tonight?"
    none = classify_concerns(_records("Next item. Fireworks again tonight?"), model=model,
                             encoder=enc, rules=False)
    assert "noise" not in set(none.concern_id)


def test_empty_table(model, enc) -> None:
    out = classify_concerns(_records(), model=model, encoder=enc)
    assert out.empty and list(out.columns) == list(CONCERN_COLUMNS)
    assert classify_concerns(_records("", "   "), model=model, encoder=enc).empty


def test_input_not_mutated_and_deterministic(model, enc) -> None:
    rec = _records("loud party music. car parked illegally on sidewalk", "barking dog")
    before = rec.copy()
    a = classify_concerns(rec, model=model, encoder=enc)
    b = classify_concerns(rec, model=model, encoder=enc)
    pd.testing.assert_frame_equal(rec, before)
    pd.testing.assert_frame_equal(a, b)


def test_distinct_texts_encoded_once(model) -> None:
    fake = FakeEncoder(dim=256)
    classify_concerns(_records("loud music all night", "loud music all night"), model=model,
                      encoder=fake)
    assert fake.encoded == 1  # the record and its single sentence share one text


def test_threshold_and_max_concerns(model, enc) -> None:
    rec = _records("Loud music all night. A car parked in my driveway.")
    assert len(classify_concerns(rec, model=model, encoder=enc, max_concerns=1)) == 1
    assert classify_concerns(rec, model=model, encoder=enc, threshold=1.0, rules=False).empty


def test_given_segments_are_used(model, enc) -> None:
    rec = _records("loud music all night and a car parked in my driveway")
    seg = pd.DataFrame({"record_id": ["r0", "r0"], "segment_idx": [0, 1],
                        "text": ["loud music all night", "a car parked in my driveway"]})
    out = classify_concerns(rec, model=model, encoder=enc, segments=seg)
    assert set(out.evidence) <= set(seg.text)


def test_bad_input(model, enc) -> None:
    with pytest.raises(SchemaError, match="lacks column\\(s\\) text"):
        classify_concerns(pd.DataFrame({"record_id": ["a"]}), model=model, encoder=enc)
    with pytest.raises(SchemaError, match="taxonomy"):
        classify_concerns(_records("x"), model=model, encoder=enc, taxonomy=Taxonomy.load())


def test_default_model_is_zero_shot_on_v1(enc) -> None:
    out = classify_concerns(_records("Huge pothole on Elm Street, fix the pothole"), encoder=enc)
    assert set(out.taxonomy_version) <= {"community-safety-v1"}
