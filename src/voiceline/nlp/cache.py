"""An on-disk embedding cache, so a text is encoded once per model, ever.

Why SQLite: one file, safe when two runs share it (WAL journal, a busy timeout, ``INSERT OR
IGNORE`` so two writers of the same text agree), survives between runs, and needs nothing
installed. Rows are keyed by (model id, sha256 of the text) and hold the float32 vector as a
blob; the model id changes when the weights change, so a new model never reads old vectors.

A cache is only a cache: when the file turns out to be corrupt it is moved aside (renamed to
``<name>.corrupt-<time>``) with a warning naming both paths, and an empty one is started; the run
goes on, re-encoding what it needs.

>>> from voiceline.nlp.embeddings import FakeEncoder
>>> import tempfile, os
>>> cache = EmbeddingCache.open(os.path.join(tempfile.mkdtemp(), "emb.sqlite"))
>>> enc = CachedEncoder(FakeEncoder(dim=8), cache)
>>> _ = enc.encode(["dark alley", "dark alley", "loud music"])
>>> _ = enc.encode(["dark alley"])
>>> enc.stats
CacheStats(hits=1, misses=2)
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voiceline.errors import ModelError
from voiceline.progress import ProgressFn, no_progress

log = logging.getLogger("voiceline")

SCHEMA_VERSION = 1
_CHUNK = 500  # keys per SELECT ... IN (...), well under SQLite's variable limit
_BUSY_MS = 60_000


def text_hash(text: str) -> str:
    """The cache key of a text: sha256 of its UTF-8 bytes, hex.

    >>> text_hash("hi")[:12]
    '8f434346648f'
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class EmbeddingCache:
    """Vectors on disk keyed by (model_id, text hash); see the module docstring for why.

    Use :meth:`open` (it creates the folder and the file). One instance may be shared by threads
    (a lock guards the connection); processes each open their own.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._connect()

    @classmethod
    def open(cls, path: str | Path) -> EmbeddingCache:
        """Open (or create) the cache file at ``path``."""
        return cls(path)

    # -- connection ---------------------------------------------------------------------------
    def _connect(self) -> None:
        try:
            self._conn = self._try_connect()
        except sqlite3.DatabaseError as exc:
            self._move_aside(exc)
            self._conn = self._try_connect()

    def _try_connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=_BUSY_MS / 1000, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            conn.execute(
                "CREATE TABLE IF NOT EXISTS embeddings ("
                " model_id TEXT NOT NULL, text_hash TEXT NOT NULL, dim INTEGER NOT NULL,"
                " vector BLOB NOT NULL, PRIMARY KEY (model_id, text_hash)) WITHOUT ROWID"
            )
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)",
                (str(SCHEMA_VERSION),),
            )
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError:
            conn.close()
            raise
        if row is None or row[0] != str(SCHEMA_VERSION):
            conn.close()
            raise ModelError(
                f"embedding cache {self.path} has schema version {row and row[0]!r}, expected "
                f"{SCHEMA_VERSION!r} (written by another voiceline version); delete the file "
                f"or point VOICELINE_CACHE at another folder."
            )
        return conn

    def _move_aside(self, exc: BaseException) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:  # pragma: no cover - closing a broken handle
                pass
            self._conn = None
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                src.replace(Path(str(aside) + suffix))
        log.warning(
            "embedding cache %s is corrupt (%s): moved it to %s and started an empty one; "
            "texts will be encoded again",
            self.path,
            exc,
            aside,
        )

    def _run(self, fn):
        """Run ``fn(conn)``; on corruption move the file aside, reconnect and run it again."""
        with self._lock:
            try:
                return fn(self._conn)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    raise ModelError(
                        f"embedding cache {self.path} stayed locked for {_BUSY_MS // 1000} s "
                        f"by another run; wait for it or set VOICELINE_CACHE to another folder."
                    ) from exc
                self._move_aside(exc)
                self._conn = self._try_connect()
                return fn(self._conn)

    # -- API ----------------------------------------------------------------------------------
    def get_many(self, model_id: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``hashes`` for ``model_id`` (absent ones are left out)."""
        keys = list(dict.fromkeys(hashes))

        def _get(conn: sqlite3.Connection) -> dict[str, np.ndarray]:
            found: dict[str, np.ndarray] = {}
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT text_hash, dim, vector FROM embeddings"
                    f" WHERE model_id = ? AND text_hash IN ({marks})",
                    (model_id, *chunk),
                )
                for key, dim, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape[0] == dim:  # a short blob is treated as absent
                        found[key] = vec
            return found

        return self._run(_get)

    def put_many(
        self, model_id: str, items: Mapping[str, np.ndarray] | Iterable[tuple[str, np.ndarray]]
    ) -> int:
        """Store ``(hash, vector)`` pairs for ``model_id``; existing keys are kept. Returns the
        number of pairs offered."""
        pairs = list(items.items() if isinstance(items, Mapping) else items)
        rows = []
        for key, vec in pairs:
            arr = np.ascontiguousarray(vec, dtype=np.float32).reshape(-1)
            rows.append((model_id, key, int(arr.shape[0]), arr.tobytes()))

        def _put(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR IGNORE INTO embeddings (model_id, text_hash, dim, vector)"
                    " VALUES (?, ?, ?, ?)",
                    rows,
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return len(rows)

        return self._run(_put) if rows else 0

    def count(self, model_id: str | None = None) -> int:
        """How many vectors are stored (for ``model_id``, or all)."""

        def _count(conn: sqlite3.Connection) -> int:
            if model_id is None:
                return conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]
            return conn.execute(
                "SELECT count(*) FROM embeddings WHERE model_id = ?", (model_id,)
            ).fetchone()[0]

        return int(self._run(_count))

    def close(self) -> None:
        """Close the connection (also done when the object is collected)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.path)!r})"


@dataclass
class CacheStats:
    """Distinct texts found in the cache (``hits``) and encoded by the model (``misses``)."""

    hits: int = 0
    misses: int = 0


class CachedEncoder:
    """Wraps an encoder so that only texts it has never seen reach the model.

    Same ``model_id`` and ``dim`` as the wrapped encoder, so it fits wherever that one does.
    Duplicates within one call are encoded once; empty texts get zero rows without a lookup.

    >>> from voiceline.nlp.embeddings import FakeEncoder
    >>> import tempfile, os
    >>> fake = FakeEncoder(dim=4)
    >>> enc = CachedEncoder(fake, EmbeddingCache.open(os.path.join(tempfile.mkdtemp(), "c.db")))
    >>> _ = enc.encode(["a b", "a b", ""]); fake.encoded
    1
    """

    def __init__(self, encoder, cache: EmbeddingCache) -> None:
        self.encoder = encoder
        self.cache = cache
        self.model_id: str = encoder.model_id
        self.dim: int = int(encoder.dim)
        self.stats = CacheStats()

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: ProgressFn = no_progress
    ) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        slots: dict[str, list[int]] = {}
        first_text: dict[str, str] = {}
        for i, text in enumerate(texts):
            if not text or not text.strip():
                continue
            key = text_hash(text)
            if key not in slots:
                slots[key] = []
                first_text[key] = text
            slots[key].append(i)
        found = self.cache.get_many(self.model_id, slots)
        missing = [k for k in slots if k not in found]
        self.stats.hits += len(found)
        self.stats.misses += len(missing)
        if missing:
            vectors = np.asarray(
                self.encoder.encode(
                    [first_text[k] for k in missing], batch_size=batch_size, progress=progress
                ),
                dtype=np.float32,
            )
            if vectors.shape != (len(missing), self.dim):
                raise ModelError(
                    f"encoder {self.model_id} returned an array of shape {vectors.shape}, "
                    f"expected {(len(missing), self.dim)}; check its encode() method."
                )
            self.cache.put_many(self.model_id, zip(missing, vectors, strict=True))
            found.update(zip(missing, vectors, strict=True))
        else:
            progress("encoding", len(texts), len(texts))
        for key, rows in slots.items():
            out[rows] = found[key]
        return out

    def __repr__(self) -> str:
        return f"CachedEncoder({self.encoder!r}, {self.cache!r})"
