"""Files at the edges: atomic writes of tables and JSON, content hashes, reading stage tables.

Every write goes to a temporary file in the target folder and is renamed into place, so a killed
run never leaves a half-written table that looks complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from voiceline.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once, at import: os.umask is process-wide, not thread-safe


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp makes the file private (0600); a finished table or report gets the usual mode
    # (0666 less the umask), so the dashboard's or web server's group can read it as usual
    os.chmod(tmp_path, 0o666 & ~_UMASK)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _write_with(path: str | Path, writer: Callable[[Path], None]) -> Path:
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a stage table atomically; the format follows the suffix (.parquet, .csv, .xlsx, .jsonl)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _write_with(path, lambda p: _to_parquet(frame, p))
    if suffix == ".csv":
        return _write_with(path, lambda p: _csv_ready(frame).to_csv(p, index=False))
    if suffix == ".xlsx":
        return _write_with(path, lambda p: _csv_ready(frame).to_excel(p, index=False))
    if suffix in (".jsonl", ".ndjson"):
        return _write_with(
            path, lambda p: frame.to_json(p, orient="records", lines=True, date_format="iso")
        )
    raise InputError(
        f"cannot write {path}: unknown table format {suffix!r}; use .parquet, .csv, .xlsx or .jsonl"
    )


def _to_parquet(frame: pd.DataFrame, p: Path) -> None:
    frame.to_parquet(p, index=False, engine="pyarrow")


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Nested values (lists, dicts) as JSON text, so CSV and Excel users see them plainly."""
    out = frame.copy()
    for col in out.columns:
        if (
            out[col].dtype == object
            and out[col].map(lambda v: isinstance(v, (list, dict, tuple))).any()
        ):
            out[col] = out[col].map(
                lambda v: (
                    json.dumps(_plain(v), ensure_ascii=False)
                    if isinstance(v, (list, dict, tuple))
                    else v
                )
            )
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return out


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "item"):
        return v.item()
    return v


def write_json(data: Any, path: str | Path) -> Path:
    """Write JSON atomically (sorted keys, UTF-8, indented) so diffs between runs are readable."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return _write_with(path, lambda p: p.write_text(text + "\n", encoding="utf-8"))


def read_table(path: str | Path, *, what: str = "table") -> pd.DataFrame:
    """Read a stage table written by voiceline (Parquet, CSV or JSONL), with a clear error."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{what} {path} does not exist; check the path.")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a user-facing input problem
        raise InputError(f"{what} {path} cannot be read as {suffix[1:]}: {exc}") from exc
    raise InputError(
        f"{what} {path}: unknown table format {suffix!r}; use .parquet, .csv or .jsonl"
    )


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def text_sha256(text: str) -> str:
    """Hex sha256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
