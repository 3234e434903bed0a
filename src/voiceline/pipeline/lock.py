"""One run of a job at a time: an advisory lock file in the job's output folder.

``flock`` (not "does the file exist"): the kernel releases the lock when the process dies, even
on ``kill -9``, so a crashed run never leaves a stale lock that blocks next month's job. The
file records who holds it (pid, host, start time) so the second run can say so.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from voiceline.errors import RunLockedError

LOCK_NAME = ".voiceline.lock"


class JobLock:
    """``with JobLock(out_dir, job="sample-city"):`` holds the job's lock or raises at once.

    Raises :class:`~voiceline.errors.RunLockedError` (exit code 3: "busy, retry later") when
    another process holds it. Not re-entrant; one lock per output folder.
    """

    def __init__(self, folder: str | Path, *, job: str):
        self.path = Path(folder) / LOCK_NAME
        self.job = job
        self._fh: IO[str] | None = None

    def __enter__(self) -> JobLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fh)
            fh.close()
            raise RunLockedError(
                f"another run of job {self.job!r} is in progress ({holder}); it holds "
                f"{self.path}. Wait for it to finish (a scheduler may retry later, exit code 3)."
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(
            json.dumps(
                {
                    "job": self.job,
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
        )
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: Any) -> None:
        import fcntl

        if self._fh is not None:
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


def _read_holder(fh: IO[str]) -> str:
    try:
        fh.seek(0)
        data = json.loads(fh.read() or "{}")
    except (OSError, ValueError):
        return "holder unknown"
    if not data:
        return "holder unknown"
    return f"pid {data.get('pid')} on {data.get('host')}, started {data.get('started_at')}"
