"""Which column of a table means what, when no mapping says so.

Column names are compared after lower-casing and dropping everything that is not a letter or a
digit, so ``comment-body``, ``Comment_Body`` and ``comment body`` are the same name. For each role
the first name of its list that the table has wins; the order is the priority, so a table with both
``text`` and ``description`` uses ``text``, and a pol.is export with both ``timestamp`` (epoch ms,
unambiguous) and ``datetime`` ("... WIB 2018") uses ``timestamp``.

==============  ==========================================================================
role            names, in priority order
==============  ==========================================================================
text            text, comment, comment-body, comment_body, comments, body, message, content,
                response, answer, feedback, post, description
id              id, item_id, comment-id, post_id, tweet_id, response_id, request_id,
                record_id, message_id
date            created_at, created_at_local, timestamp, datetime, date, created_time,
                posted_at, submitted_on, submitted_at, created, time
author          author, author-id, author_name, user, username, user_id, from.name,
                screen_name, respondent, respondent_id
lat / lon       lat, latitude / lon, lng, long, longitude
zip             zip, zipcode, zip_code, postal_code, postcode
neighborhood    neighborhood, neighbourhood, neighborhood_name, community_area
speaker / role  speaker, speaker_name / speaker_role, role
reaction        reaction, reactions, reaction_type
==============  ==========================================================================

``ward``, ``district`` and ``police_district`` are *not* detected as the neighborhood: they are
administrative areas whose names rarely match a gazetteer; name them in a mapping
(``neighborhood_column``) when they are what you want.

Example::

    >>> detect_columns(["Id", "Description", "Lat", "Lng", "Created At Local"])["text"]
    'Description'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from voiceline.config import Mapping
from voiceline.errors import InputError

__all__ = ["AUTO_COLUMNS", "ColumnPlan", "detect_columns", "norm_name", "plan_columns"]

AUTO_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "comment",
        "comment-body",
        "comment_body",
        "comments",
        "body",
        "message",
        "content",
        "response",
        "answer",
        "feedback",
        "post",
        "description",
    ),
    "id": (
        "id",
        "item_id",
        "comment-id",
        "post_id",
        "tweet_id",
        "response_id",
        "request_id",
        "record_id",
        "message_id",
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
        "created",
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
    ),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "zip": ("zip", "zipcode", "zip_code", "postal_code", "postcode"),
    "neighborhood": ("neighborhood", "neighbourhood", "neighborhood_name", "community_area"),
    "speaker": ("speaker", "speaker_name"),
    "role": ("speaker_role", "role"),
    "reaction": ("reaction", "reactions", "reaction_type"),
}

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


class ColumnPlan:
    """The resolved columns of one table: mapping first, auto-detection for the rest."""

    def __init__(self, roles: dict[str, str | None], text_columns: list[str], extra: list[str]):
        self.roles = roles
        self.text_columns = text_columns
        self.extra_columns = extra

    def get(self, role: str) -> str | None:
        """The column for ``role`` (``id``, ``date``, ...) or None."""
        return self.roles.get(role)

    def __repr__(self) -> str:
        return (
            f"ColumnPlan(text={self.text_columns}, roles={self.roles}, extra={self.extra_columns})"
        )


def plan_columns(
    columns: Sequence[str], *, mapping: Mapping | None, path: str, allow_no_text: bool = False
) -> ColumnPlan:
    """Resolve which columns to read; a mapping naming absent columns fails with all of them listed.

    Raises :class:`InputError` when no text column is named or detected (unless
    ``allow_no_text``), naming the file, the columns it has and how to fix it.
    """
    cols = [str(c) for c in columns]
    auto = detect_columns(cols)
    roles: dict[str, str | None] = {r: auto.get(r) for r in [*AUTO_COLUMNS, "area"]}
    text_columns: list[str] = []
    extra: list[str] = []
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
        for field, role in _MAPPING_FIELDS.items():
            value = getattr(mapping, field)
            if value:
                roles[role] = _resolve(value, cols)
        text_columns = [_resolve(c, cols) for c in mapping.text_columns]
        extra = [_resolve(c, cols) for c in mapping.extra_columns]
    if not text_columns and auto["text"] is not None:
        text_columns = [auto["text"]]
    if not text_columns and not allow_no_text:
        raise InputError(
            f"{path}: no text column found; expected one named like "
            f"{', '.join(AUTO_COLUMNS['text'][:6])} ...; the file has: "
            f"{', '.join(map(repr, cols)) or 'no columns'}. "
            "Name it in a mapping with text_columns: [...]."
        )
    # A text column is never also read as something else.
    for role, col in roles.items():
        if col in text_columns and role != "text":
            roles[role] = None
    return ColumnPlan(roles, text_columns, extra)


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
