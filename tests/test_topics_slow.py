"""Topics, slow tier: real MiniLM, seeded UMAP, HDBSCAN and spaCy keyphrase labels on made-up
resident statements (no real data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.slow

STATEMENTS = {
    "converter": [
        "Someone stole the catalytic converter from my car last night",
        "Third catalytic converter theft on our block this month",
        "Thieves cut the catalytic converter off my neighbor's truck",
        "My catalytic converter was stolen in the driveway",
        "Catalytic converter thieves are hitting cars on Elm Street",
        "Another catalytic converter stolen from a parked car",
    ],
    "scam": [
        "A caller pretending to be police asked for gift cards",
        "Phone scam callers say my grandson is in jail and want money",
        "Scam call claiming to be the sheriff demanding a fine in gift cards",
        "My mother got a scam phone call asking for gift cards",
        "The gift card phone scam targets seniors in our building",
        "Scammers called saying I owe money and must pay with gift cards",
    ],
    "fireworks": [
        "Fireworks going off every night until 2am",
        "Illegal fireworks keep my dog scared all night",
        "Loud fireworks exploding in the street at midnight",
        "The nightly fireworks are shaking our windows",
        "Fireworks at night have kept the kids awake for weeks",
        "Someone sets off fireworks in the park every night",
    ],
}


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    rows = []
    for theme, texts in STATEMENTS.items():
        for rep in range(2):  # two phrasings of each statement
            for i, t in enumerate(texts):
                rows.append((f"{theme}-{rep}-{i}", t if rep == 0 else f"{t}. Please help."))
    return pd.DataFrame(rows, columns=["record_id", "text"])


@pytest.fixture(scope="module")
def encoder():
    from voiceline.nlp.embeddings import load_encoder

    return load_encoder("accurate", use_cache=False)


@pytest.fixture(scope="module")
def run(records, encoder):
    from voiceline.topics import fit_topics

    return fit_topics(records, encoder=encoder, min_topic_size=5)


def test_real_models_find_the_themes_with_readable_labels(run, records) -> None:
    theme = records.record_id.str.split("-").str[0]
    table = pd.crosstab(theme.to_numpy(), run.topics.topic_id.to_numpy())
    assert len(run.info) == 3
    assert table.max(axis=1).sum() / len(records) >= 0.9
    assert run.summary["outlier_share"] <= 0.2
    labels = " / ".join(run.info.topic_label)
    assert "_" not in labels
    assert any("catalytic converter" in lab for lab in run.info.topic_label), labels
    assert any("scam" in lab or "gift card" in lab for lab in run.info.topic_label), labels


def test_real_umap_is_byte_for_byte_reproducible(run, records, encoder, tmp_path) -> None:
    from voiceline.topics import fit_topics

    again = fit_topics(records.sample(frac=1.0, random_state=1), encoder=encoder, min_topic_size=5)
    a = run.topics.sort_values("record_id").reset_index(drop=True)
    b = again.topics.sort_values("record_id").reset_index(drop=True)
    a.to_parquet(tmp_path / "a.parquet")
    b.to_parquet(tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    pd.testing.assert_frame_equal(run.info, again.info)
    np.testing.assert_array_equal(run.model.centroids_, again.model.centroids_)


def test_labelling_parses_each_text_once_and_leaves_the_pipeline_as_it_was(records) -> None:
    from voiceline.nlp.spacy_model import load_spacy
    from voiceline.topics.labels import KeyphraseLabeler

    nlp = load_spacy(profile="full")
    names = list(nlp.pipe_names)
    parsed: list[str] = []

    class Spy:
        """The real pipeline, counting the texts it is asked to parse."""

        meta, pipe_names = nlp.meta, nlp.pipe_names

        def select_pipes(self, **kw):
            return nlp.select_pipes(**kw)

        def pipe(self, texts, **kw):
            texts = list(texts)
            parsed.extend(texts)
            return nlp.pipe(texts, **kw)

    texts = [STATEMENTS["converter"] * 2, STATEMENTS["scam"]]
    keywords = [["catalytic", "converter"], ["scam", "gift", "card"]]
    labeler = KeyphraseLabeler(nlp=Spy(), encoder=None)
    labels = labeler(texts, keywords, None)
    assert "catalytic converter" in labels[0]
    assert sorted(parsed) == sorted(set(STATEMENTS["converter"] + STATEMENTS["scam"]))
    parsed.clear()
    assert labeler(texts, keywords, None) == labels and parsed == []  # remembered
    assert nlp.pipe_names == names  # the NER switched off for labels only
