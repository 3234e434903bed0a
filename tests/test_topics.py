"""Topics, fast tier: FakeEncoder, PCA instead of UMAP, small HDBSCAN; no models, no spaCy."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from voiceline.nlp.embeddings import FakeEncoder
from voiceline.topics import (
    TopicModel,
    assign_topics,
    fit_topics,
    select_uncovered,
    topic_diff,
    topics_by,
)
from voiceline.topics.keywords import (
    bag_of_words,
    coherent_top_words,
    top_words,
    window_incidence,
)
from voiceline.topics.model import TOPIC_COLUMNS, TOPIC_INFO_COLUMNS, class_tfidf, fold_plurals
from voiceline.topics.review import apply_review, review_queue

THEMES = {
    "fireworks": ["fireworks", "loud", "night", "explosions", "dog", "scared", "july"],
    "converter": ["catalytic", "converter", "stolen", "car", "driveway", "thieves", "sawzall"],
    "scam": ["phone", "scam", "caller", "irs", "gift", "cards", "money"],
    "potholes": ["pothole", "road", "tire", "damage", "street", "huge", "repair"],
}


def make_records(
    n_per: int = 25, *, seed: int = 0, themes=THEMES, prefix: str = "r"
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows, hoods = [], []
    for k, words in enumerate(themes.values()):
        for i in range(n_per):
            rows.append(" ".join(rng.choice(words, size=5)) + f" again {i}")
            hoods.append(["downtown", "fair_haven", "westville"][(i + k) % 3])
    return pd.DataFrame(
        {
            "record_id": [f"{prefix}{i:04d}" for i in range(len(rows))],
            "text": rows,
            "neighborhood_id": hoods,
            "period": "2024-05",
        }
    )


def fast_options(**kw):
    from hdbscan import HDBSCAN
    from sklearn.decomposition import PCA

    opts = dict(
        encoder=FakeEncoder(),
        labels="keywords",
        umap_model=PCA(5, random_state=0),
        hdbscan_model=HDBSCAN(min_cluster_size=5),
        min_topic_size=5,
    )
    opts.update(kw)
    return opts


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return make_records()


@pytest.fixture(scope="module")
def run(records):
    return fit_topics(records, **fast_options())


def test_tables_follow_the_contract(run, records) -> None:
    assert list(run.topics.columns) == list(TOPIC_COLUMNS)
    assert list(run.info.columns) == list(TOPIC_INFO_COLUMNS)
    assert run.topics.record_id.tolist() == records.record_id.tolist()  # input order kept
    assert len(run.info) == 4
    assert run.info.is_new.all()
    assert run.info["size"].sum() == (run.topics.topic_id >= 0).sum()
    assert all(5 <= len(k) <= 10 for k in run.info.keywords)
    assert all(len(r) == 3 for r in run.info.representative_ids)
    assert run.topics.probability.between(0, 1).all()
    assert run.summary["outlier_share"] <= 0.2


def test_each_theme_is_one_topic(run) -> None:
    themes = run.topics.record_id.str[1:].astype(int) // 25
    purity = pd.crosstab(themes, run.topics.topic_id).max(axis=1).sum() / len(themes)
    assert purity >= 0.95
    vocab = {w for words in THEMES.values() for w in words}
    assert all(set(k[:3]) <= vocab for k in run.info.keywords)


def test_same_input_gives_byte_identical_tables(records, run, tmp_path) -> None:
    again = fit_topics(records, **fast_options())
    for a, b, name in ((run.topics, again.topics, "t"), (run.info, again.info, "i")):
        a.to_parquet(tmp_path / f"a{name}.parquet")
        b.to_parquet(tmp_path / f"b{name}.parquet")
        assert (tmp_path / f"a{name}.parquet").read_bytes() == (
            tmp_path / f"b{name}.parquet"
        ).read_bytes()


def test_input_order_does_not_matter(records, run) -> None:
    shuffled = records.sample(frac=1.0, random_state=3)
    other = fit_topics(shuffled, **fast_options())
    a = run.topics.sort_values("record_id").reset_index(drop=True)
    b = other.topics.sort_values("record_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(run.info, other.info)
    assert other.topics.record_id.tolist() == shuffled.record_id.tolist()


def test_input_is_not_mutated(records) -> None:
    before = records.copy()
    fit_topics(records, **fast_options())
    pd.testing.assert_frame_equal(records, before)


def test_concerns_limit_modelling_to_uncovered_records(records) -> None:
    covered = records.record_id[:25]
    concerns = pd.DataFrame(
        {"record_id": covered, "concern_id": "noise", "score": 0.9, "taxonomy_version": "t-v1"}
    )
    weak = pd.DataFrame({"record_id": records.record_id[25:30], "concern_id": "x", "score": 0.2})
    both = pd.concat([concerns, weak])
    assert len(select_uncovered(records, both)) == 75
    topics, info = assign_topics(records, concerns=both, **fast_options())
    assert set(topics.record_id) == set(records.record_id[25:])
    assert len(info) == 3
    assert info.attrs["topics"]["taxonomy_version"] == "t-v1"


def test_precomputed_embeddings_match_the_encoder(records, run) -> None:
    emb = FakeEncoder().encode(records.text.tolist())
    opts = fast_options()
    opts.pop("encoder")
    topics, _ = assign_topics(records, embeddings=emb, **opts)
    pd.testing.assert_frame_equal(topics, run.topics)


def test_outliers_join_the_nearest_topic_above_threshold(records) -> None:
    keep = fit_topics(records, **fast_options(outlier_threshold=None))
    reduced = fit_topics(records, **fast_options(outlier_threshold=0.0))
    assert reduced.summary["outlier_share"] <= keep.summary["outlier_share"]
    assert reduced.summary["outlier_share"] == 0.0


def test_too_few_records_give_no_topics_with_a_reason(records) -> None:
    topics, info = assign_topics(records.head(12), **fast_options())
    assert info.empty and list(info.columns) == list(TOPIC_INFO_COLUMNS)
    assert (topics.topic_id == -1).all() and len(topics) == 12
    assert "too few distinct texts" in info.attrs["topics"]["reason"]


def test_identical_texts_give_no_topics(records) -> None:
    same = records.assign(text="the same complaint")
    topics, info = assign_topics(same, **fast_options())
    assert info.empty and (topics.topic_id == -1).all()


def test_duplicates_are_assigned_not_fitted(records) -> None:
    recs = records.assign(duplicate_of=None)
    recs.loc[recs.index[:10], "duplicate_of"] = "r9999"
    run = fit_topics(recs, **fast_options())
    assert run.summary["n_fitted"] == len(recs) - 10
    assert (run.topics.topic_id[:10] >= 0).mean() >= 0.8


def test_fold_plurals_and_class_tfidf() -> None:
    assert fold_plurals(["light", "lights", "bus", "news"]) == ["light", "light", "bus", "news"]
    weights, vocab = class_tfidf(
        ["the lights are out", "light out again", "loud music", "music loud"],
        np.array([0, 0, 1, 1]),
        n_classes=2,
    )
    assert "lights" not in vocab and "the" not in vocab
    assert vocab[int(np.argmax(weights[0]))] in {"light", "out"}


def test_windows_cover_every_token_once_or_twice() -> None:
    # 23 tokens, windows of 10 every 5 tokens: starts 0, 5, 10 and a last one at 13
    seq = np.arange(23)
    m = window_incidence([seq, np.array([0, 1])], np.arange(23), 23, window=10).toarray()
    assert m.shape == (5, 23)
    assert m[:4].sum(axis=1).tolist() == [10, 10, 10, 10]
    assert m[:4, 14].sum() == 3 and m[:4, 0].sum() == 1 and m[:4, 22].sum() == 1
    assert m[4].nonzero()[0].tolist() == [0, 1]  # a short text is one window
    skip = np.full(23, -1)
    skip[[0, 22]] = [0, 1]  # only two words counted: never in the same window
    w = window_incidence([seq], skip, 2, window=10).toarray()
    assert w.sum(axis=0).tolist() == [1, 1] and w.sum(axis=1).max() == 1


def test_keywords_prefer_words_that_occur_together() -> None:
    # "sawzall" is the best c-TF-IDF word (rare elsewhere) but never appears with the topic's
    # other words: plain c-TF-IDF lists it first and drops "thief", co-occurrence the reverse
    texts = ["catalytic converter thief driveway"] * 2 + ["catalytic converter thief"] * 2
    texts += ["catalytic converter thief alpha", "sawzall", "sawzall", "sawzall"]
    texts += ["loud fireworks"] * 6
    classes = np.array([0] * 8 + [1] * 6)
    bag = bag_of_words(texts)
    weights, vocab = class_tfidf(bag, classes, n_classes=2, min_docs=2)
    plain = top_words(weights, vocab, n=4)
    coherent = coherent_top_words(weights, bag, n=4)
    assert plain[0][0] == "sawzall" and "thief" not in plain[0]
    assert set(coherent[0]) == {"catalytic", "converter", "thief", "driveway"}
    assert coherent_top_words(weights, bag, n=4, coherence_weight=0.0) == plain
    assert weights[0, vocab.index("alpha")] == 0  # in one record only: not a topic keyword


def test_fitted_memberships_are_the_nearest_centroid_ones(run, records) -> None:
    # what a saved model reproduces next month (transform, or a refit with previous=) is the
    # nearest centroid; after settling, the fitted memberships agree with it
    emb = FakeEncoder().encode(records.text.tolist())
    t, _ = run.model.transform(emb)
    fitted = run.topics.topic_id.to_numpy()
    member = fitted >= 0
    assert (t[member] == fitted[member]).all()


def test_refit_with_ten_percent_more_keeps_memberships(records) -> None:
    base = records.iloc[::10].index  # 10 % held back for the second month
    first = fit_topics(records.drop(index=base), **fast_options())
    second = fit_topics(records, previous=first.model, **fast_options())
    a = first.topics.set_index("record_id").topic_id
    b = second.topics.set_index("record_id").topic_id.loc[a.index]
    assert (a == b).mean() >= 0.98


def test_settling_can_be_switched_off(records) -> None:
    off = fit_topics(records, **fast_options(settle_iterations=0))
    assert off.model.get_config()["settle_iterations"] == 0
    assert len(off.info) == 4


def test_bad_keyword_options_are_listed_at_once(records) -> None:
    from voiceline.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        fit_topics(records, **fast_options(keyword_coherence=2.0, settle_iterations=-1))
    assert "keyword_coherence" in str(err.value) and "settle_iterations" in str(err.value)


def test_folders_written_before_new_options_still_load(run, tmp_path) -> None:
    folder = run.model.save(tmp_path / "old")
    meta = json.loads((folder / "model.json").read_text())
    for key in ("keyword_coherence", "settle_iterations"):
        meta["config"].pop(key)
    (folder / "model.json").write_text(json.dumps(meta))
    loaded = TopicModel.load(folder)
    assert loaded.topic_ids_ == run.model.topic_ids_
    assert loaded.keyword_coherence == 0.5 and loaded.settle_iterations == 10


def test_save_load_round_trip_without_pickles(run, records, tmp_path) -> None:
    folder = run.model.save(tmp_path / "m")
    assert sorted(p.name for p in folder.iterdir()) == ["model.json", "model.safetensors"]
    meta = json.loads((folder / "model.json").read_text())
    assert meta["versions"]["bertopic"] and meta["config"]["seed"] == 0
    loaded = TopicModel.load(folder)
    assert loaded.topic_ids_ == run.model.topic_ids_
    assert loaded.labels_ == run.model.labels_
    np.testing.assert_array_equal(loaded.centroids_, run.model.centroids_)
    emb = FakeEncoder().encode(records.text.tolist())
    t, _ = loaded.transform(emb)
    agree = (t == run.topics.topic_id.to_numpy()).mean()
    assert agree >= 0.95


def test_load_rejects_other_folders_clearly(tmp_path) -> None:
    from voiceline.errors import ModelError

    with pytest.raises(ModelError, match="lacks model.json"):
        TopicModel.load(tmp_path)
    (tmp_path / "model.json").write_text(json.dumps({"format": "other"}))
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(ModelError, match="format version"):
        TopicModel.load(tmp_path)


def test_unfitted_model_says_so() -> None:
    from voiceline.errors import ModelError

    with pytest.raises(ModelError, match="not fitted"):
        TopicModel().transform(np.zeros((1, 4)))


def test_ids_are_stable_across_periods(run, tmp_path) -> None:
    folder = run.model.save(tmp_path / "may")
    # next month: three themes continue (new texts), one retires, one is new
    themes = dict(THEMES)
    themes.pop("potholes")
    themes["bikes"] = ["dirt", "bikes", "atv", "revving", "park", "kids", "engines"]
    june = make_records(themes=themes, seed=1, prefix="j")
    from hdbscan import HDBSCAN

    # after the prior topics take their records, the remainder holds one topic: HDBSCAN needs
    # allow_single_cluster (the default sub-model sets it in that case)
    single = HDBSCAN(min_cluster_size=5, allow_single_cluster=True)
    nxt = fit_topics(june, previous=folder, **fast_options(hdbscan_model=single))
    assert nxt.summary["outlier_share"] <= 0.05
    by_label = dict(zip(run.info.topic_label, run.info.topic_id, strict=True))
    kept = nxt.info[~nxt.info.is_new]
    assert len(kept) == 3 and set(kept.topic_id) <= set(by_label.values())
    new = nxt.info[nxt.info.is_new]
    assert len(new) == 1 and new.topic_id.iloc[0] >= 4  # never a reused id
    assert len(nxt.summary["retired"]) == 1
    diff = nxt.diff
    assert sorted(diff.status.value_counts().items()) == [("kept", 3), ("new", 1), ("retired", 1)]
    assert topic_diff(None, nxt.model).status.eq("new").all()
    # the kept topics keep their records: every continuing theme's record is in its old topic
    old_label = dict(zip(run.info.topic_id, run.info.topic_label, strict=True))
    kept_rows = nxt.topics[nxt.topics.topic_id.isin(kept.topic_id)]
    assert (kept_rows.topic_label == kept_rows.topic_id.map(old_label)).all()


def test_refit_mode_matches_topics_after_fitting(run, tmp_path) -> None:
    june = make_records(seed=1, prefix="j")
    nxt = fit_topics(june, previous=run.model, keep_similarity=None, **fast_options())
    assert sorted(nxt.info.topic_id) == sorted(run.info.topic_id)
    assert not nxt.info.is_new.any() and nxt.summary["retired"] == []


def test_previous_from_another_setup_is_ignored_with_a_reason(run, records, tmp_path) -> None:
    folder = run.model.save(tmp_path / "m")
    other = fit_topics(records, previous=folder, **fast_options(encoder=FakeEncoder(dim=32)))
    assert "another encoder" in other.summary["previous_ignored"]
    assert other.info.is_new.all()
    broken = tmp_path / "broken"
    broken.mkdir()
    again = fit_topics(records, previous=broken, **fast_options())
    assert "lacks model.json" in again.summary["previous_ignored"]


def test_topics_by_neighborhood(run, records) -> None:
    table = topics_by(run.topics, records, by="neighborhood_id")
    assert list(table.columns) == ["neighborhood_id", "topic_id", "n", "share"]
    assert table.n.sum() == len(records)


def test_review_queue_and_taxonomy_update(run, records) -> None:
    queue = review_queue(run.info, run.topics, records)
    assert len(queue) == 4 and (queue.decision == "").all()
    assert "downtown" in queue.neighborhoods.iloc[0]
    queue.loc[0, "decision"] = "new concern"
    queue.loc[0, "new_concern_id"] = "emerging_one"
    queue.loc[1, "decision"] = "merge into noise"
    queue.loc[2, "decision"] = "ignore"
    tax = {
        "version": "community-safety-v1",
        "concerns": [
            {"id": "noise", "label": "Noise", "definition": "loud", "examples": ["loud music"]}
        ],
    }
    out = apply_review(queue, tax)
    assert out["version"] == "community-safety-v2"
    assert [c["id"] for c in out["concerns"]] == ["noise", "emerging_one"]
    assert len(out["concerns"][0]["examples"]) == 4
    assert tax["concerns"][0]["examples"] == ["loud music"]  # input unchanged
    from voiceline.concerns.taxonomy import Taxonomy

    assert Taxonomy.from_dict(out).version == "community-safety-v2"


def test_review_rejects_bad_decisions_all_at_once(run, records) -> None:
    from voiceline.errors import ConfigError

    queue = review_queue(run.info, run.topics, records)
    queue.loc[0, "decision"] = "merge into nowhere"
    queue.loc[1, "decision"] = "keep it"
    tax = {"version": "v1", "concerns": []}
    with pytest.raises(ConfigError) as err:
        apply_review(queue, tax)
    assert "names no concern" in str(err.value) and "keep it" in str(err.value)


def test_everything_covered_gives_empty_tables(records) -> None:
    concerns = pd.DataFrame({"record_id": records.record_id, "concern_id": "noise", "score": 0.9})
    topics, info = assign_topics(records, concerns=concerns, **fast_options())
    assert topics.empty and info.empty
    assert list(topics.columns) == list(TOPIC_COLUMNS)
    assert info.attrs["topics"]["reason"]


def test_bad_embeddings_shape_is_a_clear_error(records) -> None:
    from voiceline.errors import SchemaError

    opts = fast_options()
    opts.pop("encoder")
    with pytest.raises(SchemaError, match="one row per record"):
        assign_topics(records, embeddings=np.zeros((3, 8)), **opts)
