"""Findings frames <-> trend-store rows: checked on the way in, findings dtypes on the way out.

:mod:`voiceline.store` speaks SQL; this module speaks values. It checks what
:meth:`~voiceline.store.TrendStore.write_period` is handed (the period, the job, the taxonomy
version and the frame, every problem of the frame listed at once), turns a findings frame into
plain Python rows a database accepts (NaN and ``pd.NA`` become NULL), and turns rows read back
into a frame with the dtypes :func:`~voiceline.findings.build_findings` produces.

>>> check_period("2026-10")
'2026-10'
>>> check_job(None)
'default'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.errors import SchemaError

JOB = "job"
"""The ``trends`` column that keeps the rows of two jobs sharing one store apart."""
DEFAULT_JOB = "default"
"""The job of rows written with ``job=None`` (notebooks, the ``findings`` command)."""
TRENDS_KEY: tuple[str, ...] = (*F.FINDINGS_KEY, S.TAXONOMY_VERSION)
"""The key of a findings row within one job: one row per key in a written frame."""
FLOAT_COLUMNS: tuple[str, ...] = (
    F.SHARE, F.SENTIMENT_MEAN, F.SENTIMENT_CI_LOW, F.SENTIMENT_CI_HIGH, F.CHANGE_REL, F.EXPECTED,
    F.P_VALUE, F.Q_VALUE,
)
BOOL_COLUMNS: tuple[str, ...] = (F.SPIKE, F.SUPPRESSED)

_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")  # as config.py checks a --period


def check_period(period: object) -> str:
    """``period`` when it is a ``YYYY-MM`` month; else a SchemaError naming it.

    ``unknown`` (the findings' bucket of records without a date) is refused too: it is no month,
    and a trend line cannot place it.
    """
    if isinstance(period, str) and _PERIOD.fullmatch(period):
        return period
    hint = ""
    if period == F.UNKNOWN:
        hint = (
            f"; the {F.UNKNOWN!r} rows (records without a date) have no place in a trend: "
            f"leave them out (findings[findings.period != {F.UNKNOWN!r}])"
        )
    raise SchemaError(
        f"write_period needs period as YYYY-MM (a month such as '2026-10'), got {period!r}{hint}"
    )


def check_job(job: object) -> str:
    """The job name to store: ``job`` itself, or :data:`DEFAULT_JOB` for ``None``."""
    if job is None:
        return DEFAULT_JOB
    if not isinstance(job, str) or not job.strip():
        raise SchemaError(
            f"the trend store needs job as a non-empty string (the job's name, e.g. 'monthly'), "
            f"got {job!r}"
        )
    return job


def check_taxonomy_version(version: object) -> str | None:
    """``version`` when it is None or a non-empty string; else a SchemaError."""
    if version is None or (isinstance(version, str) and version.strip()):
        return version
    raise SchemaError(
        f"taxonomy_version must be a non-empty string such as 'v1' (or None), got {version!r}"
    )


def rows_to_write(
    findings: pd.DataFrame, *, period: str, taxonomy_version: str | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The frame's rows as plain Python values, and the sorted taxonomy versions they have.

    Raises :class:`~voiceline.errors.SchemaError` listing every problem: a missing column, rows
    of another period or of another taxonomy version than ``taxonomy_version`` (when given),
    missing key values, repeated keys, values the store cannot hold.
    """
    if not isinstance(findings, pd.DataFrame):
        raise SchemaError(f"write_period needs a findings DataFrame, got {type(findings).__name__}")
    S.require_columns(findings, F.FINDINGS_COLUMNS, table="findings")
    problems = []
    other = findings[S.PERIOD] != period
    if other.any():
        found = sorted({str(p) for p in findings.loc[other, S.PERIOD]})
        problems.append(
            f"{int(other.sum())} row(s) have period {', '.join(found)}; write each period "
            f"separately (filter the frame on period == {period!r})"
        )
    if taxonomy_version is not None:
        versions = findings[S.TAXONOMY_VERSION]
        other = versions.notna() & (versions != taxonomy_version)
        if other.any():
            found = sorted({str(v) for v in versions[other]})
            problems.append(
                f"{int(other.sum())} row(s) have taxonomy_version {', '.join(found)}, not "
                f"{taxonomy_version!r} as the taxonomy_version argument says; write each version "
                "separately, or leave the argument out"
            )
    for col in (*TRENDS_KEY, *BOOL_COLUMNS):
        n_missing = int(findings[col].isna().sum())
        if n_missing:
            problems.append(f"{n_missing} row(s) have no {col} (the store needs it)")
    duplicated = findings.duplicated(list(TRENDS_KEY), keep=False)
    if duplicated.any():
        first = findings.loc[duplicated, list(TRENDS_KEY)].iloc[0].tolist()
        problems.append(f"{int(duplicated.sum())} row(s) repeat a key, e.g. {first}")
    columns = {}
    for col in F.FINDINGS_COLUMNS:
        convert = _converter(col)
        try:
            columns[col] = [convert(v) for v in findings[col].tolist()]
        except (TypeError, ValueError) as exc:
            problems.append(f"the column {col} has a value the store cannot hold: {exc}")
    if problems:
        raise SchemaError(
            f"cannot write these findings to the trend store as period {period}:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    names = list(columns)
    rows = [dict(zip(names, vals, strict=True)) for vals in zip(*columns.values(), strict=True)]
    return rows, sorted(set(columns[S.TAXONOMY_VERSION]))


def to_frame(rows: Sequence[Sequence[Any]], *, with_job: bool = False) -> pd.DataFrame:
    """Rows of (job, *findings columns) read back, as a findings frame.

    The frame has exactly :data:`~voiceline.findings.FINDINGS_COLUMNS` with the findings stage's
    dtypes, ordered by :data:`TRENDS_KEY` and then job; ``with_job`` keeps ``job`` as the first
    column.
    """
    names = (JOB, *F.FINDINGS_COLUMNS)
    by_column = list(zip(*rows, strict=True)) or [()] * len(names)
    out = {}
    for col, column_values in zip(names, by_column, strict=True):
        values = list(column_values)
        if col in F.COUNT_COLUMNS:
            out[col] = pd.array(values, dtype="Int64")
        elif col in FLOAT_COLUMNS:
            out[col] = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
        elif col in BOOL_COLUMNS:
            out[col] = pd.Series([bool(v) for v in values], dtype=bool)
        else:  # object columns of str and None, as the findings stage makes them
            out[col] = pd.Series(values, dtype="object")
    restored = pd.DataFrame(out, columns=list(names))
    restored = restored.sort_values([*TRENDS_KEY, JOB], kind="stable").reset_index(drop=True)
    return restored if with_job else restored.drop(columns=JOB)


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _to_int(value: Any) -> int | None:
    return None if _is_missing(value) else int(value)


def _to_float(value: Any) -> float | None:
    return None if _is_missing(value) else float(value)


def _to_text(value: Any) -> str | None:
    if _is_missing(value):
        return None
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _to_str(value: Any) -> str | None:
    return None if _is_missing(value) else str(value)


def _converter(column: str) -> Callable[[Any], Any]:
    if column in F.COUNT_COLUMNS:
        return _to_int
    if column in FLOAT_COLUMNS:
        return _to_float
    if column in BOOL_COLUMNS:
        return bool
    if column == F.QUOTES:
        return _to_text
    return _to_str


__all__ = [
    "BOOL_COLUMNS", "DEFAULT_JOB", "FLOAT_COLUMNS", "JOB", "TRENDS_KEY", "check_job",
    "check_period", "check_taxonomy_version", "rows_to_write", "to_frame",
]
