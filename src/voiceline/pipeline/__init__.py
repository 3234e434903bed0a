"""The monthly run: every stage of a job, one folder per period, re-runs skip what is unchanged.

>>> from voiceline.pipeline import run_pipeline          # doctest: +SKIP
>>> from voiceline.config import load_config             # doctest: +SKIP
>>> result = run_pipeline(load_config("pipelines/sample-city.yaml"))  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:  # lazy: `voiceline --help` must not import pandas
    if name in ("run_pipeline", "RunResult", "PeriodResult", "default_store_url"):
        from voiceline.pipeline import run

        return getattr(run, name)
    raise AttributeError(name)


__all__ = ["run_pipeline", "RunResult", "PeriodResult", "default_store_url"]
