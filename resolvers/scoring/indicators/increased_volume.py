"""INCREASED_VOLUME: the scope's busiest hour of calls is a robust outlier.

Detective's "API calls with increased volume", per API: for each of the (at
most 5) APIs with at least 20 calls in the scope, hourly counts over the
baseline and the scope (:mod:`resolvers.scoring.series`); an API fires when its
scope peak hour has at least 20 calls and a robust z-score of at least 3.5
against its baseline hours (an API the baseline never called is NEW_API_CALL's,
not this indicator's).  When no single API does, the same test on all the
entity's calls together catches a broad burst.  Risk ``min(20 + 2 z, 50)``.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, VolumeDeviation
from resolvers.scoring.queries import CLOUDTRAIL, agg_body, dataset
from resolvers.scoring.robust import mad, median
from resolvers.scoring.series import HourlySeries, hourly
from trailhound.ecs import fields as F

MIN_PEAK = 20.0
MAX_APIS = 5


def _indicator(ctx: IndicatorContext, series: HourlySeries, api: str | None) -> Indicator:
    z = series.z()
    what = f"{api} calls" if api else "API calls"
    return Indicator(
        type=IndicatorType.INCREASED_VOLUME,
        entity=ctx.subject.entity,
        detail=VolumeDeviation(
            measure=f"{what} per hour",
            api_name=api,
            scope_peak=series.peak,
            scope_total=series.scope_total,
            baseline_median=median(series.baseline),
            baseline_mad=mad(series.baseline),
            z_score=z,
        ),
        risk=min(20 + 2 * z, 50.0),
        summary=f"{series.peak:.0f} {what} in one hour (robust z {z:.1f})",
        evidence=ctx.evidence(
            measure=what,
            scope_count=series.scope_total,
            baseline_count=series.baseline_total,
            query=series.query,
            extra={"scope_peak_hour": series.peak, "z": z},
        ),
    )


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The INCREASED_VOLUME indicators of the context's entity."""
    busy = agg_body(
        ctx.subject.in_scope(ctx.window, dataset(CLOUDTRAIL)),
        {"api": {"terms": {"field": F.EVENT_ACTION, "size": MAX_APIS, "min_doc_count": MIN_PEAK}}},
    )
    resp = await ctx.repo.search(busy)
    apis = [str(b["key"]) for b in resp.get("aggregations", {}).get("api", {}).get("buckets", [])]
    out = []
    for api in apis:
        series = await hourly(ctx, dataset(CLOUDTRAIL), {"term": {F.EVENT_ACTION: api}})
        # An API with no baseline at all is new (NEW_API_CALL), not increased.
        if series.baseline and series.spiking(MIN_PEAK):
            out.append(_indicator(ctx, series, api))
    if out:
        return out
    total = await hourly(ctx, dataset(CLOUDTRAIL))
    return [_indicator(ctx, total, None)] if total.spiking(MIN_PEAK) else []
