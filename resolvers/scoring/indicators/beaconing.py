"""BEACONING: periodic callbacks, scored RITA-style (:mod:`resolvers.scoring.beacon`).

Two subjects: an instance's outbound flows per remote IP (the 10 busiest public
peers in scope; private peers are east-west service traffic and skipped), and
an access key's (or principal's) API-call cadence.  The
connection times come from a 1-minute ``date_histogram`` (at most 1,440 buckets
per series a day) with the bytes (or calls) per minute as the data size, so no
raw event leaves Elasticsearch.  Fires at a score of 0.8; a peer the entity
(or any instance of its account) already talked to in the baseline is
"established" and only informational
(risk 10 x score instead of 75 x score; RITA's first-seen modifier, made
stronger because scheduled jobs and agents beacon to their services all day).
A new peer inside a cloud provider's or CDN's network (``source``/``destination
.as`` at ingest, :func:`resolvers.scoring.travel.is_cloud`) weighs 25 x score:
agents poll cloud APIs, and a C2 hosted there still meets the threat-intel and
new-endpoint indicators.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from resolvers.scoring.beacon import beacon_scores
from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Beaconing, Indicator, IndicatorType
from resolvers.scoring.queries import CLOUDTRAIL, VPCFLOW, agg_body, dataset
from resolvers.scoring.travel import is_cloud
from trailhound.ecs import fields as F
from trailhound.ecs.entities import EntityKind
from trailhound.ecs.fields import TimelineKind

THRESHOLD = 0.8
RISK_NEW, RISK_CLOUD, RISK_ESTABLISHED = 75.0, 25.0, 10.0
MAX_PEERS = 10
MAX_SCOPE_MINUTES = 7 * 24 * 60
_CADENCE_KINDS = frozenset(
    {EntityKind.ACCESS_KEY, EntityKind.AWS_USER, EntityKind.AWS_ROLE_SESSION}
)


def _public(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_global
    except ValueError:
        return False


def _minutes(sum_field: str | None) -> dict[str, Any]:
    hist: dict[str, Any] = {
        "date_histogram": {"field": F.TIMESTAMP, "fixed_interval": "1m", "min_doc_count": 1}
    }
    if sum_field:
        hist["aggs"] = {"v": {"sum": {"field": sum_field}}}
    return hist


def _series(
    buckets: list[Mapping[str, Any]], sum_field: str | None
) -> tuple[list[float], list[float]]:
    times = [b["key"] / 1000 for b in buckets]
    sizes = [float(b["v"]["value"]) if sum_field else float(b["doc_count"]) for b in buckets]
    return times, sizes


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The BEACONING indicators of the context's entity."""
    if ctx.window.scope_hours * 60 > MAX_SCOPE_MINUTES:
        return []  # 1-minute buckets over more than a week would be too many
    out: list[Indicator] = []
    if ctx.subject.entity.kind is EntityKind.EC2_INSTANCE:
        out += await _flows(ctx)
    if ctx.subject.entity.kind in _CADENCE_KINDS:
        out += await _cadence(ctx)
    return out


async def _flows(ctx: IndicatorContext) -> list[Indicator]:
    outbound = {"term": {F.KIND: TimelineKind.NETWORK_OUTBOUND.value}}
    query = agg_body(
        ctx.subject.in_scope(ctx.window, dataset(VPCFLOW), outbound),
        {
            "peer": {
                "terms": {"field": F.FLOW_REMOTE_IP, "size": MAX_PEERS},
                "aggs": {
                    "m": _minutes(F.FLOW_BYTES_OUT),
                    "as": {"top_hits": {"size": 1, "_source": ["destination.as"]}},
                },
            }
        },
    )
    peers = (
        (await ctx.repo.search(query)).get("aggregations", {}).get("peer", {}).get("buckets", [])
    )
    if not peers:
        return []
    baseline_query = agg_body(
        ctx.subject.in_baseline(
            ctx.window,
            dataset(VPCFLOW),
            outbound,
            {"terms": {F.FLOW_REMOTE_IP: [p["key"] for p in peers]}},
        ),
        {"peer": {"terms": {"field": F.FLOW_REMOTE_IP, "size": len(peers)}}},
    )
    base = (await ctx.repo.search(baseline_query)).get("aggregations", {}).get("peer", {})
    established = {b["key"]: int(b["doc_count"]) for b in base.get("buckets", [])}
    account_filter = ctx.subject.in_account_baseline(
        ctx.window,
        dataset(VPCFLOW),
        outbound,
        {"terms": {F.FLOW_REMOTE_IP: [p["key"] for p in peers]}},
    )
    if account_filter is not None:
        account_query = agg_body(
            account_filter, {"peer": {"terms": {"field": F.FLOW_REMOTE_IP, "size": len(peers)}}}
        )
        acct = (await ctx.repo.search(account_query)).get("aggregations", {}).get("peer", {})
        for b in acct.get("buckets", []):
            established.setdefault(b["key"], int(b["doc_count"]))
    out = []
    for p in peers:
        times, sizes = _series(p["m"]["buckets"], F.FLOW_BYTES_OUT)
        hits = p["as"]["hits"]["hits"]
        asys = hits[0]["_source"].get("destination", {}).get("as", {}) if hits else {}
        cloud = is_cloud(asys.get("number"), asys.get("organization", {}).get("name"))
        ind = _indicator(
            ctx, str(p["key"]), times, sizes, established.get(p["key"], 0), query, cloud=cloud
        )
        if ind is not None:
            out.append(ind)
    return out


async def _cadence(ctx: IndicatorContext) -> list[Indicator]:
    query = agg_body(ctx.subject.in_scope(ctx.window, dataset(CLOUDTRAIL)), {"m": _minutes(None)})
    buckets = (await ctx.repo.search(query)).get("aggregations", {}).get("m", {}).get("buckets", [])
    times, sizes = _series(buckets, None)
    ind = _indicator(ctx, "aws-api", times, sizes, 0, query)
    return [ind] if ind is not None else []


def _indicator(
    ctx: IndicatorContext,
    remote: str,
    times: list[float],
    sizes: list[float],
    baseline_count: int,
    query: dict[str, Any],
    *,
    cloud: bool = False,
) -> Indicator | None:
    w = ctx.window
    scores = beacon_scores(times, sizes, w.scope_start.timestamp(), w.scope_end.timestamp())
    if scores is None or scores.score < THRESHOLD:
        return None
    established = baseline_count > 0
    weight = RISK_ESTABLISHED if established else RISK_CLOUD if cloud else RISK_NEW
    risk = weight * scores.score
    subject = ctx.subject.entity.key
    return Indicator(
        type=IndicatorType.BEACONING,
        entity=ctx.subject.entity,
        detail=Beaconing(
            subject=subject,
            remote=remote,
            connection_count=scores.connections,
            score=scores.score,
            timestamp_score=round(scores.timestamp, 4),
            data_size_score=round(scores.data_size, 4),
            histogram_score=round(scores.histogram, 4),
            duration_score=round(scores.duration, 4),
            established=established,
        ),
        risk=round(risk, 2),
        summary=f"beacon to {remote}: score {scores.score:.2f} over {scores.connections} minutes",
        evidence=ctx.evidence(
            measure=f"minutes with a connection to {remote}",
            scope_count=scores.connections,
            baseline_count=baseline_count,
            query=query,
            extra={
                "timestamp_score": scores.timestamp,
                "data_size_score": scores.data_size,
                "histogram_score": scores.histogram,
                "duration_score": scores.duration,
            },
        ),
    )
