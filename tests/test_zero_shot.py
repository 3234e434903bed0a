"""The zero-shot classifier: estimator contract and calibration shape (fast tier, fake encoder),
and the obvious cases right with the real MiniLM (slow tier)."""
from __future__ import annotations

import numpy as np
import pytest

from voiceline.concerns.taxonomy import Taxonomy
from voiceline.concerns.zero_shot import ZeroShotClassifier
from voiceline.errors import ModelError, SchemaError
from voiceline.nlp.embeddings import FakeEncoder


@pytest.fixture(scope="module")
def fitted() -> ZeroShotClassifier:
    return ZeroShotClassifier(encoder=FakeEncoder(dim=256)).fit()


def test_init_only_stores() -> None:
    model = ZeroShotClassifier(encoder="not used yet", threshold=0.4)
    assert model.threshold == 0.4 and not hasattr(model, "labels_")
    with pytest.raises(ModelError, match="not fitted"):
        model.predict_proba(["x"])


def test_interface(fitted: ZeroShotClassifier) -> None:
    assert fitted.labels_ == Taxonomy.load().ids
    assert fitted.method == "zero_shot"
    assert fitted.taxonomy_version_ == "community-safety-v1"
    assert 0 < fitted.threshold_ < 1


def test_probabilities_in_range_and_deterministic(fitted: ZeroShotClassifier) -> None:
    texts = ["pothole on Elm", "", "loud music every night"]
    p = fitted.predict_proba(texts)
    assert p.shape == (3, 16) and np.all((p >= 0) & (p <= 1))
    assert not p[1].any()  # an empty text raises nothing
    again = ZeroShotClassifier(encoder=FakeEncoder(dim=256)).fit().predict_proba(texts)
    np.testing.assert_allclose(p, again)


def test_precomputed_embeddings_match(fitted: ZeroShotClassifier) -> None:
    texts = ["graffiti on the bridge", "rent is too high"]
    emb = FakeEncoder(dim=256).encode(texts)
    given = fitted.predict_proba(texts, embeddings=emb)
    np.testing.assert_allclose(given, fitted.predict_proba(texts))
    with pytest.raises(SchemaError, match="expected \\(2, 256\\)"):
        fitted.predict_proba(texts, embeddings=emb[:, :10])


def test_examples_score_their_own_concern_highest(fitted: ZeroShotClassifier) -> None:
    tax = Taxonomy.load()
    texts = [c.examples[0] for c in tax]
    p = fitted.predict_proba(texts)
    hits = sum(int(np.argmax(p[i]) == i) for i in range(len(texts)))
    assert hits >= 14  # the training examples themselves, even with a bag-of-words encoder


def test_rule_hits(fitted: ZeroShotClassifier) -> None:
    hits = fitted.rule_hits(["Catalytic converter stolen!", "needles in the park", "nothing"])
    ids = fitted.labels_
    assert hits[0, ids.index("property_crime")]
    assert hits[1, ids.index("drugs")]
    assert not hits[2].any()


def test_bad_threshold() -> None:
    with pytest.raises(SchemaError, match="between 0 and 1"):
        ZeroShotClassifier(encoder=FakeEncoder(), threshold=1.5).fit()


# --- slow tier: the real MiniLM on the project's own made-up sentences ---------------------
OBVIOUS = {
    "There's a huge pothole on Maple that keeps popping tires.": "infrastructure",
    "Somebody stole the catalytic converter off my Prius last night.": "property_crime",
    "Guys are selling drugs on the corner in broad daylight.": "drugs",
    "Cars race down our street at 70 mph, someone is going to die.": "traffic_safety",
    "A pickup has been parked across my driveway since Tuesday.": "parking",
    "The neighbors play loud music until 4am every weekend.": "noise",
    "Someone dumped a pile of old mattresses in the alley.": "disorder",
    "There are tents and people sleeping under the overpass now.": "homelessness",
    "My rent doubled and my landlord won't fix the heat.": "housing",
    "I called 911 and waited an hour for an officer to show up.": "police_service",
    "The officer shoved my son and called him names for no reason.": "police_conduct",
    "We heard gunshots outside the school this afternoon.": "violent_crime",
}


@pytest.mark.slow
def test_real_minilm_gets_the_obvious_ones() -> None:
    from voiceline.nlp.embeddings import load_encoder

    model = ZeroShotClassifier(encoder=load_encoder("accurate")).fit()
    texts = list(OBVIOUS)
    p = model.predict_proba(texts)
    top = [model.labels_[int(i)] for i in p.argmax(axis=1)]
    right = [t for t, want, got in zip(texts, OBVIOUS.values(), top, strict=True) if want == got]
    assert len(right) >= 11, dict(zip(texts, top, strict=True))
    assert (p.max(axis=1) >= model.threshold_).mean() >= 0.9
    calm = model.predict_proba(["Thank you chair, I yield my time."])
    assert calm.max() < model.threshold_
