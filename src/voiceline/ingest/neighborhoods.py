"""Neighborhood resolution: which neighborhood a record is about, how we know, how sure we are.

Residents say where they are in many ways: a neighborhood column in a survey, a ZIP code, a map
pin, the area of the meeting they spoke at, or a mention in the text ("the lights on Water St are
out again"). :func:`resolve_neighborhoods` tries these in the order of ``docs/gazetteer.md``
(field, zip, point, meeting, text) and keeps the first that succeeds, so every record carries
``neighborhood_id``, ``neighborhood_method`` and ``neighborhood_confidence``.

The :class:`~voiceline.ingest.gazetteer.Gazetteer` (the city's neighborhoods, names, aliases,
ZIPs, places and streets, plus optional GeoJSON boundaries; loaded and validated in
:mod:`voiceline.ingest.gazetteer`, re-exported here) is what they are matched against. This module
holds one resolver per method and the matchers they build once per gazetteer: an STRtree over the
boundaries for points, one compiled alternation of every name, place and street for text.

Example::

    gaz = Gazetteer.load("sample_data/gazetteer/gazetteer.yaml")
    records = resolve_neighborhoods(raw, gazetteer=gaz)
    records[["neighborhood_id", "neighborhood_method", "neighborhood_confidence"]]
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from voiceline import schemas as S
from voiceline.ingest.gazetteer import (
    CONF_FIELD_FUZZY_MAX,
    FUZZY_CUTOFF,
    Gazetteer,
    Neighborhood,
    name_key,
    normalize_zip,
)

__all__ = [
    "CONF_FIELD_FUZZY_MAX",
    "CONF_MEETING",
    "CONF_POINT_NEAR",
    "CONF_TEXT_MIN",
    "FUZZY_CUTOFF",
    "NEAR_POLYGON_M",
    "NEIGHBORHOOD_UNMATCHED",
    "NON_ANSWERS",
    "TEXT_WEIGHTS",
    "Gazetteer",
    "Neighborhood",
    "normalize_zip",
    "resolve_neighborhoods",
]

NEIGHBORHOOD_UNMATCHED = "neighborhood_unmatched"
"""Added column: a neighborhood field value that matched nothing in the gazetteer (else None)."""

NEAR_POLYGON_M = 300.0
"""A point outside every polygon but this close to one resolves to it with confidence 0.6."""

CONF_POINT_NEAR = 0.6
CONF_MEETING = 0.9
# Text mentions: how specific each kind of mention is (also its confidence when unambiguous).
TEXT_WEIGHTS = {"name": 0.9, "place": 0.8, "street": 0.7, "fuzzy": 0.5}
CONF_TEXT_MIN = 0.5

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
        terms: dict[str, list[tuple[str, str]]] = {}
        case_sensitive: dict[str, list[tuple[str, str]]] = {}
        streets: dict[str, list[tuple[str, str]]] = {}
        for nb in gaz.neighborhoods:
            for term in (nb.name, *nb.aliases):
                short = len(term.strip()) <= 3 or term.casefold().startswith("the ")
                target = case_sensitive if short else terms
                target.setdefault(term.strip(), []).append((nb.id, "name"))
            for place in nb.places:
                terms.setdefault(place.strip(), []).append((nb.id, "place"))
            for street in nb.streets:
                streets.setdefault(street.strip(), []).append((nb.id, "street"))
        self.lookup: dict[str, list[tuple[str, str]]] = {}
        if terms:
            alts = sorted({_words_pattern(t) for t in terms}, key=len, reverse=True)
            for t, hits in terms.items():
                self.lookup.setdefault(name_key(t), []).extend(hits)
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
                self.cs_lookup.setdefault(name_key(t), []).extend(hits)
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
                self.st_lookup.setdefault(name_key(base), []).extend(hits)
            self.st = re.compile(r"(?<!\w)(" + "|".join(sorted(alts, key=len, reverse=True))
                                 + r")(?!\w)", re.IGNORECASE)
        else:
            self.st = None
        self.fuzzy_terms = [t for t in self.lookup if len(t) >= 8 and " " in t]

    def _street_key(self, matched: str) -> str:
        key = name_key(matched)
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
                add(self.lookup.get(name_key(m.group(1)), ()))
        if self.cs is not None:
            for m in self.cs.finditer(text):
                add(self.cs_lookup.get(name_key(m.group(1)), ()))
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

    def open_rows() -> np.ndarray:
        return np.flatnonzero(np.asarray([i is None for i in ids], dtype=bool))

    def take(method: str, hits: _Hits) -> None:
        for i, (nb_id, conf) in hits.items():
            ids[i], methods[i], confs[i] = nb_id, method, conf

    field_hits, unknown = _by_field(field_vals, gazetteer)
    take("field", field_hits)
    for i, value in unknown.items():
        unmatched[i] = value
    take("zip", _by_zip(_column(frame, S.RAW_ZIP), open_rows(), gazetteer))
    take("point", _by_point(frame, open_rows(), gazetteer))
    take("meeting", _by_meeting(meeting_vals, open_rows(), gazetteer))
    take("text", _by_text(_column(frame, S.TEXT), open_rows(), gazetteer, fuzzy=fuzzy_text))
    return _attach(frame, ids, methods, confs, unmatched)


# --- one resolver per method: row position -> (neighborhood id, confidence) -------------------

_Hits = dict[int, tuple[str, float]]


def _by_field(values: np.ndarray, gaz: Gazetteer) -> tuple[_Hits, dict[int, str]]:
    """Match cleaned field values by name; also return the ones the gazetteer does not know."""
    hits: _Hits = {}
    unknown: dict[int, str] = {}
    cache: dict[str, tuple[str | None, float]] = {}
    for i, value in enumerate(values):
        if value is None:
            continue
        if value not in cache:
            cache[value] = gaz.match_name(value)
        hit, conf = cache[value]
        if hit is None:
            unknown[i] = value
        else:
            hits[i] = (hit, conf)
    return hits, unknown


def _by_zip(col: pd.Series, rows: np.ndarray, gaz: Gazetteer) -> _Hits:
    """A ZIP shared by k neighborhoods gives the first (gazetteer order) with confidence 1/k."""
    hits: _Hits = {}
    if not gaz.zip_index:
        return hits
    values = col.to_numpy(dtype=object)
    cache: dict[Any, tuple[str, ...]] = {}
    for i in rows:
        value = values[i]
        if value is None:
            continue
        key = (type(value), value)
        try:
            found = cache.get(key)
        except TypeError:  # unhashable cell
            continue
        if found is None:
            z = normalize_zip(value)
            found = gaz.zip_index.get(z, ()) if z else ()
            cache[key] = found
        if found:
            hits[i] = (found[0], round(1.0 / len(found), 3))
    return hits


def _by_point(frame: pd.DataFrame, rows: np.ndarray, gaz: Gazetteer) -> _Hits:
    """Locate valid WGS84 points (not 0,0) in the boundaries, all in one vectorised query."""
    if not gaz.boundaries:
        return {}
    spatial = gaz.cached("spatial", lambda g: _Spatial(g.boundaries))
    lat = pd.to_numeric(_column(frame, S.RAW_LAT), errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(_column(frame, S.RAW_LON), errors="coerce").to_numpy(dtype=float)
    lat, lon = lat[rows], lon[rows]
    ok = (
        np.isfinite(lat)
        & np.isfinite(lon)
        & (np.abs(lat) <= 90)
        & (np.abs(lon) <= 180)
        & ~((lat == 0) & (lon == 0))
    )
    if not ok.any():
        return {}
    poly, pconf = spatial.locate(lat[ok], lon[ok])
    found = poly >= 0
    return {
        r: (spatial.ids[p], c)
        for r, p, c in zip(rows[ok][found], poly[found], pconf[found], strict=True)
    }


def _by_meeting(values: np.ndarray, rows: np.ndarray, gaz: Gazetteer) -> _Hits:
    """The area a meeting was about, matched by name, a little less sure than a field."""
    hits: _Hits = {}
    cache: dict[str, tuple[str | None, float]] = {}
    for i in rows:
        value = values[i]
        if value is None:
            continue
        if value not in cache:
            cache[value] = gaz.match_name(value)
        hit, conf = cache[value]
        if hit is not None:
            hits[i] = (hit, round(CONF_MEETING * conf, 3))
    return hits


def _by_text(col: pd.Series, rows: np.ndarray, gaz: Gazetteer, *, fuzzy: bool) -> _Hits:
    """Names, places and streets mentioned in the text (see :class:`_TextMatcher`)."""
    hits: _Hits = {}
    matcher = gaz.cached("text", _TextMatcher)
    texts = col.to_numpy(dtype=object)
    cache: dict[str, tuple[str | None, float]] = {}
    for i in rows:
        text = texts[i]
        if not isinstance(text, str) or not text.strip():
            continue
        if text not in cache:
            cache[text] = matcher.match(text, fuzzy=fuzzy)
        hit, conf = cache[text]
        if hit is not None:
            hits[i] = (hit, conf)
    return hits


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
