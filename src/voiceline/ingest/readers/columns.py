"""Which column of a table means what, when no mapping says so.

Column names are compared after lower-casing and dropping everything that is not a letter or a
digit, so ``comment-body``, ``Comment_Body`` and ``comment body`` are the same name. For each role
the first name of its list that the table has wins; the order is the priority, so a table with both
``text`` and ``description`` uses ``text``, and a pol.is export with both ``timestamp`` (epoch ms,
unambiguous) and ``datetime`` ("... WIB 2018") uses ``timestamp``.

==============  ==========================================================================
role            names, in priority order
==============  ==========================================================================
text            full_text, text, comment, comment-body, comment_body, comment text, comments,
                body, tweet, message, content, response, open-ended response, answer,
                feedback, verbatim, post, description, request_description, request details,
                issue description, problem description, details, complaint,
                comments/suggestions, additional comments, remarks, review, caption, notes,
                descriptor, summary
id              id, item_id, comment-id, post_id, tweet_id, response_id (= ResponseId),
                request_id, service_request_id, unique key, case id, case_number,
                incident id, ticket id, respondent id, submission id, record_id,
                message_id, objectid
date            created_at, created_at_local, timestamp, datetime, date, created_time,
                posted_at, submitted_on, submitted_at, requested_datetime, created date,
                date created, creation date, recorded date, date submitted, submitted,
                reported date, date opened, open date, opened, created, end date,
                start date, time
author          author, author-id, author_name, user, username, user_id, from.name,
                screen_name, respondent, respondent_id, handle, email, email address, account
lat / lon       lat, latitude, latitude_deg, location latitude / lon, lng, long, longitude,
                longitude_deg, location longitude
zip             zip, zipcode, zip_code, postal_code, postcode, incident zip, zip5
neighborhood    neighborhood, neighbourhood, neighborhood_name, community_area, community,
                community name, nbhd, area name
speaker / role  speaker, speaker_name / speaker_role, role
reaction        reaction, reactions, reaction_type
==============  ==========================================================================

``ward``, ``district`` and ``police_district`` are *not* detected as the neighborhood: they are
administrative areas whose names rarely match a gazetteer; name them in a mapping
(``neighborhood_column``) when they are what you want. ``x``/``y`` are never read as a point
(they are usually State Plane feet, as in NYC 311).

**When no text name matches** (and no mapping names text columns), the text is found from the
rows (:func:`plan_columns` with ``rows``), and a log line on the ``voiceline`` logger says which
columns were chosen and why, so the choice can be checked:

1. *name parts*: a column whose normalised name contains ``comment``, ``description``,
   ``describe``, ``feedback``, ``concern``, ``suggestion`` or ``response`` (that priority), unless
   it is a short name ending like an id/code/type/date/status (``Response Id``, ``Concern Type``)
   or naming an address, location, e-mail, URL, phone or an agency's resolution note, and whose
   values are mostly not numbers/dates/e-mails/URLs;
2. *content*: any other column whose non-empty values look like free text
   (:func:`looks_like_free_text`: median length >= 20 characters, mean >= 3 words, >= 70%
   distinct, <= 10% numbers, dates, e-mails, URLs, JSON or street addresses).

All the columns found by 1 and 2 are read, in file order; two or more make the table a survey
(one record per answer, ``question`` = header). Role columns (id, date, ...) are never text.

**Survey exports** are recognised by their header rows (:func:`detect_survey_layout`): Qualtrics
(row 2: question texts, row 3: ``{"ImportId": ...}``), SurveyMonkey (row 2: ``Response`` /
``Open-Ended Response`` / option names) and Google Forms (first column ``Timestamp``, question
headers). The extra header rows are skipped (neither data nor rejects). Open-ended columns are
Qualtrics ``*_TEXT`` columns, SurveyMonkey ``Open-Ended Response`` sub-columns, and any other
question column whose answers read like free text (median >= 15 characters, mean >= 2.5 words,
>= 60% distinct) or whose name is a text name/part with >= 50% distinct answers; the export's
own columns (``StartDate``, ``IPAddress``, ``Collector ID`` ...) never are. Every answer's
``question`` is the full question text. Qualtrics ``ResponseId`` is the id, ``RecordedDate`` the
date; partial responses (``Finished`` = False) are kept. Qualtrics ``LocationLatitude`` /
``LocationLongitude`` are *not* used as the point: they geolocate the respondent's IP address
(often the ISP's hub, miles away), not the place the answer is about. A question whose text
names a neighborhood or ZIP/postal code ("Which neighborhood do you live in?") with short answers
is read as the neighborhood / ZIP.

**Service requests**: Open311 GeoReport v2 (``service_request_id, description,
requested_datetime, zipcode, lat, long``) and NYC-311-like exports need no mapping. NYC's text is
``Descriptor`` joined after ``Complaint Type`` (``Noise - Residential: Loud Music/Party``): the
descriptor alone is a short category phrase, and with its complaint type it is the resident's
concern signal. ``Resolution Description`` (the agency's reply) is never the text. Without a
mapping, ``service_name``, ``Complaint Type``, ``Category``, ``Request Type`` and ``Issue Type``
are kept in ``extra``.

Example::

    >>> detect_columns(["Id", "Description", "Lat", "Lng", "Created At Local"])["text"]
    'Description'
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from voiceline.config import Mapping
from voiceline.errors import InputError

__all__ = [
    "AUTO_COLUMNS",
    "TEXT_NAME_PARTS",
    "ColumnPlan",
    "SurveyLayout",
    "detect_columns",
    "detect_survey_layout",
    "looks_like_free_text",
    "norm_name",
    "plan_columns",
]

log = logging.getLogger("voiceline")

AUTO_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": (
        "full_text",
        "text",
        "comment",
        "comment-body",
        "comment_body",
        "comment text",
        "comments",
        "body",
        "tweet",
        "message",
        "content",
        "response",
        "open-ended response",
        "answer",
        "feedback",
        "verbatim",
        "post",
        "description",
        "request_description",
        "request details",
        "issue description",
        "problem description",
        "details",
        "complaint",
        "comments/suggestions",
        "additional comments",
        "remarks",
        "review",
        "caption",
        "notes",
        "descriptor",
        "summary",
    ),
    "id": (
        "id",
        "item_id",
        "comment-id",
        "post_id",
        "tweet_id",
        "response_id",
        "request_id",
        "service_request_id",
        "unique key",
        "case id",
        "case_number",
        "incident id",
        "ticket id",
        "respondent id",
        "submission id",
        "record_id",
        "message_id",
        "objectid",
    ),
    "date": (
        "created_at",
        "created_at_local",
        "timestamp",
        "datetime",
        "date",
        "created_time",
        "posted_at",
        "submitted_on",
        "submitted_at",
        "requested_datetime",
        "created date",
        "date created",
        "creation date",
        "recorded date",
        "date submitted",
        "submitted",
        "reported date",
        "date opened",
        "open date",
        "opened",
        "created",
        "end date",
        "start date",
        "time",
    ),
    "author": (
        "author",
        "author-id",
        "author_name",
        "user",
        "username",
        "user_id",
        "from.name",
        "screen_name",
        "respondent",
        "respondent_id",
        "handle",
        "email",
        "email address",
        "account",
    ),
    "lat": ("lat", "latitude", "latitude_deg", "location latitude"),
    "lon": ("lon", "lng", "long", "longitude", "longitude_deg", "location longitude"),
    "zip": ("zip", "zipcode", "zip_code", "postal_code", "postcode", "incident zip", "zip5"),
    "neighborhood": (
        "neighborhood",
        "neighbourhood",
        "neighborhood_name",
        "community_area",
        "community",
        "community name",
        "nbhd",
        "area name",
    ),
    "speaker": ("speaker", "speaker_name"),
    "role": ("speaker_role", "role"),
    "reaction": ("reaction", "reactions", "reaction_type"),
}

#: Fallback for text only, tried when no name of ``AUTO_COLUMNS["text"]`` matches: a column whose
#: normalised name *contains* one of these (in this priority) is a text candidate.
TEXT_NAME_PARTS: tuple[str, ...] = (
    "comment",
    "description",
    "describe",
    "feedback",
    "concern",
    "suggestion",
    "response",
)

# Mapping field -> role in AUTO_COLUMNS.
_MAPPING_FIELDS = {
    "id_column": "id",
    "date_column": "date",
    "author_column": "author",
    "lat_column": "lat",
    "lon_column": "lon",
    "zip_column": "zip",
    "neighborhood_column": "neighborhood",
    "speaker_column": "speaker",
    "role_column": "role",
    "reaction_column": "reaction",
    "area_column": "area",
}


def norm_name(name: object) -> str:
    """Compare names without case, spaces or punctuation: ``Comment-Body`` -> ``commentbody``."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def detect_columns(columns: Sequence[str]) -> dict[str, str | None]:
    """For each role of :data:`AUTO_COLUMNS`, the table's column that plays it (or None)."""
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(norm_name(col), col)
    found: dict[str, str | None] = {}
    for role, names in AUTO_COLUMNS.items():
        found[role] = next((by_norm[norm_name(n)] for n in names if norm_name(n) in by_norm), None)
    return found


# --- survey exports with extra header rows ------------------------------------------------------

_QUALTRICS_META = {
    norm_name(n)
    for n in (
        "StartDate EndDate Status IPAddress Progress Duration (in seconds) Finished RecordedDate "
        "ResponseId RecipientLastName RecipientFirstName RecipientEmail ExternalReference "
        "ExternalDataReference LocationLatitude LocationLongitude DistributionChannel "
        "UserLanguage Q_RecaptchaScore Q_RelevantIDDuplicate Q_RelevantIDFraudScore"
    ).split(" ")
} | {"durationinseconds"}
_MONKEY_META = {
    "respondentid", "collectorid", "startdate", "enddate", "ipaddress", "emailaddress",
    "firstname", "lastname",
}  # fmt: skip
_OPEN_ENDED = "open-ended response"


@dataclass
class SurveyLayout:
    """What :func:`detect_survey_layout` found: the export kind, how many rows after the header
    are header rows too (skip them), the column names to use and each column's question text."""

    kind: str  # "qualtrics", "surveymonkey"
    skip: int
    header: list[str]
    questions: dict[str, str] = field(default_factory=dict)


def _cell(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).strip()


def detect_survey_layout(
    header: Sequence[object], rows: Sequence[Sequence[object]]
) -> SurveyLayout | None:
    """Recognise Qualtrics and SurveyMonkey exports from their header rows.

    *Qualtrics* (CSV or XLSX): row 1 holds short ids (``StartDate ... ResponseId ... Q1, Q3_TEXT``),
    row 2 the question texts (``Response ID`` under ``ResponseId``), row 3 (newer exports)
    ``{"ImportId":"QID1"}`` strings; data start after them. *SurveyMonkey*: row 1 holds question
    texts, blank over the extra sub-columns of a question, row 2 ``Response``,
    ``Open-Ended Response`` or option names; data start on row 3. Sub-columns are named
    ``<question> - <sub-header>``. Returns None for any other table.

    Example::

        >>> detect_survey_layout(["ResponseId", "Q1"], [["Response ID", "Why?"]]).kind
        'qualtrics'
    """
    head = [_cell(h) for h in header]
    norms = [norm_name(h) for h in head]
    row2 = [_cell(v) for v in rows[0]] if rows else []
    row3 = [_cell(v) for v in rows[1]] if len(rows) > 1 else []
    row2 += [""] * (len(head) - len(row2))
    if "responseid" in norms:
        i = norms.index("responseid")
        import_ids = [c for c in row3 if c.startswith("{") and "importid" in c.lower()]
        nonblank3 = [c for c in row3 if c]
        if norm_name(row2[i]) == "responseid" or (
            nonblank3 and len(import_ids) * 2 >= len(nonblank3)
        ):
            skip = 2 if nonblank3 and len(import_ids) * 2 >= len(nonblank3) else 1
            questions = {h: (row2[k] or h) for k, h in enumerate(head) if h}
            return SurveyLayout("qualtrics", skip, head, questions)
    subs = {c.lower() for c in row2 if c}
    if subs & {"response", _OPEN_ENDED} and (
        "" in head or {"respondentid", "collectorid"} & set(norms)
    ):
        names: list[str] = []
        questions = {}
        current = ""
        for k, h in enumerate(head):
            sub = row2[k] if k < len(row2) else ""
            if h:
                current = h
            if h and (not sub or sub.lower() == "response"):
                name = h
            elif current:
                name = f"{current} - {sub or k + 1}"
            else:
                name = sub or f"column_{k + 1}"
            names.append(name)
            questions[name] = current or name
        return SurveyLayout("surveymonkey", 1, names, questions)
    return None


# --- what a column's values look like -----------------------------------------------------------

_NUMBER = re.compile(r"^[-+(]?[$€£]?\s?\d[\d,.\s%:)]*$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T,].{0,30})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_ADDRESS = re.compile(
    r"^\d+[A-Za-z]?\s+[^,]{1,40}\b(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|"
    r"lane|way|ct|court|pl|place|hwy|highway|pkwy|parkway|ter|terrace|sq|square)\b",
    re.I,
)
_NOT_TEXT_NAME_PARTS = (
    "address", "street", "location", "email", "url", "link", "phone", "ipaddress", "useragent",
    "resolution", "statusnote", "latitude", "longitude", "coordinate",
)  # fmt: skip
_ID_LIKE_SUFFIXES = (
    "id", "ids", "code", "count", "date", "time", "type", "number", "num", "key", "status",
    "score", "rating", "url",
)  # fmt: skip


def _values(rows: Sequence[dict[str, Any]], col: str, limit: int = 2000) -> list[str]:
    out = []
    for r in rows[:limit]:
        v = r.get(col)
        if isinstance(v, (list, dict)):
            continue
        s = _cell(v)
        if s:
            out.append(s)
    return out


def _odd_share(vals: Sequence[str]) -> float:
    """Share of values that are numbers, dates, e-mails, URLs, JSON or street addresses."""
    if not vals:
        return 1.0
    odd = sum(
        bool(
            _NUMBER.match(v)
            or _DATE.match(v)
            or _EMAIL.match(v)
            or _URL.match(v)
            or v.startswith(("{", "["))
            or (len(v) < 60 and _ADDRESS.match(v))
            or v.lower() in {"true", "false", "yes", "no"}
        )
        for v in vals
    )
    return odd / len(vals)


def looks_like_free_text(
    vals: Sequence[str], *, min_median_chars: int = 20, min_mean_words: float = 3.0,
    min_unique: float = 0.7,
) -> bool:  # fmt: skip
    """Whether non-empty values read like sentences people typed, not codes or categories.

    Median length >= ``min_median_chars``, mean word count >= ``min_mean_words``, at least
    ``min_unique`` of the values distinct, and at most 10% numbers, dates, e-mails, URLs, JSON or
    street addresses.

    Example::

        >>> looks_like_free_text(["The light on 5th is out again", "Too much speeding here"])
        True
    """
    if not vals:
        return False
    lengths = sorted(len(v) for v in vals)
    median = lengths[len(lengths) // 2]
    words = sum(len(v.split()) for v in vals) / len(vals)
    unique = len(set(vals)) / len(vals)
    return (
        median >= min_median_chars
        and words >= min_mean_words
        and unique >= min_unique
        and _odd_share(vals) <= 0.1
    )


def _not_text_name(col: str) -> bool:
    """Short names like ``Incident Address`` or ``Resolution Description`` are not the resident's
    text; a long header is a question ("Biggest problem on your street?") and is never ruled out."""
    return len(col.split()) <= 3 and any(p in norm_name(col) for p in _NOT_TEXT_NAME_PARTS)


def _name_part_rank(col: str) -> int | None:
    n = norm_name(col)
    if _not_text_name(col) or (len(col.split()) <= 3 and n.endswith(_ID_LIKE_SUFFIXES)):
        return None
    return next((i for i, p in enumerate(TEXT_NAME_PARTS) if p in n), None)


class ColumnPlan:
    """The resolved columns of one table: mapping first, auto-detection for the rest.

    ``questions`` maps a text column to the question to record for it (survey exports: the
    question text of row 2); ``text_prefix`` maps a text column to a column whose value is put
    before it (``Complaint Type: Descriptor``); ``layout`` names a recognised export
    (``qualtrics``, ``surveymonkey``, ``google_forms``) or is None.
    """

    def __init__(
        self,
        roles: dict[str, str | None],
        text_columns: list[str],
        extra: list[str],
        *,
        questions: dict[str, str] | None = None,
        text_prefix: dict[str, str] | None = None,
        layout: str | None = None,
    ):
        self.roles = roles
        self.text_columns = text_columns
        self.extra_columns = extra
        self.questions = questions or {}
        self.text_prefix = text_prefix or {}
        self.layout = layout

    def get(self, role: str) -> str | None:
        """The column for ``role`` (``id``, ``date``, ...) or None."""
        return self.roles.get(role)

    def __repr__(self) -> str:
        return (
            f"ColumnPlan(text={self.text_columns}, roles={self.roles}, extra={self.extra_columns}, "
            f"layout={self.layout})"
        )


_CATEGORY_EXTRAS = ("complainttype", "servicename", "category", "requesttype", "issuetype")


def _is_google_form(cols: Sequence[str]) -> bool:
    if not cols or norm_name(cols[0]) != "timestamp" or len(cols) < 3:
        return False
    return any(c.strip().endswith("?") or len(c.split()) >= 4 for c in cols[1:])


def _survey_text_columns(
    cols: Sequence[str], rows: Sequence[dict[str, Any]], *, layout: str, taken: set[str]
) -> list[str]:
    """Open-ended columns of a survey export (see the module docstring)."""
    exact = {norm_name(n) for n in AUTO_COLUMNS["text"]}
    out = []
    for c in cols:
        n = norm_name(c)
        if c in taken or n in _QUALTRICS_META or n in _MONKEY_META:
            continue
        vals = _values(rows, c)
        if not vals:
            continue
        if layout == "qualtrics" and c.upper().endswith("_TEXT"):
            out.append(c)
        elif layout == "surveymonkey" and c.lower().endswith(" - " + _OPEN_ENDED):
            out.append(c)
        elif _not_text_name(c):
            continue
        elif looks_like_free_text(vals, min_median_chars=15, min_mean_words=2.5, min_unique=0.6):
            out.append(c)
        elif (n in exact or _name_part_rank(c) is not None) and (
            len(set(vals)) / len(vals) >= 0.5 and _odd_share(vals) <= 0.1
        ):
            out.append(c)
    return out


def plan_columns(
    columns: Sequence[str],
    *,
    mapping: Mapping | None,
    path: str,
    allow_no_text: bool = False,
    rows: Sequence[dict[str, Any]] | None = None,
    layout: SurveyLayout | None = None,
) -> ColumnPlan:
    """Resolve which columns to read; a mapping naming absent columns fails with all of them listed.

    ``rows`` (the table's rows, values as found) enable the content-based fallbacks of the module
    docstring; ``layout`` is what :func:`detect_survey_layout` found. Raises :class:`InputError`
    when no text column is named or detected (unless ``allow_no_text``), naming the file, the
    columns it has and how to fix it.
    """
    cols = [str(c) for c in columns]
    data = [r for r in (rows or []) if "__line__" not in r]
    auto = detect_columns(cols)
    roles: dict[str, str | None] = {r: auto.get(r) for r in [*AUTO_COLUMNS, "area"]}
    text_columns: list[str] = []
    extra: list[str] = []
    questions: dict[str, str] = dict(layout.questions) if layout else {}
    kind = layout.kind if layout else ("google_forms" if _is_google_form(cols) else None)
    text_prefix: dict[str, str] = {}
    mapped: set[str] = set()
    norms = {norm_name(c) for c in cols}
    # Qualtrics' LocationLatitude/LocationLongitude are where the respondent's IP address is
    # registered (often the ISP's city centre), not where the concern is: never the point.
    if kind == "qualtrics" or {"ipaddress", "distributionchannel"} & norms:
        for role in ("lat", "lon"):
            if roles[role] and norm_name(roles[role]).startswith("location"):
                roles[role] = None
    if mapping is not None:
        named: list[str] = list(mapping.text_columns) + list(mapping.extra_columns)
        named += [c for f in _MAPPING_FIELDS if (c := getattr(mapping, f))]
        named += list(mapping.filter) + list(mapping.exclude)
        missing = _missing(named, cols)
        if missing:
            raise InputError(
                f"{path}: the mapping names column(s) {', '.join(map(repr, missing))} "
                "that the file "
                f"does not have; it has: {', '.join(map(repr, cols)) or 'no columns'}. "
                "Fix the names in the mapping (they are case-sensitive)."
            )
        for field_name, role in _MAPPING_FIELDS.items():
            value = getattr(mapping, field_name)
            if value:
                roles[role] = _resolve(value, cols)
                mapped.add(role)
        text_columns = [_resolve(c, cols) for c in mapping.text_columns]
        extra = [_resolve(c, cols) for c in mapping.extra_columns]
    if not text_columns:
        text_columns = _auto_text(cols, data, auto, roles, kind=kind, path=path)
        if len(text_columns) == 1 and norm_name(text_columns[0]) == "descriptor":
            complaint = next((c for c in cols if norm_name(c) == "complainttype"), None)
            if complaint:
                text_prefix[text_columns[0]] = complaint
    if mapping is None:
        extra = [c for c in cols if norm_name(c) in _CATEGORY_EXTRAS and c not in text_columns]
    if not text_columns and not allow_no_text:
        raise InputError(
            f"{path}: no text column found; expected one named like "
            f"{', '.join(AUTO_COLUMNS['text'][:6])} ... or a column of sentences; the file has: "
            f"{', '.join(map(repr, cols)) or 'no columns'}. "
            "Name it in a mapping with text_columns: [...]."
        )
    _question_roles(cols, data, roles, mapped, set(text_columns), questions)
    # A text column is never also read as something else.
    for role, col in roles.items():
        if col in text_columns and role != "text":
            roles[role] = None
    if kind is None:
        questions = {}
    return ColumnPlan(
        roles, text_columns, extra, questions=questions, text_prefix=text_prefix, layout=kind
    )


def _auto_text(
    cols: Sequence[str],
    data: Sequence[dict[str, Any]],
    auto: dict[str, str | None],
    roles: dict[str, str | None],
    *,
    kind: str | None,
    path: str,
) -> list[str]:
    taken = {c for r, c in roles.items() if c and r != "text"}
    if kind is not None and data:
        chosen = _survey_text_columns(cols, data, layout=kind, taken=taken)
        if chosen:
            log.info(
                "%s: read as a %s survey export; open-ended columns: %s",
                path, kind, ", ".join(map(repr, chosen)),
            )  # fmt: skip
            return chosen
    if auto["text"] is not None:
        return [auto["text"]]
    if not data:
        return []
    by_name = []
    for c in cols:
        if c in taken:
            continue
        rank = _name_part_rank(c)
        vals = _values(data, c)
        if rank is not None and vals and _odd_share(vals) <= 0.5:
            by_name.append(c)
    by_content = [
        c
        for c in cols
        if c not in taken
        and c not in by_name
        and not _not_text_name(c)
        and looks_like_free_text(_values(data, c))
    ]
    chosen = [c for c in cols if c in by_name or c in by_content]
    if chosen:
        log.info(
            "%s: no column is named like a text column; reading %s as text (%s). "
            "Name the right ones in a mapping (text_columns) if this is wrong.",
            path,
            ", ".join(map(repr, chosen)),
            "; ".join(
                f"{c!r}: {'name contains ' + TEXT_NAME_PARTS[_name_part_rank(c) or 0] if c in by_name else 'values look like free text'}"  # noqa: E501
                for c in chosen
            ),
        )
    return chosen


def _question_roles(
    cols: Sequence[str],
    data: Sequence[dict[str, Any]],
    roles: dict[str, str | None],
    mapped: set[str],
    text: set[str],
    questions: dict[str, str],
) -> None:
    """Survey questions like "Which neighborhood do you live in?" or "Your ZIP code" as places."""
    parts = {"neighborhood": ("neighborhood", "neighbourhood"), "zip": ("zipcode", "postalcode")}
    for role, needles in parts.items():
        if roles.get(role) or role in mapped:
            continue
        for c in cols:
            label = norm_name(questions.get(c, c))
            if c in text or not any(n in label for n in needles):
                continue
            vals = _values(data, c)
            lengths = sorted(len(v) for v in vals)
            if vals and lengths[len(lengths) // 2] <= 40:
                roles[role] = c
                break


def _missing(names: Iterable[str], cols: Sequence[str]) -> list[str]:
    have = set(cols)
    out = []
    for n in names:
        if n not in have and n.strip() not in {c.strip() for c in cols} and n not in out:
            out.append(n)
    return out


def _resolve(name: str, cols: Sequence[str]) -> str:
    if name in cols:
        return name
    return next(c for c in cols if c.strip() == name.strip())
