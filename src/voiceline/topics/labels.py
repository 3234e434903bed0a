"""Readable topic labels: the noun-chunk keyphrase closest to the topic, not "0_the_and_of".

Why: an analyst reviewing emerging topics reads a label first. BERTopic's default label joins the
topic number and its first c-TF-IDF words; voiceline instead takes the noun chunks (spaCy,
lemmatised, stop words trimmed) of a topic's most central records, keeps those that occur at least
twice and share a word with the topic's keywords, and picks the one whose embedding is closest to
the topic centroid (KeyBERT's idea, on the same encoder as the records). When no phrase qualifies,
the label is the first keywords joined ("speeding, car, street").

Speed (labelling used to take longer than the clustering itself): only the pipes noun chunks
need run (the NER, with its own tok2vec, is switched off), each distinct text is parsed once and
its phrases are remembered for the rest of the process (a refit or the next period's run does not
parse the same record again), and the candidate phrases of all topics are encoded in one call.

>>> label = KeyphraseLabeler(nlp=None, encoder=None)
>>> label([["cars speeding on Elm", "speeding cars again"]], [["speeding", "car"]], None)
['speeding, car']
"""

from __future__ import annotations

import contextlib
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from voiceline.topics.keywords import keyword_label

MAX_PHRASE_TOKENS = 4
MIN_PHRASE_COUNT = 2
MAX_CHARS = 1000
"""Characters of a record read for phrases (the label comes from what most records share)."""
_UNNEEDED_PIPES = ("ner",)
_CACHE_SIZE = 100_000
_phrase_cache: OrderedDict[tuple[str, str], list[str]] = OrderedDict()
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

    def __init__(self, *, nlp: Any = None, encoder: Any = None, max_docs: int = 20) -> None:
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
        chosen = [[t[:MAX_CHARS] for t in list(texts)[: self.max_docs]] for texts in texts_by_topic]
        phrases = self.phrases({t for texts in chosen for t in texts})
        counts: list[Counter[str]] = [Counter() for _ in texts_by_topic]
        for t, texts in enumerate(chosen):
            for text in texts:
                counts[t].update(set(phrases[text]))  # records containing the phrase
        candidates = [_candidates(counts[t], keywords[t]) for t in range(len(texts_by_topic))]
        vectors = self._encode({p for c in candidates for p in c}, centroids)
        return [
            self._pick(
                candidates[t],
                counts[t],
                keywords[t],
                None if centroids is None else centroids[t],
                vectors,
            )
            for t in range(len(texts_by_topic))
        ]

    def phrases(self, texts: set[str]) -> dict[str, list[str]]:
        """The noun-chunk phrases of each text: parsed once per process (sorted, in batches)."""
        key = _pipeline_key(self.nlp)
        todo = sorted(t for t in texts if (key, t) not in _phrase_cache)
        if todo:
            with _needed_pipes_only(self.nlp):
                for text, doc in zip(todo, self.nlp.pipe(todo, batch_size=256), strict=True):
                    _phrase_cache[(key, text)] = chunk_phrases(doc)
        out = {}
        for t in texts:
            _phrase_cache.move_to_end((key, t))
            out[t] = _phrase_cache[(key, t)]
        while len(_phrase_cache) > _CACHE_SIZE:
            _phrase_cache.popitem(last=False)
        return out

    def _encode(self, phrases: set[str], centroids: np.ndarray | None) -> dict[str, np.ndarray]:
        if self.encoder is None or centroids is None or not phrases:
            return {}
        ordered = sorted(phrases)
        vectors = np.asarray(self.encoder.encode(ordered), dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != centroids.shape[1]:
            return {}
        return dict(zip(ordered, vectors, strict=True))

    def _pick(
        self,
        candidates: list[str],
        counts: Counter[str],
        keywords: Sequence[str],
        centroid: np.ndarray | None,
        vectors: dict[str, np.ndarray],
    ) -> str:
        if not candidates:
            return keyword_label(keywords)
        if centroid is None or not centroid.any() or not vectors:
            return max(candidates, key=lambda p: (counts[p], len(p.split()), p))
        sims = np.array([float(vectors[p] @ centroid) for p in candidates])
        # closeness first; frequency breaks near-ties so a one-off phrase rarely wins
        score = sims + 0.02 * np.log([counts[p] for p in candidates])
        return candidates[int(np.argmax(score))]


def _candidates(counts: Counter[str], keywords: Sequence[str]) -> list[str]:
    """Phrases in at least ``MIN_PHRASE_COUNT`` records that share a word with the keywords."""
    keys = {_singular(k) for k in keywords}
    return sorted(
        p
        for p, c in counts.items()
        if c >= MIN_PHRASE_COUNT and keys & {_singular(w) for w in p.split()}
    )


def _pipeline_key(nlp: Any) -> str:
    meta = getattr(nlp, "meta", None) or {}
    names = getattr(nlp, "pipe_names", [])
    return f"{meta.get('name')}-{meta.get('version')}-{'+'.join(names)}-{id(type(nlp))}"


@contextlib.contextmanager
def _needed_pipes_only(nlp: Any) -> Iterator[None]:
    """Switch off the pipes noun chunks do not need (restored afterwards)."""
    off = [p for p in _UNNEEDED_PIPES if p in getattr(nlp, "pipe_names", [])]
    if not off or not hasattr(nlp, "select_pipes"):
        yield
        return
    with nlp.select_pipes(disable=off):
        yield
