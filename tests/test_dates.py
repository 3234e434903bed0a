"""Dates from the usual export formats into UTC; missing and unreadable told apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voiceline.ingest.dates import parse_datetimes, to_period, unreadable_dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-09-03T14:22:05+0000", "2026-09-03T14:22:05"),
        ("2026-09-03T14:22:05Z", "2026-09-03T14:22:05"),
        ("10/03/2026 - 08:15AM", "2026-10-03T12:15:00"),  # SeeClickFix, naive New York (EDT)
        ("01/02/2014 - 04:54AM", "2014-01-02T09:54:00"),  # EST in winter
        ("Thu Oct 08 21:04:11 +0000 2026", "2026-10-08T21:04:11"),  # Twitter
        ("09/14/2026 7:42 PM", "2026-09-14T23:42:00"),
        ("1542406176584", "2018-11-16T22:09:36.584"),  # epoch milliseconds (pol.is)
        ("1790000000", "2026-09-21T14:13:20"),  # epoch seconds
        (
            "Sat Nov 17 05:09:36 WIB 2018",
            "2018-11-17T10:09:36",
        ),  # unknown zone word: configured zone
        ("2026-10-15", "2026-10-15T04:00:00"),
    ],
)
def test_formats(raw: str, expected: str) -> None:
    parsed = parse_datetimes(pd.Series([raw]), timezone="America/New_York")
    assert parsed.iloc[0] == pd.Timestamp(expected, tz="UTC")


def test_missing_is_not_unreadable() -> None:
    raw = pd.Series([None, "", "  ", "last Tuesday", "2026-13-45"])
    parsed = parse_datetimes(raw, timezone="UTC")
    assert parsed.isna().all()
    assert unreadable_dates(raw, parsed).tolist() == [False, False, False, True, True]


def test_explicit_format_and_dayfirst() -> None:
    raw = pd.Series(["03/04/2026"])
    assert parse_datetimes(raw, timezone="UTC", dayfirst=True).iloc[0].month == 4
    assert parse_datetimes(raw, timezone="UTC").iloc[0].month == 3
    fmt = parse_datetimes(pd.Series(["2026.10.05 08h"]), timezone="UTC", date_format="%Y.%m.%d %Hh")
    assert fmt.iloc[0] == pd.Timestamp("2026-10-05T08:00", tz="UTC")


def test_period_follows_the_local_calendar() -> None:
    parsed = parse_datetimes(pd.Series(["2026-10-31T23:30:00-04:00", None]), timezone="UTC")
    assert to_period(parsed).tolist() == ["2026-11", None]
    assert to_period(parsed, timezone="America/New_York").tolist() == ["2026-10", None]


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1995, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    )
)
def test_iso_round_trip(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    parsed = parse_datetimes(pd.Series([moment.isoformat()]), timezone="Asia/Tokyo")
    assert parsed.iloc[0] == pd.Timestamp(moment)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2080, 1, 1)))
def test_naive_values_are_read_in_the_configured_zone(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    utc = parse_datetimes(pd.Series([text]), timezone="UTC").iloc[0]
    plus9 = parse_datetimes(pd.Series([text]), timezone="Asia/Tokyo").iloc[0]
    assert utc - plus9 == timedelta(hours=9)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.none()))
def test_never_raises(value: object) -> None:
    parsed = parse_datetimes(pd.Series([value], dtype=object), timezone="Europe/Berlin")
    assert len(parsed) == 1
