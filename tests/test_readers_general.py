"""Readers on export layouts seen in the wild, with no mapping (small fake files in tmp_path)."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest

from voiceline.config import SourceConfig
from voiceline.ingest.readers import read_source
from voiceline.ingest.readers.columns import (
    detect_columns,
    detect_survey_layout,
    looks_like_free_text,
    plan_columns,
)


def read(path: Path):
    return read_source(path, source=SourceConfig(name="t", path=str(path)))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize(
    ("cols", "role", "expected"),
    [
        (["Unique Key", "Descriptor", "Created Date", "Incident Zip"], "id", "Unique Key"),
        (["Unique Key", "Descriptor", "Created Date", "Incident Zip"], "date", "Created Date"),
        (["Unique Key", "Descriptor", "Created Date", "Incident Zip"], "zip", "Incident Zip"),
        (["Summary", "Details", "Case Number"], "text", "Details"),
        (["Summary", "Details", "Case Number"], "id", "Case Number"),
        (["title", "summary", "notes"], "text", "notes"),
        (["Descriptor", "Complaint Type", "notes"], "text", "notes"),
        (["text", "full_text"], "text", "full_text"),
        (["Tweet", "Screen Name", "objectid"], "author", "Screen Name"),
        (["Tweet", "Screen Name", "objectid"], "id", "objectid"),
        (["ResponseId", "StartDate", "EndDate", "RecordedDate"], "date", "RecordedDate"),
        (["Start Date", "End Date"], "date", "End Date"),
        (["Comments/Suggestions", "Postal Code", "Community"], "text", "Comments/Suggestions"),
        (["Comments/Suggestions", "Postal Code", "Community"], "zip", "Postal Code"),
        (["Comments/Suggestions", "Postal Code", "Community"], "neighborhood", "Community"),
        (["Timestamp", "Email Address"], "author", "Email Address"),
        (["latitude_deg", "longitude_deg"], "lat", "latitude_deg"),
    ],
)
def test_more_names(cols: list[str], role: str, expected: str) -> None:
    assert detect_columns(cols)[role] == expected


def test_partial_name_fallback(tmp_path: Path) -> None:
    p = write_csv(
        tmp_path / "f.csv",
        [
            ["ref", "Concern Type", "Please describe your concern", "Response Id"],
            ["a1", "noise", "Dogs bark all night", "9"],
            ["a2", "traffic", "speeding", "10"],
        ],
    )
    raw = read(p)
    assert raw["text"].tolist() == ["Dogs bark all night", "speeding"]
    assert raw["question"].isna().all()


def test_content_fallback_one_column_and_log(tmp_path: Path, caplog) -> None:
    p = write_csv(
        tmp_path / "f.csv",
        [
            ["ref", "ward", "Address", "what happened"],
            ["1", "3", "12 Main Street", "The streetlight at the corner has been out for weeks"],
            ["2", "4", "40 Oak Ave", "Cars race down our block every night after ten"],
            ["3", "3", "7 Elm Rd", "Someone dumped a mattress in the alley behind the store"],
        ],
    )
    with caplog.at_level(logging.INFO, logger="voiceline"):
        raw = read(p)
    assert raw["text"].str.startswith(("The", "Cars", "Someone")).all()
    assert raw["source_type"].iloc[0] == "social"
    assert "'what happened'" in caplog.text


def test_content_fallback_several_columns_is_a_survey(tmp_path: Path) -> None:
    p = write_csv(
        tmp_path / "f.csv",
        [
            ["rid", "age", "Biggest problem on your street", "What would help"],
            ["1", "34", "Speeding on Grand after school lets out", "A speed bump near the school"],
            ["2", "51", "Broken glass in the playground again", "More patrols in the evenings"],
        ],
    )
    raw = read(p)
    assert len(raw) == 4
    assert raw["source_type"].iloc[0] == "survey"
    assert raw["question"].tolist()[:2] == ["Biggest problem on your street", "What would help"]


def test_no_free_text_still_errors(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "f.csv", [["id", "when", "mail"], ["1", "2024-01-02", "a@b.org"]])
    from voiceline.errors import InputError

    with pytest.raises(InputError, match="no text column"):
        read(p)


def test_looks_like_free_text() -> None:
    assert not looks_like_free_text(["Strongly agree", "Agree", "Strongly agree", "Agree"])
    assert not looks_like_free_text(["2024-01-01 10:00:00", "2024-01-02 11:00:00"])
    assert not looks_like_free_text(["https://example.org/a/very/long/path/1"] * 1)
    assert looks_like_free_text(["Please fix the pothole on Main", "Too loud at night here"])


QUALTRICS_HEAD = (
    "StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),Finished,RecordedDate,"
    "ResponseId,RecipientLastName,RecipientFirstName,RecipientEmail,ExternalReference,"
    "LocationLatitude,LocationLongitude,DistributionChannel,UserLanguage"
).split(",")


def _qualtrics_rows() -> list[list[str]]:
    head = [*QUALTRICS_HEAD, "Q1", "Q2", "Q3", "Q3_4_TEXT", "Q4"]
    questions = [
        "Start Date", "End Date", "Response Type", "IP Address", "Progress",
        "Duration (in seconds)", "Finished", "Recorded Date", "Response ID",
        "Recipient Last Name", "Recipient First Name", "Recipient Email",
        "External Data Reference", "Location Latitude", "Location Longitude",
        "Distribution Channel", "User Language",
        "How safe do you feel?", "What is the biggest problem in your neighborhood?",
        "Which neighborhood do you live in?", "Which neighborhood do you live in? - Other - Text",
        "Anything else?",
    ]  # fmt: skip
    imports = [json.dumps({"ImportId": f"QID{i}"}) for i in range(len(head))]
    meta = ["2024-03-0{} 10:00:00", "2024-03-0{} 10:05:00", "IP Address", "10.0.0.1", "100",
            "300", "True", "2024-03-0{} 10:05:01", "R_abc{}", "", "", "", "", "40.71", "-74.00",
            "anonymous", "EN"]  # fmt: skip
    answers = [
        ["Safe", "Cars speed down Elm Street every morning", "Riverton", "", "No"],
        ["Unsafe", "Drug dealing in the park near the library", "Other", "Lower Mill", ""],
        ["Safe", "Nobody fixes the streetlights on our block", "Northside", "", ""],
    ]
    rows = [head, questions, imports]
    for k, ans in enumerate(answers, start=1):
        m = [v.format(k) if "{}" in v else v for v in meta]
        if k == 3:
            m[6] = "False"  # partial response: kept
        rows.append(m + ans)
    return rows


def test_qualtrics_csv(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "qualtrics.csv", _qualtrics_rows())
    raw = read(p)
    assert raw["reject_reason"].isna().all()  # header rows are neither data nor rejects
    assert raw["source_type"].eq("survey").all()
    assert raw["source_row"].unique().tolist() == [1, 2, 3]
    assert raw["source_id"].unique().tolist() == ["R_abc1", "R_abc2", "R_abc3"]
    assert raw["created_raw"].iloc[0] == "2024-03-01 10:05:01"  # RecordedDate
    assert raw["lat"].isna().all() and raw["lon"].isna().all()  # IP location, not the point
    qs = set(raw["question"])
    assert "What is the biggest problem in your neighborhood?" in qs
    assert "Which neighborhood do you live in? - Other - Text" in qs
    assert "How safe do you feel?" not in qs
    assert raw["neighborhood_raw"].iloc[0] == "Riverton"
    assert "Nobody fixes the streetlights on our block" in raw["text"].tolist()


def test_qualtrics_xlsx(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import pandas as pd

    p = tmp_path / "qualtrics.xlsx"
    pd.DataFrame(_qualtrics_rows()).to_excel(p, header=False, index=False)
    raw = read(p)
    assert raw["reject_reason"].isna().all()
    assert raw["source_id"].unique().tolist() == ["R_abc1", "R_abc2", "R_abc3"]
    assert raw["lat"].isna().all()


def _monkey_rows() -> list[list[str]]:
    return [
        ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
         "Email Address", "First Name", "Last Name",
         "Which neighborhood do you live in?", "What worries you most?", "",
         "Tell us about a recent problem"],
        ["", "", "", "", "", "", "", "", "Response", "Traffic", "Open-Ended Response",
         "Response"],
        ["1101", "77", "03/01/2024 9:00", "03/01/2024 9:10", "1.2.3.4", "", "", "",
         "Riverton", "Traffic", "", "A truck blocked the bike lane for an hour"],
        ["1102", "77", "03/02/2024 9:00", "03/02/2024 9:12", "1.2.3.5", "", "", "",
         "Northside", "", "loud parties", "Garbage was not collected for two weeks"],
    ]  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_surveymonkey(tmp_path: Path, suffix: str) -> None:
    p = tmp_path / f"monkey{suffix}"
    if suffix == ".csv":
        write_csv(p, _monkey_rows())
    else:
        import pandas as pd

        pd.DataFrame(_monkey_rows()).to_excel(p, header=False, index=False)
    raw = read(p)
    assert raw["reject_reason"].isna().all()
    assert raw["source_type"].eq("survey").all()
    assert raw["source_id"].unique().tolist() == ["1101", "1102"]
    assert raw["created_raw"].iloc[0] == "03/01/2024 9:10"
    assert set(raw["question"]) == {"What worries you most?", "Tell us about a recent problem"}
    assert "loud parties" in raw["text"].tolist()
    assert raw["neighborhood_raw"].iloc[0] == "Riverton"


OPEN311 = [
    {"service_request_id": "638344", "status": "closed", "service_name": "Graffiti",
     "service_code": "006", "description": "Tagging on the wall of the underpass",
     "requested_datetime": "2024-04-14T06:37:38-08:00",
     "updated_datetime": "2024-04-15T06:37:38-08:00", "address": "8TH AVE and JUDAH ST",
     "zipcode": "94122", "lat": 37.762221815, "long": -122.4651145},
]  # fmt: skip


def test_open311_json_and_csv(tmp_path: Path) -> None:
    pj = tmp_path / "requests.json"
    pj.write_text(json.dumps(OPEN311), encoding="utf-8")
    pc = write_csv(
        tmp_path / "requests.csv",
        [list(OPEN311[0]), [str(v) for v in OPEN311[0].values()]],
    )
    for p in (pj, pc):
        raw = read(p)
        r = raw.iloc[0]
        assert r["source_type"] == "report"
        assert r["text"] == "Tagging on the wall of the underpass"
        assert r["source_id"] == "638344"
        assert r["created_raw"] == "2024-04-14T06:37:38-08:00"
        assert r["zip_raw"] == "94122"
        assert r["lat"] == pytest.approx(37.762221815) and r["lon"] == pytest.approx(-122.4651145)
        assert r["extra"] == {"service_name": "Graffiti"}


def test_nyc_311(tmp_path: Path) -> None:
    head = ["Unique Key", "Created Date", "Closed Date", "Agency", "Complaint Type", "Descriptor",
            "Incident Zip", "Incident Address", "Resolution Description", "Latitude", "Longitude",
            "Location"]  # fmt: skip
    rows = [
        ["59893917", "01/01/2024 12:00:27 AM", "", "NYPD", "Noise - Residential",
         "Loud Music/Party", "10453", "1800 UNIVERSITY AVENUE",
         "The Police Department responded to the complaint.", "40.85", "-73.91", "(40.85, -73.91)"],
        ["59893918", "01/01/2024 12:01:00 AM", "", "DSNY", "Illegal Dumping", "",
         "11215", "200 5 AVENUE", "", "40.67", "-73.98", ""],
    ]  # fmt: skip
    raw = read(write_csv(tmp_path / "311.csv", [head, *rows]))
    assert raw["text"].tolist() == ["Noise - Residential: Loud Music/Party", "Illegal Dumping"]
    assert raw["source_type"].eq("report").all()
    assert raw["source_id"].tolist() == ["59893917", "59893918"]
    assert raw["created_raw"].iloc[0] == "01/01/2024 12:00:27 AM"
    assert raw["zip_raw"].tolist() == ["10453", "11215"]
    assert raw["lat"].iloc[0] == pytest.approx(40.85)
    assert raw["extra"].iloc[0] == {"Complaint Type": "Noise - Residential"}


def test_google_forms(tmp_path: Path) -> None:
    rows = [
        ["Timestamp", "Email Address", "Which neighborhood do you live in?",
         "How safe do you feel walking at night?", "What is your biggest concern?",
         "Any other comments?"],
        ["3/1/2024 10:15:01", "a@example.org", "Riverton", "Somewhat safe",
         "Speeding cars near the school", "Thanks for asking"],
        ["3/2/2024 11:20:13", "b@example.org", "Northside", "Not safe",
         "People selling drugs by the bus stop", ""],
        ["3/3/2024 09:01:44", "c@example.org", "Riverton", "Somewhat safe",
         "Dark streets, we need lights", "More patrols please"],
    ]  # fmt: skip
    raw = read(write_csv(tmp_path / "form.csv", rows))
    assert raw["source_type"].eq("survey").all()
    assert set(raw["question"]) == {"What is your biggest concern?", "Any other comments?"}
    assert len(raw) == 6
    assert raw["created_raw"].iloc[0] == "3/1/2024 10:15:01"
    assert raw["author_raw"].iloc[0] == "a@example.org"
    assert raw["neighborhood_raw"].tolist()[:2] == ["Riverton", "Riverton"]


def test_detect_survey_layout_none_for_plain_tables() -> None:
    assert detect_survey_layout(["id", "text"], [["1", "Response"]]) is None
    plan = plan_columns(["id", "text"], mapping=None, path="x.csv", rows=[{"id": 1, "text": "hi"}])
    assert plan.layout is None and plan.text_columns == ["text"]
