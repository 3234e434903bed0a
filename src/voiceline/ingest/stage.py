"""The ingest stage: raw rows from any reader into one clean, private ``records`` table.

Steps, in order (each row ends as a record, a reject with its reason, or a drop by rule):

1. rows a reader already marked (``dropped: ...`` by rule, anything else rejected);
2. reaction-only items and the agency's own posts dropped;
3. text repaired (mojibake, control characters, whitespace); empty or too short rejected;
4. dates parsed into UTC (configured zone for naive values) and ``period`` set; an unreadable
   date is rejected when ``ingest.require_date`` is set, flagged otherwise; records outside
   ``period`` (when one is configured) dropped;
5. stable ``record_id`` from (source name, native id or row position, question, text);
6. neighborhood resolved on the text *before* redaction (a street address is evidence of place
   even though it must not be kept), then PII redacted, author ids replaced by keyed hashes;
7. language detected; exact and near duplicates and copy-paste campaigns marked, never deleted;
8. triage flags (crime tips, threats, complaints naming an officer, welfare) added to ``flags``.

The function never reads or writes files: :func:`voiceline.ingest.sources.ingest_sources` is the
thin layer that reads files with the readers and calls :func:`ingest_frame`.

Example (a notebook, no gazetteer, real redaction)::

    from voiceline import ingest_frame, read_source
    from voiceline.config import SourceConfig
    raw = read_source("comments.csv", source=SourceConfig(name="fb", path="comments.csv"))
    result = ingest_frame(raw)
    result.records.head()
"""

from __future__ import annotations

import re

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from voiceline import schemas as S
from voiceline.config import PipelineConfig
from voiceline.io import text_sha256
from voiceline.progress import ProgressFn, no_progress

log = logging.getLogger("voiceline.ingest")

DROPPED_PREFIX = "dropped: "
# Data-quality flags set at ingest (triage flags are set by classification).
FLAG_TRUNCATED = "truncated"
FLAG_DATE_UNREADABLE = "date_unreadable"
FLAG_NEIGHBORHOOD_UNKNOWN = "neighborhood_unknown"


class RedactorLike(Protocol):
    """What ingest needs from a redactor (the real one is ``voiceline.ingest.privacy.Redactor``)."""

    def redact(
        self, texts: list[str], *, batch_size: int = ..., languages: list[str | None] | None = ...
    ) -> list[Any]: ...


@dataclass
class IngestResult:
    """The records table, the rejects table, and per-source counts that reconcile."""

    records: pd.DataFrame
    rejects: pd.DataFrame
    counts: dict[str, dict[str, Any]] = field(default_factory=dict)
    unknown_neighborhoods: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Totals for the console and the manifest."""
        recs = self.records
        pii: Counter[str] = Counter()
        for value in recs[S.PII_COUNTS] if len(recs) else []:
            pii.update(json.loads(value) if isinstance(value, str) else (value or {}))
        return {
            "rows_read": sum(c["rows_read"] for c in self.counts.values()),
            "records": len(recs),
            "rejected": len(self.rejects),
            "dropped": sum(c["dropped"] for c in self.counts.values()),
            "by_source": {k: v["records"] for k, v in self.counts.items()},
            "by_source_type": recs[S.SOURCE_TYPE].value_counts().sort_index().to_dict()
            if len(recs)
            else {},
            "by_neighborhood": (
                recs[S.NEIGHBORHOOD_ID].fillna("(none)").value_counts().sort_index().to_dict()
                if len(recs)
                else {}
            ),
            "by_period": recs[S.PERIOD].fillna("(no date)").value_counts().sort_index().to_dict()
            if len(recs)
            else {},
            "redacted_spans": dict(sorted(pii.items())),
            "duplicates": int(recs[S.DUPLICATE_OF].notna().sum()) if len(recs) else 0,
            "campaign_records": int(recs[S.CAMPAIGN_ID].notna().sum()) if len(recs) else 0,
            "unknown_neighborhoods": self.unknown_neighborhoods,
            "triage": _count_flags(recs, S.TRIAGE_FLAGS),
        }


def _count_flags(records: pd.DataFrame, wanted: tuple[str, ...]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for flags in records[S.FLAGS] if len(records) else []:
        counts.update(f for f in flags if f in wanted)
    return {f: counts[f] for f in wanted if counts[f]}


# --- the stage -----------------------------------------------------------------------------


def ingest_frame(
    raw: pd.DataFrame,
    *,
    config: PipelineConfig | None = None,
    gazetteer: Any | None = None,
    redactor: RedactorLike | None = None,
    detect_language: Any | None = None,
    salt: str | None = None,
    progress: ProgressFn = no_progress,
) -> IngestResult:
    """Turn raw reader rows (``schemas.RAW_COLUMNS``) into records, rejects and counts.

    ``redactor`` and ``detect_language`` are injected sub-models (tests pass fakes); by default
    the real Presidio redactor on the bundled spaCy model and lingua are used, as the config says.
    ``raw`` is never modified.
    """
    config = config or PipelineConfig()
    S.require_columns(raw, S.RAW_COLUMNS, table="raw rows")
    if raw.empty:
        return IngestResult(records=_empty_records(), rejects=_empty_rejects(), counts={})
    frame = raw.reset_index(drop=True).copy()
    frame["_order"] = range(len(frame))
    counts = _init_counts(frame)
    rejects: list[pd.DataFrame] = []
    dropped: list[pd.DataFrame] = []

    def take(mask: pd.Series, reason: str | pd.Series, *, drop: bool) -> None:
        nonlocal frame
        if not mask.any():
            return
        out = frame.loc[mask].copy()
        out[S.REJECT_REASON] = reason if isinstance(reason, str) else reason[mask]
        (dropped if drop else rejects).append(out)
        frame = frame.loc[~mask].copy()

    # 1. what the reader already knew
    reason = frame[S.REJECT_REASON]
    has_reason = reason.notna() & (reason.astype(str).str.len() > 0)
    is_drop = has_reason & reason.astype(str).str.startswith(DROPPED_PREFIX)
    take(is_drop, reason.astype(str).str.removeprefix(DROPPED_PREFIX), drop=True)
    reason = frame[S.REJECT_REASON]
    take(reason.notna() & (reason.astype(str).str.len() > 0), reason.astype(str), drop=False)

    # 2. reaction-only items and the agency's own posts
    take(frame[S.RAW_IS_REACTION].fillna(False).astype(bool), "reaction-only item", drop=True)
    agency = {a.strip().casefold() for a in config.ingest.agency_accounts if a.strip()}
    if agency:
        author = frame[S.RAW_AUTHOR].map(lambda a: str(a).strip().casefold() if _present(a) else "")
        take(author.isin(agency), "agency's own post", drop=True)

    # 3. text
    from voiceline.ingest.text import repair_text

    frame[S.TEXT] = frame[S.TEXT].map(lambda t: repair_text(str(t)) if _present(t) else "")
    take(frame[S.TEXT].str.len() == 0, "empty text", drop=False)
    short = frame[S.TEXT].str.len() < config.ingest.min_chars
    take(short, f"text shorter than {config.ingest.min_chars} characters", drop=False)
    frame["_flags"] = [[] for _ in range(len(frame))]
    too_long = frame[S.TEXT].str.len() > config.ingest.max_chars
    if too_long.any():
        frame.loc[too_long, S.TEXT] = frame.loc[too_long, S.TEXT].str.slice(
            0, config.ingest.max_chars
        )
        for i in frame.index[too_long]:
            frame.at[i, "_flags"] = [*frame.at[i, "_flags"], FLAG_TRUNCATED]

    # 4. dates and period
    frame = _parse_dates(frame, config)
    if config.ingest.require_date:
        take(frame["_date_unreadable"], "unreadable date (ingest.require_date is set)", drop=False)
        take(frame[S.CREATED_AT].isna(), "missing date (ingest.require_date is set)", drop=False)
    for i in frame.index[frame["_date_unreadable"]]:
        frame.at[i, "_flags"] = [*frame.at[i, "_flags"], FLAG_DATE_UNREADABLE]
    if config.period:
        outside = frame[S.PERIOD] != config.period
        take(outside, f"outside period {config.period}", drop=True)

    # 5. ids; the same input row seen twice (overlapping globs) is dropped, not doubled
    frame[S.RECORD_ID] = [
        record_id(n, sid, f, r, q, t)
        for n, sid, f, r, q, t in zip(
            frame[S.SOURCE_NAME],
            frame[S.SOURCE_ID],
            frame[S.SOURCE_FILE],
            frame[S.SOURCE_ROW],
            frame[S.QUESTION],
            frame[S.TEXT],
            strict=True,
        )
    ]
    take(
        frame[S.RECORD_ID].duplicated(),
        "same record read twice (same source, id and text)",
        drop=True,
    )

    # 6. places (on the unredacted text), then privacy
    frame = _resolve_places(frame, gazetteer)
    unknown = Counter(v for v in frame["neighborhood_unmatched"] if _present(v))
    for i in frame.index[frame["neighborhood_unmatched"].map(_present)]:
        frame.at[i, "_flags"] = [*frame.at[i, "_flags"], FLAG_NEIGHBORHOOD_UNKNOWN]
    # language first: the redactor ignores English NER names in text of other languages
    frame[S.LANGUAGE] = _languages(frame, config, detect_language, progress)
    redactor = _make_redactor(config, redactor, gazetteer)
    raw_text = frame[S.TEXT].copy()  # duplicates are judged on what people wrote (see below)
    frame = _redact(frame, config, redactor, progress)
    salt = salt if salt is not None else _salt(config)
    from voiceline.ingest.privacy import hash_author

    # a meeting statement's author is its speaker: hashed like any author, never kept
    author = frame[S.RAW_AUTHOR].where(frame[S.RAW_AUTHOR].map(_present), frame[S.RAW_SPEAKER])
    frame[S.AUTHOR_HASH] = author.map(
        lambda a: hash_author(str(a), salt=salt) if _present(a) else None
    )
    frame[S.TEXT_HASH] = frame[S.TEXT].map(lambda t: text_sha256(t)[:16])

    # 7. roles, duplicates
    frame[S.SPEAKER_ROLE] = _speaker_roles(frame)
    frame = _mark_duplicates(frame, raw_text, config)

    from voiceline.ingest.triage import flag_triage

    records = flag_triage(_finish_records(frame))
    rejects_df = _finish_rejects(rejects, redactor)
    _fill_counts(counts, records, rejects_df, dropped)
    return IngestResult(
        records=records,
        rejects=rejects_df,
        counts=counts,
        unknown_neighborhoods=_shareable(unknown),
    )


_PRIVATE_VALUE = re.compile(
    r"@|\d{5,}|\d[\d\s().-]{6,}\d|\b\d+\s+\w+.*\b(st|street|ave|avenue|rd|road|blvd|lane|ln|dr|"
    r"drive|way|ct|court|apt|unit)\b",
    re.IGNORECASE,
)


def _shareable(unknown: dict[str, int]) -> dict[str, int]:
    """Unknown neighborhood values as the manifest and logs may show them.

    They are raw, unredacted free text: a value that looks like an address, a phone number or
    an e-mail, or is longer than 40 characters, is counted under one bucket instead of shown.

    >>> _shareable({"Atlantis": 2, "12 Elm St apt 4": 1, "call 207-555-0199": 1})
    {'(2 other values, not shown: they may hold personal details)': 2, 'Atlantis': 2}
    """
    shown: dict[str, int] = {}
    hidden = hidden_n = 0
    for value, n in unknown.items():
        if len(value) > 40 or _PRIVATE_VALUE.search(value):
            hidden += 1
            hidden_n += n
        else:
            shown[value] = n
    if hidden:
        shown[f"({hidden} other values, not shown: they may hold personal details)"] = hidden_n
    return dict(sorted(shown.items()))


def record_id(
    source_name: str,
    source_id: Any,
    source_file: Any,
    source_row: Any,
    question: Any,
    text: str,
) -> str:
    """Stable id: same source, same native id (or file and row), same question and text.

    It does not depend on the machine, the folder the file lives in, or other files' row order.

    >>> record_id("fb", "123", "a.json", 4, None, "Slow down on Elm")
    'r-b727adcfa9d319b9485c'
    """
    position = f"id:{source_id}" if _present(source_id) else f"row:{source_file}:{source_row}"
    key = "\x1f".join(
        [str(source_name), position, str(question) if _present(question) else "", text]
    )
    return "r-" + text_sha256(key)[:20]


# --- helpers -------------------------------------------------------------------------------


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and value != value:
        return False
    return not (isinstance(value, str) and not value.strip())


def _init_counts(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    for name, n in frame[S.SOURCE_NAME].value_counts(sort=False).items():
        counts[str(name)] = {"rows_read": int(n)}
    return dict(sorted(counts.items()))


def _fill_counts(
    counts: dict[str, dict[str, Any]],
    records: pd.DataFrame,
    rejects: pd.DataFrame,
    dropped: list[pd.DataFrame],
) -> None:
    drops = (
        pd.concat(dropped) if dropped else pd.DataFrame(columns=[S.SOURCE_NAME, S.REJECT_REASON])
    )
    for name, c in counts.items():
        c["records"] = int((records[S.SOURCE_NAME] == name).sum())
        rej = rejects.loc[rejects[S.SOURCE_NAME] == name]
        drp = drops.loc[drops[S.SOURCE_NAME] == name]
        c["rejected"] = len(rej)
        c["dropped"] = len(drp)
        c["rejected_by_reason"] = {
            str(k): int(v) for k, v in rej[S.REJECT_REASON].value_counts().sort_index().items()
        }
        c["dropped_by_reason"] = {
            str(k): int(v) for k, v in drp[S.REJECT_REASON].value_counts().sort_index().items()
        }
        c["reconciles"] = c["rows_read"] == c["records"] + c["rejected"] + c["dropped"]
        if not c["reconciles"]:  # a bug, not a user error: never lose a row silently
            raise AssertionError(f"ingest counts do not reconcile for source {name}: {c}")


def _parse_dates(frame: pd.DataFrame, config: PipelineConfig) -> pd.DataFrame:
    from voiceline.ingest.dates import parse_datetimes, to_period, unreadable_dates

    by_name = {s.name: s for s in config.sources}
    parts = []
    for name, part in frame.groupby(S.SOURCE_NAME, sort=False):
        src = by_name.get(str(name))
        mapping = src.mapping if src is not None and not isinstance(src.mapping, str) else None
        parsed = parse_datetimes(
            part[S.RAW_CREATED],
            timezone=config.timezone,
            date_format=mapping.date_format if mapping else None,
            dayfirst=mapping.dayfirst if mapping else False,
        )
        part = part.copy()
        part[S.CREATED_AT] = parsed
        part["_date_unreadable"] = unreadable_dates(part[S.RAW_CREATED], parsed)
        parts.append(part)
    out = pd.concat(parts).sort_values("_order")
    out[S.PERIOD] = to_period(out[S.CREATED_AT], timezone=config.timezone)
    return out


def _resolve_places(frame: pd.DataFrame, gazetteer: Any | None) -> pd.DataFrame:
    from voiceline.ingest.neighborhoods import resolve_neighborhoods

    resolved = resolve_neighborhoods(frame, gazetteer=gazetteer)
    if "neighborhood_unmatched" not in resolved.columns:
        resolved["neighborhood_unmatched"] = None
    return resolved


def _salt(config: PipelineConfig) -> str:
    from voiceline.ingest.privacy import resolve_salt

    return resolve_salt(config.privacy)


PARALLEL_FROM = 3000
"""With ``ingest.n_process: 0`` (auto), spaCy uses worker processes from this many texts on."""


def _workers(setting: int, n_texts: int) -> int:
    """Worker processes for the spaCy pass: the setting, or (0 = auto) the CPUs for big inputs."""
    if setting > 0:
        return setting
    import os

    cpus = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )
    return min(cpus, 4) if n_texts >= PARALLEL_FROM else 1


def _make_redactor(
    config: PipelineConfig, redactor: RedactorLike | None, gazetteer: Any | None
) -> RedactorLike | None:
    if redactor is not None or not config.privacy.redact:
        return redactor
    from voiceline.ingest.privacy import Redactor

    return Redactor(
        entities=config.privacy.entities,
        score_threshold=config.privacy.score_threshold,
        keep_names=list(config.privacy.keep_names) + (gazetteer.place_names() if gazetteer else []),
    )


def _redact(
    frame: pd.DataFrame, config: PipelineConfig, redactor: RedactorLike | None, progress: ProgressFn
) -> pd.DataFrame:
    out = frame.copy()
    if redactor is None:
        out[S.PII_COUNTS] = "{}"
        return out
    texts = out[S.TEXT].tolist()
    languages = out[S.LANGUAGE].tolist()
    batch = max(config.ingest.batch_size, 1)
    n_process = _workers(config.ingest.n_process, len(texts))
    # worker processes pay a start-up per call, so they get big chunks
    step = batch * 4 if n_process == 1 else max(batch * 4, 20_000)
    extra = {"n_process": n_process} if n_process > 1 else {}
    redacted: list[str] = []
    counts: list[str] = []
    for start in range(0, len(texts), step):
        chunk = texts[start : start + step]
        langs = languages[start : start + step]
        for item in redactor.redact(chunk, batch_size=batch, languages=langs, **extra):
            redacted.append(item.text)
            counts.append(json.dumps(dict(sorted(item.counts.items())), sort_keys=True))
        progress("redacting PII", min(start + step, len(texts)), len(texts))
    out[S.TEXT] = redacted
    out[S.PII_COUNTS] = counts
    return out


def _languages(
    frame: pd.DataFrame, config: PipelineConfig, detect: Any | None, progress: ProgressFn
) -> list[str]:
    by_name = {s.name: s.language for s in config.sources if s.language}
    texts = frame[S.TEXT].tolist()
    if not config.ingest.detect_language:
        return [by_name.get(n, "und") for n in frame[S.SOURCE_NAME]]
    if detect is None:
        from voiceline.ingest.language import detect_languages

        def detect(t: list[str]) -> list[str]:
            return detect_languages(t, languages=config.ingest.languages)

    need = [i for i, n in enumerate(frame[S.SOURCE_NAME]) if n not in by_name]
    found = detect([texts[i] for i in need]) if need else []
    langs = [by_name.get(n) for n in frame[S.SOURCE_NAME]]
    for i, lang in zip(need, found, strict=True):
        langs[i] = lang
    progress("detecting language", len(texts), len(texts))
    return langs


def _speaker_roles(frame: pd.DataFrame) -> list[str | None]:
    roles = []
    for stype, hint in zip(frame[S.SOURCE_TYPE], frame[S.RAW_ROLE_HINT], strict=True):
        if stype == "meeting":
            roles.append(hint if hint in S.SPEAKER_ROLES else "unknown")
        else:
            roles.append(hint if hint in S.SPEAKER_ROLES else None)
    return roles


def _mark_duplicates(
    frame: pd.DataFrame, raw_text: pd.Series, config: PipelineConfig
) -> pd.DataFrame:
    """Mark duplicates on the unredacted text: "pothole at 12 Mill St" and "pothole at 40 Canal
    St" are two reports, although both redact to "pothole at [ADDRESS]". Only the marks are kept."""
    from voiceline.ingest.dedupe import mark_duplicates

    marked = mark_duplicates(
        frame.assign(**{S.TEXT: raw_text.loc[frame.index]}),
        near_threshold=config.ingest.near_duplicate_threshold,
        campaign_min_authors=config.ingest.campaign_min_authors,
    )
    cols = [S.DUPLICATE_OF, S.DUPLICATE_KIND, S.CAMPAIGN_ID]
    return frame.assign(**{c: marked[c] for c in cols})


def _finish_records(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.sort_values("_order").copy()
    out[S.FLAGS] = out["_flags"]
    out[S.EXTRA] = out[S.EXTRA].map(_extra_json)
    out[S.SOURCE_ROW] = out[S.SOURCE_ROW].astype("Int64")
    out[S.SOURCE_ID] = out[S.SOURCE_ID].map(lambda v: str(v) if _present(v) else None)
    out[S.NEIGHBORHOOD_CONFIDENCE] = out[S.NEIGHBORHOOD_CONFIDENCE].astype(float)
    for col in S.RECORD_COLUMNS:
        if col not in out.columns:
            out[col] = None
    return out[list(S.RECORD_COLUMNS)].reset_index(drop=True)


def _extra_json(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _finish_rejects(parts: list[pd.DataFrame], redactor: RedactorLike | None) -> pd.DataFrame:
    if not parts:
        return _empty_rejects()
    out = pd.concat(parts).sort_values("_order")
    # A reject keeps a short preview so a person can find the row, redacted like any record:
    # nothing unredacted is ever written.
    previews = [str(t)[:120] if _present(t) else "" for t in out[S.TEXT]]
    if redactor is not None and any(previews):
        previews = [r.text for r in redactor.redact(previews)]
    out["text_preview"] = [p[:80] for p in previews]
    out[S.SOURCE_ROW] = out[S.SOURCE_ROW].astype("Int64")
    for col in S.REJECT_COLUMNS:
        if col not in out.columns:
            out[col] = None
    return out[list(S.REJECT_COLUMNS)].reset_index(drop=True)


def _empty_records() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in S.RECORD_COLUMNS})


def _empty_rejects() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in S.REJECT_COLUMNS})
