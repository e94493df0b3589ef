from __future__ import annotations

import pytest

from resolvers.scoring.robust import mad, mean_absolute_deviation, median, robust_sigma, robust_z


def test_median_and_mad_exact() -> None:
    assert median([]) == 0.0
    assert median([5, 1, 3]) == 3.0
    assert median([4, 1, 3, 2]) == 2.5
    assert mad([1, 1, 2, 2, 4, 6, 9]) == 1.0
    assert mean_absolute_deviation([1, 2, 3, 10]) == pytest.approx(2.5)


def test_z_uses_scaled_mad_when_spread_is_nonzero() -> None:
    baseline = [10, 12, 11, 13, 9, 10, 12, 11]  # median 11, MAD 1
    assert robust_sigma(baseline) == pytest.approx(1.4826)
    assert robust_z(20, baseline) == pytest.approx(9 / 1.4826)


def test_all_zero_baseline_falls_back_to_floor() -> None:
    assert robust_z(12, [0] * 100) == 12.0
    assert robust_z(50_000, [0] * 10, floor=1000) == 50.0


def test_mostly_zero_baseline_uses_mean_absolute_deviation() -> None:
    baseline = [0] * 6 + [8, 8]  # median 0, MAD 0, mean AD 2 -> sigma 2.5066
    assert robust_sigma(baseline) == pytest.approx(2 * 1.2533)
    assert robust_z(10, baseline) == pytest.approx(10 / 2.5066)
