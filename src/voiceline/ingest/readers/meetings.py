"""Split meeting notes and transcripts into statements, each with a speaker and a role hint.

Meeting notes name speakers in a handful of ways, all handled by one label pattern at the start of
a line: ``**Jane Doe (Resident):** text``, ``Officer Diaz: text``, ``Sgt. Kim (PD): text``,
``Council Member Ortiz: text``, ``Resident (unnamed): text``, ``Q: ...`` / ``A: ...``. A statement
runs from its label over the following lines and paragraphs until the next label or heading.
Headings, attendee lists (the lines after "Attendees:" / "Present:"), tables and metadata lines
("Date:", "Time:", "Location:", "Minutes taken by:", "Recorder:", and "Facilitator:" followed
by a name, see :func:`is_header_field`) are not statements, wherever they appear; the ``Date:``
line still gives the meeting date (:func:`meeting_date`). A document with no labels at all gives
one statement per paragraph (blank-line separated), role unknown.

Roles come from the label (:func:`role_from_label`); a statement whose label says nothing gets
``resident`` when its own words say so ("my name is ... and I live on ..."), see
:func:`role_from_content`. ``Q`` is a resident asking and ``A`` an official answering, which is
how community-meeting minutes use them.

Example::

    >>> [(s.speaker, s.role) for s in split_statements(["Officer Diaz: We added patrols.",
    ...     "Resident (unnamed): Thank you."])]
    [('Officer Diaz', 'official'), (None, 'resident')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "Statement",
    "is_header_field",
    "meeting_date",
    "parse_label",
    "role_from_content",
    "role_from_label",
    "split_statements",
]

HEADING = "\x00HEADING\x00"  # marker line for a heading (docx styles); see split_statements
BREAK = ""  # a blank line: paragraph boundary

_OFFICIAL = re.compile(
    r"\b(officer|ofc|sgt|sergeant|lt|lieutenant|chief|captain|capt|det|detective|commander|cmdr|"
    r"deputy|sheriff|council\s*member|councilmember|councilor|councillor|alder(?:man|woman|person)?|"
    r"mayor|chair(?:person|woman|man)?|vice\s+chair|president|director|staff|manager|"
    r"coordinator|liaison|superintendent|commissioner|clerk|pd|police|city|cpd|mpd|nypd|"
    r"moderator|facilitator|trooper|inspector|answer)\b",
    re.I,
)
_RESIDENT = re.compile(
    r"\b(resident|neighbou?r|public\s+comment|community\s+member|homeowner|tenant|renter|"
    r"business\s+owner|parent|caller|attendee|speaker\s+from\s+the\s+public|member\s+of\s+the\s+public|"
    r"question)\b",
    re.I,
)
_RESIDENT_CONTENT = re.compile(
    r"\b(my name is\b.{0,60}?\bi live\b|i live (?:on|in|at|near|off|by)\b|i(?:'m| am) a resident\b|"
    r"as a resident\b|i(?:'ve| have) lived (?:on|in|here)\b|"
    r"i(?:'m| am) a (?:homeowner|renter|tenant)\b|"
    r"my (?:street|block|neighbou?rhood)\b)",
    re.I | re.S,
)
_OFFICIAL_SELF = re.compile(
    r"\bi(?:'m| am) (?:the |a |your )?(?:council ?member|chair|vice chair|president|director|"
    r"chief|commander|lieutenant|sergeant|officer|deputy|clerk|city attorney|manager)\b",
    re.I,
)
_RESIDENT_INTRO = re.compile(
    r"\b(?:my name is|my name's|i'm|i am)\s+[A-Za-z'.-]+(?:\s+[A-Za-z'.-]+){0,2}\s*(?:,|from\b)",
    re.I,
)
_OFFICIAL_CONTENT = re.compile(
    r"\b(madam chair|mr\.? chair|madam president|mr\.? president|the committee will|"
    r"staff report|this item|motion|seconded|roll call|call the roll|all those in favor|"
    r"the ayes have it|public comment is (?:now )?(?:open|closed)|next speaker|"
    r"(?:call|called) (?:this|the) meeting (?:of [\w ]+ )?to order|you have a quorum)\b",
    re.I,
)

# Labels that are metadata, not speakers.
_NOT_SPEAKERS = {
    "date",
    "time",
    "location",
    "place",
    "venue",
    "attendees",
    "attendance",
    "present",
    "absent",
    "in attendance",
    "agenda",
    "minutes",
    "notes",
    "note",
    "subject",
    "re",
    "topic",
    "topics",
    "summary",
    "action items",
    "action item",
    "next meeting",
    "next steps",
    "called to order",
    "adjourned",
    "recorder",
    "recorded by",
    "minutes by",
    "prepared by",
    "meeting",
    "title",
    "where",
    "when",
    "who",
    "purpose",
    "item",
    "motion",
    "vote",
    "result",
    "outcome",
    "follow-up",
    "follow up",
    "source",
    "url",
    "link",
    "email",
    "phone",
    "zoom",
    "host",
    "duration",
    "ps",
    "update",
    "updates",
    "reminder",
    "background",
    "decision",
    "decisions",
    "resolution",
    "walk-ins",
    "walk-in",
    "walkins",
    "follow-ups",
    "followups",
    "follow-up items",
}
_LIST_STARTERS = {"attendees", "attendance", "present", "absent", "in attendance", "staff present"}

# Header fields of minutes ("**Location:** Library", "Minutes taken by: Grace"): never a statement,
# wherever they appear; a statement in progress ends there.
_METADATA = {
    "date",
    "time",
    "date and time",
    "date/time",
    "location",
    "place",
    "venue",
    "where",
    "when",
    "attendees",
    "attendance",
    "present",
    "absent",
    "in attendance",
    "staff present",
    "recorder",
    "recorded by",
    "minutes by",
    "minutes taken by",
    "notes taken by",
    "notes by",
    "taken by",
    "note taker",
    "notetaker",
    "note-taker",
    "scribe",
    "prepared by",
    "submitted by",
    "facilitated by",
    "chaired by",
    "hosted by",
    "moderated by",
    "called to order",
    "adjourned",
    "duration",
    "zoom",
}
# Role labels that head the minutes as metadata ("Facilitator: Councilor Lindqvist") but can also
# label what that person says ("Facilitator: Welcome, everyone. Tonight is about listening.").
_ROLE_METADATA = {"facilitator", "facilitators", "moderator", "host", "hosts", "chair", "chairs"}
_NOT_SPEAKERS |= _METADATA

_LABEL = re.compile(
    r"""^\s*(?:[-*+•]\s+)?                       # optional bullet
        (?:\*\*|__)?\s*                          # optional bold open
        (?P<name>
           (?:[A-Z][\w.'’-]*|[A-Z]\.|Q|A)        # first word: capitalised
           (?:\s+(?:[A-Z][\w.'’-]*|of|the|de|van|von|la|le|[a-z]{1,3}\.)){0,5}
        )
        \s*(?:\((?P<paren>[^()]{1,40})\))?       # optional (Resident), (PD)
        \s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?       # colon, bold close on either side
        \s*(?P<rest>.*)$""",
    re.X,
)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6}\s|={3,}\s*$|-{3,}\s*$)")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)[^*_]+(\*\*|__)\s*:?\s*$")
_TABLE_LINE = re.compile(r"^\s*\|")
_DATE_LINE = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*|__)?\s*date\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+)$", re.I
)
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass
class Statement:
    """One statement of a meeting: who said it (if known), their role hint and the text."""

    index: int
    text: str
    speaker: str | None = None
    role: str = "unknown"
    label: str | None = None


def role_from_label(label: str) -> str:
    """``official``/``resident``/``unknown`` from a speaker label such as ``Sgt. Kim (PD)``.

    >>> role_from_label("Council Member Ortiz"), role_from_label("Jane Doe (Resident)")
    ('official', 'resident')
    """
    head = label.split("(")[0].strip().lower()
    if head in {"q", "question"}:
        return "resident"
    if head in {"a", "answer"}:
        return "official"
    if _RESIDENT.search(label):
        return "resident"
    if _OFFICIAL.search(label):
        return "official"
    return "unknown"


def role_from_content(text: str) -> str:
    """Role hint from what is said, for speakers without a telling label (captions, ``>>``).

    A speaker who says where they live is a resident; one who addresses the chair, council
    members or moves motions is an official. Residents addressing the chair ("Thank you, Chair")
    are caught first by the resident patterns.

    >>> role_from_content("My name is Ana and I live on Elm Street.")
    'resident'
    """
    if _OFFICIAL_SELF.search(text):
        return "official"
    if _RESIDENT_CONTENT.search(text) or _RESIDENT_INTRO.search(text[:200]):
        return "resident"
    if _OFFICIAL_CONTENT.search(text):
        return "official"
    return "unknown"


def parse_label(line: str) -> tuple[str | None, str | None, str] | None:
    """Split ``Label (role): text`` into (speaker name, label, rest), or None for no label.

    ``speaker`` is None when the label is only a role ("Resident (unnamed)", "Q", "Public
    comment").

    >>> parse_label("**Jane Doe (Resident):** The lights are out.")
    ('Jane Doe', 'Jane Doe (Resident)', 'The lights are out.')
    """
    m = _LABEL.match(line)
    if not m:
        return None
    name = m.group("name").strip().rstrip(".")
    paren = m.group("paren")
    if name.lower() in _NOT_SPEAKERS or len(name) > 48:
        return None
    if re.fullmatch(r"\d.*", name) or re.search(r"https?$", name, re.I):
        return None
    label = f"{name} ({paren})" if paren else name
    speaker: str | None = name
    generic = re.fullmatch(
        r"(?i)(q|a|question|answer|resident|neighbou?r|public comment|speaker|unknown|"
        r"audience member|community member|attendee|caller|participant)(\s+\d+)?",
        name,
    )
    if generic or (paren and paren.strip().lower() in {"unnamed", "anonymous", "name withheld"}):
        speaker = None
    return speaker, label, m.group("rest").strip()


def meeting_date(file_name: str, lines: Iterable[str] = ()) -> str | None:
    """The meeting date: ``YYYY-MM-DD`` at the start of the file name, else a ``Date:`` line.

    >>> meeting_date("2025-03-04_eastside.md"), meeting_date("notes.md", ["Date: March 4, 2025"])
    ('2025-03-04', 'March 4, 2025')
    """
    m = _FILE_DATE.search(file_name)
    if m:
        return m.group(1)
    for line in lines:
        d = _DATE_LINE.match(line)
        if d:
            return d.group(1).strip().strip("*_ ").strip() or None
    return None


def _is_heading(line: str) -> bool:
    return line == HEADING or bool(_MD_HEADING.match(line)) or bool(_BOLD_LINE.match(line))


_META_LABEL = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*|__)?\s*([A-Za-z /-]+?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$"
)


def _meta_label(line: str) -> tuple[str, str] | None:
    """``(label, value)`` of a ``Label: value`` line (bold or bulleted), label lower-cased."""
    m = _META_LABEL.match(line)
    if not m:
        return None
    return " ".join(m.group(1).lower().split()), m.group(2).strip()


def _is_metadata(line: str) -> bool:
    """``Location: ...``, ``**Time:** ...``, ``Update: ...``: not a speaker label."""
    m = _meta_label(line)
    return m is not None and m[0] in _NOT_SPEAKERS


_NAME_LIKE = re.compile(
    r"^(?:Dr\.?|Mr\.?|Ms\.?|Mrs\.?)?\s*[A-Z][\w.'’-]*"
    r"(?:\s+(?:[A-Z(][\w.'’()-]*|of|the|and|de|van|von|la|le|&))*$"
)


def _names_someone(value: str) -> bool:
    """``Councilor Beth Lindqvist. Notes: staff`` yes; ``I call this meeting to order.`` no."""
    value = re.sub(r"\s*\([^()]*\)", "", value).strip()  # "(Ward 2)"
    first = re.split(r"[.;,]\s+|\s+[-–—]\s+", value, maxsplit=1)[0].strip()
    words = first.split()
    if not words or len(words) > 6 or not _NAME_LIKE.match(first.rstrip(".")):
        return False
    # one word is a name only on its own ("Chair: Ortiz"), not "Welcome, everyone." / "Okay."
    return len(words) > 1 or (value == first and first[-1] not in ".!?")


def is_header_field(line: str) -> bool:
    """True for a metadata line of minutes (``**Location:** Library``, ``Minutes taken by: X``).

    ``Facilitator:``/``Moderator:``/``Chair:``/``Host:`` lines are metadata when what follows
    names someone (``Facilitator: Councilor Beth Lindqvist``); otherwise they label what that
    person says (``Chair: I call this meeting to order.``).

    >>> is_header_field("**Location:** Harbor Point Library")
    True
    >>> is_header_field("Facilitator: Councilor Beth Lindqvist. Notes: Ward 2 office staff.")
    True
    >>> is_header_field("Facilitator: Welcome, everyone. Tonight is about listening.")
    False
    """
    m = _meta_label(line)
    if m is None:
        return False
    label, value = m
    if label in _METADATA:
        return True
    return label in _ROLE_METADATA and _names_someone(value)


def _starts_list(line: str) -> bool:
    m = re.match(r"^\s*(?:[-*]\s+)?(?:\*\*|__)?\s*([A-Za-z ]+?)\s*(?:\*\*|__)?\s*:", line)
    return bool(m) and m.group(1).strip().lower() in _LIST_STARTERS


def split_statements(lines: Iterable[str]) -> list[Statement]:
    """Group the lines of a document into statements (see the module docstring).

    ``lines`` are physical lines (blank lines separate paragraphs); a line equal to
    :data:`HEADING` (or a Markdown heading) ends the current statement and starts no other.
    """
    lines = list(lines)
    labelled = any(
        parse_label(ln) for ln in lines if ln and ln != HEADING and not is_header_field(ln)
    )
    out: list[Statement] = []
    cur: dict | None = None
    in_list = False

    def close() -> None:
        nonlocal cur
        if cur is not None:
            text = "\n".join(p for p in ("\n".join(par).strip() for par in cur["paras"]) if p)
            if text:
                role = cur["role"]
                if role == "unknown":
                    role = "resident" if role_from_content(text) == "resident" else "unknown"
                out.append(Statement(len(out) + 1, text, cur["speaker"], role, cur["label"]))
        cur = None

    for raw in lines:
        line = raw.rstrip()
        if _is_heading(line) or _TABLE_LINE.match(line):
            close()
            in_list = False
            continue
        if not line.strip():
            in_list = False
            if cur is not None:
                if cur["label"] is None:
                    close()  # unlabelled text: one statement per paragraph
                else:
                    cur["paras"].append([])
            continue
        if _starts_list(line):
            close()
            in_list = True
            continue
        if in_list:
            continue
        if is_header_field(line):
            close()  # "**Location:** ...", "Facilitator: ...": metadata, not a statement
            continue
        if cur is None and (_DATE_LINE.match(line) or (labelled and _is_metadata(line))):
            continue
        parsed = parse_label(line) if labelled else None
        if parsed is not None:
            speaker, label, rest = parsed
            close()
            cur = {
                "speaker": speaker,
                "label": label,
                "role": role_from_label(label),
                "paras": [[rest]],
            }
            continue
        if cur is None:
            cur = {"speaker": None, "label": None, "role": "unknown", "paras": [[]]}
        cur["paras"][-1].append(line.strip())
    close()
    return out
