"""Decode a file's bytes into text, whatever export tool wrote it.

Survey tools write UTF-8 with a BOM, Excel "Unicode text" writes UTF-16, older exports write
cp1252, and files stitched together from several exports mix UTF-8 with a few stray cp1252 bytes.
:func:`decode_bytes` tries, in order: a BOM (UTF-8, UTF-16 LE/BE), strict UTF-8, *mostly* UTF-8
(a few undecodable bytes in an otherwise UTF-8 file: those bytes are kept as lone surrogates so the
reader can mark just the affected rows ``broken encoding``), strict cp1252, then the best guess of
charset-normalizer. Only when nothing fits is an :class:`~voiceline.errors.InputError` raised.

Example::

    >>> decode_bytes("café".encode("cp1252"), path="a.csv")
    Decoded(text='café', encoding='cp1252')
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import NamedTuple

from voiceline.errors import InputError

__all__ = ["BROKEN", "Decoded", "decode_bytes", "has_broken_bytes", "read_text", "scrub_broken"]

BROKEN = "broken encoding"
_SURROGATE = re.compile(r"[\udc80-\udcff]")
_VALID_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


class Decoded(NamedTuple):
    """Decoded text and the encoding that was used (``utf-8+broken`` for mostly-UTF-8 files)."""

    text: str
    encoding: str


def decode_bytes(data: bytes, *, path: str | Path) -> Decoded:
    """Decode ``data`` (the bytes of ``path``, named in errors); first encoding that fits wins."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict_or_broken(data[len(codecs.BOM_UTF8) :], path)
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: starts with a {enc.upper()} byte-order mark but byte {exc.start} "
                    f"is not valid {enc.upper()}; re-save the file as UTF-8."
                ) from exc
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    bad = sum(1 for _ in re.finditer(rb"[\x80-\xff]", data)) - sum(
        len(m.group(0)) for m in _VALID_MULTIBYTE.finditer(data)
    )
    good = len(_VALID_MULTIBYTE.findall(data))
    if good >= 3 and good >= 3 * max(bad, 1):
        # Mostly UTF-8: keep the few stray bytes as surrogates so rows can be isolated.
        return Decoded(data.decode("utf-8", errors="surrogateescape"), "utf-8+broken")
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return Decoded(str(best), best.encoding)
    raise InputError(
        f"{path}: cannot tell the text encoding (not UTF-8, UTF-16 or cp1252); "
        "re-save the file as UTF-8."
    )


def _strict_or_broken(data: bytes, path: str | Path) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8-sig")
    except UnicodeDecodeError:
        return Decoded(data.decode("utf-8", errors="surrogateescape"), "utf-8+broken")


def read_text(path: str | Path) -> Decoded:
    """Read and decode a file (see :func:`decode_bytes`)."""
    return decode_bytes(Path(path).read_bytes(), path=path)


def has_broken_bytes(s: str) -> bool:
    """True when ``s`` holds bytes that could not be decoded (lone surrogates)."""
    return bool(_SURROGATE.search(s))


def scrub_broken(s: str) -> str:
    """Replace undecodable bytes with U+FFFD so the text can be written anywhere."""
    return _SURROGATE.sub("\ufffd", s)
