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
Reyes" -> "Officer [PERSON]"), badge numbers, licence plates and street addresses; their pattern
tables live in :mod:`voiceline.ingest.pii_patterns`, this module runs them. Cheap pre-checks skip
the expensive recognisers on texts that cannot contain their entity (no ``@``, too few digits
...), which is most texts.

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from voiceline.errors import ConfigError
from voiceline.ingest.pii_patterns import (
    GATES,
    NANP_PHONE,
    RULES,
    SHORT_PHONE,
    Rule,
    refine_name,
)
from voiceline.schemas import PII_TYPES

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

    from voiceline.config import PrivacyConfig

__all__ = [
    "DEFAULT_SALT",
    "VOICELINE_TYPES",
    "Redaction",
    "Redactor",
    "hash_author",
    "offline_tldextract",
    "resolve_salt",
]

log = logging.getLogger(__name__)

#: The span types voiceline redacts, each replaced by ``[TYPE]``.
VOICELINE_TYPES: tuple[str, ...] = PII_TYPES

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

    class OfflineEmailRecognizer(gated(EmailRecognizer, GATES["EMAIL_ADDRESS"])):  # type: ignore[misc]
        def validate_result(self, pattern_text: str) -> bool:
            return offline_tldextract()(pattern_text).fqdn != ""

    class UsPhoneRecognizer(gated(PhoneRecognizer, GATES["PHONE_NUMBER"])):  # type: ignore[misc]
        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list:
            out = list(super().analyze(text, entities, nlp_artifacts))
            matches = [*SHORT_PHONE.finditer(text), *NANP_PHONE.finditer(text)]
            for m in matches:
                out.append(make_result(self, "PHONE_NUMBER", *m.span("v"), 0.6))
            return out

    recs: list[Any] = []
    if "PERSON" in presidio_entities:
        recs.append(SpacyRecognizer(supported_entities=["PERSON"]))
    for vl_type, (gate, rules) in RULES.items():
        if _TO_PRESIDIO[vl_type] in presidio_entities:
            recs.append(RuleRecognizer(_TO_PRESIDIO[vl_type], gate, rules))
    if "PHONE_NUMBER" in presidio_entities:
        # US covers Canada too (one numbering plan); every extra region costs a full scan.
        recs.append(UsPhoneRecognizer(supported_regions=("US",)))
    if "EMAIL_ADDRESS" in presidio_entities:
        recs.append(OfflineEmailRecognizer())
    if "CREDIT_CARD" in presidio_entities:
        recs.append(gated(CreditCardRecognizer, GATES["CREDIT_CARD"])())
    if "US_SSN" in presidio_entities:
        recs.append(gated(UsSsnRecognizer, GATES["US_SSN"])())
    if "IP_ADDRESS" in presidio_entities:
        recs.append(gated(IpRecognizer, GATES["IP_ADDRESS"])())
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
            if vl_type in RULES:
                gate, rules = RULES[vl_type]
                self._triggers.extend([gate] if gate is not None else [r[0] for r in rules])
            if presidio_type in GATES:
                self._triggers.append(GATES[presidio_type])
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
            _plausible_people(doc, text) if use_ner and self._use_ner else []
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
                trimmed = refine_name(text, start, end)
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
        # Redaction needs entities, not sentences (segments are split later, on redacted text)
        off = [name for name in ("senter", "parser") if name in self.nlp.pipe_names]
        docs = list(self.nlp.pipe(clean, batch_size=batch_size, n_process=n_process, disable=off))
        return self.redact_docs(clean, docs, languages=languages)


# --- authors -------------------------------------------------------------------------------


def _plausible_people(doc: Doc, text: str) -> list[Any]:
    """spaCy's PERSON spans, less two kinds the small model gets wrong on resident text.

    - A name that is a street: it ends in, or is followed by, a street word ("Forest Ave",
      "on Maple St"). A street without a house number is not PII, and it is what places a record.
    - One ALL-CAPS word in shouted or captioned text ("FIREWORKS AGAIN ON CARROLL"): the model
      reads capitals as names. Names after a title ("OFFICER REYES") are still caught by the
      title patterns, and two-word names ("JOHN SMITH") are kept.
    """
    from voiceline.ingest.pii_patterns import STREET_WORDS
    from voiceline.ingest.text import is_mostly_upper

    shouting = is_mostly_upper(text)
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        last = ent[-1].text.rstrip(".").casefold()
        after = doc[ent.end].text.rstrip(".").casefold() if ent.end < len(doc) else ""
        if last in STREET_WORDS or after in STREET_WORDS:
            continue
        if shouting and len(ent) == 1:
            continue
        out.append(ent)
    return out


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
