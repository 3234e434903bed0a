"""Split each record's text into sentences (the segments table, DESIGN.md section 2).

Why segments: a resident writes "The lights on Elm are out. Officers were great though." and the
two sentences carry different concerns and opposite sentiment; classifying sentences and then
rolling them up keeps both. Every segment keeps its character offsets, so
``record_text[start_char:end_char] == segment_text`` always holds and evidence can be shown in
place.

Two splitters:

- ``"rules"`` (default): a regex splitter tuned on resident text (titles such as "Mr." and
  "St.", "a.m.", "U.S.", ellipses, "!!!", emoji, newlines, redaction placeholders such as
  "[PERSON]."). Tens of microseconds a record.
- ``"spacy"``: the statistical sentence recogniser (``senter``) of the shared spaCy model, run
  with ``nlp.pipe`` and NER disabled; slower, sometimes better on unpunctuated text.

A sentence longer than ``max_chars`` is cut at word boundaries, and spaCy only ever sees chunks
of at most :data:`SPACY_CHUNK_CHARS` characters, so a 10,000-word meeting statement never
becomes one giant Doc.

>>> import pandas as pd
>>> text = "Mr. Lee called at 5 p.m. Nobody came!!! Why?"
>>> records = pd.DataFrame({"record_id": ["r1"], "text": [text]})
>>> segment_records(records)[["segment_idx", "text", "start_char"]].values.tolist()
[[0, 'Mr. Lee called at 5 p.m.', 0], [1, 'Nobody came!!!', 25], [2, 'Why?', 40]]
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

import pandas as pd

from voiceline.errors import ConfigError
from voiceline.schemas import (
    END_CHAR,
    RECORD_ID,
    SEGMENT_COLUMNS,
    SEGMENT_IDX,
    START_CHAR,
    TEXT,
    require_columns,
)

Splitter = Literal["spacy", "rules"]
SPLITTERS: tuple[str, ...] = ("rules", "spacy")
SPACY_CHUNK_CHARS = 5_000
"""Longest text handed to spaCy at once; longer texts are cut (at a line or sentence end when
there is one) so memory stays bounded."""

# Words that end in a period without ending the sentence. Lowercase, without the final dot.
_TITLES = frozenset(
    "mr mrs ms mx dr prof sgt lt capt cpt col gen det insp supt cmdr sr jr rev hon gov "
    "sen rep pres atty mt ft vs v dept fig jan feb mar apr jun jul aug sep sept oct nov dec "
    "e.g i.e a.k.a cf al".split()
)
# Abbreviations that often end a sentence too: a boundary only before a capitalised word.
_SOFT = frozenset("etc min max no nos approx inc ltd co corp est incl esp".split())
# After an upper-case dotted abbreviation ("U.S. Citizens") a capital is usually a name; these
# words start a new sentence all the same.
_STARTERS = frozenset(
    "the i we it this that they he she there but and so if in my our you a an what why how "
    "please thanks thank".split()
)
# Street suffixes: not a boundary when a name follows ("St. Paul"), a boundary after a street
# name when a capitalised word follows ("I live on Main St. It is loud").
_STREETS = frozenset("st ave av rd blvd ln hwy pkwy ct pl sq ter dr".split())
# Dotted abbreviations ("a.m.", "U.S.") end a sentence only when a capitalised word follows.
_DOTTED = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_CJK_END = "\u3002\uff01\uff1f"

_EMOJI = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f3fb-\U0001f3ff"
)
_CANDIDATE = re.compile(
    r"(?:[.!?\u2026\u203c\u2047-\u2049]+[\"'\u201d\u2019\u00bb)\]]*(?:\s*[" + _EMOJI + r"]+)*"
    r"|[" + _EMOJI + r"]+)(?=\s|$)"
    r"|\s*\n\s*"
    r"|[" + _CJK_END + r"]+"
    r"|(?<=[a-z][a-z][.!?])(?=[A-Z][a-z])"  # "home.This must change": no space after the dot
)
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_HAS_WORD = re.compile(r"[\w" + _EMOJI + r"]")


def _previous_word(text: str, end: int) -> str:
    """The whitespace-delimited word that ends at ``end`` (exclusive), with the final dot."""
    start = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end), text.rfind("\t", 0, end))
    return text[start + 1 : end]


def _next_char(text: str, pos: int) -> str:
    match = _WS.match(text, pos)
    pos = match.end() if match else pos
    return text[pos] if pos < len(text) else ""


def _next_word(text: str, pos: int) -> str:
    match = _WORD.search(text, pos)
    return match.group() if match else ""


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    token = match.group()
    if not token or token[0] in _CJK_END or ("\n" in token and not token.strip()):
        return True
    nxt = _next_char(text, match.end())
    if not nxt:
        return True
    first = token[0]
    if first in "!?\u203c\u2047\u2048\u2049":
        return True
    if first not in ".\u2026":  # emoji alone: a boundary only before a capitalised word
        return nxt.isupper()
    stripped = token.rstrip("\"'\u201d\u2019\u00bb)]" + _EMOJI + " \t\n")
    if stripped.startswith("..") or first == "\u2026":  # an ellipsis trails off mid-sentence
        return nxt.isupper() or nxt.isdigit() or nxt in "\"'[(\u201c"
    if stripped != ".":
        return True  # ".?" or mixed runs
    word = _previous_word(text, match.start() + 1)  # with its final dot
    bare = word.rstrip(".").lstrip("\"'([\u201c").lower()
    if not bare:
        return True
    if bare in _TITLES:
        return False
    if bare in _SOFT:
        return nxt.isupper()
    if len(bare) == 1 and bare.isalpha():  # an initial: "J. Smith"
        return False
    if bare.isdigit() and len(bare) <= 2 and len(word) == len(bare) + 1:
        before = text[: match.start() - len(bare)].rstrip()
        if not before or before[-1] in ".!?:;\n" + _CJK_END:  # a list marker: "2. End subsidies"
            return False
    if bare in _STREETS:
        before = _previous_word(text, max(match.start() - len(word), 0)).strip()
        return nxt.isupper() and bool(before[:1].isupper() or before[:1].isdigit())
    dotted = word.lstrip("\"'([\u201c")
    if _DOTTED.match(dotted):
        if dotted.upper() == dotted:  # "U.S.", "D.C.": a capital after it is usually a name
            return _next_word(text, match.end()).lower() in _STARTERS
        return nxt.isupper() or nxt in "\"'[(\u201c"
    return True


def _rule_cuts(text: str) -> Iterator[int]:
    """Positions where a sentence ends (exclusive), by the rules above."""
    for match in _CANDIDATE.finditer(text):
        if _is_boundary(text, match):
            yield match.end()


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Cut ``text[start:end]`` into stripped pieces of at most ``max_chars``, at whitespace
    when the window has any, else hard."""
    start, end = _strip_span(text, start, end)
    while end - start > max_chars:
        limit = start + max_chars
        cut = max(text.rfind(" ", start + 1, limit + 1), text.rfind("\n", start + 1, limit + 1))
        if cut <= start:
            cut = limit
        a, b = _strip_span(text, start, cut)
        if b > a:
            yield a, b
        start, end = _strip_span(text, cut, end)
    if end > start:
        yield start, end


def split_rules(text: str, *, max_chars: int = 1000) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` by the rule splitter: ``[(start, end), ...]``, stripped.

    >>> t = "Call [PERSON]. He knows… maybe. Thanks 🙏 Great work"
    >>> [t[a:b] for a, b in split_rules(t)]
    ['Call [PERSON].', 'He knows… maybe.', 'Thanks 🙏', 'Great work']
    """
    cuts: list[int] = []
    prev = 0
    for cut in _rule_cuts(text):
        if cuts and not _HAS_WORD.search(text, prev, cut):
            cuts[-1] = cut  # a stray "!" or "..." after a sentence joins it
        elif _HAS_WORD.search(text, prev, cut) or not cuts:
            cuts.append(cut)
        prev = cut
    if cuts and not _HAS_WORD.search(text, cuts[-1]):
        cuts[-1] = len(text)
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in cuts + [len(text)]:
        spans.extend(_cut_long(text, prev, cut, max_chars))
        prev = cut
    return spans


def _chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """``(offset, piece)`` of at most ``size`` characters, cut after a line or sentence end
    (else whitespace) in the second half of the window so sentences are rarely split."""
    pos = 0
    n = len(text)
    while n - pos > size:
        window_end = pos + size
        cut = -1
        for pattern in ("\n", ". ", "! ", "? ", " "):
            found = text.rfind(pattern, pos + size // 2, window_end)
            if found != -1:
                cut = found + len(pattern)
                break
        if cut <= pos:
            cut = window_end
        yield pos, text[pos:cut]
        pos = cut
    if pos < n:
        yield pos, text[pos:]


def _spacy_spans(
    texts: list[str], *, nlp: Any, max_chars: int, batch_size: int = 256
) -> list[list[tuple[int, int]]]:
    """Sentence spans of each text by spaCy's ``senter`` (NER disabled), chunked."""
    owners: list[tuple[int, int]] = []  # (text index, chunk offset)
    pieces: list[str] = []
    for i, text in enumerate(texts):
        for offset, piece in _chunks(text, SPACY_CHUNK_CHARS):
            owners.append((i, offset))
            pieces.append(piece)
    disable = [name for name in ("ner", "parser", "tagger", "lemmatizer") if name in nlp.pipe_names]
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    for (i, offset), doc in zip(
        owners, nlp.pipe(pieces, batch_size=batch_size, disable=disable), strict=True
    ):
        for sent in doc.sents:
            a = offset + sent.start_char
            b = offset + sent.end_char
            out[i].extend(_cut_long(texts[i], a, b, max_chars))
    return out


def segment_records(
    records: pd.DataFrame,
    *,
    splitter: Splitter = "rules",
    max_chars: int = 1000,
    nlp: Any = None,
) -> pd.DataFrame:
    """One row per sentence of each record's ``text``: ``schemas.SEGMENT_COLUMNS``.

    Reads ``record_id`` and ``text``; never changes ``records``. Offsets index the record's
    text, segments are stripped of surrounding whitespace, an empty text gives no rows, and a
    sentence longer than ``max_chars`` is cut at word boundaries. ``nlp`` (only for
    ``splitter="spacy"``) defaults to ``load_spacy(profile="fast")``.

    >>> frame = pd.DataFrame({"record_id": [7], "text": ["Lights out on Elm St. Again."]})
    >>> segment_records(frame)["text"].tolist()
    ['Lights out on Elm St.', 'Again.']
    """
    require_columns(records, (RECORD_ID, TEXT), table="records")
    if splitter not in SPLITTERS:
        raise ConfigError(
            f"unknown sentence splitter {splitter!r}: expected one of {list(SPLITTERS)}."
        )
    if max_chars < 1:
        raise ConfigError(f"max_chars must be at least 1, got {max_chars}.")
    ids = records[RECORD_ID].tolist()
    texts = ["" if not isinstance(t, str) else t for t in records[TEXT].tolist()]
    if splitter == "spacy":
        if nlp is None:
            from voiceline.nlp.spacy_model import load_spacy

            nlp = load_spacy(profile="fast")
        all_spans = _spacy_spans(texts, nlp=nlp, max_chars=max_chars)
    else:
        all_spans = [split_rules(t, max_chars=max_chars) if t else [] for t in texts]

    out_ids: list[Any] = []
    out_idx: list[int] = []
    out_text: list[str] = []
    out_start: list[int] = []
    out_end: list[int] = []
    for rid, text, spans in zip(ids, texts, all_spans, strict=True):
        for k, (a, b) in enumerate(spans):
            out_ids.append(rid)
            out_idx.append(k)
            out_text.append(text[a:b])
            out_start.append(a)
            out_end.append(b)
    return pd.DataFrame(
        {
            RECORD_ID: pd.Series(out_ids, dtype=records[RECORD_ID].dtype),
            SEGMENT_IDX: pd.Series(out_idx, dtype="int64"),
            TEXT: pd.Series(out_text, dtype="object"),
            START_CHAR: pd.Series(out_start, dtype="int64"),
            END_CHAR: pd.Series(out_end, dtype="int64"),
        },
        columns=list(SEGMENT_COLUMNS),
    )
