"""DATA_EXFILTRATION_VOLUME: bytes out (flows) or S3 GetObject calls far above baseline.

Two hourly series (:mod:`resolvers.scoring.series`): the sum of
``trailhound.flow.bytes_out`` on outbound flows (instances), and the count of S3
``GetObject`` calls (principals).  Each fires when the scope's peak hour has a
robust z of at least 3.5 and is big enough (10 MB, 50 objects); the bytes series
uses a floor of 1 MB per hour for its spread.  Risk ``min(30 + 3 z, 75)``.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, VolumeDeviation
from resolvers.scoring.queries import CLOUDTRAIL, VPCFLOW, agg_body, dataset
from resolvers.scoring.robust import mad, median
from resolvers.scoring.series import HourlySeries, hourly
from trailhound.ecs import fields as F
from trailhound.ecs.fields import TimelineKind

MIN_BYTES, BYTES_FLOOR = 10e6, 1e6
MIN_OBJECTS = 50.0


def _indicator(
    ctx: IndicatorContext,
    series: HourlySeries,
    measure: str,
    floor: float,
    top_remote: str | None = None,
) -> Indicator:
    z = series.z(floor)
    return Indicator(
        type=IndicatorType.DATA_EXFILTRATION_VOLUME,
        entity=ctx.subject.entity,
        detail=VolumeDeviation(
            measure=measure,
            api_name="GetObject" if "GetObject" in measure else None,
            scope_peak=series.peak,
            scope_total=series.scope_total,
            baseline_median=median(series.baseline),
            baseline_mad=mad(series.baseline),
            z_score=z,
            top_remote=top_remote,
        ),
        risk=min(30 + 3 * z, 75.0),
        summary=f"{measure}: peak {series.peak:.0f}, total {series.scope_total:.0f} (z {z:.1f})",
        evidence=ctx.evidence(
            measure=measure,
            scope_count=series.scope_total,
            baseline_count=series.baseline_total,
            query=series.query,
            extra={"scope_peak_hour": series.peak, "z": z},
        ),
    )


async def _top_peer(ctx: IndicatorContext) -> str | None:
    """The remote IP that received the most bytes in the scope."""
    outbound = {"term": {F.KIND: TimelineKind.NETWORK_OUTBOUND.value}}
    query = agg_body(
        ctx.subject.in_scope(ctx.window, dataset(VPCFLOW), outbound),
        {
            "peer": {
                "terms": {"field": F.FLOW_REMOTE_IP, "size": 1, "order": {"b": "desc"}},
                "aggs": {"b": {"sum": {"field": F.FLOW_BYTES_OUT}}},
            }
        },
    )
    buckets = (await ctx.repo.search(query)).get("aggregations", {}).get("peer", {})
    found = buckets.get("buckets", [])
    return str(found[0]["key"]) if found else None


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The DATA_EXFILTRATION_VOLUME indicators of the context's entity."""
    out = []
    flows = await hourly(
        ctx,
        dataset(VPCFLOW),
        {"term": {F.KIND: TimelineKind.NETWORK_OUTBOUND.value}},
        sum_field=F.FLOW_BYTES_OUT,
    )
    if flows.spiking(MIN_BYTES, BYTES_FLOOR):
        out.append(_indicator(ctx, flows, "bytes out per hour", BYTES_FLOOR, await _top_peer(ctx)))
    gets = await hourly(
        ctx,
        dataset(CLOUDTRAIL),
        {"term": {F.EVENT_PROVIDER: "s3.amazonaws.com"}},
        {"term": {F.EVENT_ACTION: "GetObject"}},
    )
    if gets.spiking(MIN_OBJECTS):
        out.append(_indicator(ctx, gets, "S3 GetObject calls per hour", 1.0))
    return out
