"""Progress for long work: a bar on a terminal, plain log lines otherwise (scheduled jobs).

Stages take an optional ``progress`` callback ``(step, done, total) -> None`` so they stay plain
functions; the CLI decides how to show it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ProgressFn = Callable[[str, int, int], None]

log = logging.getLogger("voiceline")


def no_progress(step: str, done: int, total: int) -> None:
    """The default callback: do nothing."""


@contextmanager
def progress_reporter(*, enabled: bool = True, stream=None) -> Iterator[ProgressFn]:
    """Yield a progress callback: a rich bar when ``stream`` is a terminal, else log lines.

    Log lines are written at most every 10 % of a step, so a scheduled job's log stays short.
    """
    stream = stream or sys.stderr
    if not enabled:
        yield no_progress
        return
    if hasattr(stream, "isatty") and stream.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        tasks: dict[str, int] = {}
        with Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=False,
        ) as bar:

            def _bar(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=max(total, 1))
                bar.update(tasks[step], completed=done, total=max(total, 1))

            yield _bar
        return

    last: dict[str, int] = {}

    def _log(step: str, done: int, total: int) -> None:
        pct = 100 if total <= 0 else int(100 * done / total)
        bucket = pct // 25  # at most 5 lines a step: 0, 25, 50, 75, 100 %
        if last.get(step) == bucket:
            return
        last[step] = bucket
        if bucket == 0 and done < total and total < 1000:
            return  # small steps log only when they finish
        log.info("%s: %d/%d (%d%%)", step, done, total, pct)

    yield _log
