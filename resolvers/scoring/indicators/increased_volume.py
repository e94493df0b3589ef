"""INCREASED_VOLUME: the scope's busiest hour of API calls is a robust outlier.

Hourly call counts over the baseline and the scope (:mod:`resolvers.scoring.series`);
fires when the scope's peak hour has at least 20 calls and a robust z-score of
at least 3.5 against the baseline hours.  Risk ``min(20 + 2 z, 50)``.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, VolumeDeviation
from resolvers.scoring.queries import CLOUDTRAIL, dataset
from resolvers.scoring.robust import mad, median
from resolvers.scoring.series import hourly

MIN_PEAK = 20.0


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The INCREASED_VOLUME indicator of the context's entity (at most one)."""
    series = await hourly(ctx, dataset(CLOUDTRAIL))
    if not series.spiking(MIN_PEAK):
        return []
    z = series.z()
    return [
        Indicator(
            type=IndicatorType.INCREASED_VOLUME,
            entity=ctx.subject.entity,
            detail=VolumeDeviation(
                measure="API calls per hour",
                api_name=None,
                scope_peak=series.peak,
                scope_total=series.scope_total,
                baseline_median=median(series.baseline),
                baseline_mad=mad(series.baseline),
                z_score=z,
            ),
            risk=min(20 + 2 * z, 50.0),
            summary=f"{series.peak:.0f} calls in one hour (robust z {z:.1f})",
            evidence=ctx.evidence(
                measure="API calls",
                scope_count=series.scope_total,
                baseline_count=series.baseline_total,
                query=series.query,
                extra={"scope_peak_hour": series.peak, "z": z},
            ),
        )
    ]
