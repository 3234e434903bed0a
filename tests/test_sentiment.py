"""Sentiment, fast tier: the estimator, storage, the stage's rules for odd input, the metrics.

Uses FakeEncoder (a hashing bag of words), so no model loads; the slow tier in
test_sentiment_slow.py checks the shipped model on real sentences.
"""

from __future__ import annotations

import json
import math
import sys

import numpy as np
import pandas as pd
import pytest

from voiceline.errors import ModelError, SchemaError
from voiceline.nlp.embeddings import FakeEncoder
from voiceline.schemas import SENTIMENT_COLUMNS
from voiceline.sentiment.evaluate import sentiment_report
from voiceline.sentiment.features import FEATURE_NAMES, has_words, text_features
from voiceline.sentiment.model import SentimentModel, sentiment_score
from voiceline.sentiment.score import WHOLE_TEXT_CHARS, score_sentiment, split_clauses
from voiceline.sentiment.train import normalise_labels, train_sentiment

POS = [
    "I love it",
    "great job thank you",
    "wonderful and amazing",
    "so happy with this",
    "best ever",
]
NEG = [
    "I hate it",
    "terrible and awful",
    "worst service ever",
    "so angry about this",
    "disgusting mess",
]
NEU = [
    "it is tuesday",
    "the meeting is at five",
    "on main street",
    "the bus comes daily",
    "a report",
]


@pytest.fixture(scope="module")
def encoder() -> FakeEncoder:
    return FakeEncoder(dim=32)


@pytest.fixture(scope="module")
def model(encoder: FakeEncoder) -> SentimentModel:
    texts = (POS + NEG + NEU) * 3
    labels = (["positive"] * 5 + ["negative"] * 5 + ["neutral"] * 5) * 3
    return SentimentModel(encoder=encoder, C=10.0).fit(texts, labels)


def records(texts: list[str], languages: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"record_id": [f"r{i}" for i in range(len(texts))], "text": texts})
    if languages is not None:
        frame["language"] = languages
    return frame


# --- features --------------------------------------------------------------------------------
def test_features_shape_and_cues() -> None:
    feats = text_features(["not bad at all", "WORST SERVICE EVER!!!", "", "😡"])
    assert feats.shape == (4, len(FEATURE_NAMES)) and feats.dtype == np.float32
    col = FEATURE_NAMES.index
    assert feats[0, col("vader_compound")] > 0  # VADER reads "not bad" as positive
    assert feats[0, col("negations")] > 0
    assert feats[1, col("caps_share")] == 1.0 and feats[1, col("exclamations")] > 0
    assert feats[2, col("is_empty")] == 1.0
    assert feats[3, col("emoji_neg")] > 0  # VADER scores 😡 as 0; our table does not


def test_has_words() -> None:
    assert not has_words("") and not has_words("?!...") and not has_words("👍👍")
    assert has_words("ok") and has_words("911")


# --- estimator -------------------------------------------------------------------------------
def test_fit_predict_shapes(model: SentimentModel, encoder: FakeEncoder) -> None:
    proba = model.predict_proba(["I love it", "I hate it", "the bus comes daily"])
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert model.labels_ == ["negative", "neutral", "positive"]
    assert model.encoder_id_ == encoder.model_id
    assert model.predict(["I love it", "I hate it"]) == ["positive", "negative"]
    assert model.predict_proba([]).shape == (0, 3)


def test_precomputed_embeddings_match(model: SentimentModel, encoder: FakeEncoder) -> None:
    texts = ["great job thank you", "a report"]
    np.testing.assert_allclose(
        model.predict_proba(texts), model.predict_proba(texts, encoder.encode(texts)), atol=1e-6
    )
    with pytest.raises(SchemaError, match="one row per text"):
        model.predict_proba(texts, encoder.encode(texts[:1]))


def test_unfitted_and_bad_labels() -> None:
    with pytest.raises(ModelError, match="not fitted"):
        SentimentModel(encoder=FakeEncoder()).predict_proba(["x"])
    with pytest.raises(SchemaError, match="unknown sentiment label"):
        SentimentModel(encoder=FakeEncoder()).fit(["a", "b", "c"], ["good", "neutral", "negative"])
    with pytest.raises(SchemaError, match="needs some"):
        SentimentModel(encoder=FakeEncoder()).fit(["a", "b"], ["neutral", "negative"])


def test_score_is_pos_minus_neg() -> None:
    np.testing.assert_allclose(sentiment_score(np.array([[0.7, 0.2, 0.1]])), [-0.6], atol=1e-6)


def test_prior_shifts_towards_target(encoder: FakeEncoder) -> None:
    texts, labels = (
        (POS + NEG + NEU) * 2,
        (["positive"] * 5 + ["negative"] * 5 + ["neutral"] * 5) * 2,
    )
    plain = SentimentModel(encoder=encoder).fit(texts, labels)
    shifted = SentimentModel(encoder=encoder, prior=[0.1, 0.8, 0.1]).fit(texts, labels)
    probe = ["something else entirely"]
    assert shifted.predict_proba(probe)[0, 1] > plain.predict_proba(probe)[0, 1]


# --- storage ---------------------------------------------------------------------------------
def test_save_load_identical(model: SentimentModel, encoder: FakeEncoder, tmp_path) -> None:
    folder = model.save(tmp_path / "m", extra={"data": "toy"})
    assert sorted(p.name for p in folder.iterdir()) == ["model.json", "weights.safetensors"]
    loaded = SentimentModel.load(folder, encoder=encoder)
    texts = POS + NEG + ["something new"]
    np.testing.assert_array_equal(model.predict_proba(texts), loaded.predict_proba(texts))
    assert loaded.training_ == {"data": "toy"}
    for path in folder.iterdir():  # no pickles: nothing that unpickles
        assert not path.read_bytes().startswith(b"\x80")


def test_load_rejects_altered_weights(model: SentimentModel, tmp_path) -> None:
    folder = model.save(tmp_path / "m")
    data = bytearray((folder / "weights.safetensors").read_bytes())
    data[-1] ^= 0xFF
    (folder / "weights.safetensors").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="was altered"):
        SentimentModel.load(folder)


@pytest.fixture(scope="module")
def blended(encoder: FakeEncoder) -> SentimentModel:
    texts = (POS + NEG + NEU) * 3
    labels = (["positive"] * 5 + ["negative"] * 5 + ["neutral"] * 5) * 3
    return SentimentModel(encoder=encoder, C=10.0, ngram_weight=0.4, ngram_C=10.0).fit(
        texts, labels
    )


def test_ngram_model_matches_sklearn_tfidf_and_round_trips() -> None:
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    from voiceline.sentiment.ngrams import NgramSentiment

    texts = (POS + NEG + NEU) * 80  # 1,200 texts: min_df applies
    labels = (["positive"] * 5 + ["negative"] * 5 + ["neutral"] * 5) * 80
    ngrams = NgramSentiment(negation=False).fit(texts, labels)
    word = TfidfVectorizer(sublinear_tf=True, min_df=3, ngram_range=(1, 2))
    char = TfidfVectorizer(sublinear_tf=True, min_df=3, analyzer="char_wb", ngram_range=(2, 5))
    expected = sparse.hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
    assert abs(ngrams._matrix(texts) - expected).max() < 1e-5
    side, arrays = ngrams.state()
    json.dumps(side)  # JSON-serialisable: no pickles needed
    again = NgramSentiment.from_state(json.loads(json.dumps(side)), arrays)
    np.testing.assert_allclose(again.predict_proba(texts[:20]), ngrams.predict_proba(texts[:20]))
    assert again.predict_proba(["so happy"]).argmax() == 2
    with pytest.raises(ModelError, match="do not match"):
        NgramSentiment.from_state(side, {**arrays, "ngram_coef": arrays["ngram_coef"][:, :5]})
    with pytest.raises(ModelError, match="not fitted"):
        NgramSentiment().predict_proba(["x"])
    with pytest.raises(SchemaError, match="neutral"):
        NgramSentiment().fit(["good", "bad"], ["positive", "negative"])


def test_negation_marking_reaches_the_word_ngrams() -> None:
    from voiceline.sentiment.ngrams import NgramSentiment, mark_negation

    assert mark_negation("It is NOT safe. Fine") == "it is not neg_safe. fine"
    assert mark_negation("no") == "no"
    ngrams = NgramSentiment(min_df=1, negation=True).fit(
        ["not bad", "bad", "good", "tuesday"] * 3,
        ["positive", "negative", "positive", "neutral"] * 3,
    )
    assert "neg_bad" in ngrams.vocabularies_["word"]
    side, arrays = ngrams.state()
    again = NgramSentiment.from_state(json.loads(json.dumps(side)), arrays)
    np.testing.assert_allclose(again.predict_proba(["not bad"]), ngrams.predict_proba(["not bad"]))


def test_blend_is_weighted_mean_and_round_trips(
    blended: SentimentModel, model: SentimentModel, encoder: FakeEncoder, tmp_path
) -> None:
    texts = POS + NEG + ["something new", ""]
    head = SentimentModel(encoder=encoder, C=10.0).fit((POS + NEG + NEU) * 3,
                                                       (["positive"] * 5 + ["negative"] * 5
                                                        + ["neutral"] * 5) * 3)
    mixed = 0.6 * head.predict_proba(texts) + 0.4 * blended.ngrams_.predict_proba(texts)
    np.testing.assert_allclose(blended.predict_proba(texts), mixed, atol=1e-6)
    assert blended.predict(["I love it"]) == ["positive"]
    folder = blended.save(tmp_path / "b")
    assert sorted(p.name for p in folder.iterdir()) == [
        "model.json", "ngrams.json", "weights.safetensors"
    ]
    loaded = SentimentModel.load(folder, encoder=encoder)
    np.testing.assert_array_equal(loaded.predict_proba(texts), blended.predict_proba(texts))
    # saving a plain model over it removes the stale vocabulary
    model.save(folder)
    assert not (folder / "ngrams.json").exists()
    assert SentimentModel.load(folder).ngrams_ is None


def test_blend_trains_ngrams_on_extra_texts_and_checks_files(
    encoder: FakeEncoder, tmp_path
) -> None:
    texts = (POS + NEG + NEU) * 2
    labels = (["positive"] * 5 + ["negative"] * 5 + ["neutral"] * 5) * 2
    extra = texts + ["brilliant work", "dreadful smell"] * 3
    extra_labels = labels + ["positive", "negative"] * 3
    fitted = SentimentModel(encoder=encoder, ngram_weight=0.5).fit(
        texts, labels, ngram_texts=extra, ngram_labels=extra_labels
    )
    assert "brilliant" in fitted.ngrams_.vocabularies_["word"]
    with pytest.raises(SchemaError, match="together"):
        SentimentModel(encoder=encoder, ngram_weight=0.5).fit(texts, labels, ngram_texts=extra)
    with pytest.raises(SchemaError, match="0..1"):
        SentimentModel(encoder=encoder, ngram_weight=1.5).fit(texts, labels)
    folder = fitted.save(tmp_path / "m")
    side = folder / "ngrams.json"
    side.write_text(side.read_text().replace("brilliant", "brillian7"))
    with pytest.raises(ModelError, match="was altered"):
        SentimentModel.load(folder)
    side.unlink()
    with pytest.raises(ModelError, match="is missing"):
        SentimentModel.load(folder)


def test_version_1_folder_still_loads(model: SentimentModel, encoder: FakeEncoder, tmp_path):
    folder = model.save(tmp_path / "v1")
    meta = json.loads((folder / "model.json").read_text())
    meta["format_version"] = 1
    for key in ("ngram_weight", "ngram_C"):
        del meta["params"][key]
    (folder / "model.json").write_text(json.dumps(meta))
    loaded = SentimentModel.load(folder, encoder=encoder)
    np.testing.assert_array_equal(loaded.predict_proba(POS), model.predict_proba(POS))


def test_load_rejects_other_version_and_encoder(model: SentimentModel, tmp_path) -> None:
    folder = model.save(tmp_path / "m")
    with pytest.raises(ModelError, match="trained on encoder"):
        SentimentModel.load(folder, encoder=FakeEncoder(dim=16))
    meta = json.loads((folder / "model.json").read_text())
    meta["format_version"] = 99
    (folder / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="format 99"):
        SentimentModel.load(folder)
    with pytest.raises(ModelError, match="is missing"):
        SentimentModel.load(tmp_path / "nowhere")


def test_load_default_model_profiles() -> None:
    """``profile="fast"`` loads models/sentiment-fast (model2vec head), no encoder loaded yet."""
    from voiceline.sentiment.model import default_model_dir, load_default_model

    fast = load_default_model(profile="fast")
    assert default_model_dir("fast").name == "sentiment-fast"
    assert fast.encoder_profile == "fast" and fast.encoder is None  # encoder loads lazily
    assert fast.encoder_id_.startswith("m2v-") and fast.dim_ == 256
    assert fast.ngrams_ is not None and 0 < fast.ngram_weight < 1
    accurate = load_default_model()
    assert accurate.encoder_profile == "accurate" and accurate.dim_ == 384
    with pytest.raises(ModelError, match="trained on encoder"):
        load_default_model(profile="fast", encoder=FakeEncoder(dim=256))
    with pytest.raises(ModelError, match="unknown sentiment profile"):
        load_default_model(profile="fastest")


# --- training from a table -------------------------------------------------------------------
def test_train_sentiment_normalises_labels(encoder: FakeEncoder) -> None:
    frame = pd.DataFrame(
        {"text": POS + NEG + NEU, "label": ["Positive "] * 5 + ["NEG"] * 5 + ["neu"] * 5}
    )
    assert train_sentiment(frame, encoder=encoder).predict(["I love it"]) == ["positive"]
    with pytest.raises(SchemaError, match="row 0: 'good'"):
        normalise_labels(pd.Series(["good", "neutral"]))
    with pytest.raises(SchemaError, match="no text"):
        train_sentiment(
            pd.DataFrame({"text": ["", "x"], "label": ["neutral", "positive"]}), encoder=encoder
        )


# --- the stage -------------------------------------------------------------------------------
def test_stage_columns_and_no_mutation(model: SentimentModel, encoder: FakeEncoder) -> None:
    recs = records(["I love it", "I hate it", "the meeting is at five"])
    before = recs.copy()
    out = score_sentiment(recs, model=model, encoder=encoder)
    assert tuple(out.columns) == SENTIMENT_COLUMNS
    assert out["record_id"].tolist() == ["r0", "r1", "r2"]
    assert out["concern_id"].isna().all()
    assert out["label"].tolist() == ["positive", "negative", "neutral"]
    assert out["score"].between(-1, 1).all() and out["confidence"].between(1 / 3, 1).all()
    pd.testing.assert_frame_equal(recs, before)


def test_empty_emoji_punctuation(model: SentimentModel, encoder: FakeEncoder) -> None:
    out = score_sentiment(
        records(["", "   ", "😡😡", "👍", "?!...", "!!!"]), model=model, encoder=encoder
    )
    assert out["label"].tolist()[:2] == [None, None]
    assert out["score"].iloc[:2].isna().all() and out["confidence"].iloc[:2].isna().all()
    assert out["label"].tolist()[2:4] == ["negative", "positive"]
    assert out["label"].tolist()[4:] == ["neutral", "neutral"]
    assert out["score"].iloc[4:].eq(0.0).all()
    assert out["confidence"].iloc[4:].tolist() == pytest.approx([1 / 3, 1 / 3])


def test_non_english_is_marked_not_guessed(model: SentimentModel, encoder: FakeEncoder) -> None:
    recs = records(["I love it", "Ich liebe es", "I hate it", "great"], ["en", "de", "und", None])
    concerns = pd.DataFrame(
        {"record_id": ["r1"], "concern_id": ["noise"], "evidence": ["Ich liebe es"]}
    )
    out = score_sentiment(recs, concerns=concerns, model=model, encoder=encoder)
    assert out["label"].tolist() == ["positive", None, "negative", "positive", None]
    assert math.isnan(out["score"].iloc[1]) and math.isnan(out["score"].iloc[4])


def test_very_long_text_scored_by_segments(model: SentimentModel) -> None:
    counting = FakeEncoder(dim=32)
    sentence = "I hate it and this is terrible and awful. "
    text = sentence * 2500  # ~105,000 characters, 2,500 segments
    assert len(text) > WHOLE_TEXT_CHARS
    out = score_sentiment(records([text]), model=model, encoder=counting)
    assert out["label"].tolist() == ["negative"]
    assert counting.calls >= 3  # encoded in bounded batches, never as one giant text
    assert counting.encoded >= 2500


def test_per_concern_rows_follow_clauses(model: SentimentModel, encoder: FakeEncoder) -> None:
    text = "wonderful and amazing patrol officer but terrible and awful speeding traffic"
    recs = records([text, "I hate it"])
    concerns = pd.DataFrame(
        {
            "record_id": ["r0", "r0", "r1"],
            "concern_id": ["patrol_officer", "speeding_traffic", "noise"],
            "evidence": [text, text, None],
        }
    )
    out = score_sentiment(recs, concerns=concerns, model=model, encoder=encoder)
    assert len(out) == 5 and tuple(out.columns) == SENTIMENT_COLUMNS
    per = out.dropna(subset=["concern_id"]).set_index("concern_id")["label"]
    assert per["patrol_officer"] == "positive"
    assert per["speeding_traffic"] == "negative"
    assert per["noise"] == "negative"  # no evidence: the record's text


def test_segments_table_is_used(model: SentimentModel, encoder: FakeEncoder) -> None:
    long = "the meeting is at five. " * 20 + "I hate it. " * 60
    recs = records([long])
    segments = pd.DataFrame(
        {
            "record_id": ["r0", "r0"],
            "segment_idx": [0, 1],
            "text": ["I love it", "wonderful and amazing"],
        }
    )
    out = score_sentiment(recs, segments=segments, model=model, encoder=encoder)
    assert out["label"].tolist() == ["positive"]  # scored on the given segments, not re-split


def test_stage_errors(model: SentimentModel, encoder: FakeEncoder) -> None:
    with pytest.raises(SchemaError, match="lacks column"):
        score_sentiment(pd.DataFrame({"text": ["x"]}), model=model, encoder=encoder)
    with pytest.raises(ModelError, match="trained on encoder"):
        score_sentiment(records(["x"]), model=model, encoder=FakeEncoder(dim=8))


def test_empty_records_table(model: SentimentModel, encoder: FakeEncoder) -> None:
    out = score_sentiment(records([]), model=model, encoder=encoder)
    assert out.empty and tuple(out.columns) == SENTIMENT_COLUMNS


def test_split_clauses() -> None:
    assert split_clauses("fine; but the lights are out") == ["fine", "the lights are out"]
    assert split_clauses("!!!") == []


def test_import_is_light() -> None:
    import subprocess

    code = (
        "import voiceline.sentiment, sys; print('sklearn' in sys.modules, 'torch' in sys.modules)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False False"


# --- metrics ---------------------------------------------------------------------------------
def test_sentiment_report() -> None:
    gold = ["negative", "neutral", "positive", "positive", "neutral"]
    pred = ["negative", "neutral", "neutral", "positive", None]
    rep = sentiment_report(gold, pred, groups=["social", "social", "survey", "survey", "survey"])
    assert rep["n"] == 4 and rep["n_unscored"] == 1
    assert rep["macro_recall"] == pytest.approx((1 + 1 + 0.5) / 3)
    assert rep["accuracy"] == pytest.approx(0.75)
    assert rep["confusion"].loc["positive", "neutral"] == 1
    assert list(rep["confusion"].index) == ["negative", "neutral", "positive"]
    assert rep["groups"]["social"]["macro_recall"] == pytest.approx(1.0)
    assert rep["groups"]["survey"]["n_unscored"] == 1
    with pytest.raises(SchemaError, match="unknown sentiment labels"):
        sentiment_report(["good"], ["neutral"])
