"""Readers on small inline files: every format, the bad inputs, and the raw-column contract."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from voiceline import schemas
from voiceline.config import Mapping, SourceConfig
from voiceline.errors import InputError
from voiceline.ingest.readers import detect_format, read_source


def src(path: Path, **kw) -> SourceConfig:
    return SourceConfig(name="test", path=str(path), **kw)


def read(path: Path, **kw) -> pd.DataFrame:
    frame = read_source(path, source=src(path, **kw))
    assert list(frame.columns) == list(schemas.RAW_COLUMNS)
    return frame


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_auto_columns(tmp_path: Path) -> None:
    p = tmp_path / "comments.csv"
    p.write_text(
        "\ufeff Id ,Comment,created_at,username,lat,lng,zip\n"
        '7,"Speeding on Elm, again",2025-03-01,ann,44.9,-93.2,55401\n'
        "8,Lights out,2025-03-02,bob,,,\n",
        encoding="utf-8",
    )
    raw = read(p)
    assert raw["text"].tolist() == ["Speeding on Elm, again", "Lights out"]
    assert raw["source_id"].tolist() == ["7", "8"]
    assert raw["source_row"].tolist() == [1, 2]
    assert raw["source_file"].tolist() == ["comments.csv"] * 2
    assert raw["created_raw"].iloc[0] == "2025-03-01"
    assert raw["author_raw"].iloc[1] == "bob"
    assert raw["lat"].iloc[0] == pytest.approx(44.9)
    assert pd.isna(raw["lat"].iloc[1])
    assert raw["zip_raw"].iloc[0] == "55401"
    assert raw["source_type"].iloc[0] == "social"
    assert raw["reject_reason"].isna().all()


def test_csv_multiline_quoted_field_and_moderation(tmp_path: Path) -> None:
    p = tmp_path / "comments.csv"
    p.write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        '1542406176584,Sat Nov 17 05:09:36 WIB 2018,1,10,0,0,1,"first line\nsecond, line"\n'
        "1542406176585,Sat Nov 17 05:09:37 WIB 2018,2,11,0,0,-1,spam spam\n",
        encoding="utf-8",
    )
    raw = read(p)
    assert raw["text"].tolist() == ["first line\nsecond, line", "spam spam"]
    assert raw["created_raw"].tolist() == ["1542406176584", "1542406176585"]
    assert raw["source_id"].tolist() == ["1", "2"]
    assert raw["author_raw"].tolist() == ["10", "11"]
    assert raw["reject_reason"].tolist() == [None, "dropped: moderated out"]


def test_csv_broken_quote_recovers_rows(tmp_path: Path) -> None:
    p = tmp_path / "broken.csv"
    p.write_text(
        'id,text\n1,fine\n2,"this quote never closes\n3,next row\n4,and another\n5,last\n',
        encoding="utf-8",
    )
    raw = read(p)
    assert raw["source_id"].tolist()[:1] == ["1"]
    # nothing lost: every later line comes back as its own row
    assert raw["text"].tolist()[-3:] == ["next row", "and another", "last"]
    assert len(raw) == 5
    bad = raw[raw["reject_reason"].notna()]
    assert len(bad) <= 1
    assert set(raw["source_id"].dropna()) >= {"1", "3", "4", "5"}


def test_csv_five_megabyte_field(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    big = "word " * 1_000_000
    with p.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["id", "text"], ["1", big], ["2", "small"]])
    raw = read(p)
    assert len(raw) == 2
    assert raw["text"].iloc[0] == big


def test_csv_cp1252_and_utf16(tmp_path: Path) -> None:
    p = tmp_path / "old.csv"
    p.write_bytes("id,comment\n1,Caf\u00e9 on 5th \u2013 too loud\n".encode("cp1252"))
    assert read(p)["text"].iloc[0] == "Caf\u00e9 on 5th \u2013 too loud"
    q = tmp_path / "excel.csv"
    q.write_bytes(b"\xff\xfe" + "id\tcomment\n1,2\tna\u00efve \U0001f600\n".encode("utf-16-le"))
    raw = read(q)
    assert raw["text"].iloc[0] == "na\u00efve \U0001f600"
    assert raw["source_id"].iloc[0] == "1,2"


def test_csv_mostly_utf8_with_stray_byte_isolated(tmp_path: Path) -> None:
    p = tmp_path / "mixed.csv"
    lines = ["id,text"] + [f"{i},caf\u00e9 na\u00efve r\u00e9sum\u00e9 {i}" for i in range(5)]
    data = ("\n".join(lines) + "\n").encode("utf-8") + b"9,bad \x92 byte\n"
    p.write_bytes(data)
    raw = read(p)
    assert raw["reject_reason"].tolist() == [None] * 5 + ["broken encoding"]
    assert "\ufffd" in raw["text"].iloc[-1]


def test_empty_files_give_zero_rows(tmp_path: Path) -> None:
    for name in ("empty.csv", "empty.jsonl", "empty.md", "empty.json", "empty.vtt"):
        p = tmp_path / name
        p.write_bytes(b"")
        assert len(read(p)) == 0
    p = tmp_path / "header_only.csv"
    p.write_text("id,text\n", encoding="utf-8")
    assert len(read(p)) == 0


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_source(tmp_path / "nope.csv", source=src(tmp_path / "nope.csv"))
    p = tmp_path / "data.pdf"
    p.write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"data\.pdf.*supported.*\.csv"):
        read_source(p, source=src(p))
    with pytest.raises(InputError, match="unknown format 'pdf'"):
        detect_format(p, fmt="pdf")


def test_mapping_names_missing_column(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("id,answer\n1,x\n", encoding="utf-8")
    m = Mapping(text_columns=["q1", "answer"], date_column="when")
    with pytest.raises(InputError) as err:
        read_source(p, source=src(p, mapping=m))
    msg = str(err.value)
    assert "'q1'" in msg and "'when'" in msg and "'answer'" in msg and "s.csv" in msg


def test_no_text_column_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("id,score\n1,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text column.*'score'"):
        read(p)


def test_survey_with_three_questions_and_filters(tmp_path: Path) -> None:
    p = tmp_path / "survey.csv"
    p.write_text(
        "resp,q1,q2,q3,hood,lang,channel\n"
        "r1,Too fast,,More lights,Eastside,en,web\n"
        "r2,ok,fine,good,Westside,en,staff\n",
        encoding="utf-8",
    )
    m = Mapping(
        text_columns=["q1", "q2", "q3"],
        author_column="resp",
        neighborhood_column="hood",
        extra_columns=["lang"],
        exclude={"channel": ["staff"]},
    )
    raw = read(p, mapping=m)
    assert len(raw) == 6
    assert raw["question"].tolist() == ["q1", "q2", "q3"] * 2
    assert raw["source_row"].tolist() == [1, 1, 1, 2, 2, 2]
    assert raw["text"].tolist()[:3] == ["Too fast", "", "More lights"]
    assert raw["source_type"].iloc[0] == "survey"
    assert raw["neighborhood_raw"].iloc[0] == "Eastside"
    assert raw["extra"].iloc[0] == {"lang": "en"}
    assert raw["reject_reason"].tolist()[3:] == ["dropped: excluded by mapping (channel=staff)"] * 3
    json.dumps(raw["extra"].tolist())


def test_headerless_tsv(tmp_path: Path) -> None:
    p = tmp_path / "corpus.tsv"
    p.write_text("a quiet street\ttrain\tx\nloud music\ttest\ty\n", encoding="utf-8")
    m = Mapping(has_header=False, column_names=["text", "split", "label"])
    raw = read(p, mapping=m)
    assert raw["text"].tolist() == ["a quiet street", "loud music"]


def test_report_type_inferred(tmp_path: Path) -> None:
    p = tmp_path / "scf.csv"
    p.write_text(
        "Id,Summary,Description,Lat,Lng,Created At Local\n"
        "5,Pothole,Deep hole by the school,41.3,-72.9,01/01/2014 - 07:24AM\n",
        encoding="utf-8",
    )
    raw = read(p)
    assert raw["source_type"].iloc[0] == "report"
    assert raw["text"].iloc[0] == "Deep hole by the school"
    assert raw["created_raw"].iloc[0] == "01/01/2014 - 07:24AM"


# --- JSON / JSONL -------------------------------------------------------------------------------


def test_json_nested_and_reactions(tmp_path: Path) -> None:
    p = tmp_path / "posts.json"
    items = {
        "data": [
            {"id": "p1", "message": "Fix the crosswalk", "from": {"name": "Ann"}, "reactions": 3},
            {"id": "p2", "message": "", "from": {"name": "Bob"}, "reactions": 5},
        ]
    }
    p.write_text(json.dumps(items), encoding="utf-8")
    raw = read(p)
    assert raw["text"].tolist() == ["Fix the crosswalk", ""]
    assert raw["author_raw"].tolist() == ["Ann", "Bob"]
    assert raw["is_reaction"].tolist() == [False, True]
    assert raw["source_id"].tolist() == ["p1", "p2"]


def test_json_records_path(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text(
        json.dumps({"a": [1], "c": [2], "b": {"items": [{"text": "hi"}]}}), encoding="utf-8"
    )
    with pytest.raises(InputError, match="records_path"):
        read(p)
    raw = read(p, mapping=Mapping(records_path="b.items"))
    assert raw["text"].tolist() == ["hi"]


def test_jsonl_broken_line(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text(
        '{"id": 1, "text": "ok"}\n{"id": 2, "text": "cut off\n\n{"id": 3, "text": "fine"}\n',
        encoding="utf-8",
    )
    raw = read(p)
    assert raw["reject_reason"].tolist() == [None, "invalid JSON line", None]
    assert raw["source_row"].tolist() == [1, 2, 4]
    assert raw["text"].tolist()[2] == "fine"


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_title_row_skipped(tmp_path: Path) -> None:
    import openpyxl

    p = tmp_path / "survey.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Resident survey 2025"])
    ws.append([])
    ws.append(["Response ID", "Response", "Zip"])
    ws.append([101, "Need more patrols", 55401])
    ws.append([102, "Kids need a rec center", None])
    wb.save(p)
    raw = read(p)
    assert raw["text"].tolist() == ["Need more patrols", "Kids need a rec center"]
    assert raw["source_id"].tolist() == ["101", "102"]
    assert raw["zip_raw"].tolist() == ["55401", None]


# --- documents ----------------------------------------------------------------------------------


MD = """# Eastside community meeting

Date: March 4, 2025
Attendees:
- Officer Diaz
- Jane Doe

## Discussion

**Jane Doe (Resident):** The lights on Elm are out.
They have been out for weeks.

Still out today.

Officer Diaz: We will call public works.
Sgt. Kim (PD): Patrols were added.
Resident (unnamed): I live on 5th and cars speed every night.
Council Member Ortiz: Noted.
Q: When is the next meeting?
A: In April.

| item | owner |
|------|-------|
| lights | PW |
"""


def test_markdown_meeting_notes(tmp_path: Path) -> None:
    p = tmp_path / "notes.md"
    p.write_text(MD, encoding="utf-8")
    raw = read(p)
    assert raw["speaker"].tolist() == [
        "Jane Doe",
        "Officer Diaz",
        "Sgt. Kim",
        None,
        "Council Member Ortiz",
        None,
        None,
    ]
    assert raw["speaker_role_hint"].tolist() == [
        "resident",
        "official",
        "official",
        "resident",
        "official",
        "resident",
        "official",
    ]
    assert raw["text"].iloc[0] == (
        "The lights on Elm are out.\nThey have been out for weeks.\nStill out today."
    )
    assert raw["created_raw"].unique().tolist() == ["March 4, 2025"]
    assert raw["source_type"].iloc[0] == "meeting"
    assert raw["source_row"].tolist() == list(range(1, 8))


def test_txt_without_labels_one_statement_per_paragraph(tmp_path: Path) -> None:
    p = tmp_path / "2025-02-10_westside.txt"
    p.write_text("First point about parking.\nStill first.\n\nSecond point.\n", encoding="utf-8")
    raw = read(p, meeting_area="Westside")
    assert raw["text"].tolist() == ["First point about parking.\nStill first.", "Second point."]
    assert raw["created_raw"].tolist() == ["2025-02-10"] * 2
    assert raw["meeting_area"].tolist() == ["Westside"] * 2
    assert raw["speaker_role_hint"].tolist() == ["unknown"] * 2


def test_docx_skips_tables_and_headings(tmp_path: Path) -> None:
    import docx

    p = tmp_path / "2025-01-15_north.docx"
    d = docx.Document()
    d.add_heading("North precinct meeting", level=1)
    d.add_paragraph("Chief Brown: Thanks for coming.")
    d.add_paragraph("Neighbor: Cars are broken into on Oak.")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "Officer X: table text"
    d.add_paragraph("It happens every week.")
    d.save(p)
    raw = read(p)
    assert raw["text"].tolist() == [
        "Thanks for coming.",
        "Cars are broken into on Oak.\nIt happens every week.",
    ]
    assert raw["speaker_role_hint"].tolist() == ["official", "resident"]
    assert raw["created_raw"].iloc[0] == "2025-01-15"


METADATA_MD = """# Harbor Point Community Meeting

**Location:** Harbor Point Library, community room
**Date:** September 17, 2026
**Time:** 6:30 PM

Facilitator: Dana Whitfield

**Maria Lopez (Resident):** The lights on Fore Street are out.

Minutes taken by: Grace Thibodeau
Recorder: Pat Lee

Chair: I call this meeting back to order after the break.
"""


def test_minutes_metadata_lines_are_not_statements(tmp_path: Path) -> None:
    p = tmp_path / "notes.md"
    p.write_text(METADATA_MD, encoding="utf-8")
    raw = read(p)
    assert raw["text"].tolist() == [
        "The lights on Fore Street are out.",
        "I call this meeting back to order after the break.",
    ]
    assert raw["speaker"].tolist() == ["Maria Lopez", "Chair"]
    assert raw["created_raw"].unique().tolist() == ["September 17, 2026"]  # Date: still used


def test_unlabelled_notes_skip_metadata_paragraphs(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text(
        "Location: Northside Rec Center\n\nAttendees: 12 residents\nStaff from Ward 2\n\n"
        "Present: Officer Mbeki\n\nDate: Oct 15, 2026\n\n"
        "Cars race on Stevens Avenue every night.\n",
        encoding="utf-8",
    )
    raw = read(p)
    assert raw["text"].tolist() == ["Cars race on Stevens Avenue every night."]
    assert raw["created_raw"].tolist() == ["Oct 15, 2026"]


def test_docx_header_fields_and_facilitator(tmp_path: Path) -> None:
    import docx

    p = tmp_path / "2026-10-15_northside.docx"
    d = docx.Document()
    d.add_heading("Northside Listening Session", level=1)
    d.add_paragraph("Date: October 15, 2026")
    d.add_paragraph("Location: Northside Rec Center, gym")
    d.add_paragraph("Facilitator: Councilor Beth Lindqvist. Notes: Ward 2 office staff.")
    d.add_paragraph("Councilor Lindqvist: Welcome everyone. Tonight is about listening.")
    d.add_paragraph("Rosa Delgado: The park lights are out.")
    d.save(p)
    raw = read(p)
    assert raw["speaker"].tolist() == ["Councilor Lindqvist", "Rosa Delgado"]
    assert "Facilitator" not in raw["text"].str.cat()
    assert raw["created_raw"].iloc[0] == "2026-10-15"


def test_is_header_field() -> None:
    from voiceline.ingest.readers.meetings import is_header_field

    assert is_header_field("**Location:** Harbor Point Library")
    assert is_header_field("**Minutes taken by:** Grace Thibodeau")
    assert is_header_field("- Time: 6:30 PM")
    assert is_header_field("Facilitator: Beth Lindqvist (Ward 2)")
    assert not is_header_field("Facilitator: Good evening, welcome to everyone here.")
    assert not is_header_field("Chair: Thank you. Next speaker.")
    assert not is_header_field("Maria Lopez: The lights are out.")


# --- captions -----------------------------------------------------------------------------------


def test_vtt_turns(tmp_path: Path) -> None:
    p = tmp_path / "2025-03-04_council.vtt"
    p.write_text(
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:03.000\n>> GOOD EVENING. THE MEETING\n\n"
        "00:00:02.500 --> 00:00:05.000\nTHE MEETING IS CALLED TO ORDER.\n\n"
        "00:00:06.000 --> 00:00:09.000\n>> MY NAME IS ANA AND I LIVE ON ELM. MPD\n\n"
        "00:00:09.000 --> 00:00:11.000\nNEVER COMES. [APPLAUSE]\n",
        encoding="utf-8",
    )
    raw = read(p)
    assert raw["text"].tolist() == [
        "Good evening. The meeting is called to order.",
        "My name is ana and I live on elm. MPD never comes.",
    ]
    assert raw["speaker_role_hint"].tolist() == ["unknown", "resident"]
    assert raw["created_raw"].tolist() == ["2025-03-04"] * 2
    assert raw["extra"].iloc[1]["start_s"] == pytest.approx(6.0)


def test_srt_speaker_labels(tmp_path: Path) -> None:
    p = tmp_path / "hearing.srt"
    p.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nCHAIR PAYNE: WELCOME EVERYONE.\n\n"
        "2\n00:00:02,000 --> 00:00:04,000\n- THANK YOU.\n- I LIVE IN WARD 5.\n",
        encoding="utf-8",
    )
    raw = read(p)
    assert raw["text"].tolist() == ["Welcome everyone.", "Thank you.", "I live in ward 5."]
    assert raw["speaker"].iloc[0] == "Chair Payne"
    assert raw["speaker_role_hint"].tolist() == ["official", "unknown", "resident"]
    assert raw["created_raw"].isna().all()


def test_caption_json_with_index(tmp_path: Path) -> None:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    (tmp_path / "index.csv").write_text(
        "video_id,meeting_body,meeting_datetime\nabc,City Council,2024-02-08T09:30:00\n",
        encoding="utf-8",
    )
    segs = [
        {"text": ">> ALL THOSE IN FAVOR SAY AYE. ", "start": 10.0, "duration": 3.0},
        {"text": "[GAVEL] THE MOTION CARRIES. ", "start": 12.0, "duration": 2.0},
        {"text": ">> (Indiscernible) I LIVE ON LAKE STREET AND ", "start": 20.0, "duration": 3.0},
        {"text": "LAKE STREET AND THE ADA RAMP IS BROKEN.", "start": 22.0, "duration": 3.0},
    ]
    p = folder / "transcript_abc.json"
    p.write_text(json.dumps(segs), encoding="utf-8")
    raw = read(p)
    assert raw["text"].tolist() == [
        "All those in favor say aye. The motion carries.",
        "I live on lake street and the ADA ramp is broken.",
    ]
    assert raw["speaker_role_hint"].tolist() == ["official", "resident"]
    assert raw["created_raw"].tolist() == ["2024-02-08T09:30:10", "2024-02-08T09:30:20"]
    assert raw["source_type"].tolist() == ["meeting"] * 2
    assert raw["extra"].iloc[0]["meeting_body"] == "City Council"


def test_rows_come_out_deterministically(tmp_path: Path) -> None:
    p = tmp_path / "notes.md"
    p.write_text(MD, encoding="utf-8")
    a, b = read(p), read(p)
    pd.testing.assert_frame_equal(a, b)


def test_csv_legit_multiline_field_with_commas_is_kept(tmp_path: Path) -> None:
    p = tmp_path / "ok.csv"
    body = "Points:\na, b\nc, d\ne, f"
    with p.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["text", "id"], [body, "1"], ["x", "2"]])
    raw = read(p)
    assert raw["text"].tolist() == [body, "x"]
    assert raw["reject_reason"].isna().all()


def test_csv_quote_closed_later_swallowing_rows(tmp_path: Path) -> None:
    p = tmp_path / "b.csv"
    p.write_text(
        'id,text,zip\n1,"open quote,55401\n2,row two,55402\n3,row three,55403\n4,end",55404\n'
        "5,after,55405\n",
        encoding="utf-8",
    )
    raw = read(p)
    assert "2" in raw["source_id"].tolist() and "3" in raw["source_id"].tolist()
    assert raw["source_id"].tolist()[-1] == "5"
