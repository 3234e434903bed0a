"""How honest is the findings spike test? Simulated months of counts with known injected spikes.

Each scenario simulates ``reps`` months of ``cells`` independent cells (concern x neighborhood),
each with a few months of history and one test month, drawn from a Poisson or negative-binomial
baseline (``var = mean + a * mean**2``), and runs :func:`voiceline.findings.stats.detect_spikes`
on the test month exactly as the findings stage does (each cell's over-dispersion posterior from
the month's histories, Benjamini-Hochberg across the month's cells, ``min_count = 5``). It
prints one line per scenario:

- ``raw_fa``: share of no-spike cells with an uncorrected p < alpha (should be <= alpha, near it
  for moderate means; exact tests on small counts are conservative);
- ``fwer``: share of no-spike months with at least one flagged spike after BH (BH controls this
  at alpha under the global null; the binomial standard error is about 0.015 at 200 months);
- ``power2x`` / ``power3x``: share of injected spikes flagged, in months where 5% of the cells
  carry a spike, half of them 2x and half 3x (the spike month's true mean is 2x / 3x the cell's
  mean; the extra counts are drawn with the cell's own dispersion);
- ``a_hat``: the mean pooled dispersion estimate (``a`` is the true one; ``mixed`` draws each
  cell's ``a`` log-uniformly in [0.05, 1]).

Usage: ``python bench/spike_simulation.py [--quick] [--reps 200] [--cells 500] [--seed 0]``.
Seeded and deterministic (each scenario has its own stream); the full run takes about 45 s of
CPU (about 65 s wall on a busy 2-core machine), ``--quick`` about 10 s. The figures of a full run
are in the docstring of :mod:`voiceline.findings.stats`.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np

from voiceline.findings.stats import detect_spikes, estimate_dispersion

ALPHA = 0.05
SPIKED_SHARE = 0.05
MIN_COUNT = 5


@dataclass(frozen=True)
class Scenario:
    name: str
    dispersion: float | str  # 0 (Poisson), a fixed a, or "mixed"
    means: tuple[float, float]
    history: tuple[int, int]
    cells: int | None = None  # None: the --cells value


SCENARIOS = (
    Scenario("poisson", 0.0, (0.5, 5.0), (6, 6)),
    Scenario("poisson", 0.0, (5.0, 30.0), (6, 6)),
    Scenario("poisson", 0.0, (5.0, 30.0), (2, 3)),
    Scenario("negbin", 0.1, (5.0, 30.0), (6, 6)),
    Scenario("negbin", 0.3, (5.0, 30.0), (6, 6)),
    Scenario("negbin", 1.0, (5.0, 30.0), (6, 6)),
    Scenario("negbin", 0.3, (5.0, 30.0), (2, 3)),
    Scenario("negbin", 1.0, (5.0, 30.0), (2, 3)),
    Scenario("negbin", 0.3, (0.5, 5.0), (2, 3)),
    Scenario("negbin", "mixed", (5.0, 30.0), (6, 6)),
    Scenario("negbin", 0.3, (5.0, 30.0), (2, 3), cells=30),
)


def draw(rng: np.random.Generator, mean: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Poisson(mean) where ``a == 0``, else negative binomial with mean ``mean``, dispersion ``a``.

    ``mean`` and ``a`` broadcast against each other (cells x periods).
    """
    mean, a = np.broadcast_arrays(np.asarray(mean, dtype=float), np.asarray(a, dtype=float))
    lam = mean.copy()
    nb = a > 0
    lam[nb] = rng.gamma(1.0 / a[nb], mean[nb] * a[nb])
    return rng.poisson(lam)


def run_scenario(rng: np.random.Generator, sc: Scenario, *, cells: int, reps: int) -> dict:
    alarms = []
    months_alarm = 0
    a_hats = []
    hits: dict[int, list[bool]] = {2: [], 3: []}
    for _ in range(reps):
        periods = int(rng.integers(sc.history[0], sc.history[1] + 1))
        means = rng.uniform(*sc.means, size=cells)
        if sc.dispersion == "mixed":
            a = np.exp(rng.uniform(np.log(0.05), np.log(1.0), size=cells))
        else:
            a = np.full(cells, float(sc.dispersion))
        counts = draw(rng, means[:, None], a[:, None] * np.ones((1, periods + 1)))
        histories = [list(h) for h in counts[:, :-1]]
        test = counts[:, -1]
        a_hats.append(estimate_dispersion(histories))
        _, p, _, spike = detect_spikes(test, histories, alpha=ALPHA, min_count=MIN_COUNT)
        alarms.append(np.nanmean(p < ALPHA))
        months_alarm += bool(spike.any())
        # one spiked month: 5% of the cells carry a spike, half of them 2x and half 3x
        spiked = rng.random(cells) < SPIKED_SHARE
        factor = np.where(rng.random(cells) < 0.5, 2, 3)
        extra = draw(rng, means * (factor - 1), a)
        spiked_test = np.where(spiked, test + extra, test)
        _, _, _, sp = detect_spikes(spiked_test, histories, alpha=ALPHA, min_count=MIN_COUNT)
        for f in (2, 3):
            hits[f].extend(sp[spiked & (factor == f)].tolist())
    return {
        "raw_fa": float(np.mean(alarms)),
        "fwer": months_alarm / reps,
        "power2x": float(np.mean(hits[2])) if hits[2] else float("nan"),
        "power3x": float(np.mean(hits[3])) if hits[3] else float("nan"),
        "a_hat": float(np.mean(a_hats)),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=None, help="simulated months per scenario")
    ap.add_argument("--cells", type=int, default=500, help="cells per month")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="40 months per scenario (a smoke run)")
    args = ap.parse_args(argv)
    reps = args.reps if args.reps is not None else (40 if args.quick else 200)
    t0 = time.perf_counter()
    for i, sc in enumerate(SCENARIOS):
        rng = np.random.default_rng([args.seed, i])  # each line reproducible on its own
        cells = sc.cells or args.cells
        r = run_scenario(rng, sc, cells=cells, reps=reps)
        a = sc.dispersion if isinstance(sc.dispersion, str) else f"{sc.dispersion:g}"
        hist = f"{sc.history[0]}" if sc.history[0] == sc.history[1] else "{}-{}".format(*sc.history)
        print(
            f"spike_sim {sc.name} a={a} means={sc.means[0]:g}-{sc.means[1]:g} history={hist} "
            f"cells={cells} reps={reps} alpha={ALPHA}: raw_fa={r['raw_fa']:.4f} "
            f"fwer={r['fwer']:.3f} power2x={r['power2x']:.3f} power3x={r['power3x']:.3f} "
            f"a_hat={r['a_hat']:.3f}",
            flush=True,
        )
    print(f"spike_sim total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
