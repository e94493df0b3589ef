"""FAILED_CALL_SPIKE: the scope's busiest hour of failed calls is a robust outlier.

Failed CloudTrail calls (``event.outcome: failure``: AccessDenied and the like)
per hour; fires at a peak of at least 5 failures and a robust z of 3.5.
Risk ``min(25 + 2 z, 55)``: enumeration with stolen credentials fails loudly.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, VolumeDeviation
from resolvers.scoring.queries import CLOUDTRAIL, dataset
from resolvers.scoring.robust import mad, median
from resolvers.scoring.series import hourly
from trailhound.ecs import fields as F

MIN_PEAK = 5.0


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The FAILED_CALL_SPIKE indicator of the context's entity (at most one)."""
    series = await hourly(ctx, dataset(CLOUDTRAIL), {"term": {F.EVENT_OUTCOME: "failure"}})
    if not series.spiking(MIN_PEAK):
        return []
    z = series.z()
    return [
        Indicator(
            type=IndicatorType.FAILED_CALL_SPIKE,
            entity=ctx.subject.entity,
            detail=VolumeDeviation(
                measure="failed API calls per hour",
                api_name=None,
                scope_peak=series.peak,
                scope_total=series.scope_total,
                baseline_median=median(series.baseline),
                baseline_mad=mad(series.baseline),
                z_score=z,
            ),
            risk=min(25 + 2 * z, 55.0),
            summary=f"{series.peak:.0f} failed calls in one hour (robust z {z:.1f})",
            evidence=ctx.evidence(
                measure="failed API calls",
                scope_count=series.scope_total,
                baseline_count=series.baseline_total,
                query=series.query,
                extra={"scope_peak_hour": series.peak, "z": z},
            ),
        )
    ]
