"""Triage flags: feedback that needs a person, not a chart (DESIGN.md section 4).

Four flags, set by transparent phrase rules on the *redacted* text, so every flag can be
explained to the person who reads it (``triage_reason`` quotes the words that fired):

- ``crime_tip``: a crime in progress or information about a specific crime or suspect
  ("they're breaking into a car right now", "I know who shot...", "the guy selling out of the
  blue house", a suspect vehicle's plate);
- ``threat``: a threat or imminent danger ("I'm going to shoot...", "he threatened to kill us");
- ``officer_complaint``: a complaint that names a specific officer (a name or badge after a
  rank, next to complaint words), not praise ("shout out to Officer [PERSON]" is not flagged);
- ``welfare``: someone who may need help ("seems unwell", "not breathing", "welfare check",
  talk of suicide or an overdose happening).

The rules are English; records in other languages get no rule flags (``triage_table`` still
lists nothing for them, and the manifest counts them), so a unit with Spanish feedback should
route it by hand. Flags are added to the ``flags`` list and never removed.

>>> import pandas as pd
>>> recs = pd.DataFrame({"record_id": ["r1", "r2"], "language": ["en", "en"], "flags": [[], []],
...     "text": ["Officer [PERSON] was rude and yelled at my mother.", "Thanks for the new lights"]})
>>> flag_triage(recs)["flags"].tolist()
[['officer_complaint'], []]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from voiceline import schemas as S


@dataclass(frozen=True)
class Rule:
    flag: str
    pattern: re.Pattern[str]
    requires: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None


def _rx(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


_RANK = r"(?:officer|ofc\.?|sgt\.?|sergeant|lt\.?|lieutenant|det\.?|detective|deputy|trooper|cpl\.?|corporal|cop|capt\.?|captain)"
_COMPLAINT = _rx(
    r"\b(rude|disrespect\w*|harass\w*|profil\w*|excessive|force|abus\w*|threaten\w*|slur|racist|"
    r"unprofessional|dismissive|condescending|yell\w*|scream\w*|curs\w*|swor(e|n) at|assault\w*|"
    r"searched|no reason|complain\w*|misconduct|lied|laughed at|refused|ignored|brutal\w*|"
    r"humiliat\w*|intimidat\w*|illegal(ly)?|violated|grabbed|pushed|shoved|hit me|beat|tased|"
    r"pepper|handcuff\w*|arrested me|pulled (me|us) over|stopped me|report (him|her)|fired)\b"
)
_PRAISE = _rx(
    r"\b(shout ?out|thank(s| you)|kudos|great job|amazing|appreciate|grateful|love(s|d)?|wonderful|helpful|kind)\b"
)

RULES: tuple[Rule, ...] = (
    # --- crimes in progress and tips --------------------------------------------------------
    Rule(
        "crime_tip",
        _rx(
            r"\b(?:happening|going on) (?:right )?now\b|\bin progress\b|"
            r"\b(?:is|are|'re|'s) (?:breaking into|stealing|robbing|fighting|shooting at)\b|"
            r"\bright now\b.{0,60}\b(?:break\w* in(?:to)?|steal\w*|fight\w*|shoot\w*|gun)\b|"
            r"\b(?:break\w* in(?:to)?|steal\w*|fight\w*|shoot\w*)\b.{0,60}\bright now\b"
        ),
    ),
    Rule(
        "crime_tip",
        _rx(
            r"\bi know who\b|\bi (?:saw|seen|watched) (?:who|the (?:guy|man|woman|kid|person)s?|him|her|them)\b"
            r".{0,60}\b(?:stole|steal\w*|broke|break\w*|shot|shoot\w*|rob\w*|sell\w*|deal\w*|vandaliz\w*|tagg\w*|dump\w*)|"
            r"\b(?:anonymous )?tip\b(?! jar)|\bthe (?:guy|man|woman|kid|person|people) (?:who|that) "
            r"(?:did|stole|broke|shot|robbed)\b|\b(?:sell\w*|deal\w*) (?:drugs )?(?:out of|from) "
            r"(?:the|that|a|his|her|their)\b.{0,30}\b(?:house|apartment|unit|car|van|store|building)\b"
        ),
    ),
    Rule(
        "crime_tip",
        _rx(r"\[PLATE\]"),
        requires=_rx(
            r"\b(?:stole|stolen|steal\w*|broke|hit and run|hit-and-run|fled|drove off|took off|"
            r"suspect|dealing|selling|shot|robbed|dump\w*)\b"
        ),
    ),
    # --- threats ------------------------------------------------------------------------------
    Rule(
        "threat",
        _rx(
            r"\b(?:i|i'm|im|we|we're) (?:am |are )?(?:going to|gonna|will) (?:kill|shoot|hurt|beat|stab|burn)\b|"
            r"\b(?:threaten\w*|threat) (?:to )?(?:kill|shoot|hurt|stab|burn|beat)\b|"
            r"\bthreatened (?:me|us|my|our|to)\b|\b(?:has|had|with|pulled) a (?:gun|knife|weapon)\b|"
            r"\bwatch your back\b|\b(?:bomb|blow (?:it|this|the \w+) up)\b|\bpointed a gun\b"
        ),
    ),
    # --- a complaint naming an officer ------------------------------------------------------------
    Rule(
        "officer_complaint",
        _rx(
            rf"\b{_RANK}\s+\[PERSON\]|\bbadge\s*(?:#|no\.?|number)?\s*\[BADGE\]|\b{_RANK}\s*#?\s*\[BADGE\]|"
            r"\[PERSON\]\s*\((?:badge\s*)?#?\[BADGE\]\)"
        ),
        requires=_COMPLAINT,
        unless=_PRAISE,
    ),
    # --- welfare ------------------------------------------------------------------------------------
    Rule(
        "welfare",
        _rx(
            r"\bwelfare check\b|\bcheck on (?:him|her|them|my|an?|the)\b|\bseems? (?:unwell|sick|confused|disoriented|out of it)\b|"
            r"\bnot breathing\b|\bunresponsive\b|\bpassed out\b|\b(?:is|was|are) overdosing\b|\bsuicid\w*\b|"
            r"\b(?:kill|hurt|harm) (?:him|her|them|my)sel(?:f|ves)\b|\bhasn'?t been seen\b|"
            r"\bno one has seen\b|\bfreezing to death\b|\bsleeping outside in the (?:cold|snow)\b|"
            r"\b(?:mental health|psychiatric) (?:crisis|emergency)\b|\bneeds? (?:medical )?help\b"
        ),
    ),
)


def find_triage(text: str) -> list[tuple[str, str]]:
    """(flag, matched words) for each flag a text raises, in a fixed flag order.

    >>> find_triage("He threatened to kill us if we called the police")
    [('threat', 'threatened to kill')]
    """
    found: dict[str, str] = {}
    for rule in RULES:
        if rule.flag in found:
            continue
        m = rule.pattern.search(text)
        if not m:
            continue
        if rule.requires is not None and not rule.requires.search(text):
            continue
        if rule.unless is not None and rule.unless.search(text) and not _COMPLAINT.search(text):
            continue
        found[rule.flag] = m.group(0)
    return [(flag, found[flag]) for flag in S.TRIAGE_FLAGS if flag in found]


def _english(language: object) -> bool:
    return language in (None, "en", "und") or (isinstance(language, float) and language != language)


def flag_triage(records: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``records`` with triage flags added to each record's ``flags`` list."""
    S.require_columns(records, [S.RECORD_ID, S.TEXT], table="records")
    out = records.copy()
    languages = (
        out[S.LANGUAGE]
        if S.LANGUAGE in out.columns
        else pd.Series([None] * len(out), index=out.index)
    )
    old = (
        out[S.FLAGS]
        if S.FLAGS in out.columns
        else pd.Series([[] for _ in range(len(out))], index=out.index)
    )
    flags = []
    for text, lang, current in zip(out[S.TEXT], languages, old, strict=True):
        current = list(current) if current is not None and not isinstance(current, float) else []
        new = [f for f, _ in find_triage(str(text))] if _english(lang) else []
        flags.append(current + [f for f in new if f not in current])
    out[S.FLAGS] = flags
    return out


TRIAGE_COLUMNS = (
    S.RECORD_ID,
    "flag",
    "reason",
    S.SOURCE_TYPE,
    S.SOURCE_NAME,
    S.NEIGHBORHOOD_ID,
    S.PERIOD,
    S.CREATED_AT,
    S.TEXT,
)


def triage_table(records: pd.DataFrame) -> pd.DataFrame:
    """One row per record x triage flag, with the words that fired, for people to follow up.

    Reads the ``flags`` set by :func:`flag_triage`; text is the redacted record text.
    """
    rows = []
    for _, rec in records.iterrows():
        flags = rec.get(S.FLAGS)
        if flags is None or isinstance(flags, float):
            continue
        wanted = [f for f in flags if f in S.TRIAGE_FLAGS]
        if not wanted:
            continue
        reasons = dict(find_triage(str(rec[S.TEXT])))
        for flag in wanted:
            rows.append(
                {
                    S.RECORD_ID: rec[S.RECORD_ID],
                    "flag": flag,
                    "reason": reasons.get(flag, ""),
                    **{c: rec.get(c) for c in TRIAGE_COLUMNS[3:]},
                }
            )
    return pd.DataFrame(rows, columns=list(TRIAGE_COLUMNS))
