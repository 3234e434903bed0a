"""Sentiment metrics: TweetEval's official macro-recall, macro-F1, accuracy, confusion matrix.

Why macro-recall first: it is TweetEval's official metric and it is not fooled by the class mix
(a model that calls everything neutral gets 1/3, whatever share neutral has). Macro-F1 is
reported beside it. The same figures per group (source type) show whether the model serves
surveys, meetings and social comments equally.

Pairs where the prediction is missing (``None``: a text in an unsupported language, or empty)
are not scored; their count is reported as ``n_unscored`` so coverage gaps stay visible.

>>> report = sentiment_report(["negative", "neutral", "positive", "positive"],
...                           ["negative", "neutral", "neutral", "positive"])
>>> round(report["macro_recall"], 3), round(report["accuracy"], 2)
(0.833, 0.75)
>>> report["confusion"].loc["positive", "neutral"]
np.int64(1)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from voiceline.errors import SchemaError
from voiceline.sentiment.model import LABELS


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _metrics(gold: list[str], pred: list[str], n_unscored: int) -> dict[str, Any]:
    k = len(LABELS)
    cm = np.zeros((k, k), dtype=np.int64)
    for g, p in zip(gold, pred, strict=True):
        cm[LABELS.index(g), LABELS.index(p)] += 1
    support = cm.sum(axis=1)
    predicted = cm.sum(axis=0)
    tp = np.diag(cm).astype(np.float64)
    recall = np.divide(tp, support, out=np.zeros(k), where=support > 0)
    precision = np.divide(tp, predicted, out=np.zeros(k), where=predicted > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros(k), where=denom > 0)
    present = support > 0
    n = int(cm.sum())
    return {
        "n": n,
        "n_unscored": int(n_unscored),
        "macro_recall": float(recall[present].mean()) if present.any() else float("nan"),
        "macro_f1": float(f1[present].mean()) if present.any() else float("nan"),
        "accuracy": float(tp.sum() / n) if n else float("nan"),
        "per_class": {
            lab: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, lab in enumerate(LABELS)
        },
        "confusion": pd.DataFrame(
            cm,
            index=pd.Index(LABELS, name="gold"),
            columns=pd.Index(LABELS, name="predicted"),
        ),
    }


def sentiment_report(
    gold_labels: Sequence[str],
    pred_labels: Sequence[str | None],
    *,
    groups: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Macro-recall, macro-F1, accuracy, per-class figures and the confusion matrix.

    ``confusion`` is a DataFrame (rows gold, columns predicted, in ``negative, neutral,
    positive`` order). With ``groups`` (e.g. each record's source type) the same figures are
    given per group under ``"groups"``. Macro averages run over the classes present in the gold
    labels (so a group with no positive example is not penalised for it).

    Raises :class:`SchemaError` on unequal lengths or labels outside the three.
    """
    gold = list(gold_labels)
    pred = list(pred_labels)
    if len(gold) != len(pred):
        raise SchemaError(
            f"{len(gold)} gold labels but {len(pred)} predictions; expected one each."
        )
    if groups is not None and len(groups) != len(gold):
        raise SchemaError(f"{len(gold)} gold labels but {len(groups)} groups; expected one each.")
    bad_gold = sorted({str(g) for g in gold if _missing(g) or g not in LABELS})
    bad_pred = sorted({str(p) for p in pred if not _missing(p) and p not in LABELS})
    if bad_gold or bad_pred:
        raise SchemaError(
            f"unknown sentiment labels: gold {bad_gold}, predicted {bad_pred}; expected only "
            f"{list(LABELS)} (a prediction may be empty for an unscored text)."
        )
    keep = [i for i, p in enumerate(pred) if not _missing(p)]
    report = _metrics([gold[i] for i in keep], [pred[i] for i in keep], len(gold) - len(keep))
    if groups is not None:
        per: dict[str, Any] = {}
        for group in sorted({str(g) for g in groups}):
            rows = [i for i, g in enumerate(groups) if str(g) == group]
            ok = [i for i in rows if not _missing(pred[i])]
            per[group] = _metrics([gold[i] for i in ok], [pred[i] for i in ok], len(rows) - len(ok))
        report["groups"] = per
    return report
