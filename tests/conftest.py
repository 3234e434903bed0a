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
