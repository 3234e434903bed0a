"""The statistics behind a findings row: a sentiment interval, an expected count, a spike test.

Why these choices (a liaison unit reads "spike" as "something happened here"; a false alarm
costs a commander's attention, so the test must be honest on the small counts most cells have):

- **Expected count.** The baseline is the mean of the cell's last up-to-:data:`MAX_HISTORY`
  earlier periods (months with data only: a month the unit did not run is skipped, never read as
  zero), shrunk by a small-count prior: ``expected = (sum + PRIOR_COUNT) / m``. The prior (half a
  record, Jeffreys' Gamma(1/2) prior on a Poisson rate) keeps a cell that was always zero from
  having an expected count of exactly 0, where any single record would look infinitely unlikely.
- **Spike p-value.** ``p = P(X >= observed)`` under the *posterior predictive* of the count, not
  a plug-in Poisson: with the rate estimated from ``m`` months, the next month's count is negative
  binomial, ``X ~ NB(r = sum + 1/2, p = m / (m + 1))`` (without over-dispersion), whose
  variance ``expected * (1 + 1/m)`` carries the uncertainty of a six-month mean. (A plug-in
  Poisson(expected) test ignores that and raises false alarms above alpha when history is
  short.) The test is one-sided (more than expected) and exact, so it is conservative on small
  Poisson counts; on strongly over-dispersed counts it runs somewhat above alpha (see the bench).
- **Over-dispersion guard.** Real monthly counts vary more than Poisson (a heat wave, a
  meeting). A negative-binomial over-dispersion ``a`` (``var = mean + a * mean**2``) is
  estimated by moments, pooled over every cell of the month that has earlier periods (at least
  :data:`MIN_DISPERSION_DF` pooled degrees of freedom), and widens the predictive distribution
  (moment-matched negative binomial). Pooling matters: a variance from 4-6 months of one cell is
  too noisy to trust. When it cannot be estimated (the first months of a job), a small
  :data:`DEFAULT_DISPERSION` is assumed rather than none.
- **Multiple cells.** A month has hundreds of cells; at alpha = 0.05 a dozen would "spike" by
  chance. ``spike`` is ``q < alpha`` after a Benjamini-Hochberg correction across the cells of a
  period, and ``observed >= min_count`` (a jump from 0 to 2 is not a finding whatever its p).
- **Sentiment interval.** A Student-t interval on the per-record x concern scores (bounded to
  [-1, 1]); a seeded percentile bootstrap is available for skewed cells.

``bench/spike_simulation.py`` checks the false-alarm rate on simulated no-spike data against
alpha and the power on injected 2x and 3x spikes.

>>> round(spike_p_value(12, [3, 4, 2, 5, 3, 4]), 4) < 0.01
True
>>> spike_p_value(3, [3, 4, 2, 5, 3, 4]) > 0.3
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_HISTORY = 6
"""How many earlier periods (at most) make the baseline."""

PRIOR_COUNT = 0.5
"""Pseudo-count added to the history sum (Jeffreys prior on a Poisson rate)."""

MIN_DISPERSION_DF = 20
"""Pooled degrees of freedom (sum of periods - 1 over cells) needed to estimate dispersion."""

DEFAULT_DISPERSION = 0.1
"""Over-dispersion assumed when it cannot be estimated (var = mean + 0.1 mean^2)."""

MAX_DISPERSION = 2.0
"""Cap on the dispersion, so one wild cell cannot switch every test off."""


def mean_ci(
    values: Sequence[float] | np.ndarray,
    *,
    level: float = 0.95,
    method: str = "t",
    n_boot: int = 2000,
    seed: int = 0,
    bounds: tuple[float, float] = (-1.0, 1.0),
) -> tuple[float, float, float]:
    """(mean, low, high) of ``values``; NaN bounds with fewer than two values.

    ``method="t"`` (default) is a Student-t interval, deterministic and fine from about five
    values; ``"bootstrap"`` is a seeded percentile bootstrap. Bounds are clipped to ``bounds``
    (sentiment scores live in [-1, 1]).

    >>> m, lo, hi = mean_ci([0.2, 0.4, 0.6])
    >>> round(m, 2), bool(lo < m < hi)
    (0.4, True)
    >>> mean_ci([])[0] != mean_ci([])[0]   # NaN
    True
    """
    from scipy import stats

    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    if x.size < 2:
        return mean, float("nan"), float("nan")
    if method == "t":
        sd = float(x.std(ddof=1))
        half = float(stats.t.ppf(0.5 + level / 2, df=x.size - 1)) * sd / np.sqrt(x.size)
        low, high = mean - half, mean + half
    elif method == "bootstrap":
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, x.size, size=(n_boot, x.size))
        means = x[idx].mean(axis=1)
        low, high = (float(v) for v in np.quantile(means, [(1 - level) / 2, (1 + level) / 2]))
    else:
        raise ValueError(f"method must be 't' or 'bootstrap', got {method!r}")
    return mean, max(bounds[0], low), min(bounds[1], high)


def expected_count(history: Sequence[float] | np.ndarray) -> float:
    """The baseline count from earlier periods (most recent last), shrunk by the prior.

    Uses the last :data:`MAX_HISTORY` values; NaN when there is no history.

    >>> expected_count([0, 0, 0])
    0.16666666666666666
    >>> expected_count([4, 6])
    5.25
    """
    h = _history(history)
    if h.size == 0:
        return float("nan")
    return float((h.sum() + PRIOR_COUNT) / h.size)


def estimate_dispersion(
    histories: Sequence[Sequence[float]], *, default: float | None = None
) -> float:
    """Pooled negative-binomial over-dispersion ``a >= 0`` (``var = mean + a * mean**2``).

    Method of moments pooled across cells: ``a = sum w (s2 - mean) / sum w (mean**2 - s2/m)``
    (the ``s2/m`` removes the upward bias of a squared sample mean), with
    weights ``w = m - 1`` over every cell with at least two earlier periods and a positive mean,
    clipped to [0, :data:`MAX_DISPERSION`]. Needs :data:`MIN_DISPERSION_DF` pooled degrees of
    freedom; below that it returns ``default`` (:data:`DEFAULT_DISPERSION`): a guard that
    assumes some over-dispersion rather than none when it cannot be measured.

    >>> estimate_dispersion([[3, 4, 2, 5, 3, 4]] * 5)
    0.0
    >>> estimate_dispersion([[0, 12, 1, 15, 0, 9]] * 5) > 0.5
    True
    >>> estimate_dispersion([[3]])
    0.1
    """
    num = 0.0
    den = 0.0
    df = 0
    for history in histories:
        h = _history(history)
        if h.size < 2:
            continue
        mean = float(h.mean())
        if mean <= 0:
            continue
        w = h.size - 1
        var = float(h.var(ddof=1))
        num += w * (var - mean)
        den += w * (mean**2 - var / h.size)  # E[mean**2] = mu**2 + var / m
        df += w
    if df < MIN_DISPERSION_DF or den <= 0:
        return DEFAULT_DISPERSION if default is None else float(default)
    return float(min(MAX_DISPERSION, max(0.0, num / den)))


def spike_p_value(
    observed: float, history: Sequence[float] | np.ndarray, *, dispersion: float = 0.0
) -> float:
    """One-sided p-value ``P(X >= observed)`` under the predictive distribution of the count.

    ``X`` is negative binomial with mean ``mu = expected_count(history)`` and variance
    ``(mu + dispersion * mu**2) * (1 + 1/m)``: the count's own variance (Poisson plus
    over-dispersion) inflated by the uncertainty of a mean estimated from ``m`` periods. With
    ``dispersion = 0`` this is exactly the Gamma-Poisson posterior predictive
    ``NB(r = sum + 1/2, p = m / (m + 1))``. NaN without history or observation.

    >>> spike_p_value(0, [5, 5, 5])
    1.0
    >>> 0.0 < spike_p_value(9, [2, 3, 2, 4]) < 0.01
    True
    """
    from scipy import special

    h = _history(history)
    if h.size == 0 or observed is None or np.isnan(observed):
        return float("nan")
    x = float(np.ceil(observed))
    if x <= 0:
        return 1.0
    mu = (h.sum() + PRIOR_COUNT) / h.size
    var = (mu + max(0.0, float(dispersion)) * mu**2) * (1.0 + 1.0 / h.size)
    r = mu**2 / (var - mu)
    p = r / (r + mu)
    # NB(r, p): P(X <= k) = I_p(r, k + 1)  =>  P(X >= x) = 1 - I_p(r, x)
    return float(min(1.0, max(0.0, 1.0 - special.betainc(r, x, p))))


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN and is not counted.

    >>> benjamini_hochberg([0.01, 0.04, 0.03, float("nan")]).round(3).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return q
    pv = p[ok]
    order = np.argsort(pv, kind="stable")
    ranked = pv[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adj = np.empty(m)
    adj[order] = np.minimum(ranked, 1.0)
    q[ok] = adj
    return q


def detect_spikes(
    observed: Sequence[float] | np.ndarray,
    histories: Sequence[Sequence[float]],
    *,
    alpha: float = 0.05,
    min_count: int = 5,
    dispersion: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Test one period's cells at once: (expected, p_value, q_value, spike) arrays.

    ``histories[i]`` are cell ``i``'s earlier counts (oldest first). ``dispersion`` defaults to
    :func:`estimate_dispersion` over these histories. ``spike`` is ``q < alpha`` after
    Benjamini-Hochberg across the cells, with ``observed >= min_count`` and above expected.

    >>> e, p, q, s = detect_spikes([3, 20], [[3, 2, 4, 3], [3, 2, 4, 3]])
    >>> s.tolist()
    [False, True]
    """
    obs = np.asarray(observed, dtype=float)
    if dispersion is None:
        dispersion = estimate_dispersion(histories)
    expected = np.array([expected_count(h) for h in histories], dtype=float)
    p = np.array(
        [spike_p_value(o, h, dispersion=dispersion) for o, h in zip(obs, histories, strict=True)],
        dtype=float,
    )
    q = benjamini_hochberg(p)
    with np.errstate(invalid="ignore"):
        spike = (q < alpha) & (obs >= min_count) & (obs > expected)
    return expected, p, q, np.asarray(spike, dtype=bool)


def _history(history: Sequence[float] | np.ndarray) -> np.ndarray:
    h = np.asarray(history, dtype=float)
    h = h[~np.isnan(h)]
    return h[-MAX_HISTORY:]
