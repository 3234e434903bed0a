"""Lexicon and text-cue features that sit beside the sentence embedding in the sentiment model.

Why: a sentence embedding knows what a text is about better than how it feels, and it blurs the
cues that social text uses to say how it feels: "!!!", ALL CAPS, negation ("not bad"), emoji.
VADER (a rule-based lexicon tuned on social media) reads those cues; a handful of counts adds what
VADER misses. VADER already handles "not bad" (positive), boosters, ALL-CAPS emphasis and many
emoji, but not every emoji: 😡, 👍, ❤️ (with its variation selector) and 🙏 score 0 there, so a
small emoji table written for this project adds their polarity.

The features are cheap (pure Python, no model) and identical at training and scoring time.

>>> feats = text_features(["not bad at all", "WORST. SERVICE. EVER!!! 😡", ""])
>>> feats.shape == (3, len(FEATURE_NAMES))
True
>>> bool(feats[0, FEATURE_NAMES.index("vader_compound")] > 0)
True
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

FEATURE_NAMES: tuple[str, ...] = (
    "vader_compound",
    "vader_pos",
    "vader_neg",
    "vader_neu",
    "exclamations",
    "questions",
    "caps_share",
    "negations",
    "emoji_pos",
    "emoji_neg",
    "elongated",
    "contrast",
    "sarcasm_cue",
    "is_empty",
)
"""Column order of :func:`text_features`; saved with the model so a change is caught at load."""

# Emoji that VADER scores 0 or gets wrong; polarity from their common use in complaints/praise.
_EMOJI_POS = frozenset(
    "👍 👏 🙌 🙏 ❤ 💙 💚 💛 💜 🧡 🖤 💕 💖 💗 💯 ✅ 🎉 🥳 😍 🥰 "
    "😊 😀 😃 😄 😁 🙂 😎 🤗 ⭐ 🌟 🔥 👌 💪 😇 ☺".split()
)
_EMOJI_NEG = frozenset(
    "👎 😡 😠 🤬 😤 😢 😭 😞 😔 😟 😩 😫 🙁 ☹ 😒 "
    "🙄 😣 😖 💔 😱 😨 😰 🤮 🤢 ⚠ 🚨 😑 😐 🤦".split()
)
_NEGATIONS = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|nowhere|cannot|without|hardly|barely)\b"
    r"|n't\b|n`t\b|n’t\b",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|yet|except)\b", re.IGNORECASE)
_SARCASM = re.compile(
    r"#sarcasm|(?<!\w)/s\b|\byeah,? right\b|\bthanks a lot\b|\bjust what (?:we|i) needed\b"
    r"|\boh (?:great|wonderful|good)\b|\bsure,? because\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_ELONGATED = re.compile(r"([A-Za-z])\1{2,}")


@functools.lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_compound(texts: Sequence[str]) -> np.ndarray:
    """VADER's compound score (-1..1) per text: the lexicon-only baseline in the benchmarks."""
    analyzer = _vader()
    return np.array(
        [analyzer.polarity_scores(t)["compound"] if t else 0.0 for t in texts], dtype=np.float32
    )


def _row(text: str, analyzer: Any) -> list[float]:
    text = text or ""
    stripped = text.strip()
    if not stripped:
        return [0.0] * (len(FEATURE_NAMES) - 1) + [1.0]
    scores = analyzer.polarity_scores(stripped)
    words = _WORD.findall(stripped)
    caps = sum(1 for w in words if w.isupper())
    emoji_pos = sum(1 for ch in stripped if ch in _EMOJI_POS)
    emoji_neg = sum(1 for ch in stripped if ch in _EMOJI_NEG)
    return [
        scores["compound"],
        scores["pos"],
        scores["neg"],
        scores["neu"],
        math.log1p(stripped.count("!")),
        math.log1p(stripped.count("?")),
        caps / len(words) if words else 0.0,
        math.log1p(len(_NEGATIONS.findall(stripped))),
        math.log1p(emoji_pos),
        math.log1p(emoji_neg),
        math.log1p(len(_ELONGATED.findall(stripped))),
        math.log1p(len(_CONTRAST.findall(stripped))),
        1.0 if _SARCASM.search(stripped) else 0.0,
        0.0,
    ]


def text_features(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), len(FEATURE_NAMES)) float32 array of lexicon and cue features.

    Counts are log1p-scaled so one text with 40 "!" does not dominate; an empty text gets zeros
    and ``is_empty = 1``.

    >>> text_features(["!!!"])[0, FEATURE_NAMES.index("exclamations")].round(2)
    np.float32(1.39)
    """
    analyzer = _vader()
    if not len(texts):
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    return np.asarray([_row(t, analyzer) for t in texts], dtype=np.float32)


def has_words(text: str | None) -> bool:
    """True when a text has a letter or digit; False for empty, emoji-only or punctuation-only.

    >>> has_words("!!!"), has_words("😡"), has_words("ok")
    (False, False, True)
    """
    return bool(text) and any(ch.isalnum() for ch in text)


def has_emoji_polarity(text: str | None) -> bool:
    """True when a text holds an emoji (or emoticon) that VADER or our table gives a polarity.

    Used to tell an emoji-only text (scored: emoji carry sentiment) from a punctuation-only one
    (neutral, low confidence).

    >>> has_emoji_polarity("😡😡"), has_emoji_polarity("?!"), has_emoji_polarity(":)")
    (True, False, True)
    """
    if not text:
        return False
    if any(ch in _EMOJI_POS or ch in _EMOJI_NEG for ch in text):
        return True
    return _vader().polarity_scores(text)["compound"] != 0.0


def emoji_polarity(text: str | None) -> float:
    """Polarity in -1..1 of a text's emoji and emoticons: the project's table, else VADER.

    For texts with no words (see :func:`has_words`), where the embedding has nothing to read.

    >>> emoji_polarity("😡😡"), emoji_polarity("👍"), round(emoji_polarity(":)"), 2)
    (-1.0, 1.0, 0.46)
    """
    if not text:
        return 0.0
    pos = sum(1 for ch in text if ch in _EMOJI_POS)
    neg = sum(1 for ch in text if ch in _EMOJI_NEG)
    if pos or neg:
        return (pos - neg) / (pos + neg)
    return float(_vader().polarity_scores(text)["compound"])
