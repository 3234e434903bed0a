"""A TF-IDF word + character n-gram sentiment model, blended with the embedding head.

Why: a sentence embedding (MiniLM) reads meaning but blurs surface cues that tweets and short
feedback use to say how they feel: misspellings ("sooo baaad"), hashtags, slang, emoticons,
word pairs ("not great"). Character n-grams keep those, and a linear model on them trains on
every labelled text in seconds, without an encoder: the shipped one uses all 74,956 training
tweets, where the embedding head saw the 32,768 that were embedded. The two models make
different mistakes, so their blend can beat either (figures: models/sentiment/MODEL_CARD.md).

Storage without pickles: the vocabularies (terms in column order) go to a JSON side file and the
idf vectors and coefficients to safetensors arrays; :meth:`NgramSentiment.from_state` rebuilds
the exact transform from them (counts from a fixed vocabulary, ``1 + log(count)``, times idf,
each block L2-normalised: scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``).

>>> model = NgramSentiment(min_df=1).fit(["love it", "hate it", "it is tuesday"] * 4,
...                                      ["positive", "negative", "neutral"] * 4)
>>> model.predict_proba(["i love it"]).argmax(axis=1).tolist()
[2]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from voiceline.errors import ModelError, SchemaError

NGRAM_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
SMALL_TRAINING_SET = 1000
"""Below this many texts ``min_df`` is not applied (every n-gram is kept): a unit's first few
hundred labels, or a test, would otherwise have almost no vocabulary."""


_NEGATION = re.compile(
    r"\b(?:not|no|never|nothing|nobody|cannot|cant|dont|didnt|isnt|wasnt|wont|aint)\b"
    r"|n't\b|n’t\b"
)
_CLAUSE = re.compile(r"([.,:;!?()])")


def mark_negation(text: str) -> str:
    """Lower-case ``text`` and prefix ``neg_`` to every word after a negation, up to punctuation.

    Why: a bag of n-grams sees "bad" in "not bad at all" and reads it as negative; marked, the
    word features see ``neg_bad``, which the training tweets teach is mild praise (the classic
    trick of Das & Chen 2001 / Pang et al. 2002). Applied to the word n-grams only.

    >>> mark_negation("Not bad at all, really! I don't like it")
    "not neg_bad neg_at neg_all, really! i don't neg_like neg_it"
    """
    out = []
    for clause in _CLAUSE.split(text.lower()):
        found = _NEGATION.search(clause)
        if found:
            tail = re.sub(r"\b(\w+)", r"neg_\1", clause[found.end() :])
            clause = clause[: found.end()] + tail
        out.append(clause)
    return "".join(out)


def _count_vectorizers(
    word_ngrams: tuple[int, int],
    char_ngrams: tuple[int, int],
    min_df: int,
    vocabularies: Mapping[str, Sequence[str]] | None = None,
    negation: bool = False,
) -> dict[str, Any]:
    from sklearn.feature_extraction.text import CountVectorizer  # lazy: heavy import

    def vocab(name: str) -> dict[str, int] | None:
        if vocabularies is None:
            return None
        return {term: i for i, term in enumerate(vocabularies[name])}

    return {
        "word": CountVectorizer(
            ngram_range=tuple(word_ngrams), min_df=min_df, vocabulary=vocab("word"),
            preprocessor=mark_negation if negation else None, dtype=np.float32,
        ),
        "char": CountVectorizer(
            analyzer="char_wb", ngram_range=tuple(char_ngrams), min_df=min_df,
            vocabulary=vocab("char"), dtype=np.float32,
        ),
    }


def _tfidf(counts: Any, idf: np.ndarray) -> Any:
    """Sublinear tf x idf, rows L2-normalised (scikit-learn's TfidfVectorizer arithmetic)."""
    from sklearn.preprocessing import normalize

    out = counts.tocsr().astype(np.float32, copy=True)
    np.log(out.data, out=out.data)
    out.data += 1.0
    out = out.multiply(idf[None, :]).tocsr()
    return normalize(out, norm="l2", copy=False)


class NgramSentiment:
    """Logistic regression on TF-IDF word (1-2)-grams and char_wb (2-5)-grams, 3 classes.

    Parameters (stored as given, scikit-learn style): ``C`` (inverse L2 strength; 0.5 chosen by
    a 5-fold holdout on the training tweets), ``min_df`` (drop n-grams seen in fewer texts;
    ignored below :data:`SMALL_TRAINING_SET` texts), ``word_ngrams``, ``char_ngrams``,
    ``class_weight``, ``max_iter``, ``negation`` (word n-grams see :func:`mark_negation`'s
    text; off in the shipped model: +0.003 macro-recall on one training fold, +0.002 on
    validation in the blend, and "not bad at all" stayed negative because the character n-grams
    still see "bad").

    Learned: ``vocabularies_`` ({"word": [...], "char": [...]}), ``idf_`` ({"word", "char"}:
    float32 arrays), ``coef_`` (3, n_terms), ``intercept_`` (3,).
    """

    def __init__(
        self,
        *,
        C: float = 0.5,
        min_df: int = 3,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] = (2, 5),
        class_weight: str | None = "balanced",
        max_iter: int = 1000,
        negation: bool = False,
    ) -> None:
        self.C = C
        self.min_df = min_df
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.negation = negation

    def _matrix(self, texts: Sequence[str]) -> Any:
        from scipy import sparse

        blocks = [
            _tfidf(self._vectorizers[name].transform(texts), self.idf_[name])
            for name in ("word", "char")
        ]
        return sparse.hstack(blocks, format="csr")

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        sample_weight: np.ndarray | None = None,
    ) -> NgramSentiment:
        """Learn vocabularies, idf and the logistic weights from labelled texts."""
        from sklearn.linear_model import LogisticRegression

        texts = [t if isinstance(t, str) else "" for t in texts]
        labels = [str(x) for x in labels]
        unknown = sorted(set(labels) - set(NGRAM_LABELS))
        if len(texts) != len(labels) or unknown:
            raise SchemaError(
                f"NgramSentiment.fit got {len(texts)} texts, {len(labels)} labels and unknown "
                f"labels {unknown}; expected one label per text, each in {list(NGRAM_LABELS)}."
            )
        missing = [lab for lab in NGRAM_LABELS if lab not in labels]
        if missing:
            raise SchemaError(
                f"NgramSentiment.fit: no training example labelled {missing}; every one of "
                f"{list(NGRAM_LABELS)} needs some."
            )
        min_df = self.min_df if len(texts) >= SMALL_TRAINING_SET else 1
        vectorizers = _count_vectorizers(
            self.word_ngrams, self.char_ngrams, min_df, negation=self.negation
        )
        counts = {name: vec.fit_transform(texts) for name, vec in vectorizers.items()}
        self.vocabularies_ = {
            name: [str(t) for t in vec.get_feature_names_out()]
            for name, vec in vectorizers.items()
        }
        n = len(texts)
        self.idf_ = {}
        for name, c in counts.items():  # smooth idf: log((1 + n) / (1 + df)) + 1
            df = np.diff(c.tocsc().indptr)
            self.idf_[name] = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        self._vectorizers = vectorizers
        from scipy import sparse

        X = sparse.hstack([_tfidf(counts[k], self.idf_[k]) for k in ("word", "char")], "csr")
        y = np.array([NGRAM_LABELS.index(lab) for lab in labels])
        head = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, random_state=0
        )
        head.fit(X, y, sample_weight=sample_weight)
        self.coef_ = head.coef_.astype(np.float32)
        self.intercept_ = head.intercept_.astype(np.float32)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelError("this NgramSentiment is not fitted yet; call fit(texts, labels).")

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 3) float64 logits in (negative, neutral, positive) order."""
        self._check_fitted()
        texts = [t if isinstance(t, str) else "" for t in texts]
        if not texts:
            return np.zeros((0, len(NGRAM_LABELS)))
        X = self._matrix(texts)
        return np.asarray(X @ self.coef_.T.astype(np.float64)) + self.intercept_

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 3) probabilities in (negative, neutral, positive) order."""
        logits = self.decision_function(texts)
        z = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    # --- storage: JSON (vocabularies, settings) + arrays --------------------------------------
    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """(JSON-serialisable side data, named float32 arrays) that :meth:`from_state` reads."""
        self._check_fitted()
        side = {
            "params": {
                "C": self.C,
                "min_df": self.min_df,
                "word_ngrams": list(self.word_ngrams),
                "char_ngrams": list(self.char_ngrams),
                "class_weight": self.class_weight,
                "max_iter": self.max_iter,
                "negation": self.negation,
            },
            "vocabularies": self.vocabularies_,
        }
        arrays = {
            "ngram_coef": self.coef_,
            "ngram_intercept": self.intercept_,
            "ngram_idf_word": self.idf_["word"],
            "ngram_idf_char": self.idf_["char"],
        }
        return side, arrays

    @classmethod
    def from_state(
        cls, side: Mapping[str, Any], arrays: Mapping[str, np.ndarray], *, source: str = "state"
    ) -> NgramSentiment:
        """Rebuild a fitted model from :meth:`state` output; checks the shapes agree."""
        try:
            params = dict(side["params"])
            vocabularies = {k: list(side["vocabularies"][k]) for k in ("word", "char")}
            coef, intercept = arrays["ngram_coef"], arrays["ngram_intercept"]
            idf = {"word": arrays["ngram_idf_word"], "char": arrays["ngram_idf_char"]}
        except (KeyError, TypeError) as exc:
            raise ModelError(
                f"{source}: the n-gram model is incomplete (missing {exc}); expected the "
                "'params' and 'vocabularies' keys and ngram_* arrays written by "
                "SentimentModel.save. Retrain the model."
            ) from exc
        params.setdefault("negation", False)  # states written before negation marking existed
        params["word_ngrams"] = tuple(params["word_ngrams"])
        params["char_ngrams"] = tuple(params["char_ngrams"])
        n_terms = len(vocabularies["word"]) + len(vocabularies["char"])
        if (
            coef.shape != (len(NGRAM_LABELS), n_terms)
            or idf["word"].shape != (len(vocabularies["word"]),)
            or idf["char"].shape != (len(vocabularies["char"]),)
        ):
            raise ModelError(
                f"{source}: n-gram arrays do not match the vocabularies (coef {coef.shape}, "
                f"{n_terms} terms); the files come from different trainings. Retrain the model."
            )
        model = cls(**params)
        model.vocabularies_ = vocabularies
        model.idf_ = idf
        model.coef_ = coef
        model.intercept_ = intercept
        model._vectorizers = _count_vectorizers(
            model.word_ngrams, model.char_ngrams, 1, vocabularies, negation=model.negation
        )
        return model
