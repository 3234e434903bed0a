"""Topic keywords: class-based TF-IDF proposes, co-occurrence decides which ten words hang together.

Why not BERTopic's top c-TF-IDF words as they are: c-TF-IDF ranks each word on its own, so a
topic's list mixes the words its records share with words that are merely rare elsewhere (one
record's street name, one article's surname). A reviewer reads such a list as noise, and its
coherence (NPMI) is low. voiceline keeps c-TF-IDF as the judge of *relevance* and adds the
corpus' own evidence of *coherence*:

1. :func:`bag_of_words` tokenises every text once (English stop words out, regular plurals folded
   into their singular) and keeps both the counts and the token order;
2. :func:`class_tfidf` weighs words per topic (BERTopic's ``ClassTfidfTransformer``, frequent
   words damped); a word found in too few of a topic's records gets no weight there;
3. :func:`coherent_top_words` takes each topic's ``candidates`` best words and picks ten greedily,
   each time the word that maximises ``(1 - w) * relevance + w * mean NPMI with the words already
   picked`` (the first: with the other best words); NPMI is measured in windows of ``window``
   consecutive tokens of the same texts.

Nothing here knows about a domain: no word lists beyond scikit-learn's English stop words.

>>> bag = bag_of_words(["loud fireworks at night", "fireworks every night", "car stolen",
...                     "stolen car again", "cars stolen", "fireworks again tonight"])
>>> weights, vocab = class_tfidf(bag, np.array([0, 0, 1, 1, 1, 0]), n_classes=2, min_docs=2)
>>> coherent_top_words(weights, bag, n=3)  # "loud" and "tonight" are in one record each
[['night', 'fireworks'], ['car', 'stolen']]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

TOP_N_WORDS = 10
CANDIDATES = 30
"""How many of a topic's best c-TF-IDF words compete for its ten keywords."""
COHERENCE_WEIGHT = 0.5
"""Share of the choice that goes to co-occurrence (NPMI) rather than c-TF-IDF relevance."""
WINDOW = 10
"""Tokens per co-occurrence window (windows overlap by half; a short text is one window)."""
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z]+\b"


def fold_plurals(vocabulary: Sequence[str]) -> list[str]:
    """Map each word to its singular when that singular is itself in the vocabulary.

    Why: c-TF-IDF otherwise lists "car" and "cars" as two of a topic's ten words, which wastes a
    slot and lowers topic diversity. Only regular plurals whose base occurs are folded, so
    "news" or "police" stay as they are.

    >>> fold_plurals(["car", "cars", "party", "parties", "news", "boxes", "box"])
    ['car', 'car', 'party', 'party', 'news', 'box', 'box']
    """
    vocab = set(vocabulary)
    out = []
    for w in vocabulary:
        base = w
        if len(w) > 3 and w.endswith("ies") and w[:-3] + "y" in vocab:
            base = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("es") and w[:-2] in vocab and w[-3] in "sxzh":
            base = w[:-2]
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss") and w[:-1] in vocab:
            base = w[:-1]
        out.append(base)
    return out


@dataclass(frozen=True)
class Bag:
    """Texts as words: ``counts`` (texts x vocabulary, CSR), the sorted ``vocabulary`` and, per
    text, the vocabulary ids of its kept tokens in reading order (``sequences``)."""

    counts: Any
    vocabulary: list[str]
    sequences: list[np.ndarray]


def bag_of_words(texts: Sequence[str], *, min_df: int = 1) -> Bag:
    """Tokenise ``texts`` once: lowercase words of two letters or more, English stop words out,
    plurals folded (:func:`fold_plurals`), words in fewer than ``min_df`` texts dropped.

    >>> bag_of_words(["The lights are out", "light out again"]).vocabulary
    ['light']
    """
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer

    analyse = CountVectorizer(stop_words="english", token_pattern=TOKEN_PATTERN).build_analyzer()
    tokens = [analyse(t) for t in texts]
    vectorizer = CountVectorizer(analyzer=_identity, min_df=min_df)
    try:
        raw_counts = vectorizer.fit_transform(tokens)
    except ValueError:  # empty vocabulary: only stop words or numbers
        empty = [np.zeros(0, dtype=np.int64) for _ in texts]
        return Bag(sp.csr_matrix((len(tokens), 0), dtype=np.int64), [], empty)
    words = [str(w) for w in vectorizer.get_feature_names_out()]
    folded = fold_plurals(words)
    vocabulary = sorted(set(folded))
    index = {w: i for i, w in enumerate(vocabulary)}
    word_id = {w: index[f] for w, f in zip(words, folded, strict=True)}
    fold = sp.csr_matrix(
        (np.ones(len(words)), (np.arange(len(words)), [index[f] for f in folded])),
        shape=(len(words), len(vocabulary)),
    )
    sequences = [
        np.fromiter((word_id[w] for w in toks if w in word_id), dtype=np.int64) for toks in tokens
    ]
    return Bag((raw_counts @ fold).tocsr(), vocabulary, sequences)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def class_tfidf(
    texts: Sequence[str] | Bag,
    classes: np.ndarray,
    *,
    n_classes: int,
    min_df: int = 1,
    min_share: float = 0.0,
    min_docs: int = 1,
) -> tuple[np.ndarray, list[str]]:
    """Class-based TF-IDF (BERTopic's, frequent words damped) of ``n_classes`` document groups.

    ``texts`` are strings or a :class:`Bag` of them; ``classes`` holds each text's class
    (0..n_classes-1, or -1 for outliers, which count in the IDF as one more class but get no
    row). Returns ``(weights (n_classes, V), vocabulary)``. A word found in fewer than
    ``min_share`` of a topic's texts, or in fewer than ``min_docs`` of them (when the topic has
    that many), gets no weight in that topic: one record's proper names then stop crowding out
    the words the topic's records share.
    """
    import scipy.sparse as sp
    from bertopic.vectorizers import ClassTfidfTransformer

    bag = texts if isinstance(texts, Bag) else bag_of_words(texts, min_df=min_df)
    if not bag.vocabulary:
        return np.zeros((n_classes, 0), dtype=np.float32), []
    classes = np.asarray(classes)
    groups = np.where(classes < 0, n_classes, classes)
    member = sp.csr_matrix(
        (np.ones(len(groups)), (groups, np.arange(len(groups)))), shape=(n_classes + 1, len(groups))
    )
    per_class = (member @ bag.counts).tocsr()
    weights = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(per_class)
    dense = np.asarray(weights.todense(), dtype=np.float32)[:n_classes]
    if (min_share > 0 or min_docs > 1) and n_classes:
        present = np.asarray(
            (member @ (bag.counts > 0).astype(np.float64)).tocsr()[:n_classes].todense()
        )
        sizes = np.asarray(member.sum(axis=1)).ravel()[:n_classes]
        need = np.maximum(min_share * sizes, np.minimum(min_docs, sizes))
        dense = np.where(present >= need[:, None] - 1e-9, dense, 0.0).astype(np.float32)
    return dense, list(bag.vocabulary)


def top_words(
    weights: np.ndarray, vocabulary: Sequence[str], *, n: int = TOP_N_WORDS
) -> list[list[str]]:
    """The ``n`` highest-weighted words of each row (ties broken alphabetically: deterministic)."""
    vocab = np.asarray(vocabulary, dtype=object)
    return [[str(vocab[i]) for i in _ranked(row, vocab)[:n]] for row in weights]


def _ranked(row: np.ndarray, vocab: np.ndarray) -> np.ndarray:
    """Indices of the positive entries of ``row``, best first, ties alphabetical."""
    if not len(vocab):
        return np.array([], dtype=np.int64)
    order = np.lexsort((vocab, -row))
    return order[row[order] > 0]


def coherent_top_words(
    weights: np.ndarray,
    bag: Bag,
    *,
    n: int = TOP_N_WORDS,
    candidates: int = CANDIDATES,
    coherence_weight: float = COHERENCE_WEIGHT,
    window: int = WINDOW,
) -> list[list[str]]:
    """Each topic's ``n`` keywords: relevant (c-TF-IDF) and coherent (co-occurring) together.

    Among the ``candidates`` best c-TF-IDF words, the first keyword maximises ``(1 -
    coherence_weight) * weight / best weight + coherence_weight * mean NPMI with the other top
    n words``; each next one the same with the mean NPMI with the keywords already chosen.
    Keywords come in the order they were chosen. ``coherence_weight=0`` gives :func:`top_words`.
    """
    vocab = np.asarray(bag.vocabulary, dtype=object)
    ranked = [_ranked(row, vocab)[: max(candidates, n)] for row in weights]
    if coherence_weight <= 0 or not len(vocab):
        return [[str(vocab[i]) for i in r[:n]] for r in ranked]
    union = np.unique(np.concatenate([r for r in ranked] + [np.zeros(0, dtype=np.int64)]))
    column = np.full(len(vocab), -1, dtype=np.int64)
    column[union] = np.arange(len(union))
    incidence = window_incidence(bag.sequences, column, len(union), window=window)
    n_windows = max(incidence.shape[0], 1)
    totals = np.asarray(incidence.sum(axis=0)).ravel()
    out = []
    for row, cand in zip(weights, ranked, strict=True):
        if len(cand) <= 2:
            out.append([str(vocab[i]) for i in cand[:n]])
            continue
        cols = column[cand]
        sub = incidence[:, cols]
        together = np.asarray((sub.T @ sub).todense(), dtype=np.float64)
        npmi = _npmi(together, totals[cols], n_windows)
        relevance = row[cand] / row[cand[0]]
        # the first keyword: relevant and close to the other best words (not a stray rare one)
        top = min(n, len(cand))
        others = npmi[:, :top].sum(axis=1) - np.where(np.arange(len(cand)) < top, 1.0, 0.0)
        others /= top - (np.arange(len(cand)) < top)
        first = int(np.argmax((1 - coherence_weight) * relevance + coherence_weight * others))
        chosen = [first]
        free = np.ones(len(cand), dtype=bool)
        free[first] = False
        while len(chosen) < min(n, len(cand)):
            together_with = npmi[:, chosen].mean(axis=1)
            score = (1 - coherence_weight) * relevance + coherence_weight * together_with
            score[~free] = -np.inf
            best = int(np.argmax(score))  # first of equals: the better c-TF-IDF rank
            chosen.append(best)
            free[best] = False
        out.append([str(vocab[cand[i]]) for i in chosen])
    return out


def window_incidence(
    sequences: Sequence[np.ndarray], column: np.ndarray, n_columns: int, *, window: int = WINDOW
) -> Any:
    """Which of ``n_columns`` words occur in each window: a boolean CSC (windows x columns).

    Windows of ``window`` tokens start every ``window // 2`` tokens (one more ends each text, so
    every token is in one); a text shorter than ``window`` is one window. ``column`` maps a
    vocabulary id to its column, or -1 for words not counted.

    >>> m = window_incidence([np.array([0, 1, 2])], np.array([0, 1, -1]), 2, window=2)
    >>> m.toarray().tolist()
    [[1, 1], [0, 1]]
    """
    import scipy.sparse as sp

    stride = max(1, window // 2)
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    if not lengths.sum():
        return sp.csc_matrix((0, n_columns), dtype=np.int32)
    flat = np.concatenate([np.asarray(s, dtype=np.int64) for s in sequences])
    doc = np.repeat(np.arange(len(lengths)), lengths)
    pos = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    regular = np.where(lengths > 0, np.maximum(lengths - window, 0) // stride + 1, 0)
    tail = (lengths > 0) & ((regular - 1) * stride + window < lengths)
    first_window = np.cumsum(regular + tail) - (regular + tail)
    n_windows = int((regular + tail).sum())
    keep = column[flat] >= 0
    flat, doc, pos = flat[keep], doc[keep], pos[keep]
    rows, cols = [], []
    for back in range(-(-window // stride)):
        j = pos // stride - back
        ok = (j >= 0) & (j < regular[doc]) & (pos < j * stride + window)
        rows.append(first_window[doc[ok]] + j[ok])
        cols.append(column[flat[ok]])
    in_tail = tail[doc] & (pos >= lengths[doc] - window)
    rows.append(first_window[doc[in_tail]] + regular[doc[in_tail]])
    cols.append(column[flat[in_tail]])
    r, c = np.concatenate(rows), np.concatenate(cols)
    matrix = sp.csc_matrix((np.ones(len(r), dtype=np.int32), (r, c)), shape=(n_windows, n_columns))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def _npmi(together: np.ndarray, counts: np.ndarray, n_windows: int) -> np.ndarray:
    """Normalised PMI of each pair of words from window counts: -1 for pairs never together."""
    p_ab = together / n_windows
    p = counts.astype(np.float64) / n_windows
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(p_ab / np.outer(p, p))
        out = np.where(p_ab >= 1.0, 1.0, pmi / -np.log(p_ab))
    return np.where(together > 0, out, -1.0)


def keyword_label(keywords: Sequence[str], n: int = 3) -> str:
    """A fallback label: the first ``n`` keywords, e.g. ``"speeding, car, street"``."""
    return ", ".join(keywords[:n]) if keywords else "(no keywords)"
