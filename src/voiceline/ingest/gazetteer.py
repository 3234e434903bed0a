"""The gazetteer: a city's neighborhoods and every way residents name them.

Why a module of its own: the gazetteer is configuration (a YAML file plus optional GeoJSON
boundaries, format in ``docs/gazetteer.md``), loaded once per run and validated as a whole, so a
bad file fails with one :class:`~voiceline.errors.ConfigError` listing every problem. What a
record is *about* is decided later, by :func:`voiceline.ingest.neighborhoods.resolve_neighborhoods`,
which only reads a :class:`Gazetteer`.

Example::

    gaz = Gazetteer.load("sample_data/gazetteer/gazetteer.yaml")
    gaz.match_name("Harbour Pt")      # ('harbor-point', 0.783): fuzzy, so below 1.0
    normalize_zip(4101.0)             # '04101'
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from voiceline.errors import ConfigError

__all__ = [
    "CONF_FIELD_FUZZY_MAX",
    "FUZZY_CUTOFF",
    "Gazetteer",
    "Neighborhood",
    "name_key",
    "normalize_zip",
]

FUZZY_CUTOFF = 85.0
"""Minimum rapidfuzz score (0..100) for a fuzzy field match."""

CONF_FIELD_FUZZY_MAX = 0.9
"""Confidence of a perfect fuzzy name match (exact matches score 1.0)."""

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_KEYS = {"city", "version", "boundaries", "neighborhoods"}
_NB_KEYS = {"id", "name", "aliases", "zips", "places", "streets"}
_ZIP_RE = re.compile(r"(?<!\d)(\d{5})(?:[-\s]?\d{4})?(?!\d)")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

_T = TypeVar("_T")


def name_key(value: str) -> str:
    """Lookup key for names: NFKC, casefold, punctuation and hyphens as single spaces.

    >>> name_key("  Harbor-Point ")
    'harbor point'
    """
    text = unicodedata.normalize("NFKC", value).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text).strip()


def normalize_zip(value: Any) -> str | None:
    """Return the 5-digit ZIP in ``value``, or None when there is none.

    Spreadsheets store ZIPs as numbers and drop the leading zero (04101 becomes 4101 or 4101.0);
    those are padded back. ZIP+4 (``04101-1234``, ``041011234``) keeps its first five digits.

    >>> normalize_zip(4101.0), normalize_zip("04101-1234"), normalize_zip("ME 04101")
    ('04101', '04101', '04101')
    >>> normalize_zip("n/a") is None
    True
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        num = int(value)
        return _zip_from_number(num)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value) or value != int(value):
            return None
        return _zip_from_number(int(value))
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{3,4}(?:\.0+)?", text):  # a number that lost its leading zeros
        return _zip_from_number(int(float(text)))
    if re.fullmatch(r"\d{9}(?:\.0+)?", text):
        return text[:5]
    m = _ZIP_RE.search(text)
    return m.group(1) if m else None


def _zip_from_number(num: int) -> str | None:
    if 100 <= num <= 99999:
        return f"{num:05d}"
    if 1_000_000 <= num <= 999_999_999:  # ZIP+4 stored as a number
        return f"{num:09d}"[:5]
    return None


@dataclass(frozen=True)
class Neighborhood:
    """One neighborhood of the gazetteer (see ``docs/gazetteer.md``)."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    zips: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()


_STREET_WORD_AT_END = re.compile(
    r"\s+(street|st|avenue|ave|road|rd|lane|ln|boulevard|blvd|drive|dr|place|pl|court|ct|way|"
    r"terrace|ter|parkway|pkwy|highway|hwy|square|sq|row|circle|cir)\.?$",
    re.IGNORECASE,
)


@dataclass
class Gazetteer:
    """A city's neighborhoods and how residents refer to them.

    Build it with :meth:`load` (YAML + optional GeoJSON) or directly from
    :class:`Neighborhood` objects (``boundaries`` maps neighborhood id to a shapely geometry).

    >>> gaz = Gazetteer("Port Alder", "1", [Neighborhood("harbor-point", "Harbor Point")])
    >>> gaz.name_index["harbor point"]
    'harbor-point'
    """

    city: str
    version: str
    neighborhoods: list[Neighborhood]
    boundaries: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    by_id: dict[str, Neighborhood] = field(init=False, repr=False)
    name_index: dict[str, str] = field(init=False, repr=False)
    zip_index: dict[str, tuple[str, ...]] = field(init=False, repr=False)
    _cache: dict[str, Any] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {nb.id: nb for nb in self.neighborhoods}
        self.name_index = {}
        for nb in self.neighborhoods:
            for term in (nb.id, nb.name, *nb.aliases):
                self.name_index.setdefault(name_key(term), nb.id)
        zips: dict[str, list[str]] = {}
        for nb in self.neighborhoods:
            for z in nb.zips:
                zips.setdefault(z, []).append(nb.id)
        self.zip_index = {z: tuple(ids) for z, ids in zips.items()}

    @classmethod
    def load(cls, path: str | Path) -> Gazetteer:
        """Read and validate a gazetteer YAML file (and its GeoJSON boundaries, if named).

        Every problem is collected and raised at once as a ConfigError.
        """
        import yaml

        path = Path(path)
        where = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(
                f"gazetteer {where} does not exist; check the `gazetteer:` path in the config."
            ) from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"gazetteer {where} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(
                f"gazetteer {where}: expected a mapping with city, version and neighborhoods; "
                f"found {type(data).__name__}. See docs/gazetteer.md."
            )
        problems: list[str] = []
        neighborhoods = _parse_neighborhoods(data, problems)
        boundaries: dict[str, Any] = {}
        if data.get("boundaries"):
            bpath = path.parent / str(data["boundaries"])
            known = {nb.id for nb in neighborhoods}
            boundaries = _load_boundaries(bpath, known, problems)
        if problems:
            raise ConfigError(
                f"gazetteer {where} has {len(problems)} problem(s) (format: docs/gazetteer.md):",
                problems,
            )
        return cls(
            city=str(data.get("city", "")),
            version=str(data.get("version", "")),
            neighborhoods=neighborhoods,
            boundaries=boundaries,
            path=where,
        )

    # --- derived indexes, built once per gazetteer --------------------------------------------
    def cached(self, key: str, build: Callable[[Gazetteer], _T]) -> _T:
        """Return ``build(self)``, computed on the first call for ``key`` and kept after.

        Matchers (fuzzy choices, the text alternation, the spatial tree) cost far more to build
        than to use, and a gazetteer does not change after it is made, so each is built once.

        >>> gaz = Gazetteer("X", "1", [Neighborhood("elm", "Elm")])
        >>> gaz.cached("n", lambda g: len(g.neighborhoods)), gaz.cached("n", lambda g: 99)
        (1, 1)
        """
        if key not in self._cache:
            self._cache[key] = build(self)
        return self._cache[key]

    def _fuzzy_choices(self) -> tuple[list[str], list[str]]:
        def build(gaz: Gazetteer) -> tuple[list[str], list[str]]:
            keys = [k for k in gaz.name_index if len(k) > 3]
            return keys, [gaz.name_index[k] for k in keys]

        return self.cached("fuzzy", build)

    def place_names(self) -> list[str]:
        """Every name of a place in the city: neighborhoods, aliases, places, streets (with and
        without their street word). Redaction never treats these as people's names.

        >>> Gazetteer("Port Alder", "1", [Neighborhood("a", "Harbor Point", streets=("Forest Avenue",))]).place_names()
        ['Forest', 'Forest Avenue', 'Harbor Point', 'Port Alder']
        """
        names: set[str] = {self.city} if self.city else set()
        for hood in self.neighborhoods:
            names.update([hood.name, *hood.aliases, *hood.places])
            for street in hood.streets:
                names.add(street)
                base = _STREET_WORD_AT_END.sub("", street).strip()
                if len(base) >= 3:
                    names.add(base)
        return sorted(n for n in names if n and len(n.strip()) >= 3)  # "HP", "WE": too ambiguous

    def match_name(self, value: Any) -> tuple[str | None, float]:
        """Resolve a neighborhood name, id or alias: ``(id, confidence)`` or ``(None, 0.0)``.

        Exact (casefolded, punctuation-insensitive) matches score 1.0; fuzzy matches (rapidfuzz
        ``ratio`` >= :data:`FUZZY_CUTOFF`, names longer than 3 characters only) score up to 0.9.

        >>> gaz = Gazetteer("X", "1", [Neighborhood("harbor-point", "Harbor Point")])
        >>> gaz.match_name("harbour point")[0]
        'harbor-point'
        """
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None, 0.0
        key = name_key(str(value))
        if not key:
            return None, 0.0
        hit = self.name_index.get(key)
        if hit is None and key.startswith("the "):
            hit = self.name_index.get(key[4:])
        if hit is not None:
            return hit, 1.0
        if len(key) <= 3:
            return None, 0.0
        from rapidfuzz import fuzz, process

        keys, ids = self._fuzzy_choices()
        best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None, 0.0
        return ids[best[2]], round(CONF_FIELD_FUZZY_MAX * best[1] / 100.0, 3)


def _as_str_list(value: Any, where: str, key: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(f"{where}: {key} must be a list of strings; found {value!r}")
        return ()
    out = []
    for item in value:
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        else:
            problems.append(f"{where}: {key} has {item!r}; expected a non-empty string")
    return tuple(out)


def _parse_neighborhoods(data: dict[str, Any], problems: list[str]) -> list[Neighborhood]:
    unknown = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown:
        problems.append(f"unknown top-level key(s) {unknown}; allowed: {sorted(_TOP_KEYS)}")
    for key in ("city", "version"):
        if not data.get(key):
            problems.append(f"`{key}` is missing; add e.g. {key}: \"...\"")
    items = data.get("neighborhoods")
    if not isinstance(items, list) or not items:
        problems.append("`neighborhoods` must be a non-empty list of neighborhoods")
        return []
    out: list[Neighborhood] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, str] = {}
    for i, item in enumerate(items):
        where = f"neighborhoods[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping with id and name; found {item!r}")
            continue
        nb_id = item.get("id")
        if isinstance(nb_id, str):
            where = f"neighborhoods[{i}] (id {nb_id})"
        bad_keys = sorted(set(map(str, item)) - _NB_KEYS)
        if bad_keys:
            problems.append(f"{where}: unknown key(s) {bad_keys}; allowed: {sorted(_NB_KEYS)}")
        if not isinstance(nb_id, str) or not _ID_RE.match(nb_id):
            problems.append(
                f"{where}: id {nb_id!r} must be lowercase letters, digits and '-' "
                "(e.g. harbor-point)"
            )
            continue
        if nb_id in seen_ids:
            first = seen_ids[nb_id]
            problems.append(f"{where}: duplicate id {nb_id!r} (also neighborhoods[{first}])")
            continue
        seen_ids[nb_id] = i
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: name is missing; add name: \"Display Name\"")
            name = nb_id
        aliases = _as_str_list(item.get("aliases"), where, "aliases", problems)
        zips: list[str] = []
        raw_zips = item.get("zips") or []
        if not isinstance(raw_zips, list):
            raw_zips = [raw_zips]
        for z in raw_zips:
            if isinstance(z, str) and re.fullmatch(r"\d{5}", z.strip()):
                zips.append(z.strip())
            elif isinstance(z, int) and not isinstance(z, bool) and 10000 <= z <= 99999:
                zips.append(str(z))
            else:
                problems.append(
                    f"{where}: bad ZIP {z!r}; expected 5 digits as a quoted string, e.g. "
                    "\"04101\" (YAML reads unquoted numbers with a leading 0 as octal)"
                )
        for term in (nb_id, name, *aliases):
            key = name_key(term)
            owner = seen_names.get(key)
            if owner is not None and owner != nb_id:
                problems.append(
                    f"{where}: name or alias {term!r} is also used by {owner!r}; "
                    "make it unique or drop it"
                )
            else:
                seen_names[key] = nb_id
        out.append(
            Neighborhood(
                id=nb_id,
                name=name.strip(),
                aliases=aliases,
                zips=tuple(zips),
                places=_as_str_list(item.get("places"), where, "places", problems),
                streets=_as_str_list(item.get("streets"), where, "streets", problems),
            )
        )
    return out


def _load_boundaries(path: Path, known: set[str], problems: list[str]) -> dict[str, Any]:
    import shapely
    from shapely.geometry import shape

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"boundaries file {path} does not exist; fix `boundaries:` or drop it")
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"boundaries file {path} is not valid JSON: {exc}")
        return {}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(f"boundaries file {path}: expected a GeoJSON FeatureCollection")
        return {}
    parts: dict[str, list[Any]] = {}
    for j, feat in enumerate(data.get("features") or []):
        where = f"{path.name} feature[{j}]"
        props = (feat or {}).get("properties") or {}
        nb_id = props.get("neighborhood_id")
        if nb_id is None:
            problems.append(f"{where}: properties.neighborhood_id is missing")
            continue
        if nb_id not in known:
            problems.append(
                f"{where}: neighborhood_id {nb_id!r} is not an id in the gazetteer; "
                f"known: {sorted(known)}"
            )
            continue
        try:
            geom = shape(feat.get("geometry"))
        except Exception as exc:  # shapely raises several types for malformed GeoJSON
            problems.append(f"{where} ({nb_id}): unreadable geometry: {exc}")
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"{where} ({nb_id}): geometry is {geom.geom_type}; expected Polygon")
            continue
        if geom.is_empty or not geom.is_valid:
            reason = "empty" if geom.is_empty else shapely.is_valid_reason(geom)
            problems.append(
                f"{where} ({nb_id}): invalid geometry ({reason}); fix the ring "
                "(closed, not self-intersecting)"
            )
            continue
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
            problems.append(
                f"{where} ({nb_id}): coordinates outside WGS84 range; GeoJSON wants "
                "[lon, lat] in degrees"
            )
            continue
        parts.setdefault(nb_id, []).append(geom)
    return {k: (v[0] if len(v) == 1 else shapely.union_all(v)) for k, v in parts.items()}
