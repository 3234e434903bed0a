"""Calibration of a trained head's scores, fitted on out-of-fold scores.

- :func:`fit_softmax_calibration`: one temperature and per-label offsets for single-label data,
  so probabilities match how often each label really is right;
- :func:`macro_f1_offsets`: per-label offsets that maximise macro-F1 of the arg-max (every
  label counts the same, so a rare label is worth predicting a little more often);
- :func:`fit_platt`: one yes/no label's sigmoid.

>>> import numpy as np
>>> Z = np.array([[2.0, 0.0], [1.5, 0.2], [0.1, 1.0], [0.0, 2.0]])
>>> a, b = fit_softmax_calibration(Z, np.array([0, 0, 1, 1]))
>>> a > 1.0, b.shape
(True, (2,))
"""
from __future__ import annotations

import numpy as np


def fit_softmax_calibration(Z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Temperature ``a`` and offsets ``b`` minimising the log loss of softmax(a*Z + b)."""
    from scipy.optimize import minimize

    n, k = Z.shape
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = params[0], params[1:]
        s = a * Z + b
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        p = np.exp(logp)
        reg = 1e-3 * float(b @ b)
        value = -float((onehot * logp).sum()) / n + reg
        g = (p - onehot) / n
        grad = np.concatenate([[float((g * Z).sum())], g.sum(axis=0) + 2e-3 * b])
        return value, grad

    start = np.concatenate([[1.0], np.zeros(k)])
    res = minimize(loss, start, jac=True, method="L-BFGS-B",
                   bounds=[(1e-3, None)] + [(None, None)] * k)
    return float(res.x[0]), np.asarray(res.x[1:])


def macro_f1_offsets(Z: np.ndarray, y: np.ndarray, *, passes: int = 3) -> np.ndarray:
    """Per-label offsets ``b`` maximising the macro-F1 of ``argmax(Z + b)`` on out-of-fold
    scores ``Z`` (n, k) with true labels ``y``: coordinate ascent over a grid of +-1.5 standard
    deviations of the scores, a few passes (fast: each try is one arg-max)."""
    n, k = Z.shape
    counts = np.bincount(y, minlength=k)

    def macro_f1(pred: np.ndarray) -> float:
        tp = np.bincount(y[pred == y], minlength=k)
        denom = counts + np.bincount(pred, minlength=k)
        present = denom > 0
        return float((2.0 * tp[present] / denom[present]).mean())

    grid = np.linspace(-1.5, 1.5, 31) * float(Z.std() or 1.0)
    b = np.zeros(k)
    best = macro_f1(Z.argmax(axis=1))
    for _ in range(passes):
        improved = False
        for j in range(k):
            keep = b[j]
            for value in grid:
                b[j] = value
                f = macro_f1((Z + b).argmax(axis=1))
                if f > best + 1e-9:
                    best, keep, improved = f, value, True
            b[j] = keep
        if not improved:
            break
    return b


def fit_platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: sigmoid(a*z + b) fitted to yes/no labels (a >= 0, lightly regularised)."""
    if y.min() == y.max():
        return 1.0, 0.0
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=100.0).fit(z.reshape(-1, 1), y)
    a = max(float(clf.coef_[0, 0]), 1e-3)
    return a, float(clf.intercept_[0])
