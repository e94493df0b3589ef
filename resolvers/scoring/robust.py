"""Robust location and spread: median, MAD and the robust z-score.

The z-score divides by the MAD scaled to a normal standard deviation
(1.4826 x MAD).  Hourly baselines of one entity are often mostly zeros, so the
MAD is 0; then the mean absolute deviation scaled by sqrt(pi/2) (~1.2533) is
used, as in Iglewicz & Hoaglin's modified z-score, and a floor (one unit of the
measure by default) keeps a spike over an all-zero baseline finite and
comparable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MAD_TO_SIGMA = 1.4826
MEANAD_TO_SIGMA = 1.2533
# Iglewicz & Hoaglin's outlier cut for the modified z-score.
OUTLIER_Z = 3.5


def median(values: Sequence[float]) -> float:
    """The median; 0.0 for an empty sequence.

    >>> median([3, 1, 2, 10])
    2.5
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def mad(values: Sequence[float]) -> float:
    """Median absolute deviation from the median.

    >>> mad([1, 1, 2, 2, 4, 6, 9])
    1.0
    """
    center = median(values)
    return median([abs(v - center) for v in values])


def mean_absolute_deviation(values: Sequence[float]) -> float:
    """Mean absolute deviation from the median."""
    if not values:
        return 0.0
    center = median(values)
    return math.fsum(abs(v - center) for v in values) / len(values)


def robust_sigma(values: Sequence[float], floor: float = 1.0) -> float:
    """A robust standard deviation: scaled MAD, else scaled mean AD, never below ``floor``."""
    return max(MAD_TO_SIGMA * mad(values), MEANAD_TO_SIGMA * mean_absolute_deviation(values), floor)


def robust_z(value: float, baseline: Sequence[float], floor: float = 1.0) -> float:
    """How many robust standard deviations ``value`` lies above the baseline median.

    >>> robust_z(12, [0, 0, 0, 1, 0, 0, 2, 0])
    12.0
    """
    return (value - median(baseline)) / robust_sigma(baseline, floor)
