"""The trained concern classifier: fit/predict, calibration, storage and labels-file checks."""
from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import pytest

from voiceline.concerns.model_io import MANIFEST, WEIGHTS
from voiceline.concerns.trained import TrainedConcernModel, train_concerns
from voiceline.errors import InputError, ModelError
from voiceline.nlp.embeddings import FakeEncoder

ROADS = ["huge pothole on Elm street", "pothole keeps growing near the school",
         "the road is full of potholes", "pothole by the bus stop", "deep pothole damaged my tire",
         "another pothole on Main"]
NOISE = ["loud music every night", "neighbors play loud music until 3am",
         "music so loud windows shake", "loud party music on Friday", "noise and loud music again",
         "loud music from the bar"]
LIGHTS = ["street light is out", "the street light flickers", "dark street, light broken",
          "no street light on my block", "street light out for weeks", "street light pole damaged"]
SINGLE = ROADS + NOISE + LIGHTS
SINGLE_Y = [["roads"]] * 6 + [["noise"]] * 6 + [["lights"]] * 6


@pytest.fixture
def enc() -> FakeEncoder:
    return FakeEncoder(dim=64)


def _single(enc, **kw) -> TrainedConcernModel:
    return TrainedConcernModel(encoder=enc, min_df=1, **kw).fit(SINGLE, SINGLE_Y)


def test_single_label_argmax_and_probabilities(enc):
    model = _single(enc)
    assert model.single_label_ and model.labels_ == ["lights", "noise", "roads"]
    assert model.method == "trained" and model.threshold_ == 0.5
    assert model.taxonomy_version_.startswith("trained:") and len(model.taxonomy_version_) == 16
    new = ["a new pothole on Oak", "loud music next door", "the street light is broken"]
    assert model.predict(new) == [["roads"], ["noise"], ["lights"]]
    proba = model.predict_proba(new)
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert list(proba.argmax(axis=1)) == [2, 1, 0]


def test_multi_label_fit_predict(enc):
    texts = SINGLE + ["pothole and loud music", "loud music under a broken street light",
                      "thanks for the new bench"]
    labels = SINGLE_Y + [["roads", "noise"], ["noise", "lights"], []]
    model = TrainedConcernModel(encoder=enc, min_df=1).fit(texts, labels)
    assert not model.single_label_
    proba = model.predict_proba(["loud music", "pothole on Elm"])
    assert proba.shape == (2, 3) and ((proba >= 0) & (proba <= 1)).all()
    assert model.predict(["loud music all night"], threshold=0.3)[0][0] == "noise"
    assert model.predict(["deep pothole on Elm"], threshold=0.3)[0][0] == "roads"


def test_precomputed_embeddings_are_used_instead_of_encoding(enc):
    model = _single(enc)
    calls = enc.calls
    texts = ["pothole again", "loud music"]
    emb = enc.encode(texts)
    np.testing.assert_allclose(model.predict_proba(texts, embeddings=emb),
                               model.predict_proba(texts))
    assert enc.calls == calls + 2  # one for ``emb``, one for the call without embeddings
    with pytest.raises(InputError, match="one row per text"):
        model.predict_proba(texts, embeddings=emb[:1])


def test_feature_variants_and_empty_text(enc):
    for features in ("tfidf", "embeddings"):
        model = TrainedConcernModel(encoder=enc, min_df=1, features=features).fit(SINGLE, SINGLE_Y)
        assert model.predict(["pothole on Oak street"]) == [["roads"]]
    assert _single(enc).predict_proba(["", None]).shape == (2, 3)
    assert _single(enc).predict_proba([]).shape == (0, 3)


def test_unfitted_model_says_so(enc):
    with pytest.raises(ModelError, match="not fitted"):
        TrainedConcernModel(encoder=enc).predict_proba(["x"])


def test_save_load_round_trip_gives_identical_probabilities(tmp_path, enc):
    model = _single(enc)
    folder = model.save(tmp_path / "model")
    names = sorted(p.name for p in folder.iterdir())
    assert names == [MANIFEST, "vocabulary.json", WEIGHTS]
    assert not any(p.suffix in (".pkl", ".pickle", ".joblib") for p in folder.rglob("*"))
    loaded = TrainedConcernModel.load(folder, encoder=enc)
    texts = ["pothole near the park", "music", "light out", ""]
    np.testing.assert_array_equal(loaded.predict_proba(texts), model.predict_proba(texts))
    assert loaded.labels_ == model.labels_ and loaded.single_label_
    assert loaded.taxonomy_version_ == model.taxonomy_version_
    assert loaded.get_params()["C"] == model.C and loaded.word_ngrams == (1, 2)
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 1_000_000


def test_tampered_weights_other_version_and_encoder_mismatch(tmp_path, enc):
    folder = _single(enc).save(tmp_path / "model")
    with pytest.raises(ModelError, match="encoder 'fake-64-0'.*'fake-32-0'"):
        TrainedConcernModel.load(folder, encoder=FakeEncoder(dim=32))

    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["format_version"] = 99
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="format_version 99"):
        TrainedConcernModel.load(folder, encoder=enc)

    folder = _single(enc).save(tmp_path / "model2")
    raw = bytearray((folder / WEIGHTS).read_bytes())
    raw[-3] ^= 0x01
    (folder / WEIGHTS).write_bytes(bytes(raw))
    with pytest.raises(ModelError, match="sha256 .* does not match"):
        TrainedConcernModel.load(folder, encoder=enc)

    with pytest.raises(ModelError, match="has no model.json"):
        TrainedConcernModel.load(tmp_path, encoder=enc)


def _labels_frame() -> pd.DataFrame:
    return pd.DataFrame({"comment": SINGLE, "tags": [";".join(y) for y in SINGLE_Y]})


def test_train_concerns_multi_label_separator_and_dropped_rows(enc, caplog):
    frame = _labels_frame()
    extra = pd.DataFrame({"comment": ["pothole and loud music", "", None, "nice park"],
                          "tags": ["roads; noise", "roads", "noise", None]})
    frame = pd.concat([frame, extra], ignore_index=True)
    before = frame.copy()
    with caplog.at_level(logging.WARNING, logger="voiceline"):
        model = train_concerns(frame, text_column="comment", label_column="tags", encoder=enc,
                               min_df=1)
    pd.testing.assert_frame_equal(frame, before)
    assert not model.single_label_
    assert model.training_report_["dropped_empty_text_rows"] == [20, 21]
    assert model.training_report_["n_used"] == 20
    assert "dropped 2 row(s) with empty 'comment' (data rows 20, 21)" in caplog.text


def test_train_concerns_single_label(enc):
    model = train_concerns(_labels_frame(), text_column="comment", label_column="tags",
                           encoder=enc, min_df=1)
    assert model.single_label_ and model.training_report_["dropped_empty_text_rows"] == []


def test_train_concerns_missing_columns_names_what_exists(enc):
    with pytest.raises(InputError, match=r"lacks column\(s\) text; found: comment, tags"):
        train_concerns(_labels_frame(), text_column="text", label_column="tags", encoder=enc)


def test_train_concerns_label_seen_once(enc):
    frame = pd.concat([_labels_frame(), pd.DataFrame({"comment": ["graffiti on the wall"],
                                                      "tags": ["graffiti"]})])
    with pytest.raises(InputError, match="seen only once in column 'tags': graffiti.*merge"):
        train_concerns(frame, text_column="comment", label_column="tags", encoder=enc)


def test_train_concerns_needs_two_labels(enc):
    frame = pd.DataFrame({"comment": ROADS, "tags": ["roads"] * 6})
    with pytest.raises(InputError, match=r"at least 2 distinct labels.*found \['roads'\]"):
        train_concerns(frame, text_column="comment", label_column="tags", encoder=enc)


def test_classify_concerns_accepts_the_trained_model(enc):
    from voiceline.concerns.classify import classify_concerns

    model = _single(enc)
    records = pd.DataFrame({"record_id": ["r1", "r2"],
                            "text": ["Huge pothole on Elm. Loud music all night.", ""]})
    out = classify_concerns(records, model=model, encoder=enc, threshold=0.2)
    assert set(out["method"]) <= {"trained"}
    assert (out["taxonomy_version"] == model.taxonomy_version_).all()
    assert "r2" not in set(out["record_id"])


@pytest.mark.slow
def test_real_minilm_small_set(tmp_path):
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from voiceline.nlp.embeddings import load_encoder

    encoder = load_encoder("accurate", cache_dir=tmp_path / "cache")
    model = TrainedConcernModel(encoder=encoder, min_df=1).fit(SINGLE, SINGLE_Y)
    new = ["there is a crater in the road on Oak", "the party next door is so noisy",
           "it is pitch dark, the lamp post is not working"]
    assert model.predict(new) == [["roads"], ["noise"], ["lights"]]
    folder = model.save(tmp_path / "model")
    loaded = TrainedConcernModel.load(folder, encoder=encoder)
    np.testing.assert_allclose(loaded.predict_proba(new), model.predict_proba(new), atol=1e-6)


def test_macro_f1_offsets_favour_an_under_predicted_rare_label():
    from voiceline.concerns.calibration import macro_f1_offsets as _macro_f1_offsets

    rng = np.random.default_rng(0)
    y = np.array([0] * 90 + [1] * 10)
    Z = rng.normal(0, 0.3, (100, 2))
    Z[:, 0] += 1.0  # label 0 always wins the plain arg-max
    Z[90:, 1] += 0.8  # the rare label scores higher on its own examples, but not high enough
    b = _macro_f1_offsets(Z, y)
    assert b.shape == (2,) and b[1] - b[0] > 0
    recall_rare = ((Z + b).argmax(axis=1)[90:] == 1).mean()
    assert recall_rare > (Z.argmax(axis=1)[90:] == 1).mean()


def test_heads_offsets_and_their_options(enc):
    model = _single(enc)
    assert model.head == "linear_svm" and model.offset_.shape == (3,)
    texts = ["pothole on Oak", "loud music", "street light out"]
    best = (model.decision_function(texts) + model.offset_).argmax(axis=1)
    assert model.predict(texts) == [[model.labels_[j]] for j in best]
    plain = _single(enc, macro_offsets=False)
    assert not plain.offset_.any()
    logreg = _single(enc, head="logreg", C=10.0)
    assert logreg.predict(texts) == [["roads"], ["noise"], ["lights"]]
    with pytest.raises(ModelError, match="head='tree'"):
        _single(enc, head="tree")


def test_models_saved_before_heads_and_offsets_load_as_they_were(tmp_path, enc):
    folder = _single(enc, head="logreg", C=10.0, macro_offsets=False).save(tmp_path / "m")
    manifest = json.loads((folder / MANIFEST).read_text())
    for key in ("head", "macro_offsets"):
        del manifest["settings"][key]
    (folder / MANIFEST).write_text(json.dumps(manifest))
    loaded = TrainedConcernModel.load(folder, encoder=enc)
    assert loaded.head == "logreg" and loaded.macro_offsets is False
    texts = ["pothole on Oak", "loud music"]
    np.testing.assert_array_equal(loaded.offset_, np.zeros(3, dtype=np.float32))
    assert loaded.predict(texts) == [["roads"], ["noise"]]


def test_models_saved_before_the_neighbour_view_load_without_it(tmp_path, enc):
    model = _single(enc, knn_neighbors=0)
    assert model.uses_knn_ is False and not hasattr(model, "knn_emb_")
    folder = model.save(tmp_path / "m")
    manifest = json.loads((folder / MANIFEST).read_text())
    for key in ("knn_neighbors", "knn_temperature"):
        del manifest["settings"][key]
    (folder / MANIFEST).write_text(json.dumps(manifest))
    loaded = TrainedConcernModel.load(folder, encoder=enc)
    assert loaded.knn_neighbors == 0 and loaded.uses_knn_ is False
    texts = ["pothole on Oak", "loud music", ""]
    np.testing.assert_array_equal(loaded.predict_proba(texts), model.predict_proba(texts))


def _rings(n_per: int, seed: int) -> tuple[np.ndarray, list[list[str]]]:
    """Two labels no straight line separates: 'x' around (+-1, 0), 'y' around (0, +-1)."""
    rng = np.random.default_rng(seed)
    centres = {"x": [(1, 0), (-1, 0)], "y": [(0, 1), (0, -1)]}
    rows, labels = [], []
    for label, points in centres.items():
        for cx, cy in points:
            rows.append(rng.normal((cx, cy), 0.15, size=(n_per, 2)))
            labels += [[label]] * n_per
    return np.vstack(rows).astype(np.float32), labels


def test_neighbour_view_learns_what_a_linear_head_cannot():
    train_x, train_y = _rings(30, seed=0)
    test_x, test_y = _rings(20, seed=1)
    texts = ["report"] * len(train_y)
    gold = [row[0] for row in test_y]

    def accuracy(**kw) -> float:
        model = TrainedConcernModel(encoder=FakeEncoder(dim=2), features="embeddings", **kw)
        model.fit(texts, train_y, embeddings=train_x)
        pred = model.predict(["report"] * len(gold), embeddings=test_x)
        return float(np.mean([p[0] == g for p, g in zip(pred, gold, strict=True)]))

    assert accuracy(knn_neighbors=10) >= 0.95
    assert accuracy(knn_neighbors=0) < 0.8


def test_neighbour_view_is_stored_and_scores_the_same_after_loading(tmp_path, enc):
    model = _single(enc)
    assert model.uses_knn_ and model.knn_emb_.shape == (len(SINGLE), 64)
    assert model.knn_labels_.sum(axis=1).tolist() == [1] * len(SINGLE)
    folder = model.save(tmp_path / "m")
    from safetensors.numpy import load_file

    stored = load_file(folder / WEIGHTS)
    assert stored["knn_emb"].dtype == np.float16 and stored["knn_labels"].dtype == np.int8
    loaded = TrainedConcernModel.load(folder, encoder=enc)
    texts = ["pothole on Oak", "loud music", "street light out", ""]
    np.testing.assert_array_equal(loaded.decision_function(texts), model.decision_function(texts))
    assert loaded.predict(texts)[:3] == [["roads"], ["noise"], ["lights"]]


def test_neighbour_view_in_a_multi_label_model(enc):
    texts = ROADS + NOISE + ["pothole and loud music on Elm", "loud music, and a pothole again",
                             "music so loud near the pothole", "pothole; loud music every night"]
    labels = [["roads"]] * 6 + [["noise"]] * 6 + [["roads", "noise"]] * 4
    model = TrainedConcernModel(encoder=enc, min_df=1).fit(texts, labels)
    assert model.uses_knn_ and not model.single_label_
    assert (model.view_scale_ >= 0).all()
    proba = model.predict_proba(["huge pothole", "loud music", ""])
    assert proba.shape == (3, 2) and ((proba >= 0) & (proba <= 1)).all()
    assert model.predict(["huge pothole on Main"])[0][0] == "roads"


def test_knn_votes_batches_empty_queries_and_small_references(monkeypatch):
    from voiceline.concerns import neighbors

    rng = np.random.default_rng(0)
    ref = rng.normal(size=(50, 8)).astype(np.float32)
    Y = np.eye(3, dtype=np.int8)[rng.integers(0, 3, 50)]
    query = np.vstack([rng.normal(size=(9, 8)), np.zeros((1, 8))]).astype(np.float32)
    whole = neighbors.knn_votes(query, ref, Y, neighbors=7)
    monkeypatch.setattr(neighbors, "BATCH_CELLS", 60)  # one query row per batch
    np.testing.assert_allclose(neighbors.knn_votes(query, ref, Y, neighbors=7), whole, rtol=1e-5)
    np.testing.assert_allclose(whole.sum(axis=1), 1.0)
    np.testing.assert_allclose(whole[-1], Y.mean(axis=0))  # empty text: label frequencies
    few = neighbors.knn_votes(query, ref[:3], Y[:3], neighbors=7)  # fewer rows than neighbours
    np.testing.assert_allclose(few.sum(axis=1), 1.0)
    assert neighbors.knn_votes(query[:0], ref, Y).shape == (0, 3)
