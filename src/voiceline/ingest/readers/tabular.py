"""Tables: CSV/TSV, XLSX, JSON and JSONL, turned into raw rows (one per row x text column).

Every reader here produces a list of dicts (one per data row, values as found) plus the 1-based
data-row number of each, and :func:`rows_to_raw` maps them onto ``schemas.RAW_COLUMNS`` with the
mapping or the auto-detected columns (:mod:`voiceline.ingest.readers.columns`). Rows a reader can
already tell are unusable (an unterminated quote, an invalid JSON line, undecodable bytes) are
kept with a ``reject_reason``, never dropped.

CSV is parsed with the standard :mod:`csv` module (not pandas) because it reports the physical
line of every record, which is what lets a broken quote be found and repaired line by line.

Example::

    >>> from voiceline.config import SourceConfig
    >>> raw = read_csv("comments.csv", source=SourceConfig(name="web", path="comments.csv"))
    >>> list(raw.columns) == list(RAW_COLUMNS)
    True
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline import schemas
from voiceline.config import Mapping, SourceConfig
from voiceline.errors import InputError
from voiceline.ingest.readers.columns import (
    ColumnPlan,
    SurveyLayout,
    detect_survey_layout,
    norm_name,
    plan_columns,
)
from voiceline.ingest.readers.encoding import BROKEN, has_broken_bytes, read_text, scrub_broken

__all__ = ["read_csv", "read_json", "read_jsonl", "read_xlsx", "rows_to_raw", "infer_table_type"]

_BROKEN_QUOTE = "broken quote"
_BAD_JSON = "invalid JSON line"


# --- shared mapping of rows onto raw columns ----------------------------------------------------


def _is_blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _as_str(v: Any) -> str | None:
    """Values as text, the way a person would type them (no ``.0`` on whole numbers)."""
    if _is_blank(v):
        return None
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (datetime, pd.Timestamp)):
        return v.isoformat()
    if isinstance(v, (date, time)):
        return v.isoformat()
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return str(v)


def _as_float(v: Any) -> float | None:
    s = _as_str(v)
    if s is None:
        return None
    try:
        f = float(s.strip())
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def _json_safe(v: Any) -> Any:
    if _is_blank(v):
        return None
    if isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {str(k): _json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_safe(x) for x in v]
    return _as_str(v)


def _truthy(v: Any) -> bool:
    s = _as_str(v)
    return s is not None and s.strip().lower() not in {"0", "false", "no", "none", "n", "0.0"}


def infer_table_type(plan: ColumnPlan, mapping: Mapping | None) -> str:
    """Source type of a table when the config gives none.

    A recognised survey export (Qualtrics, SurveyMonkey, Google Forms) or several open-question
    columns (``text_columns`` with 2+ names) -> ``survey``; a service-request id
    (``service_request_id``, ``Unique Key``, ``case number`` ...), or a description-like text
    column with coordinates -> ``report``; otherwise ``social`` (comment tables, the common case).
    """
    if plan.layout is not None or len(plan.text_columns) >= 2:
        return "survey"
    text_norm = norm_name(plan.text_columns[0]) if plan.text_columns else ""
    if norm_name(plan.get("id") or "") in _REPORT_IDS:
        return "report"
    if text_norm in _REPORT_TEXTS and plan.get("lat") and plan.get("lon"):
        return "report"
    return "social"


_REPORT_IDS = {
    "servicerequestid", "uniquekey", "caseid", "casenumber", "incidentid", "ticketid", "requestid",
    "servicerequestnumber",
}  # fmt: skip
_REPORT_TEXTS = {
    "description", "details", "issue", "requestdescription", "requestdetails", "issuedescription",
    "problemdescription", "descriptor", "complaint",
}  # fmt: skip


def _rule_drop(row: dict[str, Any], mapping: Mapping | None, moderated: str | None) -> str | None:
    if mapping is not None:
        for col, allowed in mapping.filter.items():
            value = _as_str(row.get(col))
            if value not in {_as_str(a) for a in allowed}:
                return f"dropped: filtered out by mapping ({col}={value})"
        for col, banned in mapping.exclude.items():
            value = _as_str(row.get(col))
            if value in {_as_str(b) for b in banned}:
                return f"dropped: excluded by mapping ({col}={value})"
    if moderated is not None and _as_str(row.get(moderated)) == "-1":
        return "dropped: moderated out"
    return None


def rows_to_raw(
    rows: Sequence[dict[str, Any]],
    *,
    row_numbers: Sequence[int],
    columns: Sequence[str],
    source: SourceConfig,
    path: str | Path,
    row_rejects: Sequence[str | None] | None = None,
    layout: SurveyLayout | None = None,
) -> pd.DataFrame:
    """Map table rows onto raw rows: one per (row, text column), in file order.

    ``row_rejects`` carries reasons the reader found while parsing (broken quote ...); such rows
    are emitted once, with their reason, whatever the mapping says. ``layout`` (a recognised
    survey export) gives each open-ended column its question text.
    """
    path = Path(path)
    mapping = source.mapping if isinstance(source.mapping, Mapping) else None
    if not rows and not columns:
        return schemas.empty_raw_frame()
    plan = plan_columns(columns, mapping=mapping, path=str(path), rows=rows, layout=layout)
    stype = source.type or infer_table_type(plan, mapping)
    multi = len(plan.text_columns) >= 2 or plan.layout is not None
    moderated = next((c for c in columns if norm_name(c) == "moderated"), None)
    base = {
        schemas.SOURCE_NAME: source.name,
        schemas.SOURCE_TYPE: stype,
        schemas.SOURCE_FILE: path.name,
        schemas.RAW_MEETING_AREA: source.meeting_area,
    }
    out: list[dict[str, Any]] = []
    rejects = row_rejects or [None] * len(rows)
    for row, number, parse_reject in zip(rows, row_numbers, rejects, strict=True):
        common = dict(base)
        common[schemas.SOURCE_ROW] = int(number)
        common[schemas.SOURCE_ID] = _as_str(row.get(plan.get("id") or ""))
        common[schemas.RAW_CREATED] = _as_str(row.get(plan.get("date") or ""))
        common[schemas.RAW_AUTHOR] = _as_str(row.get(plan.get("author") or ""))
        common[schemas.RAW_NEIGHBORHOOD] = _as_str(row.get(plan.get("neighborhood") or ""))
        common[schemas.RAW_ZIP] = _as_str(row.get(plan.get("zip") or ""))
        common[schemas.RAW_LAT] = _as_float(row.get(plan.get("lat") or ""))
        common[schemas.RAW_LON] = _as_float(row.get(plan.get("lon") or ""))
        common[schemas.RAW_SPEAKER] = _as_str(row.get(plan.get("speaker") or ""))
        role = (_as_str(row.get(plan.get("role") or "")) or "").strip().lower()
        common[schemas.RAW_ROLE_HINT] = role if role in schemas.SPEAKER_ROLES else "unknown"
        if plan.get("area"):
            common[schemas.RAW_MEETING_AREA] = (
                _as_str(row.get(plan.get("area"))) or source.meeting_area
            )
        common[schemas.EXTRA] = {c: _json_safe(row.get(c)) for c in plan.extra_columns}
        reason = parse_reject or _rule_drop(row, mapping, moderated)
        reaction_col = plan.get("reaction")
        if parse_reject:
            texts: list[tuple[str | None, Any]] = [(None, row.get("__line__", ""))]
        else:
            texts = [
                (plan.questions.get(c, c) if multi else None, _prefixed(row, c, plan))
                for c in plan.text_columns
            ]
        for question, value in texts:
            rec = dict(common)
            text = _as_str(value) or ""
            rec_reason = reason
            if has_broken_bytes(text) or any(
                isinstance(v, str) and has_broken_bytes(v) for v in row.values()
            ):
                text = scrub_broken(text)
                rec_reason = rec_reason or BROKEN
            rec[schemas.TEXT] = text
            rec[schemas.QUESTION] = question
            rec[schemas.RAW_IS_REACTION] = bool(
                not text.strip() and reaction_col is not None and _truthy(row.get(reaction_col))
            )
            rec[schemas.REJECT_REASON] = rec_reason
            for key in (schemas.SOURCE_ID, schemas.RAW_AUTHOR, schemas.RAW_CREATED):
                if isinstance(rec[key], str):
                    rec[key] = scrub_broken(rec[key])
            out.append(rec)
    if not out:
        return schemas.empty_raw_frame()
    return schemas.conform_raw(pd.DataFrame(out))


def _prefixed(row: dict[str, Any], col: str, plan: ColumnPlan) -> Any:
    """The text of ``col``, after the value of its prefix column (``Noise: Loud Music/Party``)."""
    value = row.get(col)
    prefix_col = plan.text_prefix.get(col)
    if not prefix_col:
        return value
    prefix, text = _as_str(row.get(prefix_col)), _as_str(value)
    if prefix and text and prefix.strip().lower() != text.strip().lower():
        return f"{prefix.strip()}: {text.strip()}"
    return text or prefix


# --- CSV / TSV ----------------------------------------------------------------------------------


def _raise_field_limit() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def _delimiter(path: Path, mapping: Mapping | None, sample: str) -> str:
    if mapping is not None and mapping.delimiter:
        return "\t" if mapping.delimiter in ("\\t", "tab") else mapping.delimiter
    if path.suffix.lower() == ".tsv":
        return "\t"
    first = sample.split("\n", 1)[0]
    if first.count("\t") > first.count(",") and first.count("\t") >= 1:
        return "\t"
    if first.count(";") > first.count(",") and first.count(";") >= 1:
        return ";"
    return ","


def _parse_records(text: str, delim: str) -> list[tuple[list[str], int, int]]:
    """(fields, first line, last line) for every record; lines are 1-based physical lines."""
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=delim)
    out = []
    start = 1
    try:
        for fields in reader:
            out.append((fields, start, reader.line_num))
            start = reader.line_num + 1
    except csv.Error as exc:  # pragma: no cover - the default dialect rarely raises
        raise InputError(f"cannot parse as CSV near line {reader.line_num}: {exc}") from exc
    return out


def _shape(value: str) -> str:
    return re.sub(r"[A-Za-z]+", "a", re.sub(r"\d+", "9", value.strip()))[:20]


def _looks_swallowed(fields: list[str], ncols: int, delim: str, id_shape: str | None) -> bool:
    """A quoted field that swallowed whole records: 2+ of its inner lines parse as full rows
    whose first field is shaped like the file's first field (``9`` for numeric ids)."""
    if id_shape is None or ncols < 2:
        return False
    hits = 0
    for f in fields:
        if "\n" not in f:
            continue
        for line in f.split("\n")[1:]:
            parsed = next(csv.reader([line], delimiter=delim), [])
            if len(parsed) == ncols and _shape(parsed[0]) == id_shape:
                hits += 1
                if hits >= 2:
                    return True
    return False


def _recover_lines(
    physical: list[str], first: int, last: int, ncols: int, delim: str
) -> list[tuple[list[str] | None, int, str]]:
    """Re-read lines ``first..last`` one by one after an unterminated quote."""
    out: list[tuple[list[str] | None, int, str]] = []
    for lineno in range(first, last + 1):
        line = physical[lineno - 1].rstrip("\r\n")
        if not line.strip():
            continue
        fields = next(csv.reader([line], delimiter=delim), [])
        if len(fields) != ncols:
            fields = next(csv.reader([line], delimiter=delim, quoting=csv.QUOTE_NONE), [])
        out.append((fields if len(fields) == ncols else None, lineno, line))
    return out


def read_csv(path: str | Path, *, source: SourceConfig) -> pd.DataFrame:
    """Read a CSV/TSV file into raw rows (see the module docstring).

    Multi-line quoted fields and multi-megabyte fields are read as they are. A quote that is
    never closed (it swallows the records after it) is detected and those lines are re-read one
    by one; a line that still does not fit gets ``reject_reason="broken quote"``.
    """
    path = Path(path)
    mapping = source.mapping if isinstance(source.mapping, Mapping) else None
    text = read_text(path).text
    if not text.strip():
        return schemas.empty_raw_frame()
    _raise_field_limit()
    delim = _delimiter(path, mapping, text[:10_000])
    records = _parse_records(text, delim)
    records = [r for r in records if any(f.strip() for f in r[0])]  # blank lines
    if not records:
        return schemas.empty_raw_frame()
    has_header = mapping.has_header if mapping is not None else True
    layout = None
    if has_header:
        header = [h.replace("\ufeff", "").strip() for h in records[0][0]]
        body = records[1:]
        layout = detect_survey_layout(header, [r[0] for r in body[:2]])
        if layout is not None:
            header, body = layout.header, body[layout.skip :]
    else:
        ncols0 = max(len(r[0]) for r in records)
        header = list(mapping.column_names) if mapping and mapping.column_names else []
        if not header:
            header = [f"column_{i + 1}" for i in range(ncols0)]
        body = records
    header = _dedupe_header(header)
    ncols = len(header)
    physical = text.splitlines(keepends=True)
    shapes = [_shape(r[0][0]) for r in body[:50] if r[0] and r[1] == r[2]]
    # Only a numeric-looking first column (ids, timestamps) is telling enough.
    id_shape = (
        shapes[0] if shapes and all(x == shapes[0] for x in shapes) and "9" in shapes[0] else None
    )
    eof_open = (
        bool(body) and not text.rstrip().endswith(('"', "'")) and "\n" in "".join(body[-1][0])
    )
    rows: list[dict[str, Any]] = []
    rejects: list[str | None] = []
    for fields, first, last in body:
        chunk: list[tuple[list[str] | None, int, str]]
        suspicious = (
            len(fields) != ncols
            or (
                eof_open
                and last == body[-1][2]
                and text.endswith(("\n", "\r"))
                and any(f.endswith(("\n", "\r")) for f in fields)
            )
            or _looks_swallowed(fields, ncols, delim, id_shape)
        )
        if last > first and suspicious:
            chunk = _recover_lines(physical, first, last, ncols, delim)
        elif len(fields) > ncols and any(f.strip() for f in fields[ncols:]):
            chunk = [(None, first, "".join(physical[first - 1 : last]).rstrip("\r\n"))]
        else:
            chunk = [(fields, first, "")]
        for parsed, lineno, line in chunk:
            if parsed is None:
                rows.append({"__line__": line, "__lineno__": lineno})
                reason = (
                    _BROKEN_QUOTE if last > first else f"wrong number of fields (expected {ncols})"
                )
                rejects.append(reason)
            else:
                padded = list(parsed[:ncols]) + [""] * (ncols - len(parsed))
                rows.append(dict(zip(header, padded, strict=True)))
                rejects.append(None)
    return rows_to_raw(
        rows,
        row_numbers=list(range(1, len(rows) + 1)),
        columns=header,
        source=source,
        path=path,
        row_rejects=rejects,
        layout=_renamed(layout, header),
    )


def _renamed(layout: SurveyLayout | None, header: list[str]) -> SurveyLayout | None:
    """The layout with its questions keyed by the de-duplicated header names."""
    if layout is None:
        return None
    questions = {
        new: layout.questions.get(old, new) for old, new in zip(layout.header, header, strict=False)
    }
    return SurveyLayout(layout.kind, layout.skip, header, questions)


def _dedupe_header(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header):
        name = h or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


# --- XLSX ---------------------------------------------------------------------------------------


def read_xlsx(path: str | Path, *, source: SourceConfig) -> pd.DataFrame:
    """Read the first sheet (or ``mapping.sheet``); the header is the first row with 2+ cells.

    Title rows above the header (a single cell like "Resident survey 2025") are skipped.
    """
    path = Path(path)
    mapping = source.mapping if isinstance(source.mapping, Mapping) else None
    sheet: str | int = 0 if mapping is None or mapping.sheet is None else mapping.sheet
    try:
        grid = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    except ValueError as exc:
        raise InputError(
            f"{path}: cannot open sheet {sheet!r}: {exc}. Check mapping.sheet."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise InputError(
            f"{path}: not a readable .xlsx workbook ({exc}); re-save it from Excel."
        ) from exc
    values = grid.to_numpy().tolist()
    has_header = mapping.has_header if mapping is not None else True
    start = 0
    while start < len(values) and sum(not _is_blank(v) for v in values[start]) < 2:
        start += 1
    if start >= len(values):
        return schemas.empty_raw_frame()
    layout = None
    if has_header:
        first = [_as_str(v) or "" for v in values[start]]
        data = values[start + 1 :]
        layout = detect_survey_layout(first, [[_as_str(v) or "" for v in r] for r in data[:2]])
        if layout is not None:
            first, data = layout.header, data[layout.skip :]
        header = _dedupe_header(first)
        header = [h.strip() for h in header]
    else:
        header = list(mapping.column_names) if mapping and mapping.column_names else []
        width = len(values[start])
        header = _dedupe_header(header + [f"column_{i + 1}" for i in range(len(header), width)])
        data = values[start:]
    rows = [dict(zip(header, r, strict=False)) for r in data if any(not _is_blank(v) for v in r)]
    return rows_to_raw(
        rows,
        row_numbers=list(range(1, len(rows) + 1)),
        columns=header,
        source=source,
        path=path,
        layout=_renamed(layout, header),
    )


# --- JSON / JSONL -------------------------------------------------------------------------------


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted keys: ``{"from": {"name": "x"}}`` -> ``{"from.name": "x"}``."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _columns_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows:
        for k in r:
            if not k.startswith("__"):
                cols.setdefault(k, None)
    return list(cols)


def find_items(doc: Any, *, path: str | Path, records_path: str | None) -> list[Any]:
    """The items of a JSON document: the document itself, ``records_path``, or its one list."""
    if records_path:
        node = doc
        for part in records_path.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise InputError(
                    f"{path}: records_path {records_path!r} not found (stopped at {part!r}); "
                    "check mapping.records_path against the file's keys."
                )
        doc = node
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        lists = [k for k, v in doc.items() if isinstance(v, list)]
        if len(lists) == 1:
            return doc[lists[0]]
        raise InputError(
            f"{path}: expected a list of items or an object with one list; found an object with "
            f"{len(lists)} list-valued keys ({', '.join(lists) or 'none'}). "
            "Set mapping.records_path to the one to read."
        )
    raise InputError(f"{path}: expected a JSON list of items, found {type(doc).__name__}.")


def _items_to_rows(items: Sequence[Any]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        rows.append(flatten(item) if isinstance(item, dict) else {"text": item})
    return rows


def load_json_document(path: str | Path) -> Any:
    """The parsed JSON document of a file (None when the file is empty), with a clear error."""
    text = read_text(Path(path)).text
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}. "
            "If it holds one object per line, name it .jsonl."
        ) from exc


def read_json(path: str | Path, *, source: SourceConfig, doc: Any = None) -> pd.DataFrame:
    """Read a JSON document holding a list of items (nested fields flattened with dots)."""
    path = Path(path)
    mapping = source.mapping if isinstance(source.mapping, Mapping) else None
    if doc is None:
        doc = load_json_document(path)
        if doc is None:
            return schemas.empty_raw_frame()
    items = find_items(doc, path=path, records_path=mapping.records_path if mapping else None)
    rows = _items_to_rows(items)
    if not rows:
        return schemas.empty_raw_frame()
    return rows_to_raw(
        rows,
        row_numbers=list(range(1, len(rows) + 1)),
        columns=_columns_of(rows),
        source=source,
        path=path,
    )


def read_jsonl(path: str | Path, *, source: SourceConfig) -> pd.DataFrame:
    """Read one JSON object per line; a line that is not valid JSON becomes a rejected raw row."""
    path = Path(path)
    text = read_text(path).text
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    rejects: list[str | None] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            rows.append({"__line__": line})
            rejects.append(_BAD_JSON)
        else:
            rows.append(flatten(obj) if isinstance(obj, dict) else {"text": obj})
            rejects.append(None)
        numbers.append(lineno)
    if not rows:
        return schemas.empty_raw_frame()
    columns = _columns_of(rows)
    if all(r is not None for r in rejects):
        columns = columns or ["text"]
    return rows_to_raw(
        rows, row_numbers=numbers, columns=columns, source=source, path=path, row_rejects=rejects
    )
