"""A concern classifier trained on a unit's own labeled examples (any label set).

Why this model: on resident service reports (New Haven SeeClickFix, 23 categories) a linear head
that sees both the sentence embedding (meaning: "branch hanging over the road" ~ tree trimming)
and TF-IDF word and character n-grams (the exact words and misspellings a city's residents use:
"stop sign", "pot hole", street furniture names) beats either alone; balanced class weights keep
rare labels from being swallowed by frequent ones. A second view, a similarity-weighted vote of
the 40 nearest training examples in embedding space (:mod:`voiceline.concerns.neighbors`), adds
what a linear boundary smooths away: residents reporting the same problem in near-identical words
(New Haven macro-F1 0.595 -> 0.606 over three repeated 5-fold splits).
``bench/trained_newhaven.py`` measures each variant with cross-validation.

Probabilities are calibrated on out-of-fold scores (a temperature and per-label offsets for
single-label data, per-label Platt scaling for multi-label data), so a threshold of 0.5 means
"more likely than not" for every label and :func:`voiceline.concerns.classify.classify_concerns`
can use one cut-off. Single-label data (every example has exactly one label) also gets the
arg-max behaviour: :meth:`TrainedConcernModel.predict` returns the single best label, after
per-label offsets chosen on the same out-of-fold scores to maximise macro-F1 (+0.015 to 0.017
macro-F1 on New Haven, where five labels have fewer than 40 examples).

Stored without pickles (``model_io``): coefficients and idf vectors in safetensors, the TF-IDF
vocabulary in JSON, settings and labels in the manifest. With the neighbour view the folder also
holds the training examples' sentence embeddings (float16) and labels, not their texts: share a
model folder as you would the labels file it was trained from.

>>> from voiceline.nlp.embeddings import FakeEncoder
>>> texts = ["pothole on Elm", "huge pothole", "tree down", "fallen tree branch"]
>>> model = TrainedConcernModel(encoder=FakeEncoder(dim=32), min_df=1).fit(
...     texts, [["roads"], ["roads"], ["trees"], ["trees"]])
>>> model.predict(["pothole by the school"])
[['roads']]
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from voiceline.concerns.calibration import fit_platt, fit_softmax_calibration, macro_f1_offsets
from voiceline.errors import InputError, ModelError

log = logging.getLogger("voiceline")

KIND = "concerns-trained"
FEATURES = ("embeddings", "tfidf", "embeddings+tfidf")
HEADS = ("linear_svm", "logreg")


class TrainedConcernModel:
    """Calibrated linear head on sentence embeddings and TF-IDF n-grams (scikit-learn contract).

    Options (keyword-only; defaults are what measured best on New Haven):

    - ``encoder``: the sentence encoder (``model_id``, ``dim``, ``encode``); default
      ``load_encoder("accurate")``, loaded on first use. Not needed with ``features="tfidf"``.
    - ``features``: ``"embeddings+tfidf"`` (default), ``"embeddings"`` or ``"tfidf"``.
    - ``head``: ``"linear_svm"`` (default: one-vs-rest linear SVM, liblinear; as accurate as
      the logistic regression on New Haven and about 20 times faster to fit, which matters
      because calibration fits it ``calibration_folds`` more times) or ``"logreg"``
      (multinomial logistic regression, lbfgs).
    - ``C``: inverse regularisation strength of the head (0.1 suits ``linear_svm``, about 10
      suits ``logreg``).
    - ``class_weight``: ``"balanced"`` (default: rare labels count as much as frequent ones) or
      ``None``.
    - ``embedding_weight``: scale of the embedding block beside the (unit-norm) TF-IDF blocks.
    - ``word_ngrams``, ``char_ngrams``, ``min_df``, ``max_features``: the TF-IDF vocabularies
      (``char_ngrams=None`` turns character n-grams off).
    - ``knn_neighbors``: size of the neighbour vote on embeddings beside the linear head (``0``
      turns it off; needs embeddings among the ``features`` and ``calibration_folds >= 2``,
      since the two views are weighed on out-of-fold scores).
    - ``knn_temperature``: how sharply closer neighbours outvote farther ones
      (weights ``exp(knn_temperature * cosine similarity)``).
    - ``calibration_folds``: folds for the out-of-fold scores the calibration is fitted on
      (``0`` keeps the raw probabilities).
    - ``macro_offsets``: single-label data only: per-label offsets added to the scores before
      the arg-max of :meth:`predict`, chosen on the out-of-fold scores to maximise macro-F1
      (every label counts the same, so a rare label is worth predicting a little more often).
      Needs ``calibration_folds >= 2``; ``False`` keeps the plain arg-max.
    - ``threshold``: default cut-off of :meth:`predict` and of the concerns stage.

    Attributes after ``fit``: ``labels_``, ``single_label_``, ``threshold_``,
    ``taxonomy_version_`` (``"trained:<sha8 of the label list>"``), ``encoder_model_id_``,
    ``n_features_``, ``coef_`` (k, d), ``intercept_`` (k,), ``offset_`` (k,: the macro-F1
    offsets, zeros when not tuned), ``uses_knn_``, and with the neighbour view ``knn_emb_``
    (n, dim), ``knn_labels_`` (n, k) and ``view_scale_`` / ``view_bias_`` (2, k: how the
    linear and neighbour scores are weighed).
    """

    method = "trained"

    def __init__(
        self,
        *,
        encoder: Any = None,
        features: str = "embeddings+tfidf",
        head: str = "linear_svm",
        C: float = 0.1,
        class_weight: str | None = "balanced",
        embedding_weight: float = 1.0,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        min_df: int = 2,
        max_features: int | None = 60_000,
        knn_neighbors: int = 40,
        knn_temperature: float = 20.0,
        calibration_folds: int = 3,
        macro_offsets: bool = True,
        threshold: float = 0.5,
        max_iter: int = 2000,
        random_state: int = 0,
    ) -> None:
        self.encoder = encoder
        self.features = features
        self.head = head
        self.C = C
        self.class_weight = class_weight
        self.embedding_weight = embedding_weight
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.knn_neighbors = knn_neighbors
        self.knn_temperature = knn_temperature
        self.calibration_folds = calibration_folds
        self.macro_offsets = macro_offsets
        self.threshold = threshold
        self.max_iter = max_iter
        self.random_state = random_state

    _PARAMS = (
        "features", "head", "C", "class_weight", "embedding_weight", "word_ngrams",
        "char_ngrams", "min_df", "max_features", "knn_neighbors", "knn_temperature",
        "calibration_folds", "macro_offsets",
        "threshold", "max_iter", "random_state",
    )

    def get_params(self, deep: bool = False) -> dict[str, Any]:
        """The constructor options (scikit-learn's ``get_params``)."""
        return {"encoder": self.encoder, **{p: getattr(self, p) for p in self._PARAMS}}

    def set_params(self, **params: Any) -> TrainedConcernModel:
        for name, value in params.items():
            if name != "encoder" and name not in self._PARAMS:
                raise ValueError(f"unknown option {name!r}; options: {', '.join(self._PARAMS)}")
            setattr(self, name, value)
        return self

    # --- features ------------------------------------------------------------------------
    @property
    def _uses_embeddings(self) -> bool:
        return "embeddings" in self.features

    @property
    def _uses_tfidf(self) -> bool:
        return "tfidf" in self.features

    def _get_encoder(self) -> Any:
        if self.encoder is None:
            from voiceline.nlp.embeddings import load_encoder

            self.encoder = load_encoder("accurate")
        return self.encoder

    def _embed(self, texts: list[str], embeddings: np.ndarray | None) -> np.ndarray:
        if embeddings is None:
            embeddings = self._get_encoder().encode(texts)
        emb = np.asarray(embeddings, dtype=np.float32)
        if emb.ndim != 2 or emb.shape[0] != len(texts):
            raise InputError(
                f"embeddings have shape {emb.shape}; expected ({len(texts)}, dim): "
                "one row per text."
            )
        dim = getattr(self, "embedding_dim_", None)
        if dim is not None and emb.shape[1] != dim:
            raise ModelError(
                f"embeddings have {emb.shape[1]} dimensions but the model was trained on {dim} "
                f"(encoder {self.encoder_model_id_!r}); encode with the same encoder."
            )
        return emb

    def _vectorizers(self, vocab: dict[str, list[str]] | None = None) -> dict[str, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        specs: dict[str, dict[str, Any]] = {
            "word": {"analyzer": "word", "ngram_range": tuple(self.word_ngrams)}
        }
        if self.char_ngrams:
            specs["char"] = {"analyzer": "char_wb", "ngram_range": tuple(self.char_ngrams)}
        out = {}
        for name, spec in specs.items():
            kwargs: dict[str, Any] = {"sublinear_tf": True, "dtype": np.float32, **spec}
            if vocab is None:
                kwargs.update(min_df=self.min_df, max_features=self.max_features)
            else:
                kwargs["vocabulary"] = {t: i for i, t in enumerate(vocab[name])}
            out[name] = TfidfVectorizer(**kwargs)
        return out

    def _features(
        self, texts: list[str], embeddings: np.ndarray | None, *, fit: bool
    ) -> tuple[Any, np.ndarray | None]:
        """The head's feature matrix (sparse) and the embeddings it holds (``None`` without)."""
        from scipy import sparse

        blocks = []
        emb = None
        if self._uses_tfidf:
            if fit:
                self.vectorizers_ = self._vectorizers()
                for vec in self.vectorizers_.values():
                    try:
                        vec.fit(texts)
                    except ValueError:  # every text empty or all words below min_df
                        vec.set_params(min_df=1, max_features=None).fit(texts + ["_"])
            blocks += [vec.transform(texts) for vec in self.vectorizers_.values()]
        if self._uses_embeddings:
            emb = self._embed(texts, embeddings)
            if fit:
                self.embedding_dim_ = emb.shape[1]
            blocks.append(sparse.csr_matrix(emb * np.float32(self.embedding_weight)))
        # An empty text has no words and a zero embedding; this flag lets the head learn what
        # empty reports usually are instead of falling back to the (class-weighted) intercepts.
        empty = np.array([[0.0 if t.strip() else 1.0] for t in texts], dtype=np.float32)
        blocks.append(sparse.csr_matrix(empty))
        return sparse.hstack(blocks, format="csr", dtype=np.float32), emb

    # --- fit -----------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str] | str],
        embeddings: np.ndarray | None = None,
    ) -> TrainedConcernModel:
        """Learn from ``texts`` and their labels (one list of labels per text; a plain string is
        one label). Every text with exactly one label: single-label (softmax, arg-max
        ``predict``); otherwise multi-label (one calibrated yes/no per label; an empty list is
        a text that raises none of them)."""
        if self.features not in FEATURES:
            raise ModelError(f"features={self.features!r}; expected one of {list(FEATURES)}.")
        if self.head not in HEADS:
            raise ModelError(f"head={self.head!r}; expected one of {list(HEADS)}.")
        texts = [t if isinstance(t, str) else "" for t in texts]
        rows = [[x] if isinstance(x, str) else list(dict.fromkeys(x)) for x in labels]
        if len(rows) != len(texts):
            raise InputError(f"{len(texts)} texts but {len(rows)} label lists; pass one per text.")
        self.labels_ = sorted({label for row in rows for label in row})
        if len(self.labels_) < 2:
            raise InputError(f"training needs at least 2 labels; found {self.labels_}.")
        self.single_label_ = all(len(row) == 1 for row in rows)
        self.threshold_ = float(self.threshold)
        digest = hashlib.sha256("\n".join(self.labels_).encode("utf-8")).hexdigest()
        self.taxonomy_version_ = f"trained:{digest[:8]}"
        if self._uses_embeddings:
            self.encoder_model_id_ = (
                self._get_encoder().model_id if embeddings is None or self.encoder is not None
                else None
            )
        else:
            self.encoder_model_id_ = None
        index = {label: j for j, label in enumerate(self.labels_)}
        Y = np.zeros((len(rows), len(self.labels_)), dtype=np.int8)
        for i, row in enumerate(rows):
            Y[i, [index[label] for label in row]] = 1
        if not self.single_label_:
            always = [self.labels_[j] for j in np.flatnonzero(Y.all(axis=0))]
            if always:
                raise InputError(f"label(s) {always} are on every example; nothing to tell apart.")

        X, emb = self._features(texts, embeddings, fit=True)
        self.n_features_ = X.shape[1]
        self.coef_, self.intercept_ = self._fit_head(X, Y)
        self.offset_ = np.zeros(len(self.labels_), dtype=np.float32)
        self.uses_knn_ = (
            self._uses_embeddings and int(self.knn_neighbors) > 0
            and int(self.calibration_folds) >= 2 and int(Y.sum(axis=0).min()) >= 2
        )
        if self.uses_knn_:
            from voiceline.concerns.neighbors import unit_rows

            # kept at the float16 precision it is stored with, so a loaded model scores the same
            self.knn_emb_ = unit_rows(emb).astype(np.float16).astype(np.float32)
            self.knn_labels_ = Y.astype(np.int8)
        self.cal_scale_, self.cal_bias_ = self._calibrate(X, Y)
        return self

    def _fit_head(self, X: Any, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        def make() -> Any:
            if self.head == "linear_svm":
                return LinearSVC(
                    C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                    random_state=self.random_state,
                )
            return LogisticRegression(
                C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                random_state=self.random_state,
            )

        if self.single_label_:
            clf = make().fit(X, Y.argmax(axis=1))
            k = Y.shape[1]
            coef = np.zeros((k, X.shape[1]), dtype=np.float32)
            intercept = np.zeros(k, dtype=np.float32)
            if len(clf.classes_) == 2:
                # a binary head keeps one row for its second class; softmax over (0, z) gives
                # the same odds. Labels absent from this (calibration) fold stay far below.
                intercept[:] = -10.0
                intercept[clf.classes_[0]] = 0.0
                coef[clf.classes_[1]], intercept[clf.classes_[1]] = clf.coef_[0], clf.intercept_[0]
            else:
                coef[clf.classes_] = clf.coef_
                intercept[clf.classes_] = clf.intercept_
            return coef, intercept
        coef = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
        intercept = np.zeros(Y.shape[1], dtype=np.float32)
        for j in range(Y.shape[1]):
            if Y[:, j].min() == Y[:, j].max():
                intercept[j] = 10.0 if Y[0, j] else -10.0
                continue
            clf = make().fit(X, Y[:, j])
            coef[j], intercept[j] = clf.coef_[0], clf.intercept_[0]
        return coef, intercept

    def _calibrate(self, X: Any, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fit the calibration on out-of-fold scores: softmax(a*z + b) for single-label data
        (one temperature ``a``, per-label offsets ``b``), sigmoid(a_j*z_j + b_j) per label
        otherwise. Class weights move the raw scores towards rare labels; the offsets move the
        probabilities back to what the labels' real frequencies support."""
        k = Y.shape[1]
        scale, bias = np.ones(k, dtype=np.float32), np.zeros(k, dtype=np.float32)
        counts = Y.sum(axis=0)
        folds = min(int(self.calibration_folds), int(counts.min()))
        if self.calibration_folds < 2 or folds < 2:
            return scale, bias
        from sklearn.model_selection import KFold, StratifiedKFold

        Z = np.zeros(Y.shape, dtype=np.float64)
        if self.single_label_:
            splits = StratifiedKFold(folds, shuffle=True, random_state=self.random_state).split(
                X, Y.argmax(axis=1))
        else:
            splits = KFold(folds, shuffle=True, random_state=self.random_state).split(X)
        V = np.zeros(Y.shape, dtype=np.float64)
        for train, test in splits:
            coef, intercept = self._fit_head(X[train], Y[train])
            Z[test] = X[test] @ coef.T + intercept
            if self.uses_knn_:
                V[test] = self._knn_view(self.knn_emb_[test], self.knn_emb_[train], Y[train])
        if self.uses_knn_:
            self._fit_views(Z, V, Y)
            Z = self._combine(Z, V)
        if self.single_label_:
            y = Y.argmax(axis=1)
            if self.macro_offsets:
                self.offset_ = macro_f1_offsets(Z, y).astype(np.float32)
            a, b = fit_softmax_calibration(Z, y)
            return np.full(k, a, dtype=np.float32), b.astype(np.float32)
        if self.uses_knn_:  # _fit_views already fitted one logistic model per label
            return scale, self.view_bias_[1].copy()
        for j in range(k):
            scale[j], bias[j] = fit_platt(Z[:, j], Y[:, j])
        return scale, bias

    # --- the neighbour view --------------------------------------------------------------
    def _knn_view(self, query: np.ndarray, ref: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """Neighbour scores (m, k): log label shares for single-label models (a log-probability
        like the linear head's softmax; an empty text gets equal shares, i.e. no say), log-odds
        of each label's share otherwise. Shares are floored at 1e-6: a label none of the
        neighbours carries is strong evidence against it, which the calibration then weighs."""
        from voiceline.concerns.neighbors import knn_votes

        k = Y.shape[1]
        share = knn_votes(
            query, ref, Y, neighbors=int(self.knn_neighbors),
            temperature=float(self.knn_temperature),
            fallback=np.full(k, 1.0 / k) if self.single_label_ else None,
        )
        if self.single_label_:
            return np.log(share + 1e-6)
        share = np.clip(share, 1e-6, 1.0 - 1e-6)
        return np.log(share / (1.0 - share))

    def _fit_views(self, Z: np.ndarray, V: np.ndarray, Y: np.ndarray) -> None:
        """How much each view counts, from out-of-fold scores. Single-label: each view gets its
        own softmax calibration (temperature and per-label offsets) and the combined score is the
        sum of the two calibrated log-probabilities (a product of experts). Multi-label: one
        logistic model per label on the two scores (row 0 the weights of the linear score, row 1
        of the neighbour score; ``view_bias_[1]`` its intercept, used as calibration bias)."""
        k = Y.shape[1]
        self.view_scale_ = np.zeros((2, k), dtype=np.float32)
        self.view_bias_ = np.zeros((2, k), dtype=np.float32)
        if self.single_label_:
            y = Y.argmax(axis=1)
            for row, scores in enumerate((Z, V)):
                a, b = fit_softmax_calibration(scores, y)
                self.view_scale_[row], self.view_bias_[row] = a, b
            return
        from sklearn.linear_model import LogisticRegression

        for j in range(k):
            clf = LogisticRegression(C=100.0).fit(np.column_stack([Z[:, j], V[:, j]]), Y[:, j])
            self.view_scale_[:, j] = np.maximum(clf.coef_[0], 0.0)
            self.view_bias_[1, j] = clf.intercept_[0]

    def _combine(self, Z: np.ndarray, V: np.ndarray) -> np.ndarray:
        """One score per label from the linear scores ``Z`` and neighbour scores ``V``."""
        if self.single_label_:
            from voiceline.concerns.neighbors import log_softmax

            s, b = self.view_scale_, self.view_bias_
            return log_softmax(s[0] * Z + b[0]) + log_softmax(s[1] * V + b[1])
        return self.view_scale_[0] * Z + self.view_scale_[1] * V

    # --- predict -------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelError("this TrainedConcernModel is not fitted yet; call fit() or load().")

    def decision_function(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """Scores (n, k) before calibration and before ``offset_``: the linear head's, combined
        with the neighbour view's when the model has one."""
        self._check_fitted()
        texts = [t if isinstance(t, str) else "" for t in texts]
        if not texts:
            return np.zeros((0, len(self.labels_)), dtype=np.float64)
        X, emb = self._features(texts, embeddings, fit=False)
        Z = np.asarray(X @ self.coef_.T, dtype=np.float64) + self.intercept_
        if not self.uses_knn_:
            return Z
        V = self._knn_view(emb, self.knn_emb_, self.knn_labels_)
        return self._combine(Z, V)

    def predict_proba(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """Calibrated probabilities (n, k), columns in ``labels_`` order. Single-label rows sum
        to 1; multi-label columns are independent yes/no probabilities."""
        z = self.decision_function(texts, embeddings) * self.cal_scale_ + self.cal_bias_
        if self.single_label_:
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            return e / e.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-z))

    def predict(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None = None,
        threshold: float | None = None,
    ) -> list[list[str]]:
        """Labels per text. Single-label models return the best label (arg-max of the
        class-weighted scores plus the macro-F1 offsets ``offset_``, which treats rare labels
        fairly) unless ``threshold`` is given,
        in which case every label whose calibrated probability reaches it (possibly none).
        Multi-label models return every label at or above ``threshold`` (default
        ``threshold_``), best first."""
        if self.single_label_ and threshold is None:
            scores = self.decision_function(texts, embeddings) + self.offset_
            return [[self.labels_[j]] for j in scores.argmax(axis=1)]
        cut = self.threshold_ if threshold is None else float(threshold)
        proba = self.predict_proba(texts, embeddings)
        out = []
        for row in proba:
            order = np.argsort(-row, kind="stable")
            out.append([self.labels_[j] for j in order if row[j] >= cut])
        return out

    # --- storage -------------------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write the model to ``folder`` (safetensors + JSON, no pickles); returns the folder."""
        from voiceline.concerns.model_io import save_model

        self._check_fitted()
        tensors = {
            "coef": self.coef_, "intercept": self.intercept_,
            "cal_scale": self.cal_scale_, "cal_bias": self.cal_bias_, "offset": self.offset_,
        }
        if self.uses_knn_:
            tensors.update(
                knn_emb=self.knn_emb_.astype(np.float16), knn_labels=self.knn_labels_,
                view_scale=self.view_scale_, view_bias=self.view_bias_,
            )
        side: dict[str, Any] = {}
        if self._uses_tfidf:
            vocab = {}
            for name, vec in self.vectorizers_.items():
                vocab[name] = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
                tensors[f"idf_{name}"] = vec.idf_.astype(np.float32)
            side["vocabulary.json"] = vocab
        settings = {
            **{p: getattr(self, p) for p in self._PARAMS},
            "single_label": self.single_label_,
            "threshold": self.threshold_,
            "taxonomy_version": self.taxonomy_version_,
            "embedding_dim": getattr(self, "embedding_dim_", None),
            "n_features": self.n_features_,
        }
        return save_model(
            folder, kind=KIND, tensors=tensors, labels=self.labels_,
            encoder_model_id=self.encoder_model_id_, settings=settings, side_files=side,
        )

    @classmethod
    def load(cls, folder: str | Path, *, encoder: Any = None) -> TrainedConcernModel:
        """Read a model written by :meth:`save`, checking format, hashes and the encoder.

        >>> model = TrainedConcernModel.load("models/my-unit")  # doctest: +SKIP
        """
        from voiceline.concerns.model_io import load_model

        found = load_model(
            folder, kind=KIND, encoder_model_id=getattr(encoder, "model_id", None)
        )
        s = found.settings
        # settings absent from models saved before an option existed keep what they used then
        legacy = {"head": "logreg", "macro_offsets": False, "knn_neighbors": 0,
                  "knn_temperature": 20.0}
        model = cls(encoder=encoder, **{
            p: (tuple(s[p]) if isinstance(s[p], list) else s[p])
            for p in cls._PARAMS if p in s or p not in legacy
        }, **{p: v for p, v in legacy.items() if p not in s})
        model.labels_ = found.labels
        model.single_label_ = bool(s["single_label"])
        model.threshold_ = float(s["threshold"])
        model.taxonomy_version_ = str(s["taxonomy_version"])
        model.encoder_model_id_ = found.encoder_model_id
        model.n_features_ = int(s["n_features"])
        if s.get("embedding_dim") is not None:
            model.embedding_dim_ = int(s["embedding_dim"])
        t = found.tensors
        model.coef_, model.intercept_ = t["coef"], t["intercept"]
        model.cal_scale_, model.cal_bias_ = t["cal_scale"], t["cal_bias"]
        model.offset_ = t.get("offset", np.zeros(len(model.labels_), dtype=np.float32))
        model.uses_knn_ = "knn_emb" in t  # saved only by models with the neighbour view
        if model.uses_knn_:
            model.knn_emb_ = t["knn_emb"].astype(np.float32)
            model.knn_labels_ = t["knn_labels"].astype(np.int8)
            model.view_scale_, model.view_bias_ = t["view_scale"], t["view_bias"]
            if model.knn_labels_.shape != (model.knn_emb_.shape[0], len(model.labels_)):
                raise ModelError(
                    f"{folder}: knn_labels has shape {model.knn_labels_.shape}, expected "
                    f"({model.knn_emb_.shape[0]}, {len(model.labels_)}); train the model again."
                )
        if model._uses_tfidf:
            vocab = found.side_files["vocabulary.json"]
            model.vectorizers_ = model._vectorizers(vocab)
            for name, vec in model.vectorizers_.items():
                vec.idf_ = t[f"idf_{name}"].astype(np.float64)
        if model.coef_.shape != (len(model.labels_), model.n_features_):
            raise ModelError(
                f"{folder}: coef has shape {model.coef_.shape}, expected "
                f"({len(model.labels_)}, {model.n_features_}); train the model again."
            )
        if model._uses_embeddings and encoder is not None and model.encoder_model_id_ is None:
            log.warning("model in %s does not record its encoder; cannot check it", folder)
        return model


def _split_labels(value: Any, separator: str) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return list(dict.fromkeys(p.strip() for p in str(value).split(separator) if p.strip()))


def train_concerns(
    frame: pd.DataFrame,
    *,
    text_column: str,
    label_column: str,
    encoder: Any = None,
    separator: str = ";",
    **options: Any,
) -> TrainedConcernModel:
    """Train a :class:`TrainedConcernModel` from a labels table (what ``voiceline train concerns``
    reads): one row per example, labels ``separator``-separated for multi-label data.

    Checks, each a clear :class:`~voiceline.errors.InputError`: both columns exist (naming the
    columns that do), at least 2 distinct labels, no label seen only once (naming it).
    Rows with empty text are dropped (they teach nothing about wording) and counted: see
    ``model.training_report_`` and the log. A row with text but an empty label cell is kept as
    an example that raises none of the labels (which makes the model multi-label).

    >>> from voiceline.nlp.embeddings import FakeEncoder
    >>> df = pd.DataFrame({"comment": ["pothole", "big pothole", "loud music", "noise at night"],
    ...                    "tag": ["roads", "roads", "noise", "noise"]})
    >>> train_concerns(df, text_column="comment", label_column="tag",
    ...                encoder=FakeEncoder(dim=16), min_df=1).labels_
    ['noise', 'roads']
    """
    missing = [c for c in (text_column, label_column) if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "no columns"
        raise InputError(
            f"the labels file lacks column(s) {', '.join(missing)}; found: {found}. "
            "Pass --text-column and --label-column with names from the file."
        )
    texts = ["" if not isinstance(t, str) else t for t in frame[text_column].tolist()]
    empty_rows = [i + 1 for i, t in enumerate(texts) if not t.strip()]
    keep = [i for i, t in enumerate(texts) if t.strip()]
    rows = [_split_labels(frame[label_column].iloc[i], separator) for i in keep]
    counts: dict[str, int] = {}
    for row in rows:
        for label in row:
            counts[label] = counts.get(label, 0) + 1
    if len(counts) < 2:
        raise InputError(
            f"the labels file needs at least 2 distinct labels in column {label_column!r} "
            f"(on rows with text); found {sorted(counts) or 'none'}."
        )
    once = sorted(label for label, n in counts.items() if n == 1)
    if once:
        raise InputError(
            f"label(s) seen only once in column {label_column!r}: {', '.join(once)}. A label "
            "needs at least 2 examples (better 10 or more): add examples or merge it into a "
            "related label."
        )
    if empty_rows:
        shown = ", ".join(map(str, empty_rows[:10])) + (" ..." if len(empty_rows) > 10 else "")
        log.warning("dropped %d row(s) with empty %r (data rows %s)",
                    len(empty_rows), text_column, shown)
    model = TrainedConcernModel(encoder=encoder, **options)
    model.fit([texts[i] for i in keep], rows)
    model.training_report_ = {
        "n_rows": len(texts),
        "n_used": len(keep),
        "dropped_empty_text_rows": empty_rows,
        "label_counts": dict(sorted(counts.items())),
    }
    return model
