"""Sentiment, slow tier: the shipped model with the real MiniLM encoder on made-up sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from voiceline.schemas import SENTIMENT_COLUMNS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def encoder():
    from voiceline.nlp.embeddings import load_encoder

    return load_encoder("accurate", use_cache=False)


@pytest.fixture(scope="module")
def model(encoder):
    from voiceline.sentiment.model import load_default_model

    return load_default_model(encoder=encoder)


def test_shipped_model_is_small_and_verified(model) -> None:
    from voiceline.sentiment.model import MINILM_ENCODER_ID, default_model_dir

    size = sum(p.stat().st_size for p in default_model_dir().iterdir())
    assert size < 20_000_000  # n-gram vocabulary + weights about 8 MB; the budget is 50 MB
    assert model.encoder_id_ == MINILM_ENCODER_ID
    assert model.training_["tweeteval_validation"]["macro_recall"] >= 0.70
    assert model.ngrams_ is not None and 0 < model.ngram_weight < 1
    # the n-gram part alone still reads surface cues the embedding blurs
    proba = model.ngrams_.predict_proba(["sooo baaad :(", "yaaay best day ever :)"])
    assert proba.argmax(axis=1).tolist() == [0, 2]


def test_clear_sentences(model, encoder) -> None:
    texts = [
        "Thank you so much to the officers who helped my mom yesterday, amazing people!",
        "The streetlight on 5th has been out for three weeks and nobody cares. Disgraceful.",
        "The next community meeting is on Tuesday at 6 pm in the library.",
    ]
    labels = model.predict(texts, encoder.encode(texts))
    assert labels == ["positive", "negative", "neutral"]


def test_litotes_is_not_negative(model, encoder) -> None:
    # the n-gram half reads "bad" as negative; correct_litotes moves short litotes out of it
    texts = ["not bad at all", "not too bad actually", "The new lights are not bad"]
    assert "negative" not in model.predict(texts, encoder.encode(texts))
    longer = ["Not bad, but the speeding on Elm is awful and nobody does anything about it ever"]
    assert model.predict(longer, encoder.encode(longer)) == ["negative"]


def test_per_concern_opposite_feelings(model, encoder) -> None:
    from voiceline.sentiment.score import score_sentiment

    text = "I love the new officer on our block but the speeding on Elm is out of control"
    records = pd.DataFrame({"record_id": ["r1"], "text": [text], "language": ["en"]})
    concerns = pd.DataFrame(
        {
            "record_id": ["r1", "r1"],
            "concern_id": ["police_service", "traffic_safety"],
            "evidence": [text, text],
        }
    )
    out = score_sentiment(records, concerns=concerns, model=model, encoder=encoder)
    assert tuple(out.columns) == SENTIMENT_COLUMNS and len(out) == 3
    per = out.dropna(subset=["concern_id"]).set_index("concern_id")
    assert per.loc["police_service", "label"] == "positive"
    assert per.loc["traffic_safety", "label"] != "positive"
    assert per.loc["police_service", "score"] > 0 > per.loc["traffic_safety", "score"]


@pytest.mark.xfail(
    reason="known gap (MODEL_CARD.md, Limits): the tweet-trained head reads 'the speeding on Elm "
    "is out of control' as neutral (P(neg) about 0.35); its score is negative, its label not",
    strict=False,
)
def test_complaint_without_sentiment_words_is_negative(model, encoder) -> None:
    text = "the speeding on Elm is out of control"
    assert model.predict([text], encoder.encode([text])) == ["negative"]


def test_odd_inputs_with_the_real_model(model, encoder) -> None:
    from voiceline.sentiment.score import score_sentiment

    records = pd.DataFrame(
        {
            "record_id": ["e", "emoji", "punct", "de", "long"],
            "text": [
                "",
                "😡😡😡",
                "???",
                "Die Polizei war sehr freundlich.",
                "The lights on Elm are still out and it is dangerous. " * 400,
            ],
            "language": ["und", "und", "und", "de", "en"],
        }
    )
    out = score_sentiment(records, model=model, encoder=encoder).set_index("record_id")
    assert out.loc["e", "label"] is None
    assert out.loc["emoji", "label"] == "negative"
    assert out.loc["punct", "label"] == "neutral"
    assert out.loc["de", "label"] is None
    assert out.loc["long", "label"] == "negative"
