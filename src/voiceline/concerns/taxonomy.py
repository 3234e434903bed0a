"""The concern taxonomy: a versioned YAML file of concerns with definitions and example statements.

Why a file and not code: a liaison unit edits the wording, adds examples in its residents' own
register or ships its own taxonomy, and every output row carries the taxonomy ``version`` so
trend tables never mix two meanings of one id. The bundled v1 (DESIGN.md section 3) lives in
``models/taxonomy/community-safety-v1.yaml``.

A taxonomy file holds ``version`` (required), optional ``name``/``description``, optional
``background`` (statements that raise no concern: the zero-shot classifier learns "none" from
them) and ``concerns``: a list of mappings with ``id``, ``label``, ``definition``, ``examples``
and optionally ``keywords`` (high-precision phrases for the ``rule`` method), ``not`` (a note on
confusable concerns) and ``negative_examples``. Every problem is reported at once:

>>> tax = Taxonomy.load()
>>> tax.version, len(tax.ids), tax.ids[0]
('community-safety-v1', 16, 'violent_crime')
>>> tax["parking"].label
'Parking'
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voiceline.errors import ConfigError

BUNDLED_NAME = "community-safety-v1.yaml"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,48}$")
TOP_KEYS = frozenset({"version", "name", "description", "background", "concerns"})
CONCERN_KEYS = frozenset(
    {"id", "label", "definition", "examples", "keywords", "not", "negative_examples"}
)


@dataclass(frozen=True)
class Concern:
    """One concern: what it means (``definition``), how residents say it (``examples``)."""

    id: str
    label: str
    definition: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    negative_examples: tuple[str, ...] = ()
    note: str = ""

    @property
    def description(self) -> str:
        """Label and definition as one sentence, the text a prototype is built from."""
        return f"{self.label}: {self.definition}"


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy; ``concerns`` keep the file's order (the output column order)."""

    version: str
    concerns: tuple[Concern, ...]
    path: Path | None = None
    name: str = ""
    background: tuple[str, ...] = field(default=())

    @property
    def ids(self) -> list[str]:
        """Concern ids in file order."""
        return [c.id for c in self.concerns]

    def __getitem__(self, concern_id: str) -> Concern:
        for c in self.concerns:
            if c.id == concern_id:
                return c
        raise KeyError(concern_id)

    def __iter__(self) -> Iterator[Concern]:
        return iter(self.concerns)

    def __len__(self) -> int:
        return len(self.concerns)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Taxonomy:
        """Read and validate a taxonomy file; ``None`` loads the bundled v1.

        >>> Taxonomy.load().ids[:3]
        ['violent_crime', 'property_crime', 'drugs']
        """
        from voiceline.config import read_yaml

        p = Path(path) if path is not None else bundled_path()
        data = read_yaml(p, what="taxonomy")
        return cls.from_dict(data, path=p)

    @classmethod
    def from_dict(cls, data: Any, *, path: Path | None = None) -> Taxonomy:
        """Validate a parsed taxonomy mapping; one :class:`ConfigError` lists every problem."""
        where = f"taxonomy {path}" if path is not None else "taxonomy"
        if not isinstance(data, dict):
            raise ConfigError(
                f"{where} must be a mapping with 'version' and 'concerns', "
                f"found {type(data).__name__}."
            )
        problems: list[str] = []
        for key in sorted(set(data) - TOP_KEYS, key=str):
            problems.append(f"unknown key {key!r} at the top; expected one of {sorted(TOP_KEYS)}")
        version = data.get("version")
        if not isinstance(version, str) or not version.strip():
            problems.append("'version' is missing or empty; give the taxonomy a version string")
        background = _strings(data.get("background"), "background", problems)
        raw = data.get("concerns")
        concerns: list[Concern] = []
        if not isinstance(raw, list) or not raw:
            problems.append("'concerns' is missing or empty; list at least one concern")
            raw = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            concern = _concern(item, i, seen, problems)
            if concern is not None:
                concerns.append(concern)
        if problems:
            raise ConfigError(f"{where} is invalid; fix these and retry:", problems)
        return cls(
            version=str(version).strip(),
            concerns=tuple(concerns),
            path=path,
            name=str(data.get("name") or ""),
            background=background,
        )


def _strings(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where} must be a list of strings")
        return ()
    return tuple(v.strip() for v in value if v.strip())


def _concern(item: Any, i: int, seen: set[str], problems: list[str]) -> Concern | None:
    if not isinstance(item, dict):
        problems.append(f"concerns[{i}] must be a mapping with id, label, definition, examples")
        return None
    cid = item.get("id")
    at = f"concern {cid!r}" if isinstance(cid, str) and cid else f"concerns[{i}]"
    for key in sorted(set(item) - CONCERN_KEYS, key=str):
        problems.append(f"{at}: unknown key {key!r}; expected one of {sorted(CONCERN_KEYS)}")
    ok = True
    if not isinstance(cid, str) or not ID_PATTERN.match(cid):
        problems.append(
            f"{at}: bad id {cid!r}; use lowercase letters, digits and underscores, "
            "starting with a letter (e.g. traffic_safety)"
        )
        ok = False
    elif cid in seen:
        problems.append(f"{at}: duplicate id {cid!r}; every concern needs its own id")
        ok = False
    else:
        seen.add(cid)
    definition = item.get("definition")
    if not isinstance(definition, str) or not definition.strip():
        problems.append(f"{at}: empty definition; say in plain words what the concern covers")
        ok = False
    label = item.get("label")
    if label is not None and not isinstance(label, str):
        problems.append(f"{at}: label must be a string")
        ok = False
    examples = _strings(item.get("examples"), f"{at}: examples", problems)
    if not examples:
        problems.append(f"{at}: no examples; add a few statements residents would make")
        ok = False
    keywords = _strings(item.get("keywords"), f"{at}: keywords", problems)
    negatives = _strings(item.get("negative_examples"), f"{at}: negative_examples", problems)
    note = item.get("not") or ""
    if not isinstance(note, str):
        problems.append(f"{at}: 'not' must be a string (a note on confusable concerns)")
        ok = False
    if not ok:
        return None
    return Concern(
        id=cid,
        label=(label or cid.replace("_", " ").capitalize()).strip(),
        definition=" ".join(definition.split()),
        examples=examples,
        keywords=tuple(k.lower() for k in keywords),
        negative_examples=negatives,
        note=" ".join(str(note).split()),
    )


def bundled_path() -> Path:
    """The bundled v1 taxonomy, in an installed package or a source checkout.

    Installed: ``voiceline/data/taxonomy/`` (package data). Checkout: ``models/taxonomy/``.
    """
    here = Path(__file__).resolve()
    candidates = [
        here.parents[1] / "data" / "taxonomy" / BUNDLED_NAME,
        here.parents[3] / "models" / "taxonomy" / BUNDLED_NAME,
    ]
    for c in candidates:
        if c.is_file():
            return c
    raise ConfigError(
        f"the bundled taxonomy {BUNDLED_NAME} was not found (looked in "
        f"{', '.join(str(c.parent) for c in candidates)}); reinstall voiceline or pass "
        "--taxonomy FILE."
    )
