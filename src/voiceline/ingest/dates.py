"""Dates from the usual export formats into UTC, and the ``period`` (``YYYY-MM``) they fall in.

Exports write dates every which way: ISO 8601 with or without an offset, ``MM/DD/YYYY - hh:mmAM``
(SeeClickFix), ``Thu Oct 08 21:04:11 +0000 2026`` (Twitter), epoch seconds or milliseconds
(pol.is, Nextdoor), Excel cells. Naive values are read in the configured time zone. Each distinct
value is parsed once, so a 100,000-row month with a few thousand distinct stamps stays fast.

>>> s = pd.Series(["2026-09-03T14:22:05+0000", "10/03/2026 - 08:15AM", "1542406176584", None, "last Tuesday"])
>>> parsed = parse_datetimes(s, timezone="America/New_York")
>>> [str(v) for v in parsed.tolist()]
['2026-09-03 14:22:05+00:00', '2026-10-03 12:15:00+00:00', '2018-11-16 22:09:36.584000+00:00', 'NaT', 'NaT']
>>> unreadable_dates(s, parsed).tolist()
[False, False, False, False, True]
"""

from __future__ import annotations

import math
import re
import warnings
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd

# Tried before dateutil's guesser: unambiguous formats that dateutil reads wrongly or slowly.
_KNOWN_FORMATS = (
    "%m/%d/%Y - %I:%M%p",  # SeeClickFix: 01/02/2014 - 04:54AM
    "%m/%d/%Y - %I:%M %p",
    "%a %b %d %H:%M:%S %z %Y",  # Twitter: Thu Oct 08 21:04:11 +0000 2026
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
)
_EPOCH_MIN = datetime(1990, 1, 1, tzinfo=UTC).timestamp()
_EPOCH_MAX = datetime(2100, 1, 1, tzinfo=UTC).timestamp()
_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")
# A trailing time-zone abbreviation dateutil does not know ("WIB", "EEST") is dropped and the
# value read in the configured zone: a known offset beats a guess.
_TZ_WORD = re.compile(r"\b(?!AM\b|PM\b)[A-Z]{3,5}\b(?=\s+\d{4}\s*$)")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def parse_one(
    value: object, *, tz: ZoneInfo, date_format: str | None = None, dayfirst: bool = False
) -> pd.Timestamp | None:
    """Parse one raw date value to a UTC timestamp; ``None`` when it cannot be read."""
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        ts = pd.Timestamp(value)
        return _to_utc(ts, tz)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = str(value).strip()
    if _NUMBER.match(text):
        return _from_epoch(float(text))
    if date_format:
        try:
            return _to_utc(pd.Timestamp(datetime.strptime(text, date_format)), tz)
        except ValueError:
            return None
    for fmt in _KNOWN_FORMATS:
        try:
            return _to_utc(pd.Timestamp(datetime.strptime(text, fmt)), tz)
        except ValueError:
            continue
    from dateutil import parser as du_parser

    cleaned = _TZ_WORD.sub("", text).replace(" - ", " ")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = du_parser.parse(cleaned, dayfirst=dayfirst, fuzzy=False)
        except (ValueError, OverflowError, TypeError):
            return None
    if not 1900 <= parsed.year <= 2100:
        return None
    return _to_utc(pd.Timestamp(parsed), tz)


def _matching_format(text: str) -> str | None:
    for fmt in _KNOWN_FORMATS:
        try:
            datetime.strptime(text, fmt)
        except ValueError:
            continue
        return fmt
    return None


def _from_epoch(number: float) -> pd.Timestamp | None:
    # Milliseconds when the value is too large to be seconds in a plausible range.
    unit = "ms" if number > _EPOCH_MAX else "s"
    seconds = number / 1000.0 if unit == "ms" else number
    if not _EPOCH_MIN <= seconds <= _EPOCH_MAX:
        return None
    value = int(number) if number.is_integer() else number
    return pd.Timestamp(value, unit=unit, tz="UTC")


def _to_utc(ts: pd.Timestamp, tz: ZoneInfo) -> pd.Timestamp:
    if ts.tzinfo is None:
        ts = ts.tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
    return ts.tz_convert("UTC")


def parse_datetimes(
    values: pd.Series,
    *,
    timezone: str = "UTC",
    date_format: str | None = None,
    dayfirst: bool = False,
) -> pd.Series:
    """Parse a column of raw date values to ``datetime64[ns, UTC]``; unreadable values are NaT.

    Use :func:`unreadable_dates` to tell a missing date from one that could not be read.
    """
    tz = ZoneInfo(timezone)
    # NaN is not equal to itself, so every missing value shares the key None
    keys = values.map(
        lambda v: None if _is_missing(v) else v if isinstance(v, str | int | float) else str(v)
    )
    cache: dict[object, pd.Timestamp | None] = {}
    sticky: str | None = None  # an export writes one format: try the last one that worked first
    for key, raw in zip(keys, values, strict=True):
        if key in cache:
            continue
        if sticky is not None and isinstance(raw, str):
            try:
                cache[key] = _to_utc(pd.Timestamp(datetime.strptime(raw.strip(), sticky)), tz)
                continue
            except ValueError:
                pass
        cache[key] = parse_one(raw, tz=tz, date_format=date_format, dayfirst=dayfirst)
        if cache[key] is not None and isinstance(raw, str) and date_format is None:
            sticky = _matching_format(raw.strip())
    parsed = keys.map(lambda k: cache[k])
    return pd.to_datetime(parsed, utc=True).astype("datetime64[ns, UTC]")


def unreadable_dates(raw: pd.Series, parsed: pd.Series) -> pd.Series:
    """True where a date was given but could not be read (as opposed to missing)."""
    return parsed.isna() & ~raw.map(_is_missing)


def to_period(created_at: pd.Series, *, timezone: str = "UTC") -> pd.Series:
    """``YYYY-MM`` of each timestamp *in the local time zone* (None where the date is missing).

    A comment posted at 9 pm on 31 October in New York is October feedback, although it is
    already 1 November in UTC: periods follow the city's calendar, not UTC's.
    """
    out = created_at.dt.tz_convert(timezone).dt.strftime("%Y-%m")
    return out.astype(object).where(created_at.notna(), None)
