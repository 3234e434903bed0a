"""The sentiment estimator: a linear head on sentence embeddings plus lexicon/cue features.

Why this shape: fine-tuning the encoder gains a few points but ships a second 90 MB transformer;
a multinomial logistic head on the (already cached) sentence embeddings, with VADER and text cues
beside them, costs nothing at scoring time beyond the embedding every stage computes anyway, and
stores in a few hundred kilobytes. It follows the scikit-learn contract (``__init__`` stores,
``fit`` sets ``attr_``, prediction checks it was fitted) and accepts precomputed embeddings, so a
text is encoded once per run.

With ``ngram_weight > 0`` a TF-IDF word/char n-gram model (:mod:`voiceline.sentiment.ngrams`)
is trained beside the head, possibly on more texts than were embedded (``ngram_texts``), and the
two probability vectors are blended: ``(1 - w) * P(head) + w * P(ngrams)``.

Storage: ``weights.safetensors`` (arrays), ``model.json`` (labels, encoder id, feature names,
format version and the sha256 of every other file) and, with n-grams, ``ngrams.json`` (the
vocabularies). No pickles: loading never runs code from the folder.

>>> from voiceline.nlp.embeddings import FakeEncoder
>>> model = SentimentModel(encoder=FakeEncoder(dim=16))
>>> model = model.fit(["love it", "hate it", "it is tuesday"] * 4,
...                   ["positive", "negative", "neutral"] * 4)
>>> model.predict(["love it"])
['positive']
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from voiceline.errors import ModelError, SchemaError
from voiceline.io import atomic_path, file_sha256, write_json
from voiceline.sentiment.features import FEATURE_NAMES, text_features, vader_compound
from voiceline.sentiment.ngrams import NgramSentiment

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
MINILM_ENCODER_ID = "all-MiniLM-L6-v2@53aa5117"
"""``model_id`` of the ``accurate`` encoder (MiniLM, weights sha256 prefix): the shipped model's."""
FORMAT_VERSION = 2
"""2 added the optional n-gram model (``ngrams.json`` + ``ngram_*`` arrays); 1 still loads."""
READABLE_FORMATS = (1, 2)
WEIGHTS_FILE = "weights.safetensors"
META_FILE = "model.json"
NGRAMS_FILE = "ngrams.json"


_LITOTES = re.compile(
    r"\b(?:not|never|isn'?t|wasn'?t|ain'?t|aren'?t|n't)\s+(?:(?:too|that|so|as|all|half|really)\s+)?"
    r"(?:bad|terrible|awful|horrible|shabby|worst)\b",
    re.IGNORECASE,
)


def correct_litotes(texts: Sequence[str], proba: np.ndarray) -> np.ndarray:
    """Move a short litotes ("not bad at all", "not too shabby") out of the negative class.

    The n-gram part learns "bad" as negative and outvotes the negation on short replies; VADER
    reads them right. Only short texts (at most 12 words) with a litotes whose VADER compound is
    positive are corrected: 70 % of their negative probability moves to positive. Longer texts
    ("not bad, but the speeding is awful") are left to the model.

    >>> correct_litotes(["not bad at all"], np.array([[0.6, 0.3, 0.1]])).round(2).tolist()
    [[0.18, 0.3, 0.52]]
    """
    proba = np.array(proba, dtype=np.float64, copy=True)
    hits = [i for i, t in enumerate(texts) if len(str(t).split()) <= 12 and _LITOTES.search(str(t))]
    if not hits:
        return proba
    compound = vader_compound([str(texts[i]) for i in hits])
    for i, c in zip(hits, compound, strict=True):
        if c > 0:
            moved = 0.7 * proba[i, 0]
            proba[i, 0] -= moved
            proba[i, 2] += moved
    return proba


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class SentimentModel:
    """3-class sentiment (negative / neutral / positive) from embeddings and text features.

    Parameters (stored as given, scikit-learn style):

    - ``encoder``: an object with the Encoder contract, used when ``fit``/``predict_proba`` get
      no ``embeddings``; ``None`` loads ``load_encoder(encoder_profile)`` on first need.
    - ``encoder_profile``: ``"accurate"`` (MiniLM) or ``"fast"`` (model2vec).
    - ``C``: inverse L2 strength of the logistic head.
    - ``use_features``: put the VADER/cue features beside the embedding.
    - ``feature_weight``: multiplier on the standardised features (how loud they are next to a
      unit-length embedding).
    - ``class_weight``: ``None`` or ``"balanced"`` (passed to scikit-learn).
    - ``prior``: optional target class distribution (neg, neu, pos) the probabilities are shifted
      to at prediction time (prior correction), e.g. when the data scored is more neutral than the
      training data.
    - ``ngram_weight``: weight ``w`` of the TF-IDF n-gram model in the blend (0 = no n-gram model).
    - ``ngram_C``: inverse L2 strength of the n-gram model.

    Learned: ``labels_``, ``encoder_id_``, ``coef_`` (3, d), ``intercept_`` (3,), ``feat_mean_``,
    ``feat_scale_``, ``bias_`` (3,: the prior correction in log space), ``ngrams_``
    (a fitted :class:`NgramSentiment`, or ``None``).
    """

    def __init__(
        self,
        *,
        encoder: Any = None,
        encoder_profile: str = "accurate",
        C: float = 1.0,
        use_features: bool = True,
        feature_weight: float = 0.3,
        class_weight: str | None = None,
        prior: Sequence[float] | None = None,
        max_iter: int = 2000,
        ngram_weight: float = 0.0,
        ngram_C: float = 0.5,
    ) -> None:
        self.encoder = encoder
        self.encoder_profile = encoder_profile
        self.C = C
        self.use_features = use_features
        self.feature_weight = feature_weight
        self.class_weight = class_weight
        self.prior = prior
        self.max_iter = max_iter
        self.ngram_weight = ngram_weight
        self.ngram_C = ngram_C

    # --- encoder and design matrix ---------------------------------------------------------
    def _encoder(self) -> Any:
        if self.encoder is None:
            from voiceline.nlp.embeddings import load_encoder  # lazy: loads torch

            self.encoder = load_encoder(self.encoder_profile)
        return self.encoder

    def _embed(self, texts: Sequence[str], embeddings: np.ndarray | None) -> np.ndarray:
        if embeddings is None:
            return np.asarray(self._encoder().encode(list(texts)), dtype=np.float32)
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or embeddings.shape[0] != len(texts):
            raise SchemaError(
                f"embeddings have shape {embeddings.shape}; expected ({len(texts)}, dim), one row "
                "per text. Pass the encoder's output for exactly these texts."
            )
        return embeddings

    def _design(
        self, texts: Sequence[str], embeddings: np.ndarray, features: np.ndarray | None
    ) -> np.ndarray:
        if not self.use_features:
            return embeddings
        if features is None:
            features = text_features(texts)
        scaled = (features - self.feat_mean_) / self.feat_scale_ * self.feature_weight
        return np.hstack([embeddings, scaled.astype(np.float32)])

    # --- scikit-learn contract -------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        embeddings: np.ndarray | None = None,
        *,
        features: np.ndarray | None = None,
        encoder_id: str | None = None,
        sample_weight: np.ndarray | None = None,
        ngram_texts: Sequence[str] | None = None,
        ngram_labels: Sequence[str] | None = None,
    ) -> SentimentModel:
        """Learn the head from texts and their labels (``negative``/``neutral``/``positive``).

        ``embeddings`` (precomputed by the same encoder) skip encoding; then ``encoder_id`` names
        that encoder (default: the injected encoder's ``model_id``). ``features`` may pass
        precomputed :func:`text_features` of the texts (they are pure functions of the text);
        ``sample_weight`` weighs examples (e.g. a few in-domain sentences among many tweets).
        With ``ngram_weight > 0``, the n-gram model trains on ``ngram_texts``/``ngram_labels``
        when given (it needs no embeddings, so it can see more texts than the head; the shipped
        model: 74,956 tweets vs 32,768), else on the same texts, labels and weights as the head.
        """
        from sklearn.linear_model import LogisticRegression

        texts = list(texts)
        labels = [str(x) for x in labels]
        if len(texts) != len(labels):
            raise SchemaError(f"{len(texts)} texts but {len(labels)} labels; expected one each.")
        unknown = sorted(set(labels) - set(LABELS))
        if unknown:
            raise SchemaError(
                f"unknown sentiment label(s) {unknown}; expected only {list(LABELS)}. "
                "Map your labels to these three before training."
            )
        missing = [lab for lab in LABELS if lab not in labels]
        if missing:
            raise SchemaError(
                f"no training example labelled {missing}; every one of {list(LABELS)} needs some."
            )
        emb = self._embed(texts, embeddings)
        if encoder_id is None:
            encoder_id = (
                getattr(self._encoder(), "model_id", None)
                if embeddings is None
                else (getattr(self.encoder, "model_id", None))
            )
        if encoder_id is None:
            raise SchemaError(
                "fit got precomputed embeddings but no encoder_id and no encoder: pass "
                "encoder_id= (the encoder's model_id) so the saved model can check it at load."
            )
        if self.use_features:
            feats = text_features(texts) if features is None else np.asarray(features, np.float32)
            self.feat_mean_ = feats.mean(axis=0)
            scale = feats.std(axis=0)
            self.feat_scale_ = np.where(scale > 1e-6, scale, 1.0).astype(np.float32)
        else:
            feats = None
            self.feat_mean_ = np.zeros(len(FEATURE_NAMES), dtype=np.float32)
            self.feat_scale_ = np.ones(len(FEATURE_NAMES), dtype=np.float32)
        X = self._design(texts, emb, feats)
        y = np.array([LABELS.index(lab) for lab in labels])
        head = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, random_state=0
        )
        head.fit(X, y, sample_weight=sample_weight)
        self.labels_ = list(LABELS)
        self.encoder_id_ = str(encoder_id)
        self.dim_ = int(emb.shape[1])
        self.coef_ = head.coef_.astype(np.float32)
        self.intercept_ = head.intercept_.astype(np.float32)
        self.bias_ = self._prior_bias(y)
        self.ngrams_ = None
        if not 0.0 <= self.ngram_weight <= 1.0:
            raise SchemaError(f"ngram_weight must be in 0..1; got {self.ngram_weight}.")
        if self.ngram_weight > 0:
            if (ngram_texts is None) != (ngram_labels is None):
                raise SchemaError("pass ngram_texts and ngram_labels together, or neither.")
            ngrams = NgramSentiment(C=self.ngram_C, class_weight=self.class_weight)
            if ngram_texts is None:
                self.ngrams_ = ngrams.fit(texts, labels, sample_weight=sample_weight)
            else:
                self.ngrams_ = ngrams.fit(list(ngram_texts), [str(x) for x in ngram_labels])
        return self

    def _prior_bias(self, y: np.ndarray) -> np.ndarray:
        if self.prior is None:
            return np.zeros(len(LABELS), dtype=np.float32)
        target = np.asarray(self.prior, dtype=np.float64)
        if target.shape != (len(LABELS),) or (target <= 0).any():
            raise SchemaError(f"prior must be 3 positive numbers (neg, neu, pos); got {self.prior}")
        train = np.bincount(y, minlength=len(LABELS)) / len(y)
        if self.class_weight == "balanced":
            train = np.full(len(LABELS), 1.0 / len(LABELS))
        return np.log(target / target.sum() / train).astype(np.float32)

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelError(
                "this SentimentModel is not fitted yet; call fit(texts, labels) or "
                "SentimentModel.load(folder) first."
            )

    def predict_proba(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None = None,
        *,
        features: np.ndarray | None = None,
    ) -> np.ndarray:
        """(len(texts), 3) probabilities in ``labels_`` order (negative, neutral, positive)."""
        self._check_fitted()
        texts = list(texts)
        if not texts:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        emb = self._embed(texts, embeddings)
        if emb.shape[1] != self.dim_:
            raise ModelError(
                f"embeddings have {emb.shape[1]} dimensions but the model was trained on "
                f"{self.dim_} ({self.encoder_id_}); encode with that encoder."
            )
        X = self._design(texts, emb, features)
        logits = X @ self.coef_.T + self.intercept_ + self.bias_
        proba = _softmax(logits.astype(np.float64))
        if getattr(self, "ngrams_", None) is not None and self.ngram_weight > 0:
            w = float(self.ngram_weight)
            ngram_logits = self.ngrams_.decision_function(texts) + self.bias_
            proba = (1.0 - w) * proba + w * _softmax(ngram_logits)
        return correct_litotes(texts, proba).astype(np.float32)

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> list[str]:
        """The most probable label of each text."""
        proba = self.predict_proba(texts, embeddings)
        return [self.labels_[i] for i in proba.argmax(axis=1)]

    # --- storage ---------------------------------------------------------------------------
    def save(self, folder: str | Path, *, extra: dict[str, Any] | None = None) -> Path:
        """Write ``weights.safetensors`` and ``model.json`` (with the weights' sha256).

        ``extra`` (training data, metrics) is stored under ``"training"`` in ``model.json``.
        """
        from safetensors.numpy import save_file

        from voiceline import __version__

        self._check_fitted()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {
            "coef": self.coef_,
            "intercept": self.intercept_,
            "bias": self.bias_,
            "feat_mean": np.asarray(self.feat_mean_, np.float32),
            "feat_scale": np.asarray(self.feat_scale_, np.float32),
        }
        hashes: dict[str, str] = {}
        ngram_path = folder / NGRAMS_FILE
        if self.ngrams_ is not None:
            side, ngram_arrays = self.ngrams_.state()
            arrays.update(ngram_arrays)
            with atomic_path(ngram_path) as tmp:
                tmp.write_text(
                    json.dumps(side, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
                )
            hashes[NGRAMS_FILE] = file_sha256(ngram_path)
        elif ngram_path.exists():
            ngram_path.unlink()  # a stale vocabulary from an earlier model in this folder
        with atomic_path(folder / WEIGHTS_FILE) as tmp:
            save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(tmp))
        hashes[WEIGHTS_FILE] = file_sha256(folder / WEIGHTS_FILE)
        meta = {
            "kind": "voiceline-sentiment",
            "format_version": FORMAT_VERSION,
            "voiceline_version": __version__,
            "labels": self.labels_,
            "encoder_id": self.encoder_id_,
            "encoder_profile": self.encoder_profile,
            "dim": self.dim_,
            "feature_names": list(FEATURE_NAMES),
            "params": {
                "C": self.C,
                "use_features": self.use_features,
                "feature_weight": self.feature_weight,
                "class_weight": self.class_weight,
                "prior": list(self.prior) if self.prior is not None else None,
                "max_iter": self.max_iter,
                "ngram_weight": self.ngram_weight,
                "ngram_C": self.ngram_C,
            },
            "sha256": dict(sorted(hashes.items())),
            "training": extra or {},
        }
        write_json(meta, folder / META_FILE)
        return folder

    @classmethod
    def load(cls, folder: str | Path, *, encoder: Any = None) -> SentimentModel:
        """Read a model written by :meth:`save`, checking format, hash and encoder.

        Raises :class:`ModelError` when a file is missing, the weights' hash differs from the one
        in ``model.json`` (altered or truncated), the format is from another version, or the
        given ``encoder`` is not the one the model was trained on.
        """
        from safetensors.numpy import load_file

        folder = Path(folder)
        meta_path, weights_path = folder / META_FILE, folder / WEIGHTS_FILE
        for path in (meta_path, weights_path):
            if not path.is_file():
                raise ModelError(
                    f"sentiment model file {path} is missing; expected {META_FILE} and "
                    f"{WEIGHTS_FILE} written by SentimentModel.save (or restore models/ from git)."
                )
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ModelError(
                f"{meta_path} is not valid JSON ({exc}); restore it from git."
            ) from exc
        if (
            meta.get("kind") != "voiceline-sentiment"
            or meta.get("format_version") not in READABLE_FORMATS
        ):
            raise ModelError(
                f"{meta_path} is kind {meta.get('kind')!r} format {meta.get('format_version')!r}; "
                f"expected 'voiceline-sentiment' format {list(READABLE_FORMATS)}. Retrain it with "
                "this version: voiceline train sentiment --labels FILE -o DIR."
            )
        params = meta["params"]
        checked = [WEIGHTS_FILE] + ([NGRAMS_FILE] if params.get("ngram_weight", 0) > 0 else [])
        for name in checked:
            path = folder / name
            if not path.is_file():
                raise ModelError(
                    f"sentiment model file {path} is missing; {meta_path} lists it. Restore the "
                    "folder from git or retrain the model."
                )
            expected = meta.get("sha256", {}).get(name)
            found = file_sha256(path)
            if expected != found:
                raise ModelError(
                    f"{path} was altered: {meta_path} expects sha256 {expected}, found "
                    f"{found}. Restore the folder from git or retrain the model."
                )
        if meta.get("feature_names") != list(FEATURE_NAMES) or meta.get("labels") != list(LABELS):
            raise ModelError(
                f"{meta_path} was saved with other features or labels than this voiceline "
                f"version computes ({meta.get('feature_names')}); retrain the model."
            )
        if encoder is not None and getattr(encoder, "model_id", None) != meta["encoder_id"]:
            raise ModelError(
                f"the sentiment model in {folder} was trained on encoder {meta['encoder_id']!r} "
                f"but got encoder {getattr(encoder, 'model_id', None)!r}; pass the matching "
                f"encoder (profile {meta.get('encoder_profile')!r}) or retrain."
            )
        model = cls(
            encoder=encoder, encoder_profile=meta.get("encoder_profile", "accurate"), **params
        )
        arrays = load_file(str(weights_path))
        model.coef_ = arrays["coef"]
        model.intercept_ = arrays["intercept"]
        model.bias_ = arrays["bias"]
        model.feat_mean_ = arrays["feat_mean"]
        model.feat_scale_ = arrays["feat_scale"]
        model.labels_ = list(meta["labels"])
        model.encoder_id_ = str(meta["encoder_id"])
        model.dim_ = int(meta["dim"])
        model.training_ = meta.get("training", {})
        model.ngrams_ = None
        if model.ngram_weight > 0:
            side = json.loads((folder / NGRAMS_FILE).read_text(encoding="utf-8"))
            model.ngrams_ = NgramSentiment.from_state(side, arrays, source=str(folder))
        return model


def sentiment_score(proba: np.ndarray) -> np.ndarray:
    """``P(positive) - P(negative)``: a score in -1..1 that is 0 for a sure neutral.

    >>> sentiment_score(np.array([[0.1, 0.2, 0.7]])).round(2)
    array([0.6], dtype=float32)
    """
    proba = np.asarray(proba, dtype=np.float32)
    return proba[:, 2] - proba[:, 0]


PROFILE_DIRS: dict[str, str] = {"accurate": "sentiment", "fast": "sentiment-fast"}
"""Shipped model folder (under ``models/``) of each encoder profile: ``accurate`` is the MiniLM
blend, ``fast`` the same blend on model2vec embeddings (about 0.01 lower macro-recall, about 100x
faster cold; see ``models/sentiment/MODEL_CARD.md``)."""


def _check_profile(profile: str) -> None:
    if profile not in PROFILE_DIRS:
        raise ModelError(
            f"unknown sentiment profile {profile!r}; expected one of {list(PROFILE_DIRS)}."
        )


def default_model_dir(profile: str = "accurate") -> Path:
    """Where the repository ships the trained model of a profile.

    >>> default_model_dir("fast").name
    'sentiment-fast'
    """
    _check_profile(profile)
    return Path(__file__).resolve().parents[3] / "models" / PROFILE_DIRS[profile]


def load_default_model(*, encoder: Any = None, profile: str = "accurate") -> SentimentModel:
    """Load the shipped model of ``profile``, with a clear error if it is not there.

    ``"accurate"`` (``models/sentiment``, MiniLM embeddings) or ``"fast"``
    (``models/sentiment-fast``, model2vec embeddings from ``load_encoder("fast")``: use it when
    records are not already encoded with MiniLM and speed matters). With ``encoder=None`` the
    model loads its profile's encoder on first need.
    """
    folder = default_model_dir(profile)
    if not (folder / META_FILE).is_file():
        raise ModelError(
            f"no shipped {profile!r} sentiment model at {folder}; train one with "
            "scripts/train_sentiment_model.py or pass model= a SentimentModel."
        )
    return SentimentModel.load(folder, encoder=encoder)
