"""Text repair helpers shared by every reader and by the ingest stage.

Resident text arrives damaged in predictable ways: UTF-8 read as cp1252 ("cafÃ©"), stray control
characters from copy-paste, runs of spaces from PDF exports, and live captions typed in CAPITALS.
These helpers undo that damage without changing what was said, so that later stages (PII
redaction, classification) see the words a resident actually wrote.

Example::

    >>> repair_text("cafÃ©   is  open\\r\\n\\r\\n\\r\\nyes")
    'café is open\\nyes'
    >>> readable_case("I LIVE ON 5TH STREET AND MPD NEVER COMES.")
    'I live on 5th street and MPD never comes.'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["KNOWN_ACRONYMS", "is_mostly_upper", "readable_case", "repair_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_H_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PARA_BREAK = re.compile(r"\s*\n\s*")

# Acronyms kept in capitals when ALL-CAPS text is turned into sentence case. Only words that
# are acronyms in civic speech; ordinary short words ("IT", "US") stay lower case unless listed.
KNOWN_ACRONYMS: frozenset[str] = frozenset(
    """
    ADA ADU AM PM ATV ATVs BIPOC BLM CCTV CEO CIA COVID CPR CSO DA DC DEI DHS DMV DOJ DOT DPW
    DUI DWI EMS EMT EPA ER FAQ FBI FEMA FY GPS HIV HOA HUD ICE ID IDs LGBT LGBTQ LGBTQIA MN MNDOT
    MOU MPD MPLS MPRB MPHA NAACP NYPD OK OPCR PD PPE PSA SRO SROs SUV TV UMN USA US VA WIFI YMCA
    """.split()
)
_ACRONYM_UPPER = {a.upper(): a for a in KNOWN_ACRONYMS}
_I_FORMS = re.compile(r"\bi(?=\b|'[a-z])")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n\s*|>>\s*)([a-z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")
_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december minneapolis".split()
)


def repair_text(s: str | None) -> str:
    """Repair mojibake and whitespace while keeping what the author wrote (emoji included).

    Steps: ftfy ``fix_text`` (mojibake, HTML entities left as typed), Unicode NFC, control
    characters removed (tabs become spaces), runs of spaces collapsed, and any run of line breaks
    (paragraph breaks) collapsed to a single newline. ``None`` gives ``""``.

    >>> repair_text("  He said \\u201cno\\u201d\\x00 \\t twice ")
    'He said \\u201cno\\u201d twice'
    """
    if s is None:
        return ""
    if not isinstance(s, str):
        s = str(s)
    if not s:
        return ""
    import ftfy

    # Until nothing changes (at most a few rounds): removing a control character or a space can
    # expose mojibake ftfy did not see the first time, and repair must be idempotent.
    for _ in range(4):
        before = s
        s = ftfy.fix_text(s, unescape_html=False, fix_line_breaks=True, normalization="NFC")
        s = unicodedata.normalize("NFC", s)
        s = s.replace("\t", " ")
        s = _CONTROL.sub("", s)
        s = _H_SPACE.sub(" ", s)
        s = _PARA_BREAK.sub("\n", s)
        s = s.strip()
        if s == before:
            break
    return s


def is_mostly_upper(s: str, *, min_letters: int = 8, threshold: float = 0.8) -> bool:
    """True when at least ``threshold`` of the cased letters are capitals (live captions, shouting).

    Short strings (fewer than ``min_letters`` cased letters) are never "mostly upper": "MPD" or
    "OK" alone says nothing about the writer's case habits.

    >>> is_mostly_upper("THE LIGHTS ON 4TH ARE OUT")
    True
    >>> is_mostly_upper("MPD said no")
    False
    """
    letters = [c for c in s if c.isalpha() and (c.isupper() or c.islower())]
    if len(letters) < min_letters:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= threshold


def _word_case(match: re.Match[str]) -> str:
    word = match.group(0)
    known = _ACRONYM_UPPER.get(word.upper())
    if known:
        return known
    return word.lower()


def readable_case(s: str, *, force: bool = False) -> str:
    """Turn ALL-CAPS text into sentence case; text that is not mostly capitals is returned as is.

    Known acronyms (:data:`KNOWN_ACRONYMS`, e.g. MPD, ADA) stay in capitals, "I" and its
    contractions are capitalised, as are sentence starts, weekdays and months. Proper names
    cannot be recovered and come out in lower case, which is what later stages expect anyway.
    ``force=True`` converts even short strings (a caption file known to be all capitals, where
    "THANK YOU." alone is too short to judge).

    >>> readable_case("THANK YOU, CHAIR. I'M HERE ABOUT THE ADA RAMP ON MONDAY.")
    "Thank you, chair. I'm here about the ADA ramp on Monday."
    """
    if not (is_mostly_upper(s) or (force and is_mostly_upper(s, min_letters=1))):
        return s
    out = _WORD.sub(_word_case, s)
    out = _I_FORMS.sub("I", out)
    out = re.sub(
        r"\b[a-z]+\b",
        lambda m: m.group(0).capitalize() if m.group(0) in _NAMES else m.group(0),
        out,
    )
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), out)
