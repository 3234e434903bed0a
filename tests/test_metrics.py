"""Multi-label metrics against hand-computed figures."""
from __future__ import annotations

import pytest

from voiceline.concerns.metrics import grouped_report, multilabel_report
from voiceline.errors import SchemaError

GOLD = [{"a"}, {"a", "b"}, set(), {"c"}]
PRED = [{"a"}, {"b"}, {"a"}, set()]
# a: tp1 fp1 fn1 -> P .5 R .5 F .5 ; b: tp1 -> 1,1,1 ; c: fn1 -> 0,0,0
# micro: tp2 fp1 fn2 -> P 2/3 R 1/2 F 4/7


def test_per_concern_micro_macro() -> None:
    rep = multilabel_report(GOLD, PRED, labels=["a", "b", "c", "d"]).set_index("concern_id")
    assert rep.loc["a", ["precision", "recall", "f1"]].tolist() == [0.5, 0.5, 0.5]
    assert rep.loc["b", "f1"] == 1.0 and rep.loc["c", "f1"] == 0.0
    assert rep.loc["a", "support"] == 2 and rep.loc["c", "support"] == 1
    assert rep.loc["micro", "precision"] == pytest.approx(2 / 3)
    assert rep.loc["micro", "recall"] == pytest.approx(0.5)
    assert rep.loc["micro", "f1"] == pytest.approx(4 / 7)
    # macro over concerns with support (d has none)
    assert rep.loc["macro", "f1"] == pytest.approx((0.5 + 1.0 + 0.0) / 3)
    assert list(rep.index) == ["a", "b", "c", "d", "micro", "macro"]


def test_grouped_report() -> None:
    rep = grouped_report(GOLD, PRED, groups=["x", "x", "y", "y"], labels=["a", "b", "c"])
    micro = rep[rep.concern_id == "micro"].set_index("group")["f1"]
    assert micro["ALL"] == pytest.approx(4 / 7)
    assert micro["x"] == pytest.approx(2 * (1.0 * 2 / 3) / (1.0 + 2 / 3))  # P 1, R 2/3
    assert micro["y"] == 0.0


def test_length_mismatch() -> None:
    with pytest.raises(SchemaError, match="one set per record"):
        multilabel_report([{"a"}], [], labels=["a"])
    with pytest.raises(SchemaError, match="one group"):
        grouped_report([{"a"}], [{"a"}], groups=[], labels=["a"])
