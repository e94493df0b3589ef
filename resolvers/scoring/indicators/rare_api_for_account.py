"""RARE_API_FOR_ACCOUNT: APIs the entity called that almost no principal of its account calls.

Prevalence (RITA's and Sentinel's "uncommon among peers") = distinct actors
that made the call in the account over baseline + scope, divided by the
account's distinct actors.  Fires when at most 2 actors made the call or the
prevalence is at most 2 %, and the entity's baseline never made it.  Risk 30.
Cardinalities are HyperLogLog estimates (exact below 3,000).
"""

from __future__ import annotations

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, RareApiForAccount
from resolvers.scoring.queries import CLOUDTRAIL, agg_body, between, dataset, filtered
from trailhound.ecs import fields as F

RISK = 30.0
MAX_PREVALENCE = 0.02
MAX_ACTORS = 2
MAX_APIS = 200


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The RARE_API_FOR_ACCOUNT indicators of the context's entity."""
    account = ctx.subject.account_id
    if account is None:
        return []
    w = ctx.window
    scope_query = agg_body(
        ctx.subject.in_scope(w, dataset(CLOUDTRAIL)),
        {"api": {"terms": {"field": F.EVENT_ACTION, "size": MAX_APIS}}},
    )
    scope_resp = await ctx.repo.search(scope_query)
    apis = {
        b["key"]: int(b["doc_count"])
        for b in scope_resp.get("aggregations", {}).get("api", {}).get("buckets", [])
    }
    if not apis:
        return []
    query = agg_body(
        filtered(
            {"term": {F.CLOUD_ACCOUNT_ID: account}},
            dataset(CLOUDTRAIL),
            between(w.baseline_start, w.scope_end),
        ),
        {
            "actors": {"cardinality": {"field": F.ACTOR, "precision_threshold": 3000}},
            "api": {
                "filter": {"terms": {F.EVENT_ACTION: sorted(apis)}},
                "aggs": {
                    "by": {
                        "terms": {"field": F.EVENT_ACTION, "size": len(apis)},
                        "aggs": {
                            "actors": {
                                "cardinality": {"field": F.ACTOR, "precision_threshold": 3000}
                            },
                            "provider": {"terms": {"field": F.EVENT_PROVIDER, "size": 1}},
                            "own_baseline": {
                                "filter": ctx.subject.in_baseline(w),
                            },
                        },
                    }
                },
            },
        },
    )
    aggs = (await ctx.repo.search(query)).get("aggregations", {})
    total = int(aggs.get("actors", {}).get("value", 0))
    # With fewer than ~10 principals "rare" means nothing: everything is rare.
    if total < 10:
        return []
    out = []
    for b in aggs.get("api", {}).get("by", {}).get("buckets", []):
        actors = int(b["actors"]["value"])
        prevalence = actors / total
        if actors > MAX_ACTORS and prevalence > MAX_PREVALENCE:
            continue
        if b["own_baseline"]["doc_count"]:
            continue  # rare in the account, but a habit of this entity
        providers = b["provider"]["buckets"]
        service = str(providers[0]["key"]) if providers else "unknown"
        out.append(
            Indicator(
                type=IndicatorType.RARE_API_FOR_ACCOUNT,
                entity=ctx.subject.entity,
                detail=RareApiForAccount(
                    service=service,
                    api_name=str(b["key"]),
                    principal_count=actors,
                    account_principal_count=total,
                    prevalence=round(prevalence, 4),
                ),
                risk=RISK,
                summary=f"{b['key']}: called by {actors} of {total} principals of the account",
                evidence=ctx.evidence(
                    measure=f"calls of {b['key']} (baseline: the account's other calls)",
                    scope_count=apis[b["key"]],
                    baseline_count=int(b["doc_count"]) - apis[b["key"]],
                    query=query,
                    extra={"principals": float(actors), "account_principals": float(total)},
                ),
            )
        )
    return out
