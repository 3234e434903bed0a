"""Readers: one function per input format, all returning raw rows (``schemas.RAW_COLUMNS``).

:func:`read_source` picks the reader from ``source.format`` or the file suffix and always returns
a frame with exactly the raw columns, rows in file order. Nothing is silently lost: rows the reader
can already tell are unusable carry a ``reject_reason`` (``broken quote``, ``invalid JSON line``,
``broken encoding``), and rows dropped by a rule carry one starting with ``dropped:`` (pol.is rows
moderated out, ``mapping.filter``/``mapping.exclude``), so the ingest stage can count both.

==========  ================================================================================
format      reader
==========  ================================================================================
csv, tsv    :func:`~voiceline.ingest.readers.tabular.read_csv` (TSV by suffix or delimiter)
xlsx        :func:`~voiceline.ingest.readers.tabular.read_xlsx`
json        list of items / one list-valued key / ``mapping.records_path``; a list of
            ``{"text", "start", "duration"}`` caption segments is a meeting transcript
jsonl       one object per line (also ``.ndjson``)
txt, md     meeting notes split into statements (also ``.markdown``)
docx        the same, from Word paragraphs (tables skipped)
vtt, srt    captions joined into speaker turns
==========  ================================================================================

An empty file (zero bytes or only whitespace) gives zero rows: reporting that is the stage's job.

Example::

    >>> from voiceline.config import SourceConfig
    >>> raw = read_source("comments.csv", source=SourceConfig(name="web", path="comments.csv"))
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from voiceline import schemas
from voiceline.config import SourceConfig
from voiceline.errors import InputError

__all__ = ["FORMATS", "detect_format", "read_source"]

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".vtt": "vtt",
    ".srt": "srt",
}
_SUPPORTED = sorted(set(FORMATS.values()))


def detect_format(path: str | Path, *, fmt: str | None = None) -> str:
    """The reader name for ``path``: ``fmt`` when given (checked), else from the suffix."""
    path = Path(path)
    if fmt:
        name = fmt.lower().lstrip(".")
        name = {"ndjson": "jsonl", "markdown": "md", "excel": "xlsx"}.get(name, name)
        if name not in _SUPPORTED:
            raise InputError(
                f"{path}: unknown format {fmt!r} in the source config; supported formats: "
                f"{', '.join(_SUPPORTED)}."
            )
        return name
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{path}: cannot tell the format from the suffix {suffix or '(none)'!r}; supported: "
            f"{', '.join(sorted(FORMATS))}. Rename the file or set `format:` in the source config."
        )
    return FORMATS[suffix]


def _read_json_any(path: Path, *, source: SourceConfig) -> pd.DataFrame:
    from voiceline.ingest.readers.captions import is_caption_json, read_caption_json
    from voiceline.ingest.readers.tabular import load_json_document, read_json

    doc = load_json_document(path)
    if doc is None:
        return schemas.empty_raw_frame()
    if is_caption_json(doc):
        return read_caption_json(path, source=source, doc=doc)
    return read_json(path, source=source, doc=doc)


def _reader(fmt: str) -> Callable[..., pd.DataFrame]:
    from voiceline.ingest.readers import captions, documents, tabular

    return {
        "csv": tabular.read_csv,
        "tsv": tabular.read_csv,
        "xlsx": tabular.read_xlsx,
        "json": _read_json_any,
        "jsonl": tabular.read_jsonl,
        "txt": documents.read_document,
        "md": documents.read_document,
        "docx": documents.read_document,
        "vtt": captions.read_vtt,
        "srt": captions.read_srt,
    }[fmt]


def read_source(path: str | Path, *, source: SourceConfig) -> pd.DataFrame:
    """Read one input file into raw rows: exactly ``schemas.RAW_COLUMNS``, in file order.

    Raises :class:`~voiceline.errors.InputError` for a missing file, an unknown format, a file
    that cannot be decoded or parsed at all, and a mapping naming columns the file lacks.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file does not exist; check the source path in the config.")
    if path.is_dir():
        raise InputError(
            f"{path}: is a folder, not a file; give a file or a glob like {path}/*.csv."
        )
    fmt = detect_format(path, fmt=source.format)
    if isinstance(source.mapping, str):
        from voiceline.config import load_mapping

        source = source.model_copy(update={"mapping": load_mapping(source.mapping)})
    if path.stat().st_size == 0:
        return schemas.empty_raw_frame()
    if fmt == "tsv" and source.mapping is None:
        from voiceline.config import Mapping

        source = source.model_copy(update={"mapping": Mapping(delimiter="\t")})
    elif fmt == "tsv" and not source.mapping.delimiter:  # type: ignore[union-attr]
        source = source.model_copy(
            update={"mapping": source.mapping.model_copy(update={"delimiter": "\t"})}  # type: ignore[union-attr]
        )
    frame = _reader(fmt)(path, source=source)
    frame = schemas.conform_raw(frame).reset_index(drop=True)
    frame[schemas.SOURCE_ROW] = frame[schemas.SOURCE_ROW].astype("int64")
    frame[schemas.RAW_IS_REACTION] = frame[schemas.RAW_IS_REACTION].fillna(False).astype(bool)
    for col in (schemas.RAW_LAT, schemas.RAW_LON):
        frame[col] = frame[col].astype("float64")
    return _objects_with_none(frame)


_NON_TEXT = {schemas.SOURCE_ROW, schemas.RAW_LAT, schemas.RAW_LON, schemas.RAW_IS_REACTION}


def _objects_with_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain object columns holding ``str`` or ``None`` (pandas 3 would infer
    its ``str`` dtype and turn ``None`` into NaN, which the contract does not allow)."""
    for col in frame.columns:
        if col in _NON_TEXT:
            continue
        values = frame[col].astype(object).tolist()
        frame[col] = pd.Series(
            [None if (v is None or (isinstance(v, float) and v != v)) else v for v in values],
            dtype=object,
            index=frame.index,
        )
    frame[schemas.TEXT] = frame[schemas.TEXT].map(lambda v: "" if v is None else v)
    return frame
