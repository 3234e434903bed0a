"""Neighborhood resolution: which neighborhood a record is about, how we know, how sure we are.

Residents say where they are in many ways: a neighborhood column in a survey, a ZIP code, a map
pin, the area of the meeting they spoke at, or a mention in the text ("the lights on Water St are
out again"). :func:`resolve_neighborhoods` tries these in the order of ``docs/gazetteer.md``
(field, zip, point, meeting, text) and keeps the first that succeeds, so every record carries
``neighborhood_id``, ``neighborhood_method`` and ``neighborhood_confidence``.

The :class:`Gazetteer` is the city's list of neighborhoods, names, aliases, ZIPs, places and
streets (plus optional GeoJSON boundaries). It is validated as a whole: a bad file fails with a
:class:`~voiceline.errors.ConfigError` listing every problem.

Example::

    gaz = Gazetteer.load("sample_data/gazetteer/gazetteer.yaml")
    records = resolve_neighborhoods(raw, gazetteer=gaz)
    records[["neighborhood_id", "neighborhood_method", "neighborhood_confidence"]]
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from voiceline import schemas as S
from voiceline.errors import ConfigError

NEIGHBORHOOD_UNMATCHED = "neighborhood_unmatched"
"""Added column: a neighborhood field value that matched nothing in the gazetteer (else None)."""

FUZZY_CUTOFF = 85.0
"""Minimum rapidfuzz score (0..100) for a fuzzy field match."""

NEAR_POLYGON_M = 300.0
"""A point outside every polygon but this close to one resolves to it with confidence 0.6."""

CONF_FIELD_FUZZY_MAX = 0.9
CONF_POINT_NEAR = 0.6
CONF_MEETING = 0.9
# Text mentions: how specific each kind of mention is (also its confidence when unambiguous).
TEXT_WEIGHTS = {"name": 0.9, "place": 0.8, "street": 0.7, "fuzzy": 0.5}
CONF_TEXT_MIN = 0.5

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_KEYS = {"city", "version", "boundaries", "neighborhoods"}
_NB_KEYS = {"id", "name", "aliases", "zips", "places", "streets"}
_ZIP_RE = re.compile(r"(?<!\d)(\d{5})(?:[-\s]?\d{4})?(?!\d)")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Street suffix families: "Elm St" and "Elm Street" are the same street.
_SUFFIXES: list[tuple[str, ...]] = [
    ("street", "st", "str"),
    ("avenue", "ave", "av"),
    ("road", "rd"),
    ("lane", "ln"),
    ("drive", "dr"),
    ("boulevard", "blvd"),
    ("court", "ct"),
    ("place", "pl"),
    ("terrace", "ter", "terr"),
    ("parkway", "pkwy"),
    ("highway", "hwy"),
    ("way",),
    ("circle", "cir"),
    ("square", "sq"),
    ("alley", "aly"),
    ("row",),
]
_SUFFIX_FAMILY = {word: fam for fam in _SUFFIXES for word in fam}
_ALL_SUFFIXES = sorted({w for fam in _SUFFIXES for w in fam}, key=len, reverse=True)
_STREET_LEADERS = ("on", "at", "along", "off", "near", "down", "up")


def _key(value: str) -> str:
    """Lookup key for names: NFKC, casefold, punctuation and hyphens as single spaces.

    >>> _key("  Harbor-Point ")
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
                self.name_index.setdefault(_key(term), nb.id)
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

    # --- matchers, built once per gazetteer ---------------------------------------------------
    def _fuzzy_choices(self) -> tuple[list[str], list[str]]:
        if "fuzzy" not in self._cache:
            keys = [k for k in self.name_index if len(k) > 3]
            self._cache["fuzzy"] = (keys, [self.name_index[k] for k in keys])
        return self._cache["fuzzy"]

    def _text_matcher(self) -> _TextMatcher:
        if "text" not in self._cache:
            self._cache["text"] = _TextMatcher(self)
        return self._cache["text"]

    def _spatial(self) -> _Spatial | None:
        if not self.boundaries:
            return None
        if "spatial" not in self._cache:
            self._cache["spatial"] = _Spatial(self.boundaries)
        return self._cache["spatial"]

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
        key = _key(str(value))
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
            key = _key(term)
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


class _Spatial:
    """Polygons projected to local metres (equirectangular) with an STRtree over them."""

    def __init__(self, boundaries: dict[str, Any]) -> None:
        import shapely

        self.ids = list(boundaries)
        geoms = [boundaries[i] for i in self.ids]
        lat0 = float(np.mean([g.centroid.y for g in geoms]))
        self.kx = 111_320.0 * math.cos(math.radians(lat0))
        self.ky = 110_540.0
        scale = np.array([self.kx, self.ky])
        self.geoms = [shapely.transform(g, lambda c: c * scale) for g in geoms]
        self.tree = shapely.STRtree(self.geoms)

    def locate(self, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (polygon index or -1, confidence) per point."""
        import shapely

        n = len(lat)
        idx = np.full(n, -1, dtype=np.int64)
        conf = np.zeros(n, dtype=float)
        if n == 0:
            return idx, conf
        points = shapely.points(lon * self.kx, lat * self.ky)
        src, tgt = self.tree.query(points, predicate="intersects")
        if len(src):
            # a point on a shared border: keep the first polygon (deterministic)
            order = np.lexsort((tgt, src))
            src, tgt = src[order], tgt[order]
            first = np.r_[True, src[1:] != src[:-1]]
            idx[src[first]] = tgt[first]
            conf[src[first]] = 1.0
        rest = np.flatnonzero(idx < 0)
        if len(rest):
            near_src, near_tgt = self.tree.query_nearest(
                points[rest], max_distance=NEAR_POLYGON_M, all_matches=False
            )
            idx[rest[near_src]] = near_tgt
            conf[rest[near_src]] = CONF_POINT_NEAR
        return idx, conf


class _TextMatcher:
    """One compiled alternation over every name, alias, place and street of the gazetteer."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.order = {nb.id: i for i, nb in enumerate(gaz.neighborhoods)}
        # term -> list of (neighborhood id, kind)
        self.terms: dict[str, list[tuple[str, str]]] = {}
        case_sensitive: dict[str, list[tuple[str, str]]] = {}
        streets: dict[str, list[tuple[str, str]]] = {}
        for nb in gaz.neighborhoods:
            for term in (nb.name, *nb.aliases):
                short = len(term.strip()) <= 3 or term.casefold().startswith("the ")
                target = case_sensitive if short else self.terms
                target.setdefault(term.strip(), []).append((nb.id, "name"))
            for place in nb.places:
                self.terms.setdefault(place.strip(), []).append((nb.id, "place"))
            for street in nb.streets:
                streets.setdefault(street.strip(), []).append((nb.id, "street"))
        self.patterns: list[tuple[re.Pattern[str], dict[str, list[tuple[str, str]]]]] = []
        self.lookup: dict[str, list[tuple[str, str]]] = {}
        if self.terms:
            alts = sorted({_words_pattern(t) for t in self.terms}, key=len, reverse=True)
            for t, hits in self.terms.items():
                self.lookup.setdefault(_key(t), []).extend(hits)
            self.ci = re.compile(r"(?<!\w)(" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)
        else:
            self.ci = None
        self.cs_lookup: dict[str, list[tuple[str, str]]] = {}
        if case_sensitive:
            alts = []
            for t, hits in case_sensitive.items():
                body = t[4:] if t.casefold().startswith("the ") else t
                prefix = r"(?i:the)\s+" if t.casefold().startswith("the ") else ""
                alts.append(prefix + _words_pattern(body))
                self.cs_lookup.setdefault(_key(t), []).extend(hits)
            self.cs = re.compile(r"(?<!\w)(" + "|".join(sorted(alts, key=len, reverse=True))
                                 + r")(?!\w)")
        else:
            self.cs = None
        self.st_lookup: dict[str, list[tuple[str, str]]] = {}
        if streets:
            alts = []
            for t, hits in streets.items():
                words = t.split()
                fam = _SUFFIX_FAMILY.get(words[-1].casefold().rstrip(".")) if words else None
                if fam and len(words) > 1:
                    base = " ".join(words[:-1])
                    suffix = "(?:" + "|".join(sorted(fam, key=len, reverse=True)) + r")\.?"
                    alts.append(_words_pattern(base) + r"\s+" + suffix)
                else:  # no suffix given: need a street word after it or "on/at ..." before
                    base = t
                    any_suffix = "(?:" + "|".join(_ALL_SUFFIXES) + r")\.?"
                    leader = "(?:" + "|".join(_STREET_LEADERS) + r")\s+"
                    body = _words_pattern(base)
                    alts.append(f"(?:{body}\\s+{any_suffix}|{leader}{body})")
                self.st_lookup.setdefault(_key(base), []).extend(hits)
            self.st = re.compile(r"(?<!\w)(" + "|".join(sorted(alts, key=len, reverse=True))
                                 + r")(?!\w)", re.IGNORECASE)
        else:
            self.st = None
        self.fuzzy_terms = [t for t in self.lookup if len(t) >= 8 and " " in t]

    def _street_key(self, matched: str) -> str:
        key = _key(matched)
        if key in self.st_lookup:
            return key
        words = key.split()
        if words and words[0] in _STREET_LEADERS and " ".join(words[1:]) in self.st_lookup:
            return " ".join(words[1:])
        while words and words[-1] in _SUFFIX_FAMILY:
            words = words[:-1]
            if " ".join(words) in self.st_lookup:
                return " ".join(words)
        return key

    def match(self, text: str, *, fuzzy: bool) -> tuple[str | None, float]:
        """Return (neighborhood id, confidence) for the places mentioned in ``text``."""
        scores: dict[str, float] = {}
        best_kind: dict[str, float] = {}

        def add(hits: Iterable[tuple[str, str]]) -> None:
            hits = list(hits)
            share = 1.0 / len({h[0] for h in hits}) if hits else 0.0
            for nb_id, kind in hits:
                w = TEXT_WEIGHTS[kind]
                scores[nb_id] = scores.get(nb_id, 0.0) + w * share
                best_kind[nb_id] = max(best_kind.get(nb_id, 0.0), w * share)

        if self.ci is not None:
            for m in self.ci.finditer(text):
                add(self.lookup.get(_key(m.group(1)), ()))
        if self.cs is not None:
            for m in self.cs.finditer(text):
                add(self.cs_lookup.get(_key(m.group(1)), ()))
        if self.st is not None:
            for m in self.st.finditer(text):
                add(self.st_lookup.get(self._street_key(m.group(1)), ()))
        if not scores and fuzzy and self.fuzzy_terms and len(text) <= 2000:
            from rapidfuzz import fuzz, process

            best = process.extractOne(
                text.casefold(), self.fuzzy_terms, scorer=fuzz.partial_ratio, score_cutoff=90
            )
            if best is not None:
                add([(h[0], "fuzzy") for h in self.lookup[best[0]]])
        if not scores:
            return None, 0.0
        ranked = sorted(
            scores.items(), key=lambda kv: (-kv[1], -best_kind[kv[0]], self.order[kv[0]])
        )
        winner, top = ranked[0]
        total = sum(scores.values())
        # the most specific mention of the winner, scaled down by the share of other mentions
        conf = max(CONF_TEXT_MIN, best_kind[winner] * top / total)
        if len(ranked) > 1 and ranked[1][1] == top:
            conf = CONF_TEXT_MIN  # a tie: the pick is arbitrary (gazetteer order), say so
        return winner, round(conf, 3)


def _words_pattern(term: str) -> str:
    """Regex for a multi-word term: flexible whitespace/hyphens between words."""
    words = [re.escape(w) for w in re.split(r"[\s\-]+", term.strip()) if w]
    return r"[\s\-]+".join(words)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


# Survey answers that say "no answer": treated as missing, not as an unknown neighborhood.
NON_ANSWERS = frozenset(
    {
        "prefer not to say", "prefer not to answer", "decline to answer", "rather not say",
        "other", "n/a", "na", "none", "unknown", "not sure", "don't know", "dont know", "-", "--",
        "?", "no answer", "not applicable",
    }
)


def _clean_value(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = " ".join(str(value).split())
    if text.casefold().strip(" .") in NON_ANSWERS:
        return None
    return text or None


def _cleaned(col: pd.Series) -> np.ndarray:
    # not Series.map: on pandas' string dtype it turns the None results back into NaN
    cache: dict[Any, str | None] = {}
    out = np.full(len(col), None, dtype=object)
    for i, value in enumerate(col.to_numpy(dtype=object)):
        try:
            hit = cache[value] if value in cache else cache.setdefault(value, _clean_value(value))
        except TypeError:  # unhashable cell
            hit = _clean_value(value)
        out[i] = hit
    return out


def resolve_neighborhoods(
    frame: pd.DataFrame,
    *,
    gazetteer: Gazetteer | None,
    fuzzy_text: bool = True,
) -> pd.DataFrame:
    """Add ``neighborhood_id``, ``neighborhood_method``, ``neighborhood_confidence`` and
    ``neighborhood_unmatched`` to a raw frame; the input is not changed.

    Reads ``neighborhood_raw``, ``zip_raw``, ``lat``, ``lon``, ``meeting_area`` and ``text``
    (absent columns count as empty). Methods are tried in the order of ``docs/gazetteer.md``
    (field, zip, point, meeting, text) and the first that succeeds wins. A neighborhood field
    value the gazetteer does not know is kept in ``neighborhood_unmatched`` (so the stage can
    report it) and resolution goes on with the other methods. Without a gazetteer the cleaned
    field value is the id (method ``field``, confidence 1.0), then the meeting area (``meeting``,
    0.9), else ``none``.

    Every unique field, ZIP and meeting value is resolved once; points go through an STRtree in
    one vectorised call, so 100,000 rows take seconds. ``fuzzy_text`` allows a rapidfuzz
    ``partial_ratio`` pass (score >= 90) over texts that mention no name exactly.

    >>> raw = pd.DataFrame({"neighborhood_raw": ["Harbor Point", None], "text": ["", "hi"]})
    >>> gaz = Gazetteer("X", "1", [Neighborhood("harbor-point", "Harbor Point")])
    >>> resolve_neighborhoods(raw, gazetteer=gaz)["neighborhood_id"].tolist()
    ['harbor-point', None]
    """
    n = len(frame)
    ids = np.full(n, None, dtype=object)
    methods = np.full(n, "none", dtype=object)
    confs = np.zeros(n, dtype=float)
    unmatched = np.full(n, None, dtype=object)
    field_vals = _cleaned(_column(frame, S.RAW_NEIGHBORHOOD))
    meeting_vals = _cleaned(_column(frame, S.RAW_MEETING_AREA))

    def todo() -> np.ndarray:
        return np.asarray([i is None for i in ids], dtype=bool)

    if gazetteer is None:
        has_field = np.asarray([v is not None for v in field_vals], dtype=bool)
        ids[has_field] = field_vals[has_field]
        methods[has_field] = "field"
        confs[has_field] = 1.0
        has_meeting = ~has_field & np.asarray([v is not None for v in meeting_vals], dtype=bool)
        ids[has_meeting] = meeting_vals[has_meeting]
        methods[has_meeting] = "meeting"
        confs[has_meeting] = CONF_MEETING
        return _attach(frame, ids, methods, confs, unmatched)

    # 1. field
    cache: dict[str, tuple[str | None, float]] = {}
    for i, value in enumerate(field_vals):
        if value is None:
            continue
        if value not in cache:
            cache[value] = gazetteer.match_name(value)
        hit, conf = cache[value]
        if hit is None:
            unmatched[i] = value
        else:
            ids[i], methods[i], confs[i] = hit, "field", conf

    # 2. zip
    zips = _column(frame, S.RAW_ZIP)
    zip_cache: dict[Any, tuple[str, ...]] = {}
    if gazetteer.zip_index:
        for i, value in enumerate(zips.to_numpy(dtype=object)):
            if ids[i] is not None or value is None:
                continue
            try:
                hashable_key = (type(value), value)
                hits = zip_cache.get(hashable_key)
            except TypeError:
                continue
            if hits is None:
                z = normalize_zip(value)
                hits = gazetteer.zip_index.get(z, ()) if z else ()
                zip_cache[hashable_key] = hits
            if hits:
                ids[i], methods[i], confs[i] = hits[0], "zip", round(1.0 / len(hits), 3)

    # 3. point
    spatial = gazetteer._spatial()
    if spatial is not None:
        lat = pd.to_numeric(_column(frame, S.RAW_LAT), errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(_column(frame, S.RAW_LON), errors="coerce").to_numpy(dtype=float)
        ok = (
            todo()
            & np.isfinite(lat)
            & np.isfinite(lon)
            & (np.abs(lat) <= 90)
            & (np.abs(lon) <= 180)
            & ~((lat == 0) & (lon == 0))
        )
        rows = np.flatnonzero(ok)
        if len(rows):
            poly, pconf = spatial.locate(lat[rows], lon[rows])
            found = poly >= 0
            for r, p, c in zip(rows[found], poly[found], pconf[found], strict=True):
                ids[r], methods[r], confs[r] = spatial.ids[p], "point", c

    # 4. meeting
    meet_cache: dict[str, tuple[str | None, float]] = {}
    for i, value in enumerate(meeting_vals):
        if ids[i] is not None or value is None:
            continue
        if value not in meet_cache:
            meet_cache[value] = gazetteer.match_name(value)
        hit, conf = meet_cache[value]
        if hit is not None:
            ids[i], methods[i], confs[i] = hit, "meeting", round(CONF_MEETING * conf, 3)

    # 5. text
    matcher = gazetteer._text_matcher()
    texts = _column(frame, S.TEXT).to_numpy(dtype=object)
    text_cache: dict[str, tuple[str | None, float]] = {}
    for i in np.flatnonzero(todo()):
        text = texts[i]
        if not isinstance(text, str) or not text.strip():
            continue
        if text not in text_cache:
            text_cache[text] = matcher.match(text, fuzzy=fuzzy_text)
        hit, conf = text_cache[text]
        if hit is not None:
            ids[i], methods[i], confs[i] = hit, "text", conf
    return _attach(frame, ids, methods, confs, unmatched)


def _attach(
    frame: pd.DataFrame,
    ids: np.ndarray,
    methods: np.ndarray,
    confs: np.ndarray,
    unmatched: np.ndarray,
) -> pd.DataFrame:
    out = frame.copy()
    out[S.NEIGHBORHOOD_ID] = pd.Series(ids, index=frame.index, dtype=object)
    out[S.NEIGHBORHOOD_METHOD] = pd.Series(methods, index=frame.index, dtype=object)
    out[S.NEIGHBORHOOD_CONFIDENCE] = pd.Series(confs, index=frame.index, dtype=float)
    out[NEIGHBORHOOD_UNMATCHED] = pd.Series(unmatched, index=frame.index, dtype=object)
    return out
