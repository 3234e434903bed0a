"""Multi-label evaluation: precision, recall and F1 per concern, micro and macro, by group.

Why by group: a classifier that is right on service reports and wrong on meeting speech, or
right in one neighborhood and blind in another, hides a coverage gap behind a good average; the
grouped report shows it (an equity problem, not only an accuracy one).

Definitions (per concern ``c``): tp = records whose gold and predicted sets both hold ``c``; fp
= predicted only; fn = gold only. ``micro`` pools tp/fp/fn over concerns; ``macro`` averages the
per-concern precision, recall and F1 over the concerns with support (gold count) > 0, so a
concern nobody raised does not count as a perfect or a failed class. A ratio with a zero
denominator is 0.

>>> rep = multilabel_report([{"noise"}, {"noise", "parking"}], [{"noise"}, {"noise"}],
...                         labels=["noise", "parking"])
>>> rep = rep.set_index("concern_id").round(3)
>>> rep.loc["parking", ["precision", "recall", "f1"]].tolist(), float(rep.loc["micro", "f1"])
([0.0, 0.0, 0.0], 0.8)
"""
from __future__ import annotations

from collections.abc import Sequence, Set

import pandas as pd

from voiceline.errors import SchemaError

REPORT_COLUMNS: tuple[str, ...] = (
    "concern_id",
    "precision",
    "recall",
    "f1",
    "support",
    "predicted",
    "tp",
    "fp",
    "fn",
)


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def multilabel_report(
    gold: Sequence[Set[str]],
    pred: Sequence[Set[str]],
    *,
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per concern in ``labels`` order, then ``micro`` and ``macro`` rows.

    ``labels`` defaults to every id seen in ``gold`` or ``pred``, sorted. Ids outside
    ``labels`` are ignored (they are neither hits nor misses), so pass the taxonomy ids.
    Columns: ``REPORT_COLUMNS``.
    """
    if len(gold) != len(pred):
        raise SchemaError(
            f"gold has {len(gold)} records but pred has {len(pred)}; pass one set per record, "
            "in the same order."
        )
    if labels is None:
        labels = sorted({x for s in gold for x in s} | {x for s in pred for x in s})
    rows = []
    for c in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if c in g and c in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if c not in g and c in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if c in g and c not in p)
        prec, rec = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        rows.append((c, prec, rec, _f1(prec, rec), tp + fn, tp + fp, tp, fp, fn))
    per = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    tp, fp, fn = int(per["tp"].sum()), int(per["fp"].sum()), int(per["fn"].sum())
    mp, mr = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    micro = ("micro", mp, mr, _f1(mp, mr), tp + fn, tp + fp, tp, fp, fn)
    seen = per[per["support"] > 0]
    macro = (
        "macro",
        float(seen["precision"].mean()) if len(seen) else 0.0,
        float(seen["recall"].mean()) if len(seen) else 0.0,
        float(seen["f1"].mean()) if len(seen) else 0.0,
        tp + fn,
        tp + fp,
        tp,
        fp,
        fn,
    )
    out = pd.concat([per, pd.DataFrame([micro, macro], columns=list(REPORT_COLUMNS))])
    return out.reset_index(drop=True).astype(
        {"support": int, "predicted": int, "tp": int, "fp": int, "fn": int}
    )


def grouped_report(
    gold: Sequence[Set[str]],
    pred: Sequence[Set[str]],
    *,
    groups: Sequence[str],
    labels: Sequence[str] | None = None,
    group_name: str = "group",
) -> pd.DataFrame:
    """:func:`multilabel_report` for every value of ``groups`` (plus ``ALL``), stacked.

    The first column, ``group_name``, holds the group value (source type, neighborhood, ...);
    groups come in sorted order after ``ALL``. Labels are shared by every group so rows line up.

    >>> rep = grouped_report([{"noise"}, {"parking"}], [{"noise"}, set()],
    ...                      groups=["survey", "report"], labels=["noise", "parking"])
    >>> rep[rep.concern_id == "micro"][["group", "f1"]].values.tolist()
    [['ALL', 0.6666666666666666], ['report', 0.0], ['survey', 1.0]]
    """
    if len(groups) != len(gold):
        raise SchemaError(
            f"groups has {len(groups)} values but gold has {len(gold)} records; pass one group "
            "per record."
        )
    if labels is None:
        labels = sorted({x for s in gold for x in s} | {x for s in pred for x in s})
    parts = []
    keys = ["ALL", *sorted({str(g) for g in groups})]
    for key in keys:
        idx = (
            range(len(gold))
            if key == "ALL"
            else [i for i, g in enumerate(groups) if str(g) == key]
        )
        rep = multilabel_report([gold[i] for i in idx], [pred[i] for i in idx], labels=labels)
        rep.insert(0, group_name, key)
        parts.append(rep)
    return pd.concat(parts, ignore_index=True)
