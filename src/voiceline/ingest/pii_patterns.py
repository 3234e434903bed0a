"""The PII pattern tables: voiceline's own rules for what feedback about policing is full of.

Why a module of its own: these tables say *what* counts as PII (officers' titles and names, badge
numbers, licence plates, street addresses, URLs, short phone numbers) and are tuned case by case;
:mod:`voiceline.ingest.privacy` says *how* they run (presidio recognisers on the shared spaCy
pipeline, overlaps, placeholders). A new pattern is an edit here and a case in
``tests/test_privacy.py``, nothing else.

Each rule is ``(regex, score, group, refiner)``: the named group ``v`` (or ``"0"``, the whole match)
holds the value to redact, and the refiner trims or rejects it. Each entity has a cheap gate regex
that must match before its rules run, so most texts cost one ``search``.

Example::

    from voiceline.ingest.pii_patterns import RULES
    gate, rules = RULES["BADGE"]
    rx, score, group, refine = rules[0]
    rx.search("badge #5523").group(group)   # '5523'
"""
from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "STREET_WORDS",
    "GATES",
    "NANP_PHONE",
    "RULES",
    "SHORT_PHONE",
    "Refiner",
    "Rule",
    "refine_name",
    "refine_plate",
    "refine_tag",
    "refine_url",
]

_TITLES = (
    r"officer|ofc\.?|patrolman|patrolwoman|sgt\.?|sergeant|lt\.?|lieutenant|capt\.?|captain"
    r"|det\.?|detective|deputy|trooper|cpl\.?|corporal|cmdr\.?|commander|chief"
    r"|mr\.?|mrs\.?|ms\.?|miss|mx\.?|dr\.?"
    # Spanish and French titles: the English NER is off for those languages, so the title
    # patterns are what catches an officer's name there ("el oficial Greene")
    r"|oficial|agente|sargento|teniente|capit[aá]n|detective|se[nñ]or|se[nñ]ora|se[nñ]orita"
    r"|sr\.?|sra\.?|srta\.?|policier|monsieur|madame|mme\.?|mlle\.?"
)
_TITLE_WORDS = frozenset(
    re.sub(r"\\\.\?", "", _TITLES).replace("\\", "").split("|")
)
# A name token: Capitalised with a lowercase letter (Reyes, McDonald, O'Brien) or ALL CAPS.
_NAME = r"(?:[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*|[A-Z][A-Z'’\-]+)"
_NAME_ANYCASE = r"(?:[A-Za-z][A-Za-z'’\-]+)"
_RELATIONS = (
    r"neighbou?r|son|daughter|husband|wife|partner|friend|landlord|landlady|roommate|brother"
    r"|sister|mother|mom|father|dad|boyfriend|girlfriend|cousin|tenant|coworker|co-worker"
    r"|uncle|aunt|grandson|granddaughter|grandmother|grandfather|nephew|niece|kid|child"
)
# Words that follow a title or "I'm" but are not names (checked case-insensitively).
_NOT_NAMES = frozenset(
    """
    a an the and or but of to in on at by for from with without about as is are was were be been
    being am i me my we our you your he him his she her they them their it its this that these
    those there here who whom what which when where why how all any some no not never just also
    very really so too still already again only even said says say told tells asked came come
    comes arrived responded showed stopped pulled called did does do had has have will would
    could should can may might must got get gets went go goes was were left took take made make
    officer officers police cop cops department dept sheriff station patrol car unit badge
    concerned tired sure glad happy sorry worried afraid scared new writing calling frustrated
    disappointed angry upset done fine ok okay good grateful thankful curious confused retired
    disabled pregnant black white latino latina hispanic asian native gay trans homeless
    resident residents neighbor neighbors neighbour neighbours living live lived renter owner
    one two three four five six seven eight nine ten first second third last next other
    please thanks thank yes yeah hi hello dear sir madam male female man woman mother father
    parent parents voter taxpayer citizen american america canadian british libertarian liberal
    conservative democrat republican progressive independent christian muslim jewish catholic
    atheist student teacher nurse veteran
    """.split()
) | _TITLE_WORDS

_STREET_SUFFIXES = (
    "Street St Avenue Ave Av Road Rd Boulevard Blvd Drive Dr Lane Ln Court Ct Place Pl Way "
    "Terrace Ter Circle Cir Parkway Pkwy Highway Hwy Row Square Sq Trail Trl Alley Aly Plaza "
    "Plz Pike Crescent Cres Loop Point Pt"
).split()

STREET_WORDS = frozenset(w.casefold() for w in _STREET_SUFFIXES) - {"dr", "pt", "point"}
"""Street words (casefolded) that make a capitalised name a street, not a person ("Forest Ave").
"Dr" is left out: before a name it is a doctor."""


def _address_regex(upper: bool) -> re.Pattern[str]:
    """House number + 1-3 street-name words + suffix (+ apartment); Title Case or ALL CAPS."""
    if upper:
        word = r"(?:[A-Z][A-Z'’]+|\d{1,3}(?:ST|ND|RD|TH))"
        suffix = "|".join(s.upper() for s in _STREET_SUFFIXES)
        apt = r"APT|APARTMENT|UNIT|SUITE|STE|#"
        direction = r"N|S|E|W|NE|NW|SE|SW|NORTH|SOUTH|EAST|WEST"
    else:
        word = r"(?:[A-Z][a-z'’]+|\d{1,3}(?:st|nd|rd|th))"
        suffix = "|".join(_STREET_SUFFIXES)
        apt = r"Apt|Apartment|Unit|Suite|Ste|apt|unit|#"
        direction = r"N|S|E|W|NE|NW|SE|SW|North|South|East|West"
    return re.compile(
        rf"(?<![\w#$.,])\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?\s+(?:(?:{direction})\.?\s+)?"
        rf"(?:{word}\s+){{0,3}}(?:{suffix})\b\.?"
        rf"(?:\s*,?\s*(?:{apt})\.?\s*#?\s*\w{{1,5}}\b)?"
    )


def _word_ok(word: str) -> bool:
    return word.strip("'’-").casefold() not in _NOT_NAMES


def refine_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a candidate name span to its leading run of name-like words (titles skipped).

    spaCy and the title rules over-reach ("Officer Reyes was"); the span is cut at the first
    word that is not a name, and a trailing possessive is dropped.

    >>> text = "Officer Reyes's car"
    >>> s, e = refine_name(text, 0, len(text))
    >>> text[s:e]
    'Reyes'
    """
    words = list(re.finditer(r"\S+", text[start:end]))
    kept: list[re.Match[str]] = []
    for w in words:
        bare = w.group().rstrip(".,")
        if not kept and bare.casefold() in _TITLE_WORDS:
            continue
        if not _word_ok(bare):
            break
        kept.append(w)
    if not kept:
        return None
    s = start + kept[0].start()
    e = start + kept[-1].end()
    if text[s:e].endswith(("'s", "’s")):
        e -= 2
    while e > s and text[e - 1] in ".,'’-":
        e -= 1
    return (s, e) if e > s else None


def refine_plate(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A plate has 4-8 letters/digits with at least one digit; drop a trailing plain word.

    >>> refine_plate("7KXR221", 0, 7)
    (0, 7)
    >>> refine_plate("ABCD", 0, 4) is None
    True
    """
    cand = text[start:end]
    parts = re.split(r"([- ])", cand)
    if len(parts) == 3 and parts[2].isalpha() and not parts[2].isupper():
        end = start + len(parts[0])
        cand = parts[0]
    alnum = re.sub(r"[- ]", "", cand)
    if not (4 <= len(alnum) <= 8) or not any(c.isdigit() for c in alnum):
        return None
    if alnum.isdigit() and len(alnum) > 7:
        return None
    return start, end


def refine_tag(text: str, start: int, end: int) -> tuple[int, int] | None:
    """After the ambiguous word "tag", demand both letters and digits (graffiti tags exist)."""
    span = refine_plate(text, start, end)
    if span is None:
        return None
    alnum = re.sub(r"[- ]", "", text[span[0] : span[1]])
    return span if any(c.isalpha() for c in alnum) else None


def refine_url(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop the sentence punctuation a URL match swallows ("see harborpt.org.").

    >>> refine_url("harborpt.org).", 0, 14)
    (0, 12)
    """
    while end > start and text[end - 1] in ".,;:!?)]}'\"":
        end -= 1
    return (start, end) if end > start else None


#: Trims a regex match ``(text, start, end)`` to the PII span, or rejects it with ``None``.
Refiner = Callable[[str, int, int], tuple[int, int] | None]
#: ``(pattern, score, group holding the value ("0" = whole match), refiner or None)``.
Rule = tuple[re.Pattern[str], float, str, Refiner | None]

_PLATE_VALUE = r"(?P<v>[A-Za-z0-9]{2,8}(?:[- ][A-Za-z0-9]{1,4})?)\b"
#: voiceline type -> (cheap gate that must match first, or None; the rules that find it).
RULES: dict[str, tuple[re.Pattern[str] | None, list[Rule]]] = {
    "PERSON": (
        None,
        [
            (
                re.compile(rf"\b(?i:{_TITLES})(?<=\w|\.)\s+(?P<v>{_NAME}(?:\s+{_NAME}){{0,2}})"),
                0.7,
                "v",
                refine_name,
            ),
            (
                re.compile(
                    rf"(?i:\bmy\s+name\s+is|\bmy\s+name's|\bname\s*:)\s+"
                    rf"(?P<v>{_NAME_ANYCASE}(?:\s+{_NAME_ANYCASE})?)"
                ),
                0.8,
                "v",
                refine_name,
            ),
            (
                re.compile(
                    rf"(?i:\bI'?m|\bI\s+am|\bthis\s+is)\s+(?P<v>{_NAME}(?:\s+{_NAME})?)"
                    r"(?=\s*(?:[,.!;]|\band\b|\bfrom\b|\bI\b|$))"
                ),
                0.6,
                "v",
                refine_name,
            ),
            (
                re.compile(
                    rf"(?i:\b(?:my|our|his|her|their)\s+(?:next[- ]door\s+)?(?:{_RELATIONS})s?)"
                    rf",?\s+(?P<v>{_NAME}(?:\s+{_NAME})?)"
                ),
                0.7,
                "v",
                refine_name,
            ),
        ],
    ),
    "ADDRESS": (
        re.compile(r"\d"),
        [
            (_address_regex(upper=False), 0.7, "0", None),
            (_address_regex(upper=True), 0.7, "0", None),
            (
                re.compile(
                    r"(?i:\b(?:live|lives|lived|living|reside|resides|house\s+is|home\s+is)"
                    r"\s+(?:at|on)\s+)(?P<v>\d{1,6}\s+[A-Z][A-Za-z'’]+(?:\s+[A-Z][A-Za-z'’]+)?)"
                ),
                0.6,
                "v",
                None,
            ),
        ],
    ),
    "PLATE": (
        re.compile(r"(?i)plate|tag"),
        [
            (
                re.compile(
                    r"(?i:\b(?:licen[cs]e\s+)?plates?(?:\s+(?:number|no\.?|num|#))?"
                    r"(?:\s+(?:is|was|reads|read|of))?\s*[:#]?\s*)" + _PLATE_VALUE
                ),
                0.8,
                "v",
                refine_plate,
            ),
            (
                re.compile(
                    r"(?i:\btags?(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was))?\s*[:#]?\s*)"
                    r"(?P<v>[A-Z0-9]{2,4}[- ]?[A-Z0-9]{2,4})\b"
                ),
                0.6,
                "v",
                refine_tag,
            ),
        ],
    ),
    "BADGE": (
        re.compile(r"\d"),
        [
            (
                re.compile(
                    r"(?i:\bbadge(?:\s+(?:number|no\.?|num|#))?(?:\s+(?:is|was))?\s*[:#]?\s*)"
                    r"(?P<v>\d{2,6})\b"
                ),
                0.85,
                "v",
                None,
            ),
            (
                re.compile(
                    rf"\b(?i:{_TITLES})(?<=\w|\.)\s+(?:{_NAME}\s+){{0,2}}\(?\s*"
                    r"(?i:#|no\.\s*|badge\s*#?\s*)\s*(?P<v>\d{2,6})\b"
                ),
                0.8,
                "v",
                None,
            ),
            (
                re.compile(
                    r"(?i:\b(?:squad|patrol|police|cruiser)\s+(?:car|unit|vehicle)"
                    r"\s*(?:number|no\.?|#)?\s*)(?P<v>\d{1,5})\b"
                ),
                0.6,
                "v",
                None,
            ),
        ],
    ),
    "URL": (
        re.compile(r"(?i)https?:|www\.|\.[a-z]{2,}"),
        [
            (re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+"), 0.8, "0", refine_url),
            (
                re.compile(
                    r"(?i)(?<![@\w.])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                    r"(?:com|org|net|gov|edu|us|ca|io|co|info|biz|me|ly|gl|tv|app|news)\b"
                    r"(?!\.\w)(?:/[^\s<>\"']*)?"
                ),
                0.6,
                "0",
                refine_url,
            ),
        ],
    ),
}

#: presidio entity -> a cheap check that lets its expensive recogniser skip a text that cannot
#: hold the entity.
GATES: dict[str, re.Pattern[str]] = {
    "PHONE_NUMBER": re.compile(r"(?:\d\D{0,3}){7}"),
    "EMAIL_ADDRESS": re.compile(r"\w@\w"),
    "CREDIT_CARD": re.compile(r"(?:\d[ -]?){13}"),
    "US_SSN": re.compile(r"\d{3}[- .]?\d{2}[- .]?\d{4}|\d{5}-\d{4}|\d{3}-\d{6}"),
    "IP_ADDRESS": re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9A-Fa-f]{0,4}::?[0-9A-Fa-f]"),
}
#: A 7-digit local number right after a word that announces one ("call 555-0134").
SHORT_PHONE = re.compile(
    r"(?i:\b(?:call|phone|cell|text|number|reach|tel|ph)\b[^\d\n]{0,20})(?P<v>\b\d{3}[-.]\d{4}\b)"
)
#: NANP-shaped numbers, valid or not: phonenumbers rejects the 555 exchange and unassigned area
#: codes, but a resident's number written that way is still a phone number to redact.
NANP_PHONE = re.compile(
    r"(?<![\w.-])(?P<v>(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4})(?![\w-])"
)

