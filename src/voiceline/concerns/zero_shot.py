"""Zero-shot concern classification: learned from the taxonomy's own text, no labeled data.

Why this design: a unit starting out has no labeled feedback, only the taxonomy (definitions and
example statements written by the project). Two views of "how close is this text to concern
``c``" are learned from it and averaged:

1. **Nearest examples**: the mean cosine similarity to the ``k_neighbors`` closest examples of
   ``c``, turned into a probability by ONE logistic curve shared by all concerns, fitted
   leave-one-out on the examples themselves (and on the taxonomy's ``background`` statements as
   "no concern"). One curve for all concerns is what makes a threshold mean the same everywhere.
2. **A linear head**: one-vs-rest logistic regression on the embeddings (positives: the
   concern's examples and definition; negatives: every other concern's examples, the
   ``background`` statements and the concern's ``negative_examples``), each made a probability by
   Platt scaling on cross-validated decision values.

The average is a probability in [0, 1]; ``threshold_`` (default 0.3) is the score from which a
concern is assigned. That default was chosen on the tuning part of the project's development set
(``bench/devsets``); it is the only thing real resident text decided.

Keyword rules (``Concern.keywords``) are exposed by :meth:`ZeroShotClassifier.rule_hits` for the
stage's ``rule`` method; they do not change the probabilities.

>>> from voiceline.nlp.embeddings import FakeEncoder
>>> model = ZeroShotClassifier(encoder=FakeEncoder(dim=256)).fit()
>>> model.labels_[:2], model.method, model.predict_proba(["pothole on Elm"]).shape
(['violent_crime', 'property_crime'], 'zero_shot', (1, 16))
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from voiceline.concerns.taxonomy import Taxonomy
from voiceline.errors import ModelError, SchemaError

DEFAULT_THRESHOLD = 0.3


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def _fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of a 1-D logistic curve from scores to P(y=1)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0).fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _topk_mean(sims: np.ndarray, groups: np.ndarray, n_groups: int, k: int) -> np.ndarray:
    """Per group, the mean of each row's ``k`` highest similarities to that group's columns."""
    out = np.zeros((sims.shape[0], n_groups), dtype=np.float64)
    for g in range(n_groups):
        cols = sims[:, groups == g]
        kk = min(k, cols.shape[1])
        if kk == 0:
            continue
        top = np.partition(cols, cols.shape[1] - kk, axis=1)[:, -kk:]
        out[:, g] = top.mean(axis=1)
    return out


class ZeroShotClassifier:
    """Multi-label concern scores from the taxonomy alone (scikit-learn estimator contract).

    Parameters are stored as given; :meth:`fit` loads the taxonomy (``None``: the bundled v1; a
    path: that file) and the encoder (``None``: ``load_encoder("accurate")``) and learns the
    ``*_`` attributes. The model interface shared with the trained classifier is ``labels_``,
    ``method``, ``threshold_``, ``taxonomy_version_`` and :meth:`predict_proba`.

    >>> from voiceline.nlp.embeddings import FakeEncoder
    >>> model = ZeroShotClassifier(encoder=FakeEncoder(dim=256), threshold=0.4).fit()
    >>> model.threshold_, model.taxonomy_version_
    (0.4, 'community-safety-v1')
    """

    method = "zero_shot"

    def __init__(
        self,
        taxonomy: Taxonomy | str | Path | None = None,
        *,
        encoder: Any = None,
        k_neighbors: int = 3,
        C: float = 4.0,
        threshold: float = DEFAULT_THRESHOLD,
        cv: int = 5,
        random_state: int = 0,
        batch_size: int = 64,
    ) -> None:
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.k_neighbors = k_neighbors
        self.C = C
        self.threshold = threshold
        self.cv = cv
        self.random_state = random_state
        self.batch_size = batch_size

    # --- fitting -------------------------------------------------------------------------
    def fit(self, X: Any = None, y: Any = None) -> ZeroShotClassifier:
        """Learn from the taxonomy's text; ``X`` and ``y`` are ignored (no labeled data)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        if not 0.0 < float(self.threshold) < 1.0:
            raise SchemaError(f"threshold must be between 0 and 1, got {self.threshold}.")
        tax = self.taxonomy
        if not isinstance(tax, Taxonomy):
            tax = Taxonomy.load(tax)
        encoder = self._encoder()
        k_count = len(tax)
        ex_text = [e for c in tax for e in c.examples]
        ex_y = np.array([i for i, c in enumerate(tax) for _ in c.examples], dtype=np.int64)
        neg_text = [e for c in tax for e in c.negative_examples]
        neg_y = np.array(
            [i for i, c in enumerate(tax) for _ in c.negative_examples], dtype=np.int64
        )
        desc = [c.description for c in tax]
        background = list(tax.background)
        vecs = self._encode(encoder, ex_text + desc + background + neg_text)
        e_ex = vecs[: len(ex_text)]
        e_desc = vecs[len(ex_text) : len(ex_text) + k_count]
        e_bg = vecs[len(ex_text) + k_count : len(ex_text) + k_count + len(background)]
        e_neg = vecs[len(ex_text) + k_count + len(background) :]

        # 1. nearest examples, one shared logistic curve (leave-one-out on the examples)
        sims = e_ex @ e_ex.T
        np.fill_diagonal(sims, -1.0)
        own = _topk_mean(sims, ex_y, k_count, self.k_neighbors)
        scores = [own.ravel()]
        target = [(ex_y[:, None] == np.arange(k_count)[None, :]).ravel().astype(int)]
        if len(e_bg):
            scores.append(_topk_mean(e_bg @ e_ex.T, ex_y, k_count, self.k_neighbors).ravel())
            target.append(np.zeros(len(e_bg) * k_count, dtype=int))
        self.knn_slope_, self.knn_intercept_ = _fit_platt(
            np.concatenate(scores), np.concatenate(target)
        )

        # 2. one-vs-rest linear head, Platt-scaled on cross-validated decision values
        x = np.concatenate([e_ex, e_desc, e_bg, e_neg])
        owner = np.concatenate(
            [
                ex_y,
                np.arange(k_count),
                -np.ones(len(e_bg) + len(e_neg), dtype=np.int64),
            ]
        )
        neg_owner = np.concatenate(
            [-np.ones(len(e_ex) + k_count + len(e_bg), dtype=np.int64), neg_y]
        )
        coef = np.zeros((k_count, x.shape[1]), dtype=np.float64)
        intercept = np.zeros(k_count, dtype=np.float64)
        platt = np.zeros((k_count, 2), dtype=np.float64)
        for k in range(k_count):
            yk = (owner == k).astype(int)
            keep = ~((neg_owner >= 0) & (neg_owner != k))  # a concern's negatives train only it
            xk, yk = x[keep], yk[keep]
            clf = LogisticRegression(
                C=self.C, class_weight="balanced", solver="liblinear", max_iter=1000
            )
            folds = min(self.cv, int(yk.sum()), int((1 - yk).sum()))
            if folds >= 2:
                cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
                dec = cross_val_predict(clf, xk, yk, cv=cv, method="decision_function")
            else:
                dec = clf.fit(xk, yk).decision_function(xk)
            platt[k] = _fit_platt(np.asarray(dec), yk)
            clf.fit(xk, yk)
            coef[k], intercept[k] = clf.coef_[0], clf.intercept_[0]
        self.coef_, self.intercept_, self.platt_ = coef, intercept, platt

        self.examples_ = e_ex.astype(np.float32)
        self.example_labels_ = ex_y
        self.labels_ = tax.ids
        self.taxonomy_ = tax
        self.taxonomy_version_ = tax.version
        self.threshold_ = float(self.threshold)
        self.encoder_id_ = str(encoder.model_id)
        self.dim_ = int(e_ex.shape[1])
        self.keyword_patterns_ = [_keyword_pattern(c.keywords) for c in tax]
        self.encoder_ = encoder
        return self

    # --- prediction ----------------------------------------------------------------------
    def predict_proba(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """(len(texts), len(labels_)) calibrated probabilities, in ``labels_`` order.

        Pass ``embeddings`` (rows for ``texts``, from the same encoder) to skip encoding.
        """
        self._check_fitted()
        if embeddings is None:
            embeddings = self._encode(self.encoder_, list(texts))
        emb = np.asarray(embeddings, dtype=np.float32)
        if emb.ndim != 2 or emb.shape[1] != self.dim_ or emb.shape[0] != len(texts):
            raise SchemaError(
                f"embeddings have shape {emb.shape}; expected ({len(texts)}, {self.dim_}) from "
                f"encoder {self.encoder_id_}. Encode the texts with the model's encoder."
            )
        if len(texts) == 0:
            return np.zeros((0, len(self.labels_)), dtype=np.float64)
        knn = _topk_mean(
            emb @ self.examples_.T, self.example_labels_, len(self.labels_), self.k_neighbors
        )
        p_knn = _sigmoid(self.knn_slope_ * knn + self.knn_intercept_)
        dec = emb.astype(np.float64) @ self.coef_.T + self.intercept_
        p_head = _sigmoid(self.platt_[:, 0] * dec + self.platt_[:, 1])
        proba = (p_knn + p_head) / 2.0
        proba[~emb.any(axis=1)] = 0.0  # empty texts raise no concern
        return proba

    def rule_hits(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), len(labels_)) booleans: a keyword of the concern occurs in the text."""
        self._check_fitted()
        out = np.zeros((len(texts), len(self.labels_)), dtype=bool)
        for j, pattern in enumerate(self.keyword_patterns_):
            if pattern is None:
                continue
            out[:, j] = [bool(t) and pattern.search(t) is not None for t in texts]
        return out

    # --- helpers -------------------------------------------------------------------------
    def _encoder(self) -> Any:
        if self.encoder is not None:
            return self.encoder
        from voiceline.nlp.embeddings import load_encoder

        return load_encoder("accurate")

    def _encode(self, encoder: Any, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, int(encoder.dim)), dtype=np.float32)
        return np.asarray(encoder.encode(texts, batch_size=self.batch_size), dtype=np.float32)

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelError(
                "this ZeroShotClassifier is not fitted yet; call .fit() before predicting."
            )

    def __repr__(self) -> str:
        fitted = f", version={self.taxonomy_version_!r}" if hasattr(self, "coef_") else ""
        return f"ZeroShotClassifier(threshold={self.threshold}{fitted})"


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any keyword as whole words."""
    if not keywords:
        return None
    alts = sorted({re.escape(k.strip()) for k in keywords if k.strip()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)
