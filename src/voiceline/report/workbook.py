"""``findings.xlsx``: one formatted sheet per table, for people who work in Excel.

Every sheet gets a bold, frozen header row with an autofilter, column widths that fit the
content, percentages as ``%``, p- and q-values as ``0.000``, long texts wrapped, and withheld
rows shaded (their blank counts explained in a "Note" column). Texts are always written as text:
a resident comment that starts with ``=`` is never turned into a formula.

>>> from voiceline.report import workbook_tables, write_workbook
>>> write_workbook(workbook_tables(findings), "out/2026-10/findings.xlsx")  # doctest: +SKIP
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from copy import copy
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from voiceline.io import atomic_path
from voiceline.report.sheets import workbook_tables

__all__ = ["workbook_tables", "write_workbook", "sheet_name"]

PERCENT = {"share", "change %", "change_rel", "share of records"}
PVALUE = {"p-value", "q-value", "p_value", "q_value"}
DECIMAL2 = {"sentiment", "sentiment low", "sentiment high", "sentiment_mean", "sentiment_ci_low",
            "sentiment_ci_high"}
DECIMAL1 = {"expected"}
WRAPPED = {"quotes", "value", "meaning", "key words", "note", "examples"}
MAX_WIDTH = 60
WRAP_WIDTH = 80
MAX_CELL = 32_000  # Excel's limit is 32,767 characters
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: no ``[]:*?/\\``, at most 31 characters.

    >>> sheet_name("Spikes: by neighborhood / concern, last twelve months")
    'Spikes- by neighborhood - conce'
    """
    clean = _BAD_SHEET_CHARS.sub("-", str(name)).strip("'") or "Sheet"
    clean = clean[:31]
    taken = taken or set()
    base, i = clean, 2
    while clean.lower() in {t.lower() for t in taken}:
        suffix = f" ({i})"
        clean = base[: 31 - len(suffix)] + suffix
        i += 1
    return clean


def _cell_value(value: Any, illegal: re.Pattern[str]) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if isinstance(value, list | tuple | np.ndarray):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        value = "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, str):
        return illegal.sub("", value)[:MAX_CELL]
    return value


def _number_format(header: str) -> str | None:
    h = header.strip().lower()
    if h in PERCENT or h.endswith("%"):
        return "0.0%"
    if h in PVALUE:
        return "0.000"
    if h in DECIMAL2:
        return "0.00"
    if h in DECIMAL1:
        return "0.0"
    return None


def _width(header: str, values: list[Any]) -> float:
    sample = values[:500]
    longest = max([len(str(header))] + [
        max((len(line) for line in str(v).splitlines()), default=0) for v in sample
        if v is not None
    ])
    if header.strip().lower() in WRAPPED:
        return float(min(max(longest, 12), WRAP_WIDTH))
    return float(min(max(longest + 2, 8), MAX_WIDTH))


def _style_arrays(ws, headers: list[str], n_rows: int) -> list[tuple[Any, Any]]:
    """Per column, the (plain, shaded) cell style, built once on a scratch cell: setting
    styles cell by cell costs openpyxl a hash per attribute and dominates the write time."""
    from openpyxl.styles import Alignment, PatternFill

    shade = PatternFill("solid", fgColor="F2F2F2")
    scratch_row = n_rows + 2
    out = []
    for c, header in enumerate(headers, start=1):
        cell = ws.cell(row=scratch_row, column=c)
        wrapped = header.strip().lower() in WRAPPED
        cell.alignment = Alignment(vertical="top", wrap_text=wrapped)
        fmt = _number_format(header)
        if fmt:
            cell.number_format = fmt
        plain = copy(cell._style)
        cell.fill = shade
        shaded = copy(cell._style)
        out.append((plain, shaded))
    ws.delete_rows(scratch_row)
    return out


def _write_sheet(ws, frame: pd.DataFrame) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if frame.columns.empty:
        frame = pd.DataFrame({"Note": ["No rows."]})
    headers = [str(c) for c in frame.columns]
    ws.append(headers)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    columns = [[_cell_value(v, ILLEGAL_CHARACTERS_RE) for v in frame[c].tolist()]
               for c in frame.columns]
    withheld_col = next((i for i, h in enumerate(headers) if h.lower() == "withheld"), None)
    styles = _style_arrays(ws, headers, len(frame))
    for r, row in enumerate(zip(*columns, strict=True), start=2):
        shaded = withheld_col is not None and bool(row[withheld_col])
        for c, value in enumerate(row):
            cell = ws.cell(row=r, column=c + 1)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cell._style = copy(styles[c][shaded])  # one style object per column, not per cell
    for c, (header, values) in enumerate(zip(headers, columns, strict=True), start=1):
        ws.column_dimensions[get_column_letter(c)].width = _width(header, values)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(frame), 1) + 1}"


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write ``tables`` (sheet name -> table, in order) to an ``.xlsx`` file, atomically.

    Sheet names are made valid (at most 31 characters, no ``[]:*?/\\``) and unique.
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, frame in tables.items():
        title = sheet_name(name, taken)
        taken.add(title)
        _write_sheet(wb.create_sheet(title), frame if frame is not None else pd.DataFrame())
    if not taken:
        _write_sheet(wb.create_sheet("Findings"), pd.DataFrame())
    target = Path(path)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
