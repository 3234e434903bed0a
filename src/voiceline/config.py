"""Typed job configuration: one YAML file per job under ``pipelines/``.

The whole file is validated before any work starts, and every problem is reported at once
(pydantic collects them). ``--set a.b=c`` overrides one key; values are parsed as YAML, so
``--set ingest.require_date=true`` gives a bool and ``--set sources.0.path=x.csv`` reaches into
lists.

Example::

    from voiceline.config import load_config
    cfg = load_config("pipelines/sample-city.yaml", overrides=["timezone=America/Chicago"])
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from voiceline.errors import ConfigError
from voiceline.schemas import PII_TYPES

SourceType = Literal["survey", "meeting", "social", "report"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Mapping(_Strict):
    """Which columns (or JSON fields, dotted for nesting) of a source mean what.

    Every field is optional: what is left empty is detected from the usual column names
    (``text``, ``comment``, ``comment-body``, ``response``, ``description``, ``body`` ...).
    """

    text_columns: list[str] = Field(
        default_factory=list,
        description="Open-ended text columns; several (survey questions) give one record each.",
    )
    id_column: str | None = Field(None, description="Native id, kept as source_id.")
    date_column: str | None = Field(None, description="When the feedback was given.")
    date_format: str | None = Field(
        None, description="strptime format when the dates are unusual, e.g. '%m/%d/%Y - %I:%M%p'."
    )
    dayfirst: bool = Field(False, description="Read 03/04/2025 as 3 April (True) or 4 March.")
    neighborhood_column: str | None = Field(None, description="Neighborhood name or alias.")
    zip_column: str | None = Field(None, description="ZIP or postal code.")
    lat_column: str | None = Field(None, description="Latitude (WGS84).")
    lon_column: str | None = Field(None, description="Longitude (WGS84).")
    author_column: str | None = Field(
        None, description="Respondent/author id (hashed, never kept)."
    )
    speaker_column: str | None = Field(None, description="Speaker name (meetings).")
    role_column: str | None = Field(None, description="Speaker role: resident/official.")
    area_column: str | None = Field(None, description="Area a meeting is about.")
    reaction_column: str | None = Field(
        None, description="Column that marks reaction-only items (likes, emoji reactions)."
    )
    extra_columns: list[str] = Field(
        default_factory=list, description="Other columns kept under `extra` (checkboxes ...)."
    )
    filter: dict[str, list[Any]] = Field(
        default_factory=dict,
        description="Keep only rows whose column holds one of the listed values.",
    )
    exclude: dict[str, list[Any]] = Field(
        default_factory=dict,
        description="Drop rows (counted as dropped by rule) whose column holds a listed value.",
    )
    has_header: bool = Field(True, description="False for headerless files such as corpus.tsv.")
    column_names: list[str] = Field(
        default_factory=list, description="Names to give the columns of a headerless file."
    )
    sheet: str | int | None = Field(None, description="XLSX sheet name or index (default first).")
    delimiter: str | None = Field(None, description="CSV delimiter when not ',' (TSV is detected).")
    records_path: str | None = Field(
        None, description="JSON: dotted path of the list of items inside the document."
    )


class SourceConfig(_Strict):
    """One input: a file or a glob, its type and how to read it."""

    name: str = Field(description="Stable name; part of every record_id of this source.")
    path: str = Field(description="File or glob, relative to the config file.")
    type: SourceType | None = Field(None, description="survey, meeting, social or report.")
    format: str | None = Field(None, description="Force a reader (csv, xlsx, json ...).")
    mapping: Mapping | str | None = Field(
        None, description="Inline mapping, or the path of a mapping YAML file."
    )
    meeting_area: str | None = Field(
        None, description="Neighborhood a meeting source is about (meeting method)."
    )
    language: str | None = Field(None, description="Skip detection and use this ISO 639-1 code.")

    @field_validator("name")
    @classmethod
    def _name_ok(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v


class PrivacyConfig(_Strict):
    """PII redaction and author hashing."""

    redact: bool = Field(True, description="Redact PII before anything is written.")
    salt: str | None = Field(
        None, description="Key for author hashes; prefer the salt_env variable over this."
    )
    salt_env: str = Field("VOICELINE_SALT", description="Environment variable holding the key.")
    entities: list[str] = Field(
        default_factory=lambda: list(PII_TYPES),
        description="Span types to redact.",
    )
    score_threshold: float = Field(0.4, ge=0, le=1, description="Minimum recogniser score.")
    keep_names: list[str] = Field(
        default_factory=list,
        description="Names never redacted (public figures, the agency, place names).",
    )


class IngestConfig(_Strict):
    """Options of the ingest stage."""

    require_date: bool = Field(False, description="Reject rows whose date cannot be read.")
    min_chars: int = Field(2, ge=1, description="Shorter texts (after cleaning) are rejected.")
    max_chars: int = Field(
        100_000, ge=100, description="Longer texts are truncated, with a flag (memory bound)."
    )
    near_duplicate_threshold: float = Field(
        0.85, gt=0, le=1, description="Jaccard similarity of word shingles for near-duplicates."
    )
    campaign_min_authors: int = Field(
        3, ge=2, description="Authors posting the same text that make a copy-paste campaign."
    )
    agency_accounts: list[str] = Field(
        default_factory=list, description="The agency's own account names; their posts are dropped."
    )
    detect_language: bool = Field(True, description="Detect each record's language.")
    languages: list[str] = Field(
        default_factory=lambda: [
            "en",
            "es",
            "zh",
            "vi",
            "tl",
            "ar",
            "fr",
            "ko",
            "ru",
            "de",
            "pt",
            "it",
            "pl",
            "ja",
            "so",
            "hi",
            "ur",
            "fa",
            "uk",
        ],
        description="ISO 639-1 languages the detector chooses among (fewer is faster and surer).",
    )
    batch_size: int = Field(256, ge=1, description="Texts per spaCy batch.")
    n_process: int = Field(
        0, ge=0, description="spaCy worker processes; 0 = as many as CPUs for 3,000+ texts, else 1."
    )


Profile = Literal["accurate", "fast"]


class ConcernsConfig(_Strict):
    """Which concerns each record raises (``voiceline classify``)."""

    taxonomy: str | None = Field(
        None, description="Taxonomy YAML (default: the bundled community-safety v1)."
    )
    model: str | None = Field(
        None, description="A trained model folder (voiceline train concerns); overrides zero-shot."
    )
    threshold: float | None = Field(
        None, ge=0, le=1, description="Probability a concern needs (default: the model's)."
    )
    profile: Profile | None = Field(None, description="accurate or fast (default: `profile`).")


class SentimentConfig(_Strict):
    """Sentiment per record and per record x concern (``voiceline sentiment``)."""

    model: str | None = Field(None, description="A trained sentiment model folder.")
    profile: Profile | None = Field(None, description="accurate or fast (default: `profile`).")


class TopicsConfig(_Strict):
    """Emerging topics over what the taxonomy leaves uncovered (``voiceline topics``)."""

    enabled: bool = Field(True, description="Fit topics in `voiceline run`.")
    min_topic_size: int = Field(10, ge=2, description="Smallest topic HDBSCAN may form.")
    nr_topics: int | None = Field(None, ge=2, description="Merge down to at most this many.")
    uncovered_only: bool = Field(
        True, description="Model only records the taxonomy leaves uncovered or weakly covered."
    )
    profile: Profile | None = Field(None, description="accurate or fast (default: `profile`).")


class FindingsConfig(_Strict):
    """The findings table: disclosure control and the spike test."""

    k: int = Field(5, ge=1, description="Cells with fewer records are suppressed.")
    alpha: float = Field(0.05, gt=0, lt=1, description="False-discovery level of the spike test.")
    min_spike_count: int | None = Field(
        None, ge=1, description="Smallest count that may be called a spike (default: k)."
    )
    exclude_roles: list[str] = Field(
        default_factory=lambda: ["official"],
        description="Speaker roles left out of the statistics (staff at meetings).",
    )


class StoreConfig(_Strict):
    """The trend store that dashboards read."""

    url: str | None = Field(
        None,
        description="SQLAlchemy URL; default sqlite:///OUT/voiceline.db. "
        "PostgreSQL: postgresql+psycopg://user:password@host/db.",
    )
    enabled: bool = Field(True, description="Write each period's findings to the store.")


class ReportConfig(_Strict):
    """The HTML report and the Excel workbook."""

    enabled: bool = Field(True, description="Write report.html and findings.xlsx.")
    title: str | None = Field(None, description="Report title (default: the job name).")


class PipelineConfig(_Strict):
    """A whole job: sources, places, privacy, ingest options, outputs."""

    version: int = Field(1, description="Config format version.")
    name: str = Field("voiceline", description="Job name (used in logs and the store).")
    timezone: str = Field("UTC", description="Time zone of naive timestamps in the inputs.")
    period: str | None = Field(None, description="Only keep records of this YYYY-MM.")
    gazetteer: str | None = Field(None, description="Gazetteer YAML (neighborhoods, places).")
    sources: list[SourceConfig] = Field(default_factory=list, description="Inputs.")
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    output: str = Field("out", description="Output folder; a run writes OUT/<period>/.")
    seed: int = Field(0, description="Seed for every random choice.")
    profile: Profile = Field(
        "accurate", description="Model profile of every stage: accurate, or fast for big batches."
    )
    concerns: ConcernsConfig = Field(default_factory=ConcernsConfig)
    sentiment: SentimentConfig = Field(default_factory=SentimentConfig)
    topics: TopicsConfig = Field(default_factory=TopicsConfig)
    findings: FindingsConfig = Field(default_factory=FindingsConfig)
    store: StoreConfig = Field(default_factory=StoreConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)

    @field_validator("timezone")
    @classmethod
    def _tz_ok(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {v!r}; use an IANA name like America/New_York"
            ) from exc
        return v

    @field_validator("period")
    @classmethod
    def _period_ok(cls, v: str | None) -> str | None:
        import re

        if v is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v):
            raise ValueError(f"period {v!r} is not YYYY-MM")
        return v

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, v: list[SourceConfig]) -> list[SourceConfig]:
        seen: set[str] = set()
        for s in v:
            if s.name in seen:
                raise ValueError(f"source name {s.name!r} is used twice; names must be unique")
            seen.add(s.name)
        return v

    def config_hash(self) -> str:
        """A stable hash of the effective config (after overrides), for provenance."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


# --- loading -------------------------------------------------------------------------------


def _format_pydantic(err: ValidationError, where: str) -> list[str]:
    problems = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (check its spelling against docs/config.md)"
        problems.append(f"{where}: {loc}: {msg}")
    return problems


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply ``a.b=c`` overrides to a nested dict (lists indexed by number); returns a copy.

    >>> apply_overrides({"ingest": {"min_chars": 2}}, ["ingest.min_chars=5", "name=x"])
    {'ingest': {'min_chars': 5}, 'name': 'x'}
    """
    import copy

    out = copy.deepcopy(data)
    problems = []
    for item in overrides:
        if "=" not in item:
            problems.append(f"--set {item!r}: expected key=value, e.g. ingest.require_date=true")
            continue
        key, raw = item.split("=", 1)
        value = yaml.safe_load(raw) if raw != "" else None
        parts = key.strip().split(".")
        node: Any = out
        try:
            for part in parts[:-1]:
                if isinstance(node, list):
                    node = node[int(part)]
                else:
                    node = node.setdefault(part, {})
            last = parts[-1]
            if isinstance(node, list):
                node[int(last)] = value
            else:
                node[last] = value
        except (ValueError, IndexError, TypeError, AttributeError):
            problems.append(f"--set {item!r}: cannot reach {key!r} in the config")
    if problems:
        raise ConfigError("invalid --set override(s):", problems)
    return out


def read_yaml(path: str | Path, *, what: str) -> Any:
    """Read a YAML file, turning every failure into a :class:`ConfigError` naming the file."""
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"{what} {p} does not exist; check the path.")
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{what} {p} is not valid YAML{at}: {getattr(exc, 'problem', exc)}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} {p} is not UTF-8 text; save it as UTF-8.") from exc


def load_config(path: str | Path, overrides: list[str] | None = None) -> PipelineConfig:
    """Load and validate a pipeline config; relative paths are resolved against its folder.

    Every problem is listed in one :class:`ConfigError`, including mapping files that are
    missing or invalid and sources whose path matches no file.
    """
    path = Path(path)
    data = read_yaml(path, what="config")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"config {path} must be a mapping of keys to values, not {type(data).__name__}."
        )
    data = apply_overrides(data, overrides or [])
    try:
        cfg = PipelineConfig.model_validate(data)
    except ValidationError as err:
        problems = _format_pydantic(err, str(path)) + _missing_inputs(data, path.parent, str(path))
        raise ConfigError(f"config {path} is invalid:", problems) from None
    return resolve_paths(cfg, path.parent, where=str(path))


def _missing_inputs(data: dict[str, Any], base: Path, where: str) -> list[str]:
    """Missing input files of a config that failed validation, so every problem is listed at once."""
    import glob

    problems = []
    sources = data.get("sources")
    for i, src in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(src, dict) and isinstance(src.get("path"), str):
            p = Path(src["path"]).expanduser()
            p = p if p.is_absolute() else base / p
            if not glob.glob(str(p)):
                problems.append(
                    f"{where}: sources.{i} ({src.get('name')}): path {p} matches no file"
                )
    gaz = data.get("gazetteer")
    if isinstance(gaz, str):
        g = Path(gaz).expanduser()
        g = g if g.is_absolute() else base / g
        if not g.exists():
            problems.append(f"{where}: gazetteer: file {g} does not exist")
    return problems


def resolve_paths(cfg: PipelineConfig, base: Path, *, where: str) -> PipelineConfig:
    """Make paths absolute against ``base``, load mapping files, and check that inputs exist."""
    import glob

    problems: list[str] = []

    def _abs(p: str) -> str:
        q = Path(p).expanduser()
        return str(q if q.is_absolute() else (base / q))

    if cfg.gazetteer:
        cfg.gazetteer = _abs(cfg.gazetteer)
        if not Path(cfg.gazetteer).exists():
            problems.append(f"{where}: gazetteer: file {cfg.gazetteer} does not exist")
    for i, src in enumerate(cfg.sources):
        src.path = _abs(src.path)
        if not glob.glob(src.path):
            problems.append(f"{where}: sources.{i} ({src.name}): path {src.path} matches no file")
        if isinstance(src.mapping, str):
            mpath = _abs(src.mapping)
            try:
                src.mapping = load_mapping(mpath)
            except ConfigError as exc:
                problems.append(f"{where}: sources.{i} ({src.name}): {exc}")
    cfg.output = _abs(cfg.output)
    if cfg.store.url and cfg.store.url.startswith("sqlite:///") and not cfg.store.url.startswith(
        "sqlite:////"
    ):
        # a relative SQLite file is the config's, not the working folder's (cron starts in $HOME)
        rel = cfg.store.url[len("sqlite:///") :]
        if rel and not rel.startswith(":memory:"):
            cfg.store.url = "sqlite:///" + _abs(rel)
    for section, key in (("concerns", "taxonomy"), ("concerns", "model"), ("sentiment", "model")):
        value = getattr(getattr(cfg, section), key)
        if value:
            setattr(getattr(cfg, section), key, _abs(value))
            if not Path(_abs(value)).exists():
                problems.append(f"{where}: {section}.{key}: {_abs(value)} does not exist")
    if problems:
        raise ConfigError(f"config {where} has {len(problems)} problem(s):", problems)
    return cfg


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping YAML file (the keys of :class:`Mapping`)."""
    data = read_yaml(path, what="mapping")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"mapping {path} must be a mapping of keys to values.")
    try:
        return Mapping.model_validate(data)
    except ValidationError as err:
        raise ConfigError(f"mapping {path} is invalid:", _format_pydantic(err, str(path))) from None


def documented_keys(model: type[BaseModel] = PipelineConfig, prefix: str = "") -> list[str]:
    """Every dotted config key, for the docs test (each must appear in docs/config.md)."""
    keys = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        keys.append(key)
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            keys.extend(documented_keys(ann, key + "."))
    return keys
