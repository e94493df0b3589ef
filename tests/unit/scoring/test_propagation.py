from __future__ import annotations

import pytest

from resolvers.scoring.propagation import propagate
from trailhound.errors import LimitExceededError


def test_one_hop_exact() -> None:
    result = propagate(
        {"i": 60.0, "ip": 0.0, "s": 10.0}, [("i", "ip", 1.0), ("i", "s", 0.5)], hops=1
    )
    assert result["ip"].inherited == pytest.approx(18.0)  # 0.3 * 1.0 * 60
    assert result["ip"].raised_by == (("i", 18.0),)
    assert result["s"].score == pytest.approx(10 + 0.3 * 0.5 * 60)
    assert result["i"].score == pytest.approx(60 + 0.3 * 0.5 * 10)


def test_two_hops_decay_and_strongest_path() -> None:
    edges = [("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 0.1)]
    result = propagate({"a": 100.0, "b": 0.0, "c": 0.0}, edges, hops=2)
    # via b: 0.3 * 0.3 * 100 = 9 beats the direct weak edge 0.3 * 0.1 * 100 = 3
    assert result["c"].raised_by == (("a", 9.0),)
    one_hop = propagate({"a": 100.0, "b": 0.0, "c": 0.0}, edges, hops=1)
    assert one_hop["c"].raised_by == (("a", 3.0),)


def test_score_is_capped_and_hops_bounded() -> None:
    result = propagate({"a": 100.0, "b": 100.0}, [("a", "b", 1.0)])
    assert result["a"].score == 100.0
    with pytest.raises(LimitExceededError):
        propagate({"a": 1.0}, [], hops=3)
    with pytest.raises(LimitExceededError):
        propagate({n: 1.0 for n in range(10)}, [], max_nodes=5)
