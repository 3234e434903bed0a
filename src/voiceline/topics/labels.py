"""Readable topic labels: the noun-chunk keyphrase closest to the topic, not "0_the_and_of".

Why: an analyst reviewing emerging topics reads a label first. BERTopic's default label joins the
topic number and its first c-TF-IDF words; voiceline instead takes the noun chunks (spaCy,
lemmatised, stop words trimmed) of a topic's most central records, keeps those that occur at least
twice and share a word with the topic's keywords, and picks the one whose embedding is closest to
the topic centroid (KeyBERT's idea, on the same encoder as the records). When no phrase qualifies,
the label is the first keywords joined ("speeding, car, street").

>>> label = KeyphraseLabeler(nlp=None, encoder=None)
>>> label([["cars speeding on Elm", "speeding cars again"]], [["speeding", "car"]], None)
['speeding, car']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from voiceline.topics.model import keyword_label

MAX_PHRASE_TOKENS = 4
MIN_PHRASE_COUNT = 2
_EDGE_POS = frozenset({"DET", "PRON", "ADP", "CCONJ", "PART", "PUNCT", "NUM", "SYM", "SPACE", "X"})


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def chunk_phrases(doc: Any) -> list[str]:
    """Noun chunks of a spaCy Doc as lowercase lemma phrases, edges trimmed of stop words.

    "the broken street lights" -> "broken street light"; pronoun-only chunks vanish.
    """
    out = []
    for chunk in doc.noun_chunks:
        tokens = [t for t in chunk if not t.is_space]
        while tokens and (
            tokens[0].is_stop or tokens[0].pos_ in _EDGE_POS or not tokens[0].is_alpha
        ):
            tokens = tokens[1:]
        while tokens and (
            tokens[-1].is_stop or tokens[-1].pos_ in _EDGE_POS or not tokens[-1].is_alpha
        ):
            tokens = tokens[:-1]
        if not tokens or len(tokens) > MAX_PHRASE_TOKENS:
            continue
        if not all(t.is_alpha for t in tokens):
            continue
        words = [
            t.lemma_.lower() if t.lemma_ and t.lemma_ != "-PRON-" else t.lower_ for t in tokens
        ]
        if any(len(w) < 2 for w in words):
            continue
        out.append(" ".join(words))
    return out


class KeyphraseLabeler:
    """A labeler for :meth:`TopicModel.fit`: ``(texts_by_topic, keywords, centroids) -> labels``.

    - ``nlp``: a spaCy pipeline with a parser and lemmatizer (``load_spacy(profile="full")``);
      ``None`` gives keyword labels only.
    - ``encoder``: the encoder the centroids come from; ``None`` picks the most frequent
      qualifying phrase instead of the closest.
    - ``max_docs``: central records per topic read for phrases (bounds the spaCy work).
    """

    def __init__(self, *, nlp: Any = None, encoder: Any = None, max_docs: int = 30) -> None:
        self.nlp = nlp
        self.encoder = encoder
        self.max_docs = max_docs

    def __call__(
        self,
        texts_by_topic: Sequence[Sequence[str]],
        keywords: Sequence[Sequence[str]],
        centroids: np.ndarray | None,
    ) -> list[str]:
        if self.nlp is None:
            return [keyword_label(kw) for kw in keywords]
        flat: list[str] = []
        owner: list[int] = []
        for t, texts in enumerate(texts_by_topic):
            for text in list(texts)[: self.max_docs]:
                flat.append(text[:2000])
                owner.append(t)
        counts: list[Counter[str]] = [Counter() for _ in texts_by_topic]
        for t, doc in zip(owner, self.nlp.pipe(flat, batch_size=128), strict=True):
            counts[t].update(set(chunk_phrases(doc)))  # documents containing the phrase
        return [
            self._pick(counts[t], keywords[t], None if centroids is None else centroids[t])
            for t in range(len(texts_by_topic))
        ]

    def _pick(
        self, counts: Counter[str], keywords: Sequence[str], centroid: np.ndarray | None
    ) -> str:
        keys = {_singular(k) for k in keywords}
        candidates = sorted(
            p
            for p, c in counts.items()
            if c >= MIN_PHRASE_COUNT and keys & {_singular(w) for w in p.split()}
        )
        if not candidates:
            return keyword_label(keywords)
        if self.encoder is None or centroid is None or not centroid.any():
            return max(candidates, key=lambda p: (counts[p], len(p.split()), p))
        vectors = np.asarray(self.encoder.encode(candidates), dtype=np.float32)
        if vectors.shape[1] != centroid.shape[0]:
            return max(candidates, key=lambda p: (counts[p], len(p.split()), p))
        sims = vectors @ centroid
        # closeness first; frequency breaks near-ties so a one-off phrase rarely wins
        score = sims + 0.02 * np.log([counts[p] for p in candidates])
        return candidates[int(np.argmax(score))]
