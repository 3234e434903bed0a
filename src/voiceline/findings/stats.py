"""The statistics behind a findings row: a sentiment interval, an expected count, a spike test.

Why these choices (a liaison unit reads "spike" as "something happened here"; a false alarm
costs a commander's attention, so the test must be honest on the small counts most cells have):

- **Expected count.** The baseline is the mean of the cell's last up-to-:data:`MAX_HISTORY`
  earlier periods (months with data only: a month the unit did not run is skipped, never read as
  zero), shrunk by a small-count prior: ``expected = (sum + PRIOR_COUNT) / m``. The prior (half a
  record, Jeffreys' Gamma(1/2) prior on a Poisson rate) keeps a cell that was always zero from
  having an expected count of exactly 0, where any single record would look infinitely unlikely.
- **Spike p-value.** ``p = P(X >= observed)`` under the *posterior predictive* of the count, not
  a plug-in: monthly counts are negative binomial around the cell's mean ``mu`` (``var = mu +
  a * mu**2``; ``a = 0`` is Poisson) and ``mu`` is known only through the ``m`` earlier periods
  (Jeffreys prior). The predictive is then beta-negative-binomial,
  ``X ~ BNB(r = 1/a, alpha = m/a, beta = sum + 1/2)``, equivalently
  ``P(X >= x) = P(Beta(x, sum + 1/2) <= Beta(1/a, m/a))``; at ``a = 0`` it is the Gamma-Poisson
  ``NB(r = sum + 1/2, p = m / (m + 1))``. (With a prior count of 1 instead of 1/2 it is exactly
  the classical conditional test of ``X`` given ``X + sum``, beta-binomial; the Jeffreys half
  is a little less conservative on small counts.) One-sided, exact (a flat sum of the
  probabilities of ``0 .. x-1`` over all cells at once; a 64-node quadrature above
  :data:`EXACT_MAX`), conservative on small counts through discreteness.
  Why not the earlier moment-matched negative binomial with variance
  ``(mean + a * mean**2) * (1 + 1/m)`` at the history mean: the spread then comes from the
  noisy mean itself, so a cell whose history happened to run low gets too narrow a
  predictive; even given the true ``a`` it ran at 0.055-0.072 per cell for ``a`` = 0.1-0.25
  and at 0.11 for ``a = 1``.
- **Over-dispersion, per cell.** Real monthly counts vary more than Poisson (a heat wave, a
  meeting, a campaign), and by how much differs between cells: a campaign-prone concern is
  burstier than a steady one. Given its total, a cell's history is Dirichlet-multinomial with
  parameter ``1/a`` per period whatever its mean, so each cell has a likelihood for ``a`` free
  of its unknown mean (conditional likelihood, as in edgeR). :func:`detect_spikes` fits the
  month's distribution of ``a`` over :data:`DISPERSION_GRID` by EM on these likelihoods pooled
  over the cells (empirical Bayes, nonparametric), updates it with each cell's own history, and
  averages the cell's p-value over that posterior. This carries both the heterogeneity (one
  pooled ``a`` under-protects the bursty cells: with ``a`` log-uniform in [0.05, 1] it flagged
  a spike in 42% of no-spike months, against 5% with the posterior) and the uncertainty of the
  estimate. Below :data:`MIN_DISPERSION_DF` pooled degrees of freedom (the first months of a
  job) a small :data:`DEFAULT_DISPERSION` is assumed rather than none.
  :func:`estimate_dispersion` gives the pooled conditional-ML point estimate (pass it as
  ``dispersion=`` to use one ``a`` for all cells).
- **Multiple cells.** A month has hundreds of cells; at alpha = 0.05 a dozen would "spike" by
  chance. ``spike`` is ``q < alpha`` after a Benjamini-Hochberg correction across the cells of a
  period, and ``observed >= min_count`` (a jump from 0 to 2 is not a finding whatever its p).
- **Sentiment interval.** A Student-t interval on the per-record x concern scores (bounded to
  [-1, 1]); a seeded percentile bootstrap is available for skewed cells.

**Calibration.** ``python bench/spike_simulation.py`` (seed 0, 200 simulated months of 500
cells each, alpha 0.05, min_count 5; 5% of cells spiked for power, the spike drawn with the
cell's own dispersion) measured, per cell, false alarms of the raw ``p < alpha`` / share of
no-spike months with any BH spike / power on 2x and 3x spikes:

==========================================  ======  =====  =======  =======
scenario (means 5-30 unless said)           raw_fa  fwer   power2x  power3x
==========================================  ======  =====  =======  =======
Poisson, means 0.5-5, 6 months              0.030   0.000  0.016    0.120
Poisson, 6 months                           0.039   0.045  0.589    0.949
Poisson, 2-3 months                         0.038   0.020  0.408    0.889
a = 0.1, 6 months                           0.046   0.035  0.057    0.360
a = 0.3, 6 months                           0.046   0.025  0.006    0.041
a = 1.0, 6 months                           0.048   0.015  0.000    0.001
a = 0.3, 2-3 months                         0.049   0.015  0.001    0.004
a = 1.0, 2-3 months                         0.048   0.000  0.000    0.000
a = 0.3, means 0.5-5, 2-3 months            0.038   0.000  0.000    0.000
a per cell in [0.05, 1], 6 months           0.047   0.050  0.002    0.008
a = 0.3, 2-3 months, only 30 cells          0.052   0.035  0.020    0.053
==========================================  ======  =====  =======  =======

(The earlier moment-matched test, same command: 0.031-0.041 and 0.015-0.045 on the Poisson
rows, but raw_fa 0.051-0.114 and fwer 0.125-1.000 on the over-dispersed ones, e.g. 0.079 and
0.655 at ``a = 0.3`` with 2-3 months, 0.052 and 0.745 with per-cell ``a``; its higher power
there was bought with those false alarms.) Power on over-dispersed counts is low because it
must be: at ``a = 0.3`` a month varies by about +-55% on its own, so a tripling is two or so
standard deviations, not a finding once 500 cells are corrected for. Small means rarely reach
``min_count``. One month of 500 cells takes about 10 ms.

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
"""Largest dispersion considered (cap of the estimate, top of :data:`DISPERSION_GRID`)."""

MIN_DISPERSION = 1e-4
"""Dispersions below this are Poisson: estimates below it return 0, tests use the Poisson form."""

DISPERSION_GRID = np.concatenate([[0.0], np.geomspace(0.01, MAX_DISPERSION, 12)])
"""Dispersions a cell may have: its posterior over these (see :func:`detect_spikes`)."""

MAX_EM_STEPS = 100
"""Cap on the EM steps that fit the month's distribution of dispersions."""

EXACT_MAX = 20_000
"""Largest observed count whose p-value is an exact sum; above, a 64-node quadrature."""


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

    Conditional maximum likelihood: given its total, a cell's history is Dirichlet-multinomial
    with parameters ``1/a`` per period whatever the cell's mean, so the cells' unknown means drop
    out and the likelihood pools over every cell with at least two earlier periods and a positive
    total (the same device as edgeR's conditional likelihood). Unlike moments, it does not
    lean on a noisy squared mean of two or three months, and it weighs each cell by what it
    tells. The result is 0 when the counts are no more variable than Poisson and is capped at
    :data:`MAX_DISPERSION`. Needs :data:`MIN_DISPERSION_DF` pooled degrees of freedom (sum of
    periods - 1); below that it returns ``default`` (:data:`DEFAULT_DISPERSION`): a guard that
    assumes some over-dispersion rather than none when it cannot be measured.

    >>> estimate_dispersion([[3, 4, 2, 5, 3, 4]] * 5)
    0.0
    >>> estimate_dispersion([[0, 12, 1, 15, 0, 9]] * 5) > 0.5
    True
    >>> estimate_dispersion([[3]])
    0.1
    """
    from scipy import optimize

    fallback = DEFAULT_DISPERSION if default is None else float(default)
    h, m = _history_matrix(histories)
    total = h.sum(axis=1)
    use = (m >= 2) & (total > 0)
    if int((m[use] - 1).sum()) < MIN_DISPERSION_DF:
        return fallback
    h, m = h[use], m[use]

    def neg_loglik(log_a: float) -> float:
        return -float(_dispersion_loglik(h, m, float(np.exp(log_a))).sum())

    lo, hi = np.log(MIN_DISPERSION), np.log(MAX_DISPERSION)
    best = optimize.minimize_scalar(neg_loglik, bounds=(lo, hi), method="bounded")
    if best.fun >= 0.0 or best.x <= lo + 0.01:  # nothing beats Poisson
        return 0.0
    return float(min(MAX_DISPERSION, np.exp(best.x)))


def spike_p_value(
    observed: float, history: Sequence[float] | np.ndarray, *, dispersion: float = 0.0
) -> float:
    """One-sided p-value ``P(X >= observed)`` under the posterior predictive of the count.

    The count is negative binomial with over-dispersion ``dispersion`` around a mean known
    only through ``m`` earlier periods (Jeffreys prior): ``X`` is beta-negative-binomial (see the
    module docstring); with ``dispersion = 0`` it is the Gamma-Poisson predictive
    ``NB(r = sum + 1/2, p = m / (m + 1))``. NaN without history or observation.

    >>> spike_p_value(0, [5, 5, 5])
    1.0
    >>> 0.0 < spike_p_value(9, [2, 3, 2, 4]) < 0.01
    True
    """
    h = _history(history)
    if h.size == 0 or observed is None or np.isnan(observed):
        return float("nan")
    p = _predictive_sf(
        np.array([observed], dtype=float), np.array([h.sum()]), np.array([h.size]), dispersion
    )
    return float(p[0])


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

    ``histories[i]`` are cell ``i``'s earlier counts (oldest first; a list per cell, ragged or
    not, or a 2-D array; NaN is a period without data). With ``dispersion=None`` each cell's
    p-value is averaged over its own posterior for the over-dispersion (the month's fitted
    distribution of dispersions updated with the cell's history, see the module docstring); a
    number uses that one dispersion for every cell. ``spike`` is ``q < alpha`` after
    Benjamini-Hochberg across the cells, with ``observed >= min_count`` and above expected.
    A cell without history gets NaN expected, p and q, and no spike.

    >>> e, p, q, s = detect_spikes([3, 20], [[3, 2, 4, 3], [3, 2, 4, 3]])
    >>> s.tolist()
    [False, True]
    """
    obs = np.asarray(observed, dtype=float).reshape(-1)
    if obs.size != len(histories):
        raise ValueError(
            f"observed has {obs.size} cells but histories has {len(histories)}; "
            "pass one history (possibly empty) per observed count"
        )
    h, m = _history_matrix(histories)
    total = h.sum(axis=1)
    if dispersion is None:
        grid, weights = _dispersion_posterior(h, m)
    else:
        grid, weights = np.array([float(dispersion)]), np.ones((h.shape[0], 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.where(m > 0, (total + PRIOR_COUNT) / m, np.nan)
    p = np.full(obs.shape, np.nan)
    ok = (m > 0) & ~np.isnan(obs)
    p[ok] = _mixture_sf(obs[ok], total[ok], m[ok], grid, weights[ok])
    q = benjamini_hochberg(p)
    with np.errstate(invalid="ignore"):
        spike = (q < alpha) & (obs >= min_count) & (obs > expected)
    return expected, p, q, np.asarray(spike, dtype=bool)


def _dispersion_loglik(h: np.ndarray, m: np.ndarray, a: float) -> np.ndarray:
    """Each cell's conditional log-likelihood of dispersion ``a``, relative to Poisson.

    Given its total ``T``, a cell's ``m`` counts are Dirichlet-multinomial with parameter
    ``k = 1/a`` per period, free of the cell's mean. Written relative to the multinomial
    (``a = 0``) so that it is 0 at ``a = 0`` and stays accurate for small ``a``; 0 for a cell
    with fewer than two periods or a zero total (it says nothing about ``a``). ``h`` is
    zero-padded (padding adds nothing), shape (cells, periods).
    """
    from scipy import special

    total = h.sum(axis=1)
    if a <= 0:
        return np.zeros(h.shape[0])
    k = 1.0 / a
    mk = np.maximum(m, 1) * k
    cell = (special.gammaln(h + k) - special.gammaln(k) - h * np.log(k)).sum(axis=1)
    whole = special.gammaln(total + mk) - special.gammaln(mk) - total * np.log(mk)
    return np.where((m < 2) | (total <= 0), 0.0, cell - whole)


def _dispersion_posterior(h: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(grid, weights): each cell's posterior over :data:`DISPERSION_GRID`, weights (cells, grid).

    The prior is the month's own distribution of dispersions, estimated by nonparametric maximum
    likelihood (EM over the grid, pooled over the cells' conditional likelihoods); each cell then
    updates it with its own history. Below :data:`MIN_DISPERSION_DF` pooled degrees of freedom
    every cell gets :data:`DEFAULT_DISPERSION`.
    """
    informative = (m >= 2) & (h.sum(axis=1) > 0)
    if int((m[informative] - 1).sum()) < MIN_DISPERSION_DF:
        return np.array([DEFAULT_DISPERSION]), np.ones((h.shape[0], 1))
    grid = DISPERSION_GRID
    loglik = np.stack([_dispersion_loglik(h, m, float(a)) for a in grid], axis=1)
    lik = np.exp(loglik - loglik.max(axis=1, keepdims=True))
    used = lik[informative]
    prior = np.full(grid.size, 1.0 / grid.size)
    fit = -np.inf
    for _ in range(MAX_EM_STEPS):  # EM for the mixing weights; stops when the fit stalls
        mix = used @ prior
        new_fit = float(np.log(mix).sum())
        if new_fit - fit < 1e-3:
            break
        fit = new_fit
        prior = prior * (used.T @ (1.0 / mix)) / used.shape[0]
    weights = lik * np.maximum(prior, 1e-12)  # no cell's row can vanish
    return grid, weights / weights.sum(axis=1, keepdims=True)


def _mixture_sf(
    observed: np.ndarray,
    total: np.ndarray,
    periods: np.ndarray,
    grid: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """``sum_g weights[i, g] * P(X_i >= observed_i | a = grid[g])``, skipping weights < 1e-6."""
    cell, g = np.nonzero(weights >= 1e-6)
    sf = _predictive_sf(observed[cell], total[cell], periods[cell], grid[g])
    w = weights[cell, g]
    return np.bincount(cell, weights=w * sf, minlength=observed.size) / np.bincount(
        cell, weights=w, minlength=observed.size
    )


def _predictive_sf(
    observed: np.ndarray,
    total: np.ndarray,
    periods: np.ndarray,
    dispersion: float | np.ndarray,
) -> np.ndarray:
    """``P(X >= observed)`` for ``X ~ BNB(r = k, alpha = m k, beta = total + 1/2)``, ``k = 1/a``.

    Elementwise over cells (``dispersion`` a scalar or one per cell). The beta-negative-binomial
    is the negative binomial ``NB(k, theta)`` mixed over the posterior
    ``theta ~ Beta(total + 1/2, m k)`` of its odds; equivalently
    ``P(X >= x) = P(Beta(x, total + 1/2) <= Beta(k, m k))`` for two independent betas, which is
    what the large-count quadrature integrates. Counts up to :data:`EXACT_MAX` sum the exact
    probabilities of ``0 .. x - 1`` (one flat array for all cells); p-values under about 1e-12
    are exact to that absolute precision only.
    """
    from scipy import special

    x = np.ceil(np.asarray(observed, dtype=float))
    b = np.asarray(total, dtype=float) + PRIOR_COUNT
    m = np.asarray(periods, dtype=float)
    a = np.broadcast_to(np.maximum(np.asarray(dispersion, dtype=float), 0.0), x.shape)
    p = np.ones(x.shape)
    pos = x > 0
    poisson = pos & (a < MIN_DISPERSION)
    p[poisson] = special.betainc(x[poisson], b[poisson], 1.0 / (m[poisson] + 1.0))
    k = 1.0 / np.maximum(a, MIN_DISPERSION)
    exact = pos & ~poisson & (x <= EXACT_MAX)
    if exact.any():
        p[exact] = 1.0 - _bnb_cdf_below(
            x[exact].astype(np.int64), b[exact], m[exact] * k[exact], k[exact]
        )
    big = pos & ~poisson & (x > EXACT_MAX)
    if big.any():
        p[big] = _beta_below_beta(x[big], b[big], k[big], m[big] * k[big])
    return np.clip(p, 0.0, 1.0)


def _bnb_cdf_below(x: np.ndarray, b: np.ndarray, mk: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``P(X <= x - 1)`` for each cell, summing the pmf over one flat array of all terms."""
    from scipy import special

    n = x.sum()
    cell = np.repeat(np.arange(x.size), x)
    j = np.arange(n) - np.repeat(np.cumsum(x) - x, x)
    big_k = mk + k
    # log pmf(j) = lgamma(k+j) - lgamma(j+1) + lgamma(b+j) - lgamma(b+j+K) + c, K = mk + k
    c = special.gammaln(big_k) - special.gammaln(k) - special.betaln(b, mk)
    bj = b[cell] + j
    log_pmf = (
        special.gammaln(k[cell] + j)
        - special.gammaln(j + 1.0)
        + special.gammaln(bj)
        - special.gammaln(bj + big_k[cell])
        + c[cell]
    )
    return np.bincount(cell, weights=np.exp(log_pmf), minlength=x.size)


def _beta_below_beta(
    x: np.ndarray, b: np.ndarray, k: np.ndarray, mk: np.ndarray, nodes: int = 64
) -> np.ndarray:
    """``P(U <= V)``, ``U ~ Beta(x, b)``, ``V ~ Beta(k, mk)``: Gauss-Legendre over the quantiles
    of the narrower of the two (by logit-scale variance), the other's CDF as integrand.

    Used for counts above :data:`EXACT_MAX`; agrees with the exact sum to about 2e-5 there.
    """
    from scipy import special

    t, w = np.polynomial.legendre.leggauss(nodes)
    t, w = (t + 1.0) / 2.0, w / 2.0
    spread_u = special.polygamma(1, x) + special.polygamma(1, b)
    spread_v = special.polygamma(1, k) + special.polygamma(1, mk)
    out = np.empty(x.shape)
    nu = spread_u <= spread_v
    u = special.betaincinv(x[nu, None], b[nu, None], t)
    out[nu] = (w * special.betainc(mk[nu, None], k[nu, None], 1.0 - u)).sum(axis=1)  # P(V >= u)
    nv = ~nu
    v = special.betaincinv(k[nv, None], mk[nv, None], t)
    out[nv] = (w * special.betainc(x[nv, None], b[nv, None], v)).sum(axis=1)  # P(U <= v)
    return out


def _history(history: Sequence[float] | np.ndarray) -> np.ndarray:
    h = np.asarray(history, dtype=float)
    h = h[~np.isnan(h)]
    return h[-MAX_HISTORY:]


def _history_matrix(histories: Sequence[Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's last :data:`MAX_HISTORY` non-NaN values, right-aligned and zero-padded, and
    how many there are: shapes (cells, MAX_HISTORY) and (cells,)."""
    try:
        rect = np.asarray(histories, dtype=float)
    except ValueError:  # ragged
        rect = None
    if rect is not None and rect.ndim == 2:
        seen = ~np.isnan(rect)
        order = np.argsort(seen, axis=1, kind="stable")  # NaNs first, values in their order
        rect = np.take_along_axis(rect, order, axis=1)[:, -MAX_HISTORY:]
        m = np.minimum(seen.sum(axis=1), MAX_HISTORY)
        h = np.zeros((rect.shape[0], MAX_HISTORY))
        h[:, MAX_HISTORY - rect.shape[1] :] = np.nan_to_num(rect, nan=0.0)
        return h, m
    h = np.zeros((len(histories), MAX_HISTORY))
    m = np.zeros(len(histories), dtype=np.int64)
    for i, history in enumerate(histories):
        v = _history(history)
        if v.size:
            h[i, MAX_HISTORY - v.size :] = v
        m[i] = v.size
    return h, m
