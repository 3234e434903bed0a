"""The trend store: the findings rows of every run, in a database that dashboards read.

One store, three tables (SQLAlchemy Core, no ORM: the rows are plain findings rows):

- ``trends``: ``job``, then one SQL column per findings column
  (:data:`voiceline.findings.FINDINGS_COLUMNS`), then ``written_at``; keyed by (``job``,
  ``period``, ``neighborhood_id``, ``concern_id``, ``taxonomy_version``). Counts are nullable
  integers (NULL where disclosure control withheld them), ``quotes`` is the findings' JSON text,
  NaN floats are stored as NULL (SQLite cannot keep NaN).
- ``runs``: one row per write (run id, job name, period, config hash, taxonomy version, rows).
- ``voiceline_meta``: ``schema_version`` (:data:`SCHEMA_VERSION`), ``created_by`` (the voiceline
  version that made the store) and ``last_written_by`` (the one that wrote last).

Choices (each one is something a unit may ask about):

- **Jobs sharing a store keep their own rows.** Every row carries the job that wrote it, and a
  write replaces only that job's rows: a weekly and a monthly job (or two cities) can share one
  database without overwriting each other. :meth:`TrendStore.read` and
  :meth:`TrendStore.periods` filter by job when asked.
- **Re-running a period replaces it.** :meth:`TrendStore.write_period` deletes the job's rows of
  the period (of one taxonomy version, see there), inserts the new rows and records the run, all
  in ONE transaction: a failed or killed write leaves the store exactly as it was, and a
  dashboard reading meanwhile sees the old period or the new one, never half of each. Writers
  take a lock first (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so two jobs
  writing at once queue instead of failing on each other's rows; readers never wait for it.
- **Other taxonomy versions are kept**: rows of v1 and v2 of the taxonomy live side by side, so a
  unit that edits its taxonomy keeps its history; :meth:`TrendStore.read` filters by version.
- **SQLite** (the default, ``sqlite:///OUT/voiceline.db``, no server) runs in WAL mode with a
  30 s busy timeout, so a dashboard can read while a run writes. **PostgreSQL**
  (``postgresql+psycopg://user:password@host/db``) for shared deployments; a schema other than
  ``public`` is chosen in the URL: ``...?options=-csearch_path%3Dvoiceline``.
- **A store made by another version is never touched.** Opening checks ``schema_version`` and the
  columns before writing anything; a mismatch is a :class:`~voiceline.errors.StoreError` that says
  which versions made it and how to go on (there is no migration tool: a new store URL).
  Tables are created only in a database that has none of them.
- **Errors say how to recover**: the URL (password shown as ``***``), what failed, what to do.
  A server that cannot be reached, or a store locked beyond the busy timeout, raises
  :class:`~voiceline.errors.StoreUnavailableError` (exit 4: a scheduler may retry later);
  everything else that a person must fix (bad URL, password, permissions, a foreign store)
  raises :class:`~voiceline.errors.StoreError` (exit 1). A bad argument or findings frame raises
  :class:`~voiceline.errors.SchemaError` before the store is touched.

The frame <-> row conversion and the argument checks live in :mod:`voiceline.store_rows`.

Example::

    with open_store("sqlite:///out/voiceline.db") as store:
        store.write_period(findings, period="2026-10", job="monthly", taxonomy_version="v1")
        history = store.read(job="monthly", taxonomy_version="v1", before="2026-10")
"""

from __future__ import annotations

import logging
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

import voiceline
from voiceline import findings as F
from voiceline import schemas as S
from voiceline.errors import StoreError, StoreUnavailableError
from voiceline.store_rows import (
    BOOL_COLUMNS,
    FLOAT_COLUMNS,
    JOB,
    TRENDS_KEY,
    check_job,
    check_period,
    check_taxonomy_version,
    rows_to_write,
    to_frame,
)

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
"""Version of the store's tables; bump it whenever they change (tests/test_store.py pins them).

A store of another version is refused, never altered: there is no migration tool yet."""

TRENDS = "trends"
RUNS = "runs"
META = "voiceline_meta"
WRITTEN_AT = "written_at"
TRENDS_PRIMARY_KEY: tuple[str, ...] = (JOB, *TRENDS_KEY)
"""The ``trends`` primary key: a findings row's key within its job, and the job."""
BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10

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
    cols = [sa.Column(JOB, sa.String, primary_key=True)]  # first: the key reads job, period, ...
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
        sa.Column(F.RUN_ID, sa.String), sa.Column(JOB, sa.String, nullable=False),
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
        self,
        findings: pd.DataFrame,
        *,
        period: str,
        job: str | None = None,
        taxonomy_version: str | None = None,
    ) -> int:
        """Replace the ``job``'s rows of ``period`` by ``findings``; return the rows written.

        Only rows of this ``job`` are touched: another job sharing the store keeps its rows of
        the same period. ``job`` is the job's name (a non-empty string); ``None`` means
        ``"default"``, the job of notebooks and of the ``findings`` command, so two callers that
        both leave it out replace each other's rows.

        Which of the job's rows of ``period`` are replaced:

        - ``taxonomy_version`` given: the rows of that version, even when ``findings`` is empty
          (a period whose concerns all went away is emptied, not kept stale). Every row of the
          frame must then be of that version.
        - not given, rows in the frame: the rows of the frame's taxonomy version(s); rows of
          other versions are kept (a taxonomy's history survives its successor).
        - not given, empty frame: **every** row of the job's period, of every taxonomy version:
          a period that now has no findings at all must not keep old ones.

        ``period`` must be ``YYYY-MM`` (``unknown`` is refused) and all rows must be of it and
        carry every findings column; any problem is a :class:`~voiceline.errors.SchemaError`
        raised before the store is touched. One transaction: on any failure the store is as
        before. Every write, an empty one too, is recorded in ``runs``.

        Example::

            store.write_period(findings, period="2026-10", job="monthly", taxonomy_version="v1")
        """
        period = check_period(period)
        job = check_job(job)
        taxonomy_version = check_taxonomy_version(taxonomy_version)
        rows, versions = rows_to_write(findings, period=period, taxonomy_version=taxonomy_version)
        now = datetime.now(UTC)
        t = self._trends
        old = (t.c[JOB] == job) & (t.c[S.PERIOD] == period)
        if taxonomy_version is not None:
            old &= t.c[S.TAXONOMY_VERSION] == taxonomy_version
        elif versions:
            old &= t.c[S.TAXONOMY_VERSION].in_(versions)
        with (
            self._errors(f"writing period {period} of job {job!r}"),
            self._transaction(write=True) as conn,
        ):
            conn.execute(sa.delete(t).where(old))
            if rows:
                conn.execute(sa.insert(t), [{**r, JOB: job, WRITTEN_AT: now} for r in rows])
            self._record_run(
                conn, findings, period=period, job=job,
                taxonomy_version=taxonomy_version, n_rows=len(rows), at=now,
            )
            _set_meta(conn, self._meta, "last_written_by", voiceline.__version__)
        return len(rows)

    def _record_run(
        self, conn: sa.Connection, findings: pd.DataFrame, *, period: str, job: str,
        taxonomy_version: str | None, n_rows: int, at: datetime,
    ) -> None:
        def joined(col: str) -> str | None:
            values = sorted({str(v) for v in findings[col] if isinstance(v, str) and v})
            return ",".join(values) or None

        conn.execute(sa.insert(self._runs).values(
            **{F.RUN_ID: joined(F.RUN_ID), JOB: job, S.PERIOD: period,
               F.CONFIG_HASH: joined(F.CONFIG_HASH),
               S.TAXONOMY_VERSION: taxonomy_version or joined(S.TAXONOMY_VERSION),
               "n_rows": n_rows, WRITTEN_AT: at}
        ))

    # --- reading ---------------------------------------------------------------------------

    def read(
        self,
        *,
        job: str | None = None,
        taxonomy_version: str | None = None,
        before: str | None = None,
        periods: Iterable[str] | None = None,
        with_job: bool = False,
    ) -> pd.DataFrame:
        """The stored findings rows, with the findings table's columns and dtypes.

        Filters: one ``job`` (default: every job's rows); one ``taxonomy_version``; periods
        strictly ``before`` a ``YYYY-MM`` (the ``history`` of
        :func:`~voiceline.findings.build_findings`); an explicit list of ``periods``. Rows are
        ordered by period, neighborhood, concern, taxonomy version, then job.

        The frame has exactly :data:`~voiceline.findings.FINDINGS_COLUMNS`, so it can go back
        into the findings stage; across jobs, rows of two jobs may then share a key: pass
        ``job``, or ``with_job=True`` to get the ``job`` column first.

        Example::

            history = store.read(job="monthly", taxonomy_version="v1", before="2026-10")
        """
        t = self._trends
        query = sa.select(t.c[JOB], *(t.c[c] for c in F.FINDINGS_COLUMNS))
        query = self._filtered(query, job=job, taxonomy_version=taxonomy_version)
        if before is not None:
            query = query.where(t.c[S.PERIOD] < before)
        if periods is not None:
            wanted = [periods] if isinstance(periods, str) else list(periods)
            query = query.where(t.c[S.PERIOD].in_(wanted))
        with self._errors("reading trends"), self._transaction() as conn:
            rows = conn.execute(query).all()
        return to_frame(rows, with_job=with_job)

    def periods(
        self, *, job: str | None = None, taxonomy_version: str | None = None
    ) -> list[str]:
        """The stored periods, sorted (of one job and one taxonomy version when given)."""
        t = self._trends
        query = sa.select(t.c[S.PERIOD]).distinct()
        query = self._filtered(query, job=job, taxonomy_version=taxonomy_version)
        with self._errors("reading periods"), self._transaction() as conn:
            return sorted(conn.execute(query).scalars())

    def _filtered(
        self, query: sa.Select, *, job: str | None, taxonomy_version: str | None
    ) -> sa.Select:
        t = self._trends
        if job is not None:
            query = query.where(t.c[JOB] == check_job(job))
        if taxonomy_version is not None:
            query = query.where(t.c[S.TAXONOMY_VERSION] == taxonomy_version)
        return query

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
                        conn.execute(sa.insert(self._meta), [
                            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                            {"key": "created_by", "value": voiceline.__version__},
                        ])
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
        meta = {k: v for k, v in conn.execute(sa.select(self._meta.c.key, self._meta.c.value))}
        value, made_by = meta.get("schema_version"), meta.get("created_by")
        by = f" by voiceline {made_by}" if made_by else ""
        if value is None or value.strip() != str(SCHEMA_VERSION):
            made = f"schema version {value.strip()}" if value is not None else "no schema_version"
            newer = value is not None and value.strip().isdigit() and int(value) > SCHEMA_VERSION
            raise self._foreign(f"it was made{by} with store {made}", made_by, newer=newer)
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
            raise self._foreign(
                f"it says schema version {value}{by} but {'; '.join(problems)}", made_by
            )
        return True

    def _foreign(self, what: str, made_by: str | None = None, *, newer: bool = False) -> StoreError:
        """The error for a store this voiceline must not touch, with the ways to go on."""
        if newer:
            to = f" (to {made_by} or later)" if made_by else ""
            way = (
                f"it is newer than this voiceline: upgrade voiceline{to}, or point `store.url` "
                "in the config (or --store) at a new store URL"
            )
        else:
            keep = f", keep using voiceline {made_by} with this one" if made_by else ""
            way = (
                "voiceline has no migration tool: point `store.url` in the config (or --store) "
                f"at a new store URL{keep}, or ask the maintainers to carry its history over"
            )
        return StoreError(
            f"the trend store {self.url} was not made by this voiceline "
            f"{voiceline.__version__} (store schema version {SCHEMA_VERSION}): {what}. "
            f"It was left untouched. To go on, {way}."
        )


def _set_meta(conn: sa.Connection, meta: sa.Table, key: str, value: str) -> None:
    """Set one ``voiceline_meta`` key (in a write transaction: writers hold the lock)."""
    done = conn.execute(sa.update(meta).where(meta.c.key == key).values(value=value))
    if not done.rowcount:
        conn.execute(sa.insert(meta).values(key=key, value=value))


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


__all__ = ["SCHEMA_VERSION", "TrendStore", "open_store"]
