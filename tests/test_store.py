"""The trend store, for real on SQLite and on PostgreSQL.

The behaviour tests run on both backends. PostgreSQL comes from ``VOICELINE_TEST_PG_URL``
(default: the role and database ``scripts/ci_services.sh`` creates); each test gets a schema of
its own, dropped afterwards. An unreachable server skips those tests, except under ``CI=true``
where it fails them: CI must prove that PostgreSQL works.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

import voiceline
from conftest import IN_CI, PG_URL  # noqa: F401 - fixtures pg_admin, store_url: conftest.py
from voiceline import findings as F
from voiceline import schemas as S
from voiceline.errors import SchemaError, StoreError, StoreUnavailableError
from voiceline.findings import build_findings
from voiceline.store import SCHEMA_VERSION, TRENDS_KEY, TrendStore, open_store


@pytest.fixture
def raw(store_url: str):
    """A plain SQLAlchemy engine on the same database, to build or inspect tables by hand."""
    url = sa.make_url(store_url)
    if url.get_backend_name() == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def store(store_url: str):
    with open_store(store_url) as opened:
        yield opened


# --- frames ------------------------------------------------------------------------------------


def findings_frame(
    period: str = "2026-10", *, version: str = "v1", run_id: str = "run-a", base: int = 5
) -> pd.DataFrame:
    """A small findings table with the stage's dtypes: withheld counts, None quotes, NaN floats."""
    rows = []
    for i, nb in enumerate((F.ALL, "north", "south")):
        for j, concern in enumerate(("noise", "traffic_safety")):
            suppressed = nb == "south" and concern == "noise"
            row: dict = {S.PERIOD: period, S.NEIGHBORHOOD_ID: nb, S.CONCERN_ID: concern}
            for c, col in enumerate(F.COUNT_COLUMNS):
                row[col] = None if suppressed else base + i + j + c
            row[F.CHANGE_ABS] = None if suppressed else -(i + j)
            row[F.SHARE] = None if suppressed else 0.125 * (i + 1)
            row[F.SENTIMENT_MEAN] = np.nan if j else -0.3333333333333333
            row[F.SENTIMENT_CI_LOW] = np.nan if j else -0.61
            row[F.SENTIMENT_CI_HIGH] = np.nan if j else -0.05
            row[F.CHANGE_REL] = np.nan if suppressed else -0.5
            row[F.EXPECTED] = 3.25
            row[F.P_VALUE] = 1e-300 if i == 0 else 0.5
            row[F.Q_VALUE] = np.nan
            row[F.SPIKE] = i == 0 and j == 0
            row[F.SUPPRESSED] = suppressed
            row[F.QUOTES] = (
                None
                if suppressed
                else json.dumps(
                    [{"record_id": f"r{i}{j}", "text": "Café noise “all night” 🚗"}],
                    ensure_ascii=False,
                )
            )
            row[S.TAXONOMY_VERSION] = version
            row[F.RUN_ID] = run_id
            row[F.CONFIG_HASH] = None if nb == "north" else "cfg123"
            rows.append(row)
    return conform(pd.DataFrame(rows))


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """The findings stage's column order and dtypes (what build_findings returns)."""
    from voiceline.findings.aggregate import _conform

    return _conform(frame.copy())


def in_key_order(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(TRENDS_KEY), kind="stable").reset_index(drop=True)


def snapshot(store: TrendStore) -> tuple[pd.DataFrame, int]:
    return store.read(), len(store.runs())


# --- behaviour, on both backends ---------------------------------------------------------------


def test_round_trip_keeps_values_and_dtypes(store_url: str):
    frame = findings_frame()
    with open_store(store_url) as store:
        assert store.write_period(frame, period="2026-10", job="monthly") == len(frame)
    with open_store(store_url) as store:  # a fresh connection reads what was committed
        back = store.read()
        runs = store.runs()
    pd.testing.assert_frame_equal(back, in_key_order(frame))
    assert back[F.N_RECORDS].dtype == "Int64" and back[F.N_RECORDS].isna().sum() == 1
    assert back[F.QUOTES].isna().sum() == 1
    assert json.loads(back[F.QUOTES].dropna().iloc[0])[0]["text"] == "Café noise “all night” 🚗"
    run = runs.iloc[0]
    assert (run.run_id, run.job, run.period, run.config_hash, run.taxonomy_version) == (
        "run-a",
        "monthly",
        "2026-10",
        "cfg123",
        "v1",
    )
    assert run.n_rows == 6
    assert str(runs["written_at"].dt.tz) == "UTC"


def test_round_trip_of_build_findings_output(store: TrendStore):
    rows = [{S.PERIOD: "2026-10", S.NEIGHBORHOOD_ID: nb} for nb in ["a"] * 6 + ["b"] * 2]
    records = pd.DataFrame(
        [
            {S.RECORD_ID: f"r{i}", S.SOURCE_TYPE: "survey", S.TEXT: f"Potholes on street {i}.", **r}
            for i, r in enumerate(rows)
        ]
    )
    concerns = pd.DataFrame(
        {
            S.RECORD_ID: records[S.RECORD_ID],
            S.CONCERN_ID: "infrastructure",
            S.SCORE: 0.9,
            S.TAXONOMY_VERSION: "v1",
        }
    )
    found = build_findings(records, concerns, run_id="run-b", k=5)
    assert found[F.SUPPRESSED].any()  # b has 2 records: withheld counts and quotes
    store.write_period(found, period="2026-10")
    pd.testing.assert_frame_equal(store.read(), in_key_order(found))


def test_empty_store_reads_as_an_empty_findings_table(store: TrendStore):
    empty = store.read()
    assert tuple(empty.columns) == F.FINDINGS_COLUMNS and empty.empty
    assert empty[F.N_RECORDS].dtype == "Int64" and empty[F.SPIKE].dtype == bool
    assert store.periods() == []


def test_rewriting_a_period_replaces_its_rows(store: TrendStore):
    store.write_period(findings_frame(run_id="first"), period="2026-10")
    second = findings_frame(run_id="second", base=50)
    second = second[second[S.NEIGHBORHOOD_ID] != "south"]  # a neighborhood that went away
    store.write_period(second, period="2026-10")
    pd.testing.assert_frame_equal(store.read(), in_key_order(second))
    assert store.runs()["run_id"].tolist() == ["first", "second"]


def test_periods_and_taxonomy_versions_coexist(store: TrendStore):
    sep, oct_v1 = findings_frame("2026-09"), findings_frame("2026-10")
    oct_v2 = findings_frame("2026-10", version="v2", base=9)
    store.write_period(oct_v1, period="2026-10")
    store.write_period(sep, period="2026-09")
    store.write_period(oct_v2, period="2026-10")  # another taxonomy: v1 rows stay
    assert store.periods() == ["2026-09", "2026-10"]
    assert store.periods(taxonomy_version="v2") == ["2026-10"]
    assert len(store.read()) == 18
    pd.testing.assert_frame_equal(store.read(before="2026-10"), in_key_order(sep))
    pd.testing.assert_frame_equal(store.read(taxonomy_version="v2"), in_key_order(oct_v2))
    pd.testing.assert_frame_equal(
        store.read(taxonomy_version="v1", periods=["2026-10"]), in_key_order(oct_v1)
    )
    assert store.read(periods="2026-09")[S.PERIOD].unique().tolist() == ["2026-09"]


def test_a_failed_write_leaves_the_store_as_it_was(store: TrendStore, monkeypatch):
    store.write_period(findings_frame(run_id="good"), period="2026-10")
    before = snapshot(store)
    real = TrendStore._record_run

    def record_then_fail(self, conn, *args, **kwargs):  # after the delete and the inserts
        real(self, conn, *args, **kwargs)
        raise sa_exc.OperationalError("INSERT INTO runs", {}, Exception("disk I/O error"))

    monkeypatch.setattr(TrendStore, "_record_run", record_then_fail)
    failed = r"writing period 2026-10 of job 'default' failed \(disk I/O error\)"
    with pytest.raises(StoreError, match=failed):
        store.write_period(findings_frame(run_id="bad", base=70), period="2026-10")

    def crash(self, conn, *args, **kwargs):
        raise KeyboardInterrupt  # a killed job

    monkeypatch.setattr(TrendStore, "_record_run", crash)
    with pytest.raises(KeyboardInterrupt):
        store.write_period(findings_frame(run_id="bad", base=70), period="2026-10")
    after = snapshot(store)
    pd.testing.assert_frame_equal(after[0], before[0])
    assert after[1] == before[1] == 1


def test_a_store_of_another_version_is_refused_and_untouched(store_url: str, raw: sa.Engine):
    with raw.begin() as conn:
        conn.execute(sa.text("CREATE TABLE voiceline_meta (key VARCHAR PRIMARY KEY, value TEXT)"))
        conn.execute(sa.text("INSERT INTO voiceline_meta VALUES ('schema_version', '0')"))
        conn.execute(sa.text("INSERT INTO voiceline_meta VALUES ('created_by', '0.0.9')"))
        conn.execute(sa.text("CREATE TABLE trends (period VARCHAR, n INTEGER)"))
        conn.execute(sa.text("INSERT INTO trends VALUES ('2025-01', 3)"))
    file_hash = _sqlite_hash(store_url)
    with pytest.raises(StoreError) as err:
        open_store(store_url)
    message = str(err.value)
    assert "made by voiceline 0.0.9 with store schema version 0" in message
    assert f"this voiceline {voiceline.__version__} (store schema version {SCHEMA_VERSION})" in (
        message
    )
    assert "It was left untouched" in message and "no migration tool" in message
    assert "point `store.url` in the config (or --store) at a new store URL" in message
    assert "keep using voiceline 0.0.9" in message and "migrate it" not in message
    with raw.connect() as conn:
        assert conn.execute(sa.text("SELECT period, n FROM trends")).all() == [("2025-01", 3)]
        assert sorted(conn.execute(sa.text("SELECT key, value FROM voiceline_meta")).all()) == [
            ("created_by", "0.0.9"),
            ("schema_version", "0"),
        ]
        assert set(sa.inspect(conn).get_table_names()) == {"voiceline_meta", "trends"}
    assert _sqlite_hash(store_url) == file_hash


def test_a_trends_table_without_version_or_columns_is_refused(store_url: str, raw: sa.Engine):
    with raw.begin() as conn:
        conn.execute(sa.text("CREATE TABLE trends (period VARCHAR, n INTEGER)"))
    with pytest.raises(StoreError, match="no voiceline_meta table"):
        open_store(store_url)
    with raw.begin() as conn:  # a version stamp, but the table is not ours
        conn.execute(sa.text("CREATE TABLE voiceline_meta (key VARCHAR PRIMARY KEY, value TEXT)"))
        conn.execute(
            sa.text(f"INSERT INTO voiceline_meta VALUES ('schema_version', '{SCHEMA_VERSION}')")
        )
    with pytest.raises(StoreError, match=r"trends table lacks column\(s\) job, neighborhood_id"):
        open_store(store_url)
    with raw.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) == {"voiceline_meta", "trends"}
        assert [c["name"] for c in sa.inspect(conn).get_columns("trends")] == ["period", "n"]


def test_bad_frames_are_refused_before_writing(store: TrendStore):
    frame = findings_frame()
    mixed = pd.concat([frame, findings_frame("2026-09")], ignore_index=True)
    with pytest.raises(SchemaError, match=r"6 row\(s\) have period 2026-09"):
        store.write_period(mixed, period="2026-10")
    with pytest.raises(SchemaError, match=r"lacks column\(s\) quotes, run_id"):
        store.write_period(frame.drop(columns=[F.QUOTES, F.RUN_ID]), period="2026-10")
    with pytest.raises(SchemaError, match=r"1 row\(s\) have no taxonomy_version"):
        store.write_period(frame.assign(taxonomy_version=[None] + ["v1"] * 5), period="2026-10")
    with pytest.raises(SchemaError, match=r"2 row\(s\) repeat a key"):
        store.write_period(pd.concat([frame, frame.iloc[:1]]), period="2026-10")
    assert store.periods() == [] and store.runs().empty


def test_two_jobs_in_one_store_keep_their_own_rows(store: TrendStore):
    weekly = findings_frame(run_id="weekly-1")
    monthly = findings_frame(run_id="monthly-1", base=40)
    store.write_period(weekly, period="2026-10", job="weekly")
    store.write_period(monthly, period="2026-10", job="monthly")
    rerun = findings_frame(run_id="weekly-2", base=70).iloc[:2]
    store.write_period(rerun, period="2026-10", job="weekly")  # replaces weekly's rows only
    pd.testing.assert_frame_equal(store.read(job="weekly"), in_key_order(rerun))
    pd.testing.assert_frame_equal(store.read(job="monthly"), in_key_order(monthly))
    both = store.read()
    assert tuple(both.columns) == F.FINDINGS_COLUMNS and len(both) == 8
    tagged = store.read(with_job=True, periods=["2026-10"])
    assert tuple(tagged.columns) == ("job", *F.FINDINGS_COLUMNS)
    assert tagged.groupby("job").size().to_dict() == {"monthly": 6, "weekly": 2}
    pd.testing.assert_frame_equal(tagged.drop(columns="job"), both)
    assert store.periods(job="weekly") == ["2026-10"] and store.periods(job="nightly") == []
    assert store.read(job="nightly").empty
    assert store.runs()["job"].tolist() == ["weekly", "monthly", "weekly"]


def test_job_none_is_the_default_job_and_a_blank_job_is_refused(store: TrendStore):
    store.write_period(findings_frame(), period="2026-10")
    assert store.runs()["job"].tolist() == ["default"]
    assert len(store.read(job="default")) == 6
    for bad in ("", "   ", 7):
        with pytest.raises(SchemaError, match=rf"needs job as a non-empty string.*got {bad!r}"):
            store.write_period(findings_frame(base=9), period="2026-10", job=bad)
    with pytest.raises(SchemaError, match="needs job as a non-empty string"):
        store.read(job="")
    assert len(store.runs()) == 1 and store.read()[F.N_RECORDS].iloc[0] == 5


def test_an_empty_frame_with_a_taxonomy_version_empties_that_version(store: TrendStore):
    store.write_period(findings_frame(), period="2026-10", job="monthly")
    v2 = findings_frame(version="v2", base=9)
    store.write_period(v2, period="2026-10", job="monthly")
    other_job = findings_frame(run_id="weekly")
    store.write_period(other_job, period="2026-10", job="weekly")
    sep = findings_frame("2026-09")
    store.write_period(sep, period="2026-09", job="monthly")
    empty = findings_frame().iloc[:0]
    written = store.write_period(empty, period="2026-10", job="monthly", taxonomy_version="v1")
    assert written == 0
    pd.testing.assert_frame_equal(store.read(job="monthly", periods=["2026-10"]), in_key_order(v2))
    pd.testing.assert_frame_equal(store.read(job="weekly"), in_key_order(other_job))
    pd.testing.assert_frame_equal(store.read(job="monthly", before="2026-10"), in_key_order(sep))
    last = store.runs().iloc[-1]
    assert (last.job, last.period, last.taxonomy_version, last.n_rows) == (
        "monthly",
        "2026-10",
        "v1",
        0,
    )


def test_an_empty_frame_without_a_taxonomy_version_empties_the_whole_period(store: TrendStore):
    store.write_period(findings_frame(), period="2026-10", job="monthly")
    store.write_period(findings_frame(version="v2"), period="2026-10", job="monthly")
    other_job = findings_frame(run_id="weekly")
    store.write_period(other_job, period="2026-10", job="weekly")
    sep = findings_frame("2026-09")
    store.write_period(sep, period="2026-09", job="monthly")
    assert store.write_period(findings_frame().iloc[:0], period="2026-10", job="monthly") == 0
    assert store.periods(job="monthly") == ["2026-09"]  # v1 and v2 of 2026-10 are both gone
    pd.testing.assert_frame_equal(store.read(job="monthly"), in_key_order(sep))
    pd.testing.assert_frame_equal(store.read(job="weekly"), in_key_order(other_job))
    assert store.runs().iloc[-1].n_rows == 0


def test_a_taxonomy_version_argument_must_match_the_rows(store: TrendStore):
    store.write_period(findings_frame(), period="2026-10")
    store.write_period(findings_frame(version="v2"), period="2026-10")
    before = snapshot(store)
    with pytest.raises(SchemaError, match=r"6 row\(s\) have taxonomy_version v2, not 'v1'"):
        store.write_period(findings_frame(version="v2"), period="2026-10", taxonomy_version="v1")
    with pytest.raises(SchemaError, match=r"taxonomy_version must be a non-empty string"):
        store.write_period(findings_frame(), period="2026-10", taxonomy_version="")
    after = snapshot(store)
    pd.testing.assert_frame_equal(after[0], before[0])
    assert after[1] == before[1]
    v1 = findings_frame(base=30).iloc[:3]
    store.write_period(v1, period="2026-10", taxonomy_version="v1")  # v2 rows stay
    pd.testing.assert_frame_equal(store.read(taxonomy_version="v1"), in_key_order(v1))
    assert len(store.read(taxonomy_version="v2")) == 6


def test_a_malformed_period_is_refused_by_name(store: TrendStore):
    for bad in (
        "unknown",
        "2026-13",
        "2026-00",
        "2026-1",
        "202610",
        "2026-10-01",
        " 2026-10",
        "",
        None,
        202610,
    ):
        with pytest.raises(SchemaError, match="needs period as YYYY-MM") as err:
            store.write_period(findings_frame(), period=bad)
        assert f"got {bad!r}" in str(err.value)
    with pytest.raises(SchemaError, match=r"records without a date.*leave them out"):
        store.write_period(findings_frame("unknown"), period="unknown")
    assert store.periods() == [] and store.runs().empty


def test_meta_records_which_voiceline_made_and_last_wrote_the_store(
    store_url: str, raw: sa.Engine, monkeypatch
):
    def meta() -> dict[str, str]:
        with raw.connect() as conn:
            return dict(conn.execute(sa.text("SELECT key, value FROM voiceline_meta")).all())

    with open_store(store_url):
        pass
    created = voiceline.__version__
    assert meta() == {"schema_version": str(SCHEMA_VERSION), "created_by": created}
    monkeypatch.setattr(voiceline, "__version__", "9.8.7")
    with open_store(store_url) as store:
        store.write_period(findings_frame(), period="2026-10", job="monthly")
        assert meta()["last_written_by"] == "9.8.7"
        monkeypatch.setattr(voiceline, "__version__", "9.8.8")
        store.write_period(findings_frame().iloc[:0], period="2026-11", job="monthly")
    assert meta()["last_written_by"] == "9.8.8"
    assert meta()["created_by"] == created and len(meta()) == 3


def test_a_store_of_a_newer_version_says_upgrade(store_url: str, raw: sa.Engine):
    with raw.begin() as conn:
        conn.execute(sa.text("CREATE TABLE voiceline_meta (key VARCHAR PRIMARY KEY, value TEXT)"))
        conn.execute(
            sa.text(f"INSERT INTO voiceline_meta VALUES ('schema_version', '{SCHEMA_VERSION + 1}')")
        )
        conn.execute(sa.text("INSERT INTO voiceline_meta VALUES ('created_by', '7.0.0')"))
    with pytest.raises(StoreError) as err:
        open_store(store_url)
    message = str(err.value)
    assert f"made by voiceline 7.0.0 with store schema version {SCHEMA_VERSION + 1}" in message
    assert "upgrade voiceline (to 7.0.0 or later)" in message and "left untouched" in message


def test_a_store_from_before_jobs_is_refused(store_url: str, raw: sa.Engine):
    """A development store of schema 1 without the job column (schema 1 was never released)."""
    columns = ", ".join(f"{c} VARCHAR" for c in (*F.FINDINGS_COLUMNS, "written_at"))
    with raw.begin() as conn:
        conn.execute(sa.text("CREATE TABLE voiceline_meta (key VARCHAR PRIMARY KEY, value TEXT)"))
        conn.execute(
            sa.text(f"INSERT INTO voiceline_meta VALUES ('schema_version', '{SCHEMA_VERSION}')")
        )
        conn.execute(sa.text(f"CREATE TABLE trends ({columns})"))
    with pytest.raises(StoreError, match=r"trends table lacks column\(s\) job;") as err:
        open_store(store_url)
    assert "made by voiceline" not in str(err.value)  # that store did not record its version


# Golden: the trends table as dashboards and SQL users see it. Changing it (a column added,
# dropped, renamed or moved, or the primary key) requires bumping SCHEMA_VERSION, so that stores
# of the old layout are refused instead of half-read.
TRENDS_COLUMNS_V1 = [
    "job",
    "period",
    "neighborhood_id",
    "concern_id",
    "n_records",
    "n_records_raw",
    "n_authors",
    "n_campaign_records",
    "n_source_survey",
    "n_source_meeting",
    "n_source_social",
    "n_source_report",
    "share",
    "sentiment_n",
    "sentiment_mean",
    "sentiment_ci_low",
    "sentiment_ci_high",
    "prev_n_records",
    "change_abs",
    "change_rel",
    "expected",
    "n_history_periods",
    "p_value",
    "q_value",
    "spike",
    "quotes",
    "suppressed",
    "n_triage",
    "taxonomy_version",
    "run_id",
    "config_hash",
    "written_at",
]
TRENDS_PRIMARY_KEY_V1 = ["job", "period", "neighborhood_id", "concern_id", "taxonomy_version"]


def test_trends_columns_are_pinned(store: TrendStore, raw: sa.Engine):
    with raw.connect() as conn:
        inspector = sa.inspect(conn)
        assert [c["name"] for c in inspector.get_columns("trends")] == TRENDS_COLUMNS_V1
        assert inspector.get_pk_constraint("trends")["constrained_columns"] == (
            TRENDS_PRIMARY_KEY_V1
        )
    assert SCHEMA_VERSION == 1, "a new schema version: pin its columns as TRENDS_COLUMNS_V2"


# --- SQLite specifics --------------------------------------------------------------------------


def test_sqlite_store_in_a_missing_folder_is_created_in_wal_mode(tmp_path: Path):
    path = tmp_path / "a" / "b" / "voiceline.db"
    with open_store(f"sqlite:///{path}") as store:
        assert path.is_file() and store.periods() == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute(
            "SELECT value FROM voiceline_meta WHERE key = 'schema_version'"
        ).fetchall() == [(str(SCHEMA_VERSION),)]


def test_a_dashboard_reads_while_a_run_writes(tmp_path: Path):
    path = tmp_path / "voiceline.db"
    with open_store(f"sqlite:///{path}") as store:
        old = findings_frame()
        store.write_period(old, period="2026-10")
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM trends")  # a run half-way through replacing the period
        pd.testing.assert_frame_equal(store.read(), in_key_order(old))  # no wait, old rows
        writer.execute("ROLLBACK")
        writer.close()


def test_a_store_locked_too_long_says_retry_later(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("voiceline.store.BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "voiceline.db"
    with open_store(f"sqlite:///{path}") as store:
        store.write_period(findings_frame(), period="2026-10")
        before = snapshot(store)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another run is writing
        try:
            with pytest.raises(StoreUnavailableError, match="locked.*retry when it has finished"):
                store.write_period(findings_frame(base=9), period="2026-10")
        finally:
            other.execute("ROLLBACK")
            other.close()
        after = snapshot(store)
    pd.testing.assert_frame_equal(after[0], before[0])
    assert after[1] == before[1]


def test_in_memory_store_works():
    with open_store("sqlite://") as store:
        store.write_period(findings_frame(), period="2026-10")
        assert store.periods() == ["2026-10"]


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("not a database, just notes\n" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(f"sqlite:///{path}")
    assert path.read_text().startswith("not a database")


# --- URLs and connections ----------------------------------------------------------------------


def test_unreachable_postgresql_names_the_url_with_a_masked_password():
    with pytest.raises(StoreUnavailableError) as err:  # exit 4: a scheduler may retry later
        open_store("postgresql+psycopg://liaison:s3cret-pw@127.0.0.1:1/trends")
    message = str(err.value)
    assert "s3cret-pw" not in message
    assert "postgresql+psycopg://liaison:***@127.0.0.1:1/trends" in message
    assert "Is the server running" in message and "`store.url`" in message
    assert "--store" in message


def test_plain_postgresql_urls_use_psycopg():
    with pytest.raises(StoreError, match=r"postgresql\+psycopg://u:\*\*\*@127.0.0.1:1/db"):
        open_store("postgres://u:pw@127.0.0.1:1/db")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("voiceline.db", "not a database URL; use sqlite:///path/voiceline.db"),
        ("mysql://u:pw@host/db", r"uses mysql://, which voiceline does not support"),
        ("sqlite+pysqlcipher:///x.db", r"names driver 'pysqlcipher'; for sqlite use one of"),
    ],
)
def test_unsupported_urls_are_refused(url: str, expected: str):
    with pytest.raises(StoreError, match=expected) as err:
        open_store(url)
    assert ":pw@" not in str(err.value)


def test_a_missing_driver_says_what_to_install():
    try:
        import pg8000  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("pg8000 is installed here")
    with pytest.raises(StoreError, match=r"not installed .*pip install pg8000"):
        open_store("postgresql+pg8000://u:pw@127.0.0.1:1/db")


def test_a_closed_store_says_so(tmp_path: Path):
    store = open_store(f"sqlite:///{tmp_path}/voiceline.db")
    with store:
        pass
    with pytest.raises(StoreError, match="is closed"):
        store.read()
    assert repr(store) == f"TrendStore('sqlite:///{tmp_path}/voiceline.db')"


def _sqlite_hash(url: str) -> str | None:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    return hashlib.sha256(Path(parsed.database).read_bytes()).hexdigest()
