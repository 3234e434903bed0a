"""PII redaction and author hashing: what residents wrote, minus who they and others are.

Why here: every later stage (and every output file) sees only the redacted ``text`` of a
record, so redaction happens once, at ingest, before anything is written. Nothing of the original
spans is kept anywhere.

How: presidio-analyzer's engine runs on the run's ONE shared spaCy pipeline
(:func:`voiceline.nlp.spacy_model.load_spacy`): the ingest stage pipes each batch through spaCy
once and hands the Docs to :meth:`Redactor.redact_docs`, which turns them into presidio
``NlpArtifacts`` (no second NER pass, no second model, nothing downloaded). On top of spaCy's
PERSON entities and presidio's phone / email / card / SSN / IP recognisers come voiceline's own
recognisers for what feedback about policing is full of: officers' titles and names ("Officer
Reyes" -> "Officer [PERSON]"), badge numbers, licence plates and street addresses. Cheap
pre-checks skip the expensive recognisers on texts that cannot contain their entity (no ``@``,
too few digits ...), which is most texts.

Decisions:

- A hundred-block ("the 1200 block of Water Street") is how police and residents name a place
  without naming a home; it is kept as is. An exact house number plus street is redacted.
- Street and place names without a house number are not PII ("Cannery Row" stays).
- ``keep_names`` (the gazetteer's places, the agency, public figures) are never redacted.
- "unit 12" alone is not treated as a badge (it is as often an apartment); "squad car 12" is.
- ``tldextract`` (used by presidio's e-mail check) runs on its bundled suffix-list snapshot,
  never fetching the public suffix list; the phone recogniser (``phonenumbers``) is offline.

Example::

    from voiceline.ingest.privacy import Redactor
    r = Redactor(keep_names=["Harbor Point"])
    r.redact(["Officer Reyes #4471 stopped me near Harbor Point, call 555-201-8890"])[0].text
    # 'Officer [PERSON] #[BADGE] stopped me near Harbor Point, call [PHONE]'
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from voiceline.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

    from voiceline.config import PrivacyConfig

log = logging.getLogger(__name__)

#: The span types voiceline redacts, each replaced by ``[TYPE]``.
VOICELINE_TYPES: tuple[str, ...] = (
    "PERSON",
    "PHONE",
    "EMAIL",
    "ADDRESS",
    "PLATE",
    "BADGE",
    "URL",
    "CREDIT_CARD",
    "SSN",
    "IP_ADDRESS",
)

# voiceline type -> the entity name presidio's recognisers report
_TO_PRESIDIO = {
    "PERSON": "PERSON",
    "PHONE": "PHONE_NUMBER",
    "EMAIL": "EMAIL_ADDRESS",
    "ADDRESS": "ADDRESS",
    "PLATE": "PLATE",
    "BADGE": "BADGE",
    "URL": "URL",
    "CREDIT_CARD": "CREDIT_CARD",
    "SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
}
_FROM_PRESIDIO = {v: k for k, v in _TO_PRESIDIO.items()}

DEFAULT_SALT = "voiceline-default-salt-v1"


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redaction:
    """One redacted text and how many spans of each type were replaced.

    >>> Redaction("call [PHONE]", {"PHONE": 1}).counts["PHONE"]
    1
    """

    text: str
    counts: dict[str, int] = field(default_factory=dict)


# --- patterns ------------------------------------------------------------------------------

_TITLES = (
    r"officer|ofc\.?|patrolman|patrolwoman|sgt\.?|sergeant|lt\.?|lieutenant|capt\.?|captain"
    r"|det\.?|detective|deputy|trooper|cpl\.?|corporal|cmdr\.?|commander|chief"
    r"|mr\.?|mrs\.?|ms\.?|miss|mx\.?|dr\.?"
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


def _refine_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a candidate name span to its leading run of name-like words (titles skipped)."""
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


def _refine_plate(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A plate has 4-8 letters/digits with at least one digit; drop a trailing plain word."""
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


def _refine_tag(text: str, start: int, end: int) -> tuple[int, int] | None:
    """After the ambiguous word "tag", demand both letters and digits (graffiti tags exist)."""
    span = _refine_plate(text, start, end)
    if span is None:
        return None
    alnum = re.sub(r"[- ]", "", text[span[0] : span[1]])
    return span if any(c.isalpha() for c in alnum) else None


def _refine_url(text: str, start: int, end: int) -> tuple[int, int] | None:
    while end > start and text[end - 1] in ".,;:!?)]}'\"":
        end -= 1
    return (start, end) if end > start else None


Rule = tuple[re.Pattern[str], float, str, Callable[[str, int, int], tuple[int, int] | None] | None]

_PLATE_VALUE = r"(?P<v>[A-Za-z0-9]{2,8}(?:[- ][A-Za-z0-9]{1,4})?)\b"
_RULES: dict[str, tuple[re.Pattern[str] | None, list[Rule]]] = {
    "PERSON": (
        None,
        [
            (
                re.compile(rf"\b(?i:{_TITLES})(?<=\w|\.)\s+(?P<v>{_NAME}(?:\s+{_NAME}){{0,2}})"),
                0.7,
                "v",
                _refine_name,
            ),
            (
                re.compile(
                    rf"(?i:\bmy\s+name\s+is|\bmy\s+name's|\bname\s*:)\s+"
                    rf"(?P<v>{_NAME_ANYCASE}(?:\s+{_NAME_ANYCASE})?)"
                ),
                0.8,
                "v",
                _refine_name,
            ),
            (
                re.compile(
                    rf"(?i:\bI'?m|\bI\s+am|\bthis\s+is)\s+(?P<v>{_NAME}(?:\s+{_NAME})?)"
                    r"(?=\s*(?:[,.!;]|\band\b|\bfrom\b|\bI\b|$))"
                ),
                0.6,
                "v",
                _refine_name,
            ),
            (
                re.compile(
                    rf"(?i:\b(?:my|our|his|her|their)\s+(?:next[- ]door\s+)?(?:{_RELATIONS})s?)"
                    rf",?\s+(?P<v>{_NAME}(?:\s+{_NAME})?)"
                ),
                0.7,
                "v",
                _refine_name,
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
                _refine_plate,
            ),
            (
                re.compile(
                    r"(?i:\btags?(?:\s+(?:number|no\.?|#))?(?:\s+(?:is|was))?\s*[:#]?\s*)"
                    r"(?P<v>[A-Z0-9]{2,4}[- ]?[A-Z0-9]{2,4})\b"
                ),
                0.6,
                "v",
                _refine_tag,
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
            (re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+"), 0.8, "0", _refine_url),
            (
                re.compile(
                    r"(?i)(?<![@\w.])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                    r"(?:com|org|net|gov|edu|us|ca|io|co|info|biz|me|ly|gl|tv|app|news)\b"
                    r"(?!\.\w)(?:/[^\s<>\"']*)?"
                ),
                0.6,
                "0",
                _refine_url,
            ),
        ],
    ),
}

# Cheap checks that let an expensive presidio recogniser skip a text that cannot hold its entity.
_GATES: dict[str, re.Pattern[str]] = {
    "PHONE_NUMBER": re.compile(r"(?:\d\D{0,3}){7}"),
    "EMAIL_ADDRESS": re.compile(r"\w@\w"),
    "CREDIT_CARD": re.compile(r"(?:\d[ -]?){13}"),
    "US_SSN": re.compile(r"\d{3}[- .]?\d{2}[- .]?\d{4}|\d{5}-\d{4}|\d{3}-\d{6}"),
    "IP_ADDRESS": re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9A-Fa-f]{0,4}::?[0-9A-Fa-f]"),
}
_SHORT_PHONE = re.compile(
    r"(?i:\b(?:call|phone|cell|text|number|reach|tel|ph)\b[^\d\n]{0,20})(?P<v>\b\d{3}[-.]\d{4}\b)"
)
# NANP-shaped numbers, valid or not: phonenumbers rejects the 555 exchange and unassigned area
# codes, but a resident's number written that way is still a phone number to redact.
_NANP_PHONE = re.compile(
    r"(?<![\w.-])(?P<v>(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4})(?![\w-])"
)


# --- presidio wiring -----------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def offline_tldextract() -> Any:
    """A ``tldextract`` extractor that never touches the network or the disk cache.

    With no suffix-list URLs and no cache folder it uses the snapshot bundled with the package.

    >>> offline_tldextract()("resident@example.org").fqdn
    'example.org'
    """
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def _build_recognizers(presidio_entities: set[str]) -> list[Any]:
    """Instantiate only the recognisers the requested entities need (lazily imported)."""
    from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UsSsnRecognizer,
    )

    def make_result(rec: Any, entity: str, start: int, end: int, score: float) -> Any:
        return RecognizerResult(
            entity,
            start,
            end,
            score,
            analysis_explanation=AnalysisExplanation(
                recognizer=rec.name, original_score=score, textual_explanation="voiceline rule"
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: rec.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: rec.id,
            },
        )

    class RuleRecognizer(LocalRecognizer):
        """voiceline's regex rules for one entity: precompiled, gated, span-refined."""

        def __init__(self, entity: str, gate: re.Pattern[str] | None, rules: list[Rule]):
            self.gate = gate
            self.rules = rules
            super().__init__(
                supported_entities=[entity],
                supported_language="en",
                name=f"voiceline_{entity.lower()}",
            )

        def load(self) -> None:
            pass

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list:
            if self.gate is not None and not self.gate.search(text):
                return []
            entity = self.supported_entities[0]
            out = []
            for rx, score, group, refine in self.rules:
                for m in rx.finditer(text):
                    g: int | str = int(group) if group.isdigit() else group
                    start, end = m.span(g)
                    if refine is not None:
                        span = refine(text, start, end)
                        if span is None:
                            continue
                        start, end = span
                    out.append(make_result(self, entity, start, end, score))
            return out

    def gated(base: type, gate: re.Pattern[str]) -> type:
        class Gated(base):  # type: ignore[misc, valid-type]
            def analyze(self, text: str, entities: list[str], *args: Any, **kw: Any) -> list:
                if not gate.search(text):
                    return []
                return super().analyze(text, entities, *args, **kw)

        Gated.__name__ = f"Gated{base.__name__}"
        return Gated

    class OfflineEmailRecognizer(gated(EmailRecognizer, _GATES["EMAIL_ADDRESS"])):  # type: ignore[misc]
        def validate_result(self, pattern_text: str) -> bool:
            return offline_tldextract()(pattern_text).fqdn != ""

    class UsPhoneRecognizer(gated(PhoneRecognizer, _GATES["PHONE_NUMBER"])):  # type: ignore[misc]
        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list:
            out = list(super().analyze(text, entities, nlp_artifacts))
            matches = [*_SHORT_PHONE.finditer(text), *_NANP_PHONE.finditer(text)]
            for m in matches:
                out.append(make_result(self, "PHONE_NUMBER", *m.span("v"), 0.6))
            return out

    recs: list[Any] = []
    if "PERSON" in presidio_entities:
        recs.append(SpacyRecognizer(supported_entities=["PERSON"]))
    for vl_type, (gate, rules) in _RULES.items():
        if _TO_PRESIDIO[vl_type] in presidio_entities:
            recs.append(RuleRecognizer(_TO_PRESIDIO[vl_type], gate, rules))
    if "PHONE_NUMBER" in presidio_entities:
        # US covers Canada too (one numbering plan); every extra region costs a full scan.
        recs.append(UsPhoneRecognizer(supported_regions=("US",)))
    if "EMAIL_ADDRESS" in presidio_entities:
        recs.append(OfflineEmailRecognizer())
    if "CREDIT_CARD" in presidio_entities:
        recs.append(gated(CreditCardRecognizer, _GATES["CREDIT_CARD"])())
    if "US_SSN" in presidio_entities:
        recs.append(gated(UsSsnRecognizer, _GATES["US_SSN"])())
    if "IP_ADDRESS" in presidio_entities:
        recs.append(gated(IpRecognizer, _GATES["IP_ADDRESS"])())
    return recs


Span = tuple[int, int, str, float]


def _resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Keep non-overlapping spans: the longest first, then the highest score, then the earliest."""
    chosen: list[Span] = []
    for s, e, t, sc in sorted(spans, key=lambda x: (-(x[1] - x[0]), -x[3], x[0])):
        if all(e <= cs or s >= ce for cs, ce, _, _ in chosen):
            chosen.append((s, e, t, sc))
    return sorted(chosen)


# --- the redactor --------------------------------------------------------------------------


class Redactor:
    """Find and replace PII with ``[TYPE]`` placeholders, on Docs the caller already has.

    ``entities`` are voiceline types (default: all of :data:`VOICELINE_TYPES`); spans scoring
    below ``score_threshold`` are kept; ``keep_names`` (gazetteer places, the agency, public
    figures) are never redacted; ``nlp`` is the shared pipeline (default
    :func:`voiceline.nlp.spacy_model.load_spacy`), which must have ``ner`` and is never copied.

    >>> r = Redactor(entities=["EMAIL", "PHONE"])
    >>> r.redact(["mail me at dave.h@example.com or call (415) 555-0134"])[0].text
    'mail me at [EMAIL] or call [PHONE]'
    """

    def __init__(
        self,
        *,
        entities: list[str] | None = None,
        score_threshold: float = 0.4,
        keep_names: Sequence[str] = (),
        nlp: Language | None = None,
    ) -> None:
        wanted = list(VOICELINE_TYPES if entities is None else entities)
        bad = [e for e in wanted if e not in _TO_PRESIDIO]
        if bad:
            raise ConfigError(
                f"privacy.entities: unknown type(s) {bad}; expected some of "
                f"{list(VOICELINE_TYPES)}. Fix the spelling or remove them."
            )
        if not 0 <= score_threshold <= 1:
            raise ConfigError(
                f"privacy.score_threshold: expected a number from 0 to 1, found {score_threshold}."
            )
        self.entities = wanted
        self.score_threshold = float(score_threshold)
        self.keep_names = tuple(n for n in keep_names if n and n.strip())
        if nlp is None:
            from voiceline.nlp.spacy_model import load_spacy

            nlp = load_spacy()
        if "ner" not in nlp.pipe_names:
            raise ConfigError(
                f"the spaCy pipeline given to Redactor has no 'ner' component "
                f"(it has {nlp.pipe_names}); pass voiceline.nlp.spacy_model.load_spacy()."
            )
        self.nlp = nlp
        self._keep_folded = {n.strip().casefold() for n in self.keep_names}
        self._keep_rx = (
            re.compile(
                r"(?i)(?<!\w)(?:"
                + "|".join(re.escape(n.strip()) for n in sorted(self.keep_names, key=len)[::-1])
                + r")(?!\w)"
            )
            if self.keep_names
            else None
        )
        self._presidio_entities = [_TO_PRESIDIO[e] for e in self.entities]
        self._use_ner = "PERSON" in self.entities
        # One cheap look per text decides whether presidio runs at all (most texts hold no PII).
        self._triggers: list[re.Pattern[str]] = []
        for vl_type in self.entities:
            presidio_type = _TO_PRESIDIO[vl_type]
            if vl_type in _RULES:
                gate, rules = _RULES[vl_type]
                self._triggers.extend([gate] if gate is not None else [r[0] for r in rules])
            if presidio_type in _GATES:
                self._triggers.append(_GATES[presidio_type])
        self._engine, self._analyzer = self._build_analyzer()

    def _build_analyzer(self) -> tuple[Any, Any]:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine

        # The engine is never load()ed, so presidio neither loads nor downloads a model: it
        # wraps our pipeline.
        engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "voiceline-shared"}])
        engine.nlp = {"en": self.nlp}
        registry = RecognizerRegistry(
            recognizers=_build_recognizers(set(self._presidio_entities)),
            supported_languages=["en"],
        )
        analyzer = AnalyzerEngine(
            registry=registry, nlp_engine=engine, supported_languages=["en"]
        )
        return engine, analyzer

    def _artifacts(self, doc: Doc, people: list[Any]) -> Any:
        from presidio_analyzer.nlp_engine import NlpArtifacts

        return NlpArtifacts(
            entities=people,
            tokens=doc,
            tokens_indices=[t.idx for t in doc],
            # The fast pipeline has no lemmatizer; lowercase forms serve the context words.
            lemmas=[t.lemma_ or t.lower_ for t in doc],
            nlp_engine=self._engine,
            language="en",
            scores=[0.85] * len(people),
        )

    def _kept(self, text: str, start: int, end: int, keep_spans: list[tuple[int, int]]) -> bool:
        if text[start:end].strip().casefold() in self._keep_folded:
            return True
        return any(ks <= start and end <= ke for ks, ke in keep_spans)

    def _redact_one(self, text: str, doc: Doc, *, use_ner: bool = True) -> Redaction:
        if not text or not text.strip():
            return Redaction(text, {})
        people = (
            [e for e in doc.ents if e.label_ == "PERSON"] if use_ner and self._use_ner else []
        )
        if not people and not any(rx.search(text) for rx in self._triggers):
            return Redaction(text, {})
        results = self._analyzer.analyze(
            text=text,
            language="en",
            entities=self._presidio_entities,
            nlp_artifacts=self._artifacts(doc, people),
            score_threshold=self.score_threshold,
        )
        keep_spans = (
            [m.span() for m in self._keep_rx.finditer(text)] if self._keep_rx is not None else []
        )
        spans = []
        for r in results:
            vl_type = _FROM_PRESIDIO.get(r.entity_type)
            if vl_type is None:
                continue
            start, end = r.start, r.end
            if vl_type == "PERSON":
                trimmed = _refine_name(text, start, end)
                if trimmed is None:
                    continue
                start, end = trimmed
            if self._kept(text, start, end, keep_spans):
                continue
            spans.append((start, end, vl_type, r.score))
        if not spans:
            return Redaction(text, {})
        chosen = _resolve_overlaps(spans)
        out: list[str] = []
        counts: dict[str, int] = {}
        pos = 0
        for s, e, t, _ in chosen:
            out.append(text[pos:s])
            out.append(f"[{t}]")
            counts[t] = counts.get(t, 0) + 1
            pos = e
        out.append(text[pos:])
        return Redaction("".join(out), counts)

    def redact_docs(
        self,
        texts: list[str],
        docs: list[Doc],
        *,
        languages: Sequence[str | None] | None = None,
    ) -> list[Redaction]:
        """Redact ``texts`` using the Docs the caller already computed (NER is not re-run).

        ``docs[i]`` must be ``nlp(texts[i])`` from the shared pipeline. ``languages`` (ISO
        639-1 per text, from language detection) switches the English NER's PERSON spans off
        for texts in another language, where it tags ordinary nouns as people (German nouns
        are capitalised); pattern rules (titles, phones, e-mails ...) still apply. ``None``,
        ``"en"`` and ``"und"`` use NER.
        """
        if len(texts) != len(docs):
            raise ValueError(
                f"redact_docs: got {len(texts)} texts but {len(docs)} Docs; pass one Doc per "
                "text, in the same order (docs = list(nlp.pipe(texts)))."
            )
        if languages is not None and len(languages) != len(texts):
            raise ValueError(
                f"redact_docs: got {len(texts)} texts but {len(languages)} languages; pass one "
                "language code (or None) per text."
            )
        out = []
        for i, (text, doc) in enumerate(zip(texts, docs, strict=True)):
            if doc.text != (text or ""):
                raise ValueError(
                    f"redact_docs: Doc {i} is not the Doc of text {i} (its text differs); pass "
                    "docs = list(nlp.pipe(texts)) in the same order as texts."
                )
            lang = languages[i] if languages is not None else None
            use_ner = lang in (None, "", "en", "und")
            out.append(self._redact_one(text or "", doc, use_ner=use_ner))
        return out

    def redact(
        self,
        texts: list[str],
        *,
        batch_size: int = 256,
        languages: Sequence[str | None] | None = None,
        n_process: int = 1,
    ) -> list[Redaction]:
        """Run the shared spaCy pipeline over ``texts`` in batches, then redact them.

        ``n_process`` > 1 runs spaCy in that many worker processes: worth it from a few
        thousand texts on (each call pays the workers' start-up).
        """
        clean = [t or "" for t in texts]
        docs = list(self.nlp.pipe(clean, batch_size=batch_size, n_process=n_process))
        return self.redact_docs(clean, docs, languages=languages)


# --- authors -------------------------------------------------------------------------------


def hash_author(author: str | None, *, salt: str) -> str | None:
    """Keyed hash (HMAC-SHA256, first 16 hex digits) of a normalised author id.

    Normalising (strip, casefold) makes ``" Dave@X.org "`` and ``"dave@x.org"`` one author.
    Without the salt the hash cannot be recomputed from a guessed id; with another salt the
    same person gets another hash. ``None`` and blank ids give ``None``.

    >>> hash_author("dave@example.org", salt="k") == hash_author(" DAVE@example.org", salt="k")
    True
    >>> hash_author("  ", salt="k") is None
    True
    """
    if author is None:
        return None
    norm = str(author).strip().casefold()
    if not norm:
        return None
    return hmac.new(salt.encode("utf-8"), norm.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def resolve_salt(privacy_config: PrivacyConfig) -> str:
    """The key for :func:`hash_author`: the config's ``salt``, else ``$salt_env``, else a default.

    The default is the same for every deployment, so hashes made with it can be linked across
    deployments (anyone with voiceline can test a guessed id); a warning is logged. Set the
    environment variable named by ``privacy.salt_env`` (``VOICELINE_SALT``) to a long random
    secret and keep it: changing it changes every author hash.

    >>> from voiceline.config import PrivacyConfig
    >>> resolve_salt(PrivacyConfig(salt="s3cret"))
    's3cret'
    """
    if privacy_config.salt:
        return privacy_config.salt
    env = os.environ.get(privacy_config.salt_env, "")
    if env:
        return env
    log.warning(
        "privacy: no salt in the config and $%s is not set; using voiceline's default salt, so "
        "author hashes can be linked across deployments. Set %s to a long random secret.",
        privacy_config.salt_env,
        privacy_config.salt_env,
    )
    return DEFAULT_SALT
