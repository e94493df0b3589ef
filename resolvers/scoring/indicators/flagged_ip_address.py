"""FLAGGED_IP_ADDRESS: IPs the entity used or talked to that a configured feed lists.

The scope's source IPs (calls) and remote IPs (flows, findings) come from two
terms aggregations (at most 1,000 each); matching against the feeds is in
memory (:mod:`resolvers.scoring.threat_intel`).  ``reason`` is the feed's name.
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import FlaggedIpAddress, Indicator, IndicatorType
from resolvers.scoring.queries import agg_body, hit_ids, top_ids
from trailhound.ecs import fields as F

RISK = 80.0
MAX_IPS = 1000


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The FLAGGED_IP_ADDRESS indicators of the context's entity."""
    if not ctx.intel.feeds:
        return []
    sub = {"ids": top_ids(3)}
    query = agg_body(
        ctx.subject.in_scope(ctx.window),
        {
            "source": {"terms": {"field": F.SOURCE_IP, "size": MAX_IPS}, "aggs": sub},
            "remote": {"terms": {"field": F.REMOTE_IP, "size": MAX_IPS}, "aggs": sub},
        },
    )
    aggs = (await ctx.repo.search(query)).get("aggregations", {})
    seen: dict[str, tuple[int, tuple[str, ...]]] = {}
    for name in ("source", "remote"):
        for b in aggs.get(name, {}).get("buckets", []):
            ip = str(b["key"])
            count, ids = seen.get(ip, (0, ()))
            # A call's source IP is also its remote IP: the larger count, not the sum.
            seen[ip] = (max(count, int(b["doc_count"])), ids or hit_ids(b["ids"]))
    out = []
    for match in ctx.intel.match_all(sorted(seen)):
        count, ids = seen[match.ip]
        out.append(
            Indicator(
                type=IndicatorType.FLAGGED_IP_ADDRESS,
                entity=ctx.subject.entity,
                detail=FlaggedIpAddress(
                    ip_address=match.ip, reason=match.feed, matched=match.entry
                ),
                risk=RISK,
                summary=f"{match.ip} is listed by feed {match.feed} ({match.entry})",
                evidence=ctx.evidence(
                    measure=f"events with {match.ip}",
                    scope_count=count,
                    baseline_count=0,
                    query=query,
                    document_ids=ids,
                ),
            )
        )
    return out
