from __future__ import annotations

import random

import pytest

from resolvers.scoring.beacon import (
    beacon_scores,
    duration_score,
    histogram_score,
    mad_score,
    quartiles,
    skew_score,
)

DAY = 86_400.0


def test_quartiles_and_subscores_exact() -> None:
    assert quartiles([1, 2, 3, 4, 5, 6, 7, 8]) == (2.5, 4.5, 6.5)
    assert quartiles([1, 2, 3, 4, 100]) == (1.5, 3.0, 52.0)
    # Bowley skew of (1.5, 3, 52) = (1.5 + 52 - 6) / 50.5
    assert skew_score([1, 2, 3, 4, 100]) == pytest.approx(1 - 47.5 / 50.5)
    assert skew_score([7, 7, 7, 7]) == 1.0
    assert mad_score([10, 10, 10, 12]) == 1.0  # MAD 0
    assert mad_score([10, 20, 30]) == pytest.approx((20 - 10) / 20)
    assert mad_score([0, 0, 0]) == 0.0


def test_perfect_beacon_scores_one() -> None:
    times = [i * 600.0 for i in range(144)]  # every 10 minutes for a day
    result = beacon_scores(times, [512.0] * 144, 0.0, DAY)
    assert result is not None
    assert (result.timestamp, result.data_size, result.histogram, result.duration) == (
        1.0,
        1.0,
        1.0,
        1.0,
    )
    assert result.score == 1.0
    assert result.connections == 144


def test_fewer_than_four_connections_is_not_scored() -> None:
    assert beacon_scores([0.0, 60.0, 120.0], [1.0, 1.0, 1.0], 0.0, DAY) is None


def test_random_traffic_scores_low() -> None:
    rng = random.Random(7)
    times = sorted(rng.uniform(0, DAY) for _ in range(60))
    sizes = [rng.choice([200, 5_000, 90_000, 1_200_000]) * rng.random() for _ in times]
    result = beacon_scores(times, sizes, 0.0, DAY)
    assert result is not None
    assert result.timestamp < 0.6
    assert result.score < 0.7


def test_jittered_beacon_stays_high() -> None:
    rng = random.Random(3)
    times = [i * 900.0 + rng.uniform(-30, 30) for i in range(96)]
    result = beacon_scores(times, [300.0 + rng.uniform(-5, 5) for _ in times], 0.0, DAY)
    assert result is not None
    assert result.score >= 0.9


def test_histogram_and_duration_edges() -> None:
    assert histogram_score([], 0.0, DAY) == 0.0
    # a burst in one hour of the day: CV of counts is large, two modes cover all bins
    burst = [100.0 + i for i in range(50)]
    assert histogram_score(burst, 0.0, DAY) == 1.0
    assert duration_score([0.0, 3600.0], 0.0, 5 * 3600.0) == 0.0  # scope < 6 h
    # 3 consecutive hours of 24, spanning 2 h: max(2/24, 3/12) = 0.25
    assert duration_score([0.0, 3600.0, 7200.0], 0.0, DAY) == 0.25
