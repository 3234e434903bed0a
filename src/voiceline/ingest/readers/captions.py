"""Captions (WebVTT, SRT, and the Minneapolis caption JSON) joined into speaker turns.

Live captions come as short, overlapping cues, often in CAPITALS, with ``>>`` (or a leading
``- ``, or ``NAME:``, or a WebVTT ``<v Name>`` voice) where the speaker changes. A statement here is
one speaker turn: the cues between two speaker changes, joined, with repeated words at cue
boundaries removed, annotations such as ``[GAVEL]`` or ``(Indiscernible)`` dropped, and
all-capitals text turned into sentence case (:func:`voiceline.ingest.text.readable_case`).

``created_raw`` is the meeting's start plus the turn's offset when the start time is known (the
Minneapolis ``index.csv`` beside the transcripts folder gives it), else the meeting date alone
(``YYYY-MM-DD`` from the file name) with the offset kept in ``extra["start_s"]``: adding an
offset to midnight would invent a time of day.

Example::

    >>> turns = segments_to_turns([Segment(">> MY NAME IS ANA AND I LIVE ON ELM.", 1.0, 3.0)])
    >>> turns[0].text, turns[0].role
    ('My name is ana and I live on elm.', 'resident')
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import schemas
from voiceline.config import SourceConfig
from voiceline.errors import InputError
from voiceline.ingest.readers.encoding import read_text
from voiceline.ingest.readers.meetings import (
    meeting_date,
    parse_label,
    role_from_content,
    role_from_label,
)
from voiceline.ingest.text import is_mostly_upper, readable_case

__all__ = [
    "Segment",
    "Turn",
    "is_caption_json",
    "read_caption_json",
    "read_srt",
    "read_vtt",
    "segments_to_turns",
]

_ANNOTATION = re.compile(
    r"\[[^\]\n]{1,40}\]|\((?:indiscernible|inaudible|unintelligible|laughter|laughing|applause|"
    r"crosstalk|cross-talk|music|gavel|silence|pause|no audio|audio cuts out|off mic|static)"
    r"[^)]{0,30}\)",
    re.I,
)
_VOICE = re.compile(r"<v(?:\.[\w.]+)?\s+([^>]+)>", re.I)
_TAG = re.compile(r"</?[a-z][^>]*>", re.I)
_WORDS = re.compile(r"[\w']+")


@dataclass
class Segment:
    """One caption cue or segment: text and times in seconds from the start of the recording."""

    text: str
    start: float
    end: float


@dataclass
class Turn:
    """One speaker turn: joined text, speaker name (when labelled), role hint and times."""

    text: str
    start: float
    end: float
    speaker: str | None = None
    role: str = "unknown"
    pieces: list[str] = field(default_factory=list, repr=False)


def _norm_words(s: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(s)]


def _drop_overlap(prev_tail: list[str], piece: str) -> str:
    """Remove from ``piece`` the words that repeat the end of the turn so far (overlapping cues)."""
    words = piece.split()
    normed = [_norm_words(w) for w in words]
    flat = [n[0] if n else "" for n in normed]
    for k in range(min(12, len(flat), len(prev_tail)), 1, -1):
        if flat[:k] == prev_tail[-k:]:
            return " ".join(words[k:])
    return piece


def _split_markers(text: str) -> list[tuple[bool, str | None, str]]:
    """Pieces of one cue: (starts a new turn?, speaker label or None, text)."""
    out: list[tuple[bool, str | None, str]] = []
    for ln_i, line in enumerate(text.split("\n")):
        voice = _VOICE.search(line)
        voice_name = voice.group(1).strip() if voice else None
        line = _TAG.sub("", line)
        parts = re.split(r">>+", line)
        for i, part in enumerate(parts):
            new_turn = i > 0 or voice_name is not None
            piece = part.strip()
            if re.match(r"^-\s+\S", piece) and (ln_i > 0 or i == 0):
                new_turn, piece = True, piece[1:].strip()
            label = None
            parsed = parse_label(piece) if piece else None
            if parsed is not None and (new_turn or i == 0) and len(parsed[1] or "") <= 40:
                label, piece = parsed[1], parsed[2]
                new_turn = True
            if voice_name and i == 0:
                label = label or voice_name
            if piece or new_turn:
                out.append((new_turn, label, piece))
    return out


def segments_to_turns(segments: list[Segment], *, force_case: bool | None = None) -> list[Turn]:
    """Join caption segments into speaker turns (see the module docstring).

    ``force_case`` turns every turn into sentence case; by default it is decided once for the
    whole file (mostly capitals or not), so that short turns ("THANK YOU.") are converted too.
    """
    if force_case is None:
        force_case = is_mostly_upper(" ".join(s.text for s in segments[:400]))
    turns: list[Turn] = []
    cur: Turn | None = None
    last_piece = ""
    for seg in segments:
        text = _ANNOTATION.sub(" ", seg.text or "")
        for new_turn, label, piece in _split_markers(text):
            piece = " ".join(piece.split())
            if cur is None or new_turn:
                cur = Turn(text="", start=seg.start, end=seg.end, speaker=label)
                turns.append(cur)
                last_piece = ""
            elif label and not cur.speaker and not cur.pieces:
                cur.speaker = label
            if not piece or _norm_words(piece) == _norm_words(last_piece):
                continue
            tail = _norm_words(" ".join(cur.pieces[-3:]))
            piece = _drop_overlap(tail, piece)
            if piece:
                cur.pieces.append(piece)
                last_piece = piece
            cur.end = max(cur.end, seg.end)
    out: list[Turn] = []
    for t in turns:
        text = " ".join(t.pieces).strip()
        if not text:
            continue
        text = readable_case(text, force=force_case)
        label = t.speaker
        role = role_from_label(label) if label else "unknown"
        if role == "unknown":
            role = role_from_content(text)
        speaker = parse_label(label + ": x")[0] if label and parse_label(label + ": x") else label
        if speaker and force_case and speaker.isupper():
            speaker = speaker.title()
        out.append(Turn(text=text, start=t.start, end=t.end, speaker=speaker, role=role))
    return out


def _turns_to_raw(
    turns: list[Turn],
    *,
    source: SourceConfig,
    path: Path,
    start: datetime | None,
    day: str | None,
    extra: dict[str, Any] | None = None,
) -> pd.DataFrame:
    rows = []
    for i, t in enumerate(turns, start=1):
        if start is not None:
            created: str | None = (start + timedelta(seconds=round(t.start))).isoformat()
        else:
            created = day
        rows.append(
            {
                schemas.SOURCE_NAME: source.name,
                schemas.SOURCE_TYPE: source.type or "meeting",
                schemas.SOURCE_FILE: path.name,
                schemas.SOURCE_ROW: i,
                schemas.SOURCE_ID: None,
                schemas.TEXT: t.text,
                schemas.RAW_CREATED: created,
                schemas.RAW_SPEAKER: t.speaker,
                schemas.RAW_ROLE_HINT: t.role,
                schemas.RAW_MEETING_AREA: source.meeting_area,
                schemas.RAW_IS_REACTION: False,
                schemas.EXTRA: {
                    "start_s": round(t.start, 3),
                    "end_s": round(t.end, 3),
                    **(extra or {}),
                },
                schemas.REJECT_REASON: None,
            }
        )
    if not rows:
        return schemas.empty_raw_frame()
    return schemas.conform_raw(pd.DataFrame(rows))


def _start_from_name(path: Path) -> tuple[datetime | None, str | None]:
    day = meeting_date(path.name)
    return None, day


def read_vtt(path: str | Path, *, source: SourceConfig) -> pd.DataFrame:
    """Read a WebVTT file into one raw row per speaker turn."""
    import webvtt

    path = Path(path)
    text = read_text(path).text
    if not text.strip():
        return schemas.empty_raw_frame()
    try:
        vtt = webvtt.from_string(text) if hasattr(webvtt, "from_string") else webvtt.read(str(path))
    except Exception as exc:  # noqa: BLE001 - webvtt raises its own family and ValueErrors
        raise InputError(
            f"{path}: not a valid WebVTT file ({exc}); it must start with 'WEBVTT'."
        ) from exc
    segments = [
        Segment(
            c.raw_text if hasattr(c, "raw_text") else c.text, c.start_in_seconds, c.end_in_seconds
        )
        for c in vtt
    ]
    start, day = _start_from_name(path)
    return _turns_to_raw(
        segments_to_turns(segments), source=source, path=path, start=start, day=day
    )


def read_srt(path: str | Path, *, source: SourceConfig) -> pd.DataFrame:
    """Read an SRT file into one raw row per speaker turn."""
    import srt

    path = Path(path)
    text = read_text(path).text
    if not text.strip():
        return schemas.empty_raw_frame()
    try:
        subs = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise InputError(f"{path}: not a valid SRT file ({exc}).") from exc
    segments = [Segment(s.content, s.start.total_seconds(), s.end.total_seconds()) for s in subs]
    start, day = _start_from_name(path)
    return _turns_to_raw(
        segments_to_turns(segments), source=source, path=path, start=start, day=day
    )


def is_caption_json(doc: Any) -> bool:
    """True for a JSON list of ``{"text", "start", "duration"}`` caption segments."""
    if not isinstance(doc, list) or not doc:
        return False
    head = doc[:20]
    return all(isinstance(d, dict) and {"text", "start"} <= set(d) for d in head)


def _mpls_index(path: Path) -> dict[str, dict[str, str]]:
    for cand in (path.parent / "index.csv", path.parent.parent / "index.csv"):
        if cand.is_file():
            text = read_text(cand).text
            reader = csv.DictReader(io.StringIO(text))
            if reader.fieldnames and "video_id" in reader.fieldnames:
                return {row["video_id"]: row for row in reader}
    return {}


def read_caption_json(path: str | Path, *, source: SourceConfig, doc: list[Any]) -> pd.DataFrame:
    """Read a caption-segment JSON list (Minneapolis council transcripts) into speaker turns.

    The meeting start comes from ``index.csv`` beside the transcripts folder (matched on the
    video id in ``transcript_<id>.json``), else a date in the file name, else none.
    """
    path = Path(path)
    segments = []
    for d in doc:
        try:
            start = float(d.get("start") or 0.0)
            dur = float(d.get("duration") or 0.0)
        except (TypeError, ValueError):
            start, dur = 0.0, 0.0
        segments.append(Segment(str(d.get("text") or ""), start, start + dur))
    m = re.match(r"transcript_(.+)\.json$", path.name)
    video_id = m.group(1) if m else path.stem
    meta = _mpls_index(path).get(video_id, {})
    start_dt: datetime | None = None
    day = meeting_date(path.name)
    when = meta.get("meeting_datetime")
    if when:
        try:
            start_dt = datetime.fromisoformat(when)
        except ValueError:
            day = when
    extra = {"video_id": video_id}
    if meta.get("meeting_body"):
        extra["meeting_body"] = meta["meeting_body"]
    return _turns_to_raw(
        segments_to_turns(segments), source=source, path=path, start=start_dt, day=day, extra=extra
    )
