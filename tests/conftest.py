"""Shared fixtures: the real-data folder, a fake redactor for the fast tier, a socket blocker."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()


@pytest.fixture
def shared_data() -> Path:
    """The real public data beside the clone; tests using it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (a fresh clone has no ../shared/data)")
    return SHARED_DATA


@dataclass
class FakeRedaction:
    text: str
    counts: dict[str, int] = field(default_factory=dict)


class FakeRedactor:
    """Redacts phone numbers and emails with regexes: enough to test the stage without spaCy."""

    PATTERNS = {
        "EMAIL": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
        "PHONE": re.compile(r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b"),
    }

    def redact(
        self, texts: list[str], *, batch_size: int = 64, languages=None
    ) -> list[FakeRedaction]:
        out = []
        for text in texts:
            counts: dict[str, int] = {}
            for kind, pattern in self.PATTERNS.items():
                text, n = pattern.subn(f"[{kind}]", text)
                if n:
                    counts[kind] = n
            out.append(FakeRedaction(text, counts))
        return out


@pytest.fixture
def fake_redactor() -> FakeRedactor:
    return FakeRedactor()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test loudly."""

    def _refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)


# --- a real PostgreSQL for the store's tests (scripts/ci_services.sh starts one) -------------

import os  # noqa: E402
import uuid  # noqa: E402

import sqlalchemy as sa  # noqa: E402

PG_URL = os.environ.get(
    "VOICELINE_TEST_PG_URL",
    "postgresql+psycopg://voiceline:voiceline@localhost:5432/voiceline_test",
)
IN_CI = os.environ.get("CI", "").strip().lower() == "true"


@pytest.fixture(scope="session")
def pg_admin():
    """An engine on the test PostgreSQL database; skips (fails under CI=true) when unreachable."""
    url = sa.make_url(PG_URL)
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3}, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any failure to reach it: driver, refused, auth
        reason = (
            f"PostgreSQL test server unreachable at {url.render_as_string(hide_password=True)} "
            f"({' '.join(str(getattr(exc, 'orig', None) or exc).split())[:300]}); run "
            "scripts/ci_services.sh as root or set "
            "VOICELINE_TEST_PG_URL"
        )
        if IN_CI:
            pytest.fail(f"{reason}. CI=true: the PostgreSQL tests must run.", pytrace=False)
        pytest.skip(reason)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path):
    """A URL of an empty store: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/store/voiceline.db"
        return
    admin = request.getfixturevalue("pg_admin")
    schema = f"vl_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
