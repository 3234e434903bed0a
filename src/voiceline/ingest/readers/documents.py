"""Free-text documents (TXT, Markdown, DOCX): meeting notes and minutes, one raw row per statement.

The document is reduced to lines (a DOCX paragraph is a line followed by a paragraph break;
heading styles become heading markers; tables are skipped) and handed to
:func:`voiceline.ingest.readers.meetings.split_statements`. ``source_row`` is the 1-based
statement index; ``created_raw`` is the meeting date from the file name (``YYYY-MM-DD_...``) or a
``Date:`` line. Documents are ``meeting`` sources unless the config says otherwise.

Example::

    >>> raw = read_document("2025-03-04_eastside.md", source=SourceConfig(name="m", path="x"))
    >>> raw[["speaker", "speaker_role_hint"]].head(2)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import schemas
from voiceline.config import SourceConfig
from voiceline.errors import InputError
from voiceline.ingest.readers.encoding import BROKEN, has_broken_bytes, read_text, scrub_broken
from voiceline.ingest.readers.meetings import BREAK, HEADING, meeting_date, split_statements

__all__ = ["docx_lines", "read_document", "statements_to_raw"]


def docx_lines(path: str | Path) -> list[str]:
    """Paragraph texts of a DOCX body in order; headings become :data:`HEADING`; tables skipped."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise InputError("reading .docx needs python-docx; pip install python-docx") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for bad files
        raise InputError(
            f"{path}: not a readable .docx document ({exc}); re-save it from Word."
        ) from exc
    lines: list[str] = []
    for para in document.paragraphs:  # body paragraphs only: tables are not statements
        style = (para.style.name if para.style is not None else "") or ""
        text = para.text
        if style.lower().startswith(("heading", "title")):
            lines.append(HEADING)
            continue
        # soft line breaks inside a paragraph are kept as lines
        lines.extend(text.split("\n"))
        lines.append(BREAK)
    return lines


def statements_to_raw(
    lines: list[str], *, source: SourceConfig, path: Path, date_lines: list[str] | None = None
) -> pd.DataFrame:
    """Split ``lines`` into statements and build raw rows (one per statement, in order)."""
    statements = split_statements(lines)
    created = meeting_date(path.name, date_lines if date_lines is not None else lines)
    rows: list[dict[str, Any]] = []
    for st in statements:
        text = st.text
        reason = None
        if has_broken_bytes(text):
            text, reason = scrub_broken(text), BROKEN
        rows.append(
            {
                schemas.SOURCE_NAME: source.name,
                schemas.SOURCE_TYPE: source.type or "meeting",
                schemas.SOURCE_FILE: path.name,
                schemas.SOURCE_ROW: st.index,
                schemas.SOURCE_ID: None,
                schemas.TEXT: text,
                schemas.RAW_CREATED: created,
                schemas.RAW_SPEAKER: st.speaker,
                schemas.RAW_ROLE_HINT: st.role,
                schemas.RAW_MEETING_AREA: source.meeting_area,
                schemas.RAW_IS_REACTION: False,
                schemas.EXTRA: {},
                schemas.REJECT_REASON: reason,
            }
        )
    if not rows:
        return schemas.empty_raw_frame()
    return schemas.conform_raw(pd.DataFrame(rows))


def read_document(path: str | Path, *, source: SourceConfig) -> pd.DataFrame:
    """Read a .txt, .md or .docx document into one raw row per statement."""
    path = Path(path)
    if path.suffix.lower() == ".docx" or (source.format or "").lower() == "docx":
        lines = docx_lines(path)
    else:
        lines = read_text(path).text.splitlines()
    return statements_to_raw(lines, source=source, path=path)
