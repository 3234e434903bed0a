"""Triage flags: transparent phrase rules on redacted text."""

from __future__ import annotations

import pandas as pd
import pytest

from voiceline.ingest.triage import find_triage, flag_triage, triage_table

CASES = [
    ("There are two guys breaking into a car on Elm right now!", "crime_tip"),
    ("I know who stole the catalytic converters, it's the guy in the blue van", "crime_tip"),
    ("they sell drugs out of the blue house on Dock Lane", "crime_tip"),
    ("Gray sedan, plate [PLATE], drove off toward Warren Avenue after hitting my car", "crime_tip"),
    ("My neighbor threatened to shoot my dog", "threat"),
    ("I'm going to kill the next person who parks in my driveway", "threat"),
    (
        "Officer [PERSON], badge [BADGE], was extremely rude to my elderly mother",
        "officer_complaint",
    ),
    (
        "Person sleeping in the bus shelter every night, seems unwell, please send someone",
        "welfare",
    ),
    ("Guy passed out on the bench by the library, not sure if he's breathing", "welfare"),
]
NOT_FLAGGED = [
    "Shout out to Officer [PERSON], he knows every kid by name",
    "Potholes on Forest Ave are terrible",
    "The tip jar at the cafe got stolen",
    "Speeding is out of control right now on Baxter Blvd",
    "They are selling drugs in the park all day",  # a concern to count, not a tip
    "Okay, we're going to get started with the agenda.",
]


@pytest.mark.parametrize(("text", "flag"), CASES)
def test_flags(text: str, flag: str) -> None:
    assert flag in [f for f, _ in find_triage(text)]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_not_flagged(text: str) -> None:
    assert find_triage(text) == []


def test_flag_triage_adds_and_keeps_flags_and_skips_other_languages() -> None:
    records = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "text": [
                "He threatened to kill us",
                "Amenazó con matarnos, threatened to kill",
                "fine",
            ],
            "language": ["en", "es", "en"],
            "flags": [["truncated"], [], []],
        }
    )
    out = flag_triage(records)
    assert out["flags"].tolist() == [["truncated", "threat"], [], []]
    assert records["flags"].tolist() == [["truncated"], [], []]  # input untouched


def test_triage_table_lists_the_reason() -> None:
    records = flag_triage(
        pd.DataFrame(
            {
                "record_id": ["a"],
                "text": ["Officer [PERSON] was rude and searched my car for no reason"],
                "language": ["en"],
                "flags": [[]],
                "source_type": ["social"],
                "source_name": ["fb"],
                "neighborhood_id": ["west-end"],
                "period": ["2026-10"],
                "created_at": [pd.NaT],
            }
        )
    )
    table = triage_table(records)
    assert table.flag.tolist() == ["officer_complaint"]
    assert table.reason.iloc[0] == "Officer [PERSON]"
