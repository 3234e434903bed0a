"""The trend store: the findings rows of every run, in a database that dashboards read.

One store, three tables (SQLAlchemy Core, no ORM: the rows are plain findings rows):

- ``trends``: one SQL column per findings column (:data:`voiceline.findings.FINDINGS_COLUMNS`),
  keyed by (``period``, ``neighborhood_id``, ``concern_id``, ``taxonomy_version``), plus
  ``written_at``. Counts are nullable integers (NULL where disclosure control withheld them),
  ``quotes`` is the findings' JSON text, NaN floats are stored as NULL (SQLite cannot keep NaN).
- ``runs``: one row per write (run id, job name, period, config hash, taxonomy version, rows).
- ``voiceline_meta``: ``schema_version`` (:data:`SCHEMA_VERSION`).

Choices (each one is something a unit may ask about):

- **Re-running a period replaces it.** :meth:`TrendStore.write_period` deletes the period's rows
  of the frame's taxonomy version(s), inserts the new rows and records the run, all in ONE
  transaction: a failed or killed write leaves the store exactly as it was, and a dashboard
  reading meanwhile sees the old period or the new one, never half of each. Writers take a lock
  first (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so two jobs writing at once
  queue instead of failing on each other's rows; readers never wait for it.
- **Other taxonomy versions are kept**: rows of v1 and v2 of the taxonomy live side by side, so a
  unit that edits its taxonomy keeps its history; :meth:`TrendStore.read` filters by version.
- **SQLite** (the default, ``sqlite:///OUT/voiceline.db``, no server) runs in WAL mode with a
  30 s busy timeout, so a dashboard can read while a run writes. **PostgreSQL**
  (``postgresql+psycopg://user:password@host/db``) for shared deployments; a schema other than
  ``public`` is chosen in the URL: ``...?options=-csearch_path%3Dvoiceline``.
- **A store made by another version is never touched.** Opening checks ``schema_version`` and the
  columns before writing anything; a mismatch is a :class:`~voiceline.errors.StoreError` that says
  which version it is. Tables are created only in a database that has none of them.
- **Errors say how to recover**: the URL (password shown as ``***``), what failed, what to do.
  A server that cannot be reached, or a store locked beyond the busy timeout, raises
  :class:`~voiceline.errors.StoreUnavailableError` (exit 4: a scheduler may retry later);
  everything else that a person must fix (bad URL, password, permissions, a foreign store)
  raises :class:`~voiceline.errors.StoreError` (exit 1).

Example::

    with open_store("sqlite:///out/voiceline.db") as store:
        store.write_period(findings, period="2026-10", job="monthly")
        history = store.read(taxonomy_version="v1", before="2026-10")
"""

from __future__ import annotations

import json
import logging
import math
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.errors import SchemaError, StoreError, StoreUnavailableError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
"""Version of the store's tables; bump it (and write a migration) whenever they change."""

TRENDS = "trends"
RUNS = "runs"
META = "voiceline_meta"
WRITTEN_AT = "written_at"
TRENDS_KEY: tuple[str, ...] = (*F.FINDINGS_KEY, S.TAXONOMY_VERSION)
BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10

FLOAT_COLUMNS: tuple[str, ...] = (
    F.SHARE, F.SENTIMENT_MEAN, F.SENTIMENT_CI_LOW, F.SENTIMENT_CI_HIGH, F.CHANGE_REL, F.EXPECTED,
    F.P_VALUE, F.Q_VALUE,
)
BOOL_COLUMNS: tuple[str, ...] = (F.SPIKE, F.SUPPRESSED)

_DRIVERS = {  # backend -> driver -> what to install
    "sqlite": {"pysqlite": "nothing (sqlite3 is part of Python)"},
    "postgresql": {
        "psycopg": "'psycopg[binary]'", "psycopg2": "psycopg2-binary", "pg8000": "pg8000"
    },
}
_WRITE = "voiceline_write"  # execution option: this connection's transaction will write
_PG_LOCK_KEY = 0x766F6963  # advisory lock held by writers ("voic")
_FIX_URL = "check the store URL in the config's `store.url` or pass --store"
_FIX = _FIX_URL[0].upper() + _FIX_URL[1:] + "."


def _tables() -> tuple[sa.MetaData, sa.Table, sa.Table, sa.Table]:
    md = sa.MetaData()
    cols = []
    for name in F.FINDINGS_COLUMNS:
        if name in TRENDS_KEY:
            cols.append(sa.Column(name, sa.String, primary_key=True))
        elif name in F.COUNT_COLUMNS:
            cols.append(sa.Column(name, sa.Integer, nullable=True))
        elif name in FLOAT_COLUMNS:
            cols.append(sa.Column(name, sa.Float, nullable=True))
        elif name in BOOL_COLUMNS:
            cols.append(sa.Column(name, sa.Boolean, nullable=False))
        elif name == F.QUOTES:
            cols.append(sa.Column(name, sa.Text, nullable=True))
        else:
            cols.append(sa.Column(name, sa.String, nullable=True))
    trends = sa.Table(TRENDS, md, *cols, sa.Column(WRITTEN_AT, sa.DateTime(timezone=True)))
    runs = sa.Table(
        RUNS, md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(F.RUN_ID, sa.String), sa.Column("job", sa.String),
        sa.Column(S.PERIOD, sa.String, nullable=False), sa.Column(F.CONFIG_HASH, sa.String),
        sa.Column(S.TAXONOMY_VERSION, sa.String), sa.Column("n_rows", sa.Integer, nullable=False),
        sa.Column(WRITTEN_AT, sa.DateTime(timezone=True), nullable=False),
    )
    meta = sa.Table(
        META, md, sa.Column("key", sa.String, primary_key=True), sa.Column("value", sa.Text)
    )
    return md, trends, runs, meta


def open_store(url: str) -> TrendStore:
    """Open (and on first use create) the trend store at a SQLAlchemy ``url``.

    ``sqlite:///path/voiceline.db`` creates the folder if needed; ``sqlite://`` is an in-memory
    store (notebooks, tests). ``postgresql://`` means ``postgresql+psycopg://``. Raises
    :class:`~voiceline.errors.StoreError` when the database cannot be reached, its driver is
    missing, or its tables were made by another version (those are left untouched).
    """
    sa_url = _parse_url(url)
    engine = _make_engine(sa_url)
    store = TrendStore(engine, sa_url)
    try:
        store._prepare()
    except BaseException:
        engine.dispose()
        raise
    return store


class TrendStore:
    """A connection pool to one trend store; use :func:`open_store` to get one.

    Safe to keep open for a dashboard's lifetime; close it (or use ``with``) when done.
    """

    def __init__(self, engine: sa.Engine, url: sa.URL):
        self._engine = engine
        self._url = url
        self._md, self._trends, self._runs, self._meta = _tables()
        self._closed = False

    @property
    def url(self) -> str:
        """The store URL with its password shown as ``***``."""
        return _masked(self._url)

    def __repr__(self) -> str:
        return f"TrendStore({self.url!r})"

    def __enter__(self) -> TrendStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection; the store cannot be used afterwards."""
        if not self._closed:
            self._engine.dispose()
            self._closed = True

    # --- writing ---------------------------------------------------------------------------

    def write_period(
        self, findings: pd.DataFrame, *, period: str, job: str | None = None
    ) -> int:
        """Replace the rows of ``period`` (of the frame's taxonomy versions) by ``findings``.

        All rows must be of ``period`` and carry every findings column (else
        :class:`~voiceline.errors.SchemaError` naming them). One transaction: on any failure the
        store is as before. An empty frame changes no rows but is recorded in ``runs``. Returns
        the number of rows written.
        """
        rows, versions = _rows_to_write(findings, period)
        now = datetime.now(UTC)
        t = self._trends
        with self._errors(f"writing period {period}"), self._transaction(write=True) as conn:
            if versions:
                old = (t.c[S.PERIOD] == period) & t.c[S.TAXONOMY_VERSION].in_(versions)
                conn.execute(sa.delete(t).where(old))
            if rows:
                conn.execute(sa.insert(t), [{**r, WRITTEN_AT: now} for r in rows])
            self._record_run(conn, findings, period=period, job=job, n_rows=len(rows), at=now)
        return len(rows)

    def _record_run(
        self, conn: sa.Connection, findings: pd.DataFrame, *, period: str, job: str | None,
        n_rows: int, at: datetime,
    ) -> None:
        def joined(col: str) -> str | None:
            values = sorted({str(v) for v in findings[col] if isinstance(v, str) and v})
            return ",".join(values) or None

        conn.execute(sa.insert(self._runs).values(
            **{F.RUN_ID: joined(F.RUN_ID), "job": job, S.PERIOD: period,
               F.CONFIG_HASH: joined(F.CONFIG_HASH), S.TAXONOMY_VERSION: joined(S.TAXONOMY_VERSION),
               "n_rows": n_rows, WRITTEN_AT: at}
        ))

    # --- reading ---------------------------------------------------------------------------

    def read(
        self,
        taxonomy_version: str | None = None,
        before: str | None = None,
        periods: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """The stored findings rows, with the findings table's columns and dtypes.

        Filters: one ``taxonomy_version``; periods strictly ``before`` a ``YYYY-MM`` (the
        ``history`` of :func:`~voiceline.findings.build_findings`); an explicit list of
        ``periods``. Rows are ordered by period, neighborhood, concern, taxonomy version.
        """
        t = self._trends
        query = sa.select(*(t.c[c] for c in F.FINDINGS_COLUMNS))
        if taxonomy_version is not None:
            query = query.where(t.c[S.TAXONOMY_VERSION] == taxonomy_version)
        if before is not None:
            query = query.where(t.c[S.PERIOD] < before)
        if periods is not None:
            wanted = [periods] if isinstance(periods, str) else list(periods)
            query = query.where(t.c[S.PERIOD].in_(wanted))
        with self._errors("reading trends"), self._transaction() as conn:
            rows = conn.execute(query).all()
        return _to_frame(rows)

    def periods(self, taxonomy_version: str | None = None) -> list[str]:
        """The stored periods, sorted (of one taxonomy version when given)."""
        t = self._trends
        query = sa.select(t.c[S.PERIOD]).distinct()
        if taxonomy_version is not None:
            query = query.where(t.c[S.TAXONOMY_VERSION] == taxonomy_version)
        with self._errors("reading periods"), self._transaction() as conn:
            return sorted(conn.execute(query).scalars())

    def runs(self) -> pd.DataFrame:
        """The ``runs`` table, oldest write first (``written_at`` in UTC)."""
        r = self._runs
        with self._errors("reading runs"), self._transaction() as conn:
            rows = conn.execute(sa.select(r).order_by(r.c.id)).all()
        names = [c.name for c in r.columns]
        by_column = list(zip(*rows, strict=True)) or [()] * len(names)
        frame = pd.DataFrame(
            {name: pd.Series(list(values), dtype=object) for name, values in zip(names, by_column,
                                                                                  strict=True)}
        )
        frame["n_rows"] = frame["n_rows"].astype("int64")
        frame[WRITTEN_AT] = pd.to_datetime(frame[WRITTEN_AT], utc=True)
        return frame.drop(columns="id")

    # --- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[sa.Connection]:
        if self._closed:
            raise StoreError(f"the trend store {self.url} is closed; open it again with open_store")
        with self._engine.connect() as conn:
            if write:
                conn.execution_options(**{_WRITE: True})
            with conn.begin():
                if write and conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
                yield conn

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sa_exc.DBAPIError as exc:
            message, retry_later = self._describe(exc, doing)
            raise (StoreUnavailableError if retry_later else StoreError)(message) from exc
        except sa_exc.SQLAlchemyError as exc:
            raise StoreError(f"trend store {self.url}: {doing} failed ({exc}).") from exc

    def _describe(self, exc: sa_exc.DBAPIError, doing: str) -> tuple[str, bool]:
        """The message, and whether a later retry may succeed (server down, store locked)."""
        reason = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
        if self._url.password:
            reason = reason.replace(str(self._url.password), "***")
        low = reason.lower()
        retry_later = False
        if "locked" in low:
            hint = "Another process kept the store locked: retry when it has finished."
            retry_later = True
        elif "not a database" in low:
            hint = f"That file is not a SQLite database. {_FIX}"
        elif "unable to open" in low or "readonly" in low or "read-only" in low:
            hint = f"Check that the file and its folder exist and are writable. {_FIX}"
        elif "permission denied" in low or "must be owner" in low:
            hint = (
                "Grant the database user the rights it lacks, or give it a schema of its own "
                "in the URL (...?options=-csearch_path%3Dvoiceline)."
            )
        elif "password" in low or "authentication" in low or "role" in low:
            hint = f"Check the user name and password. {_FIX}"
        elif self._url.get_backend_name() == "postgresql" and (
            isinstance(exc, sa_exc.OperationalError) or exc.connection_invalidated
        ):
            hint = f"Is the server running and reachable? {_FIX}"
            retry_later = True
        else:
            hint = "The store may be damaged or edited by hand: see the cause in parentheses."
        return f"trend store {self.url}: {doing} failed ({reason}). {hint}", retry_later

    def _prepare(self) -> None:
        """Check the tables; create them in a database that has none; never alter others."""
        with self._errors("opening the store"):
            with self._transaction() as conn:
                present = self._check(conn)
            if not present:
                with self._transaction(write=True) as conn:
                    if not self._check(conn):  # another process may have made them meanwhile
                        self._md.create_all(conn)
                        conn.execute(sa.insert(self._meta).values(
                            key="schema_version", value=str(SCHEMA_VERSION)
                        ))
            if self._engine.dialect.name == "sqlite" and _sqlite_file(self._url):
                # On the DBAPI connection: SQLite refuses to change the journal inside a
                # transaction, and a SQLAlchemy connection would begin one.
                raw = self._engine.raw_connection()
                try:
                    mode = raw.driver_connection.execute("PRAGMA journal_mode").fetchone()[0]
                    if str(mode).lower() != "wal":
                        raw.driver_connection.execute("PRAGMA journal_mode=WAL")
                except sqlite3.Error as exc:  # e.g. a read-only copy: usable, readers may wait
                    log.warning("trend store %s: cannot switch to WAL mode (%s)", self.url, exc)
                finally:
                    raw.close()

    def _check(self, conn: sa.Connection) -> bool:
        """False when none of the store's tables exist; raise when they are not this version's."""
        names = set(sa.inspect(conn).get_table_names())
        ours = names & {TRENDS, RUNS, META}
        if not ours:
            return False
        if META not in names:
            raise self._foreign(
                f"it has {', '.join(sorted(ours))} but no {META} table, so it was made by a "
                "voiceline from before store versions or by another tool"
            )
        value = conn.execute(
            sa.select(self._meta.c.value).where(self._meta.c.key == "schema_version")
        ).scalar()
        if value is None or value.strip() != str(SCHEMA_VERSION):
            made = f"schema version {value}" if value is not None else "no schema_version"
            raise self._foreign(f"it was made with store {made}")
        inspector = sa.inspect(conn)
        problems = []
        for table in (self._trends, self._runs):
            if table.name not in names:
                problems.append(f"the {table.name} table is missing")
                continue
            have = {c["name"] for c in inspector.get_columns(table.name)}
            lacking = [c.name for c in table.columns if c.name not in have]
            if lacking:
                problems.append(f"the {table.name} table lacks column(s) {', '.join(lacking)}")
        if problems:
            raise self._foreign(f"it says schema version {value} but {'; '.join(problems)}")
        return True

    def _foreign(self, what: str) -> StoreError:
        return StoreError(
            f"the trend store {self.url} was not made by this voiceline (store schema version "
            f"{SCHEMA_VERSION}): {what}. It was left untouched: migrate it to version "
            f"{SCHEMA_VERSION}, or use a new store URL ({_FIX_URL})."
        )


# --- URL and engine --------------------------------------------------------------------------


def _masked(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def _parse_url(url: str) -> sa.URL:
    text = str(url).strip()
    if "://" not in text:
        raise StoreError(
            f"the store URL {text!r} is not a database URL; use sqlite:///path/voiceline.db "
            f"or postgresql+psycopg://user:password@host/db ({_FIX_URL})"
        )
    text = re.sub(r"^(postgres|postgresql)://", "postgresql+psycopg://", text)
    try:
        parsed = sa.make_url(text)
    except sa_exc.ArgumentError as exc:
        raise StoreError(f"the store URL is not valid: {exc} ({_FIX_URL})") from exc
    backend, _, driver = parsed.drivername.partition("+")
    supported = ", ".join(f"{b}://" for b in _DRIVERS)
    if backend not in _DRIVERS:
        raise StoreError(
            f"the store URL {_masked(parsed)} uses {backend}://, which voiceline does not "
            f"support; use one of {supported} ({_FIX_URL})"
        )
    if driver and driver not in _DRIVERS[backend]:
        raise StoreError(
            f"the store URL {_masked(parsed)} names driver {driver!r}; for {backend} use one of "
            f"{', '.join(_DRIVERS[backend])} ({_FIX_URL})"
        )
    return parsed


def _sqlite_file(url: sa.URL) -> Path | None:
    """The database file of a SQLite URL; None for in-memory or ``file:`` URI databases."""
    db = url.database or ""
    if db in ("", ":memory:") or db.startswith("file:"):
        return None
    return Path(db)


def _make_engine(url: sa.URL) -> sa.Engine:
    backend, _, driver = url.drivername.partition("+")
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        path = _sqlite_file(url)
        if path is not None:
            path = path.expanduser()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder of the trend store {path}: {exc.strerror}; "
                    f"{_FIX_URL}"
                ) from exc
            url = url.set(database=str(path))
        elif not url.database or url.database == ":memory:":
            kwargs.update(poolclass=sa.StaticPool, connect_args={"check_same_thread": False})
    else:
        kwargs["pool_pre_ping"] = True
        if "connect_timeout" not in url.query:
            kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        engine = sa.create_engine(url, **kwargs)
    except ImportError as exc:
        package = _DRIVERS[backend].get(driver or "psycopg", driver)
        raise StoreError(
            f"the database driver for {_masked(url)} is not installed ({exc}); install it with "
            f"`pip install {package}`, or use a postgresql+psycopg:// URL"
        ) from exc
    if backend == "sqlite":
        _sqlite_events(engine)
    return engine


def _sqlite_events(engine: sa.Engine) -> None:
    """SQLAlchemy's recipe for real SQLite transactions, plus a busy timeout.

    sqlite3's own transaction handling would commit DDL on its own and begin late; here every
    transaction begins with BEGIN (readers) or BEGIN IMMEDIATE (writers: the write lock is taken
    up front, so a writer waits up to the busy timeout instead of failing half-way).
    """

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(_WRITE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# --- frames <-> rows -------------------------------------------------------------------------


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


def _converter(column: str):
    if column in F.COUNT_COLUMNS:
        return _to_int
    if column in FLOAT_COLUMNS:
        return _to_float
    if column in BOOL_COLUMNS:
        return bool
    if column == F.QUOTES:
        return _to_text
    return _to_str


def _rows_to_write(findings: pd.DataFrame, period: str) -> tuple[list[dict], list[str]]:
    """Validate a findings frame for one period; return its rows as plain Python values."""
    if not isinstance(findings, pd.DataFrame):
        raise SchemaError(f"write_period needs a findings DataFrame, got {type(findings).__name__}")
    if not isinstance(period, str) or not period:
        raise SchemaError(f"write_period needs a period such as '2026-10', got {period!r}")
    S.require_columns(findings, F.FINDINGS_COLUMNS, table="findings")
    problems = []
    other = findings[S.PERIOD] != period
    if other.any():
        found = sorted({str(p) for p in findings.loc[other, S.PERIOD]})
        problems.append(
            f"{int(other.sum())} row(s) have period {', '.join(found)}; write each period "
            f"separately (filter the frame on period == {period!r})"
        )
    for col in (*TRENDS_KEY, *BOOL_COLUMNS):
        n_missing = int(findings[col].isna().sum())
        if n_missing:
            problems.append(f"{n_missing} row(s) have no {col} (the store needs it)")
    duplicated = findings.duplicated(list(TRENDS_KEY), keep=False)
    if duplicated.any():
        first = findings.loc[duplicated, list(TRENDS_KEY)].iloc[0].tolist()
        problems.append(f"{int(duplicated.sum())} row(s) repeat a key, e.g. {first}")
    if problems:
        raise SchemaError(
            f"cannot write these findings to the trend store as period {period}:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    columns = {}
    for col in F.FINDINGS_COLUMNS:
        convert = _converter(col)
        try:
            columns[col] = [convert(v) for v in findings[col].tolist()]
        except (TypeError, ValueError) as exc:
            raise SchemaError(
                f"the findings column {col} has a value the store cannot hold: {exc}"
            ) from exc
    names = list(columns)
    rows = [dict(zip(names, vals, strict=True)) for vals in zip(*columns.values(), strict=True)]
    versions = sorted(set(columns[S.TAXONOMY_VERSION]))
    return rows, versions


def _to_frame(rows: list[sa.Row]) -> pd.DataFrame:
    """Rows read back, with the dtypes :func:`~voiceline.findings.build_findings` produces."""
    by_column = list(zip(*rows, strict=True)) or [()] * len(F.FINDINGS_COLUMNS)
    out = {}
    for col, column_values in zip(F.FINDINGS_COLUMNS, by_column, strict=True):
        values = list(column_values)
        if col in F.COUNT_COLUMNS:
            out[col] = pd.array(values, dtype="Int64")
        elif col in FLOAT_COLUMNS:
            out[col] = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
        elif col in BOOL_COLUMNS:
            out[col] = pd.Series([bool(v) for v in values], dtype=bool)
        else:  # object columns of str and None, as the findings stage makes them
            out[col] = pd.Series(values, dtype="object")
    restored = pd.DataFrame(out, columns=list(F.FINDINGS_COLUMNS))
    return restored.sort_values(list(TRENDS_KEY), kind="stable").reset_index(drop=True)


__all__ = ["SCHEMA_VERSION", "TrendStore", "open_store"]
