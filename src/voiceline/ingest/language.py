"""Language identification for records, offline, with lingua.

Later stages use English models; knowing a record is Spanish or Chinese lets them route it (or
report it) instead of classifying it badly. :func:`detect_languages` returns one ISO 639-1 code
per text, or ``und`` (undetermined) when there is not enough to go on.

Rules, chosen so that short English replies do not come out as random languages:

- URLs, @mentions, #hashtag marks, digits, punctuation and emoji are stripped first.
- A text with fewer than ``min_chars`` letters left (default 12: "ok", "Thanks!!", "Yes please")
  is ``und``. Such replies carry no language signal; a statistical detector guesses among
  languages that share the words. Downstream stages should treat ``und`` as "use the default
  language", not as "foreign".
- Texts written mostly in a script only one candidate language uses (Han, Hangul, Kana, Arabic,
  Cyrillic, ...) are still detected when short, because the script is the signal: a 4-character
  Chinese comment comes out ``zh``.
- The detector only chooses among ``languages`` (default :data:`DEFAULT_LANGUAGES`, the languages
  most spoken in US cities besides English) and answers ``und`` when the best language is not
  clearly ahead of the second (lingua's minimum relative distance, ``min_distance``).

Plain ASCII text where English function words are frequent ("the", "and", "is", "would" ...;
none of them a word of another candidate language) is English without asking lingua: most
resident feedback is English, and this makes detection several times faster.

The detector is built once per (languages, mode, distance) and cached. ``low_accuracy=True`` uses
lingua's trigram-only mode for texts of :data:`SHORT_TEXT_CHARS` characters or more (several times
faster, same answers on long texts); shorter texts always use the high-accuracy models, because
trigram-only guesses on short English sentences are often wrong (measured on pol.is comments).

>>> detect_languages(["The streetlights on Elm are out again.", "ok", ""])
['en', 'und', 'und']
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

UND = "und"

SHORT_TEXT_CHARS = 120
"""Texts shorter than this (after cleaning) always use lingua's high-accuracy models."""

DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "es", "zh", "vi", "tl", "ar", "fr", "ko", "ru", "de",
    "pt", "it", "pl", "ja", "so", "hi", "ur", "fa", "uk",
)
"""English plus the languages most spoken at home in US cities that lingua knows."""

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
# scripts that identify a language on their own, when that language is a candidate
_SCRIPT_LANG = (
    ("HANGUL", "ko"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("CJK", "zh"),
    ("THAI", "th"),
    ("HEBREW", "he"),
    ("GREEK", "el"),
    ("ARMENIAN", "hy"),
    ("GEORGIAN", "ka"),
)


def _clean(text: str) -> str:
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    return text


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def _script_language(letters: list[str], languages: Sequence[str]) -> str | None:
    """A language named by a script only it uses among the candidates (e.g. Hangul -> ko)."""
    if not letters:
        return None
    counts: dict[str, int] = {}
    for c in letters:
        if c.isascii():
            continue
        name = unicodedata.name(c, "")
        for script, lang in _SCRIPT_LANG:
            if name.startswith(script):
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not counts:
        return None
    # Japanese text mixes Kana with Han: any Kana makes it Japanese
    if counts.get("ja") and "ja" in languages:
        return "ja"
    lang, count = max(counts.items(), key=lambda kv: kv[1])
    if lang in languages and count * 2 >= len(letters):
        return lang
    return None


@lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...], low_accuracy: bool, min_distance: float) -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    from voiceline.errors import ConfigError

    codes = []
    unknown = []
    for code in languages:
        try:
            codes.append(IsoCode639_1.from_str(code.lower()))
        except (ValueError, AttributeError, KeyError):
            unknown.append(code)
    if unknown or len(codes) < 2:
        raise ConfigError(
            f"language detection: unknown or too few ISO 639-1 codes {unknown or list(languages)}; "
            "expected at least two codes lingua knows, e.g. ['en', 'es', 'zh']"
        )
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    if min_distance > 0:
        builder = builder.with_minimum_relative_distance(min_distance)
    return builder.build()


# English function words that no other default candidate language writes the same way. A text
# of plain ASCII words where they are frequent is English without asking the statistical
# detector: most resident feedback is, and this skips the slowest part of language detection.
_ENGLISH_MARKERS = frozenset(
    """the and is are was were to of it this that for with you they we our my be been have has
    not but at there what would should could can will from about people when which their because
    just dont don't its it's i'm i've can't didn't doesn't isn't these those them your he she
    his her who how why very more than only also too out up into over after before being""".split()
)
_WORD = re.compile(r"[a-z']+")


def _clearly_english(cleaned: str) -> bool:
    if not cleaned.isascii():
        return False
    words = _WORD.findall(cleaned.lower())
    if len(words) < 5:
        return False
    hits = [w for w in words if w in _ENGLISH_MARKERS]
    return len(set(hits)) >= 3 and len(hits) >= 0.25 * len(words)


def detect_languages(
    texts: Sequence[str | None],
    *,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    min_chars: int = 12,
    low_accuracy: bool = True,
    min_distance: float = 0.1,
) -> list[str]:
    """Return the ISO 639-1 code of each text, or ``und`` (see the module docstring for rules).

    ``texts`` may hold None or NaN (they give ``und``). Long texts are cut to their first 1,000
    characters, which is plenty to identify a language and keeps the cost per record flat.

    >>> detect_languages(["Wir brauchen mehr Radwege in der Stadt.", "我们需要更多的公园"])
    ['de', 'zh']
    """
    langs = tuple(dict.fromkeys(code.lower() for code in languages))
    results = [UND] * len(texts)
    todo_idx: list[int] = []
    todo_text: list[str] = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            continue
        cleaned = _clean(text[:1000])
        letters = _letters(cleaned)
        by_script = _script_language(letters, langs)
        if by_script is not None:
            results[i] = by_script
            continue
        if len(letters) < min_chars:
            continue
        if "en" in langs and _clearly_english(cleaned):
            results[i] = "en"
            continue
        todo_idx.append(i)
        todo_text.append(cleaned)
    # short texts always go to the full (high accuracy) models: trigram-only guesses on a
    # sentence like "I think it is cool" are wrong (Somali) more often than right
    short = [len(t) < SHORT_TEXT_CHARS for t in todo_text]
    for use_low in (False, True):
        batch = [k for k, is_short in enumerate(short)
                 if (low_accuracy and not is_short) == use_low]
        if not batch:
            continue
        detector = _detector(langs, use_low, min_distance)
        found = detector.detect_languages_in_parallel_of([todo_text[k] for k in batch])
        for k, lang in zip(batch, found, strict=True):
            if lang is not None:
                results[todo_idx[k]] = lang.iso_code_639_1.name.lower()
    return results
