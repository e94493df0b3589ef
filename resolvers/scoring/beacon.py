"""RITA-style beacon scores: how regular a series of connections (or API calls) is.

After activecm/rita v5 ``analysis/beacons.go`` as summarised in
``shared/docs/peers.md`` §8 (our own implementation):

* timestamp score: on the inter-arrival deltas, the mean of a Bowley-skew score
  ``1 - |(Q1 + Q3 - 2 Q2) / (Q3 - Q1)|`` and a MAD score ``(median - MAD) / median``;
* data-size score: the same two sub-scores on the bytes of each connection;
* histogram score: the connection counts in 24 equal bins over the scope; the
  maximum of a coefficient-of-variation score ``1 - min(cv, 1)`` and a bimodal fit
  (share of bins in the two largest modes, bins within 5 % of the largest count
  being one mode);
* duration score, only when the scope spans at least 6 hours: the maximum of the
  coverage (first-to-last over the scope) and the consistency (longest run of
  consecutive hours with a connection / 12, capped at 1);
* final score: the weighted mean, 0.25 each.

At least 4 connections are needed (RITA's minimum); fewer give ``None``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from resolvers.scoring.robust import mad, median

MIN_CONNECTIONS = 4
HISTOGRAM_BINS = 24
MODE_SENSITIVITY = 0.05
MIN_DURATION_HOURS = 6.0
CONSISTENCY_HOURS = 12
WEIGHTS = (0.25, 0.25, 0.25, 0.25)


@dataclass(frozen=True, slots=True)
class BeaconScores:
    """The four sub-scores and their weighted mean, each in [0, 1]."""

    timestamp: float
    data_size: float
    histogram: float
    duration: float
    score: float
    connections: int


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """Q1, Q2, Q3 as medians of the lower and upper halves (Tukey's hinges).

    >>> quartiles([1, 2, 3, 4, 5, 6, 7, 8])
    (2.5, 4.5, 6.5)
    """
    ordered = sorted(values)
    half = len(ordered) // 2
    lower = ordered[:half]
    upper = ordered[half + 1 :] if len(ordered) % 2 else ordered[half:]
    return median(lower or ordered), median(ordered), median(upper or ordered)


def skew_score(values: Sequence[float]) -> float:
    """1 - |Bowley skewness|; a symmetric (or constant) distribution scores 1."""
    q1, q2, q3 = quartiles(values)
    spread = q3 - q1
    if spread == 0 or q2 in (q1, q3):
        return 1.0
    return max(0.0, 1.0 - abs((q1 + q3 - 2 * q2) / spread))


def mad_score(values: Sequence[float]) -> float:
    """(median - MAD) / median, clamped to [0, 1]; a constant series scores 1."""
    center = median(values)
    if center <= 0:
        return 0.0
    return min(1.0, max(0.0, (center - mad(values)) / center))


def regularity(values: Sequence[float]) -> float:
    """Mean of the skew and MAD scores (RITA's timestamp/data-size formula)."""
    return (skew_score(values) + mad_score(values)) / 2


def histogram_score(times: Sequence[float], start: float, end: float) -> float:
    """Max of the CV score and the bimodal fit of the counts in 24 bins over [start, end)."""
    width = (end - start) / HISTOGRAM_BINS
    if width <= 0:
        return 0.0
    bins = [0] * HISTOGRAM_BINS
    for t in times:
        bins[min(HISTOGRAM_BINS - 1, max(0, int((t - start) // width)))] += 1
    mean = sum(bins) / HISTOGRAM_BINS
    if mean == 0:
        return 0.0
    sd = math.sqrt(sum((b - mean) ** 2 for b in bins) / HISTOGRAM_BINS)
    cv_score = 1.0 - min(sd / mean, 1.0)
    tolerance = MODE_SENSITIVITY * max(bins)
    modes: list[list[int]] = []
    for count in sorted(bins):
        if modes and count - modes[-1][0] <= tolerance:
            modes[-1].append(count)
        else:
            modes.append([count])
    top_two = sum(sorted((len(m) for m in modes), reverse=True)[:2])
    bimodal = top_two / HISTOGRAM_BINS
    return max(cv_score, bimodal)


def duration_score(times: Sequence[float], start: float, end: float) -> float:
    """Max of coverage and hourly consistency; 0 when the scope is shorter than 6 h."""
    if (end - start) < MIN_DURATION_HOURS * 3600 or not times:
        return 0.0
    coverage = (max(times) - min(times)) / (end - start)
    hours = sorted({int((t - start) // 3600) for t in times})
    longest = run = 1
    for prev, cur in itertools.pairwise(hours):
        run = run + 1 if cur == prev + 1 else 1
        longest = max(longest, run)
    consistency = min(1.0, longest / CONSISTENCY_HOURS)
    return min(1.0, max(coverage, consistency))


def beacon_scores(
    times: Sequence[float], sizes: Sequence[float], start: float, end: float
) -> BeaconScores | None:
    """Score a series of connection times (epoch seconds) and their sizes over a scope."""
    ordered = sorted(set(times))
    if len(ordered) < MIN_CONNECTIONS:
        return None
    deltas = [b - a for a, b in itertools.pairwise(ordered)]
    ts = regularity(deltas)
    ds = regularity(sizes) if sizes else 0.0
    hist = histogram_score(ordered, start, end)
    dur = duration_score(ordered, start, end)
    parts = (ts, ds, hist, dur)
    score = sum(w * p for w, p in zip(WEIGHTS, parts, strict=True)) / sum(WEIGHTS)
    return BeaconScores(ts, ds, hist, dur, round(score, 4), len(ordered))
