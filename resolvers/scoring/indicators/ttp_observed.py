"""TTP_OBSERVED: calls that are steps of a MITRE ATT&CK technique (see ``attack``).

One indicator per API: success and failure counts in scope, the busiest source
IP, and how often the baseline subject made the same call.  A call the entity
routinely makes is discounted to a quarter of the table's risk; failures count
as much as successes (an attempt is still the technique).
"""

from __future__ import annotations

from resolvers.scoring import attack
from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.indicators import instance_credentials
from resolvers.scoring.model import Indicator, IndicatorType, TtpObserved
from resolvers.scoring.queries import CLOUDTRAIL, agg_body, dataset, hit_ids, top_ids
from trailhound.ecs import fields as F

ROUTINE_DISCOUNT = 0.25


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The TTP_OBSERVED indicators of the context's entity: table calls and stolen
    instance credentials (:mod:`resolvers.scoring.indicators.instance_credentials`)."""
    return await _table_calls(ctx) + await instance_credentials.compute(ctx)


async def _table_calls(ctx: IndicatorContext) -> list[Indicator]:
    names = {"terms": {F.EVENT_ACTION: attack.api_names()}}
    aggs = {
        "api": {
            "composite": {
                "size": 200,
                "sources": [
                    {"provider": {"terms": {"field": F.EVENT_PROVIDER}}},
                    {"action": {"terms": {"field": F.EVENT_ACTION}}},
                ],
            },
            "aggs": {
                "failed": {"filter": {"term": {F.EVENT_OUTCOME: "failure"}}},
                "ip": {"terms": {"field": F.SOURCE_IP, "size": 1}},
                "ids": top_ids(3),
            },
        }
    }
    query = agg_body(ctx.subject.in_scope(ctx.window, dataset(CLOUDTRAIL), names), aggs)
    buckets = (
        (await ctx.repo.search(query)).get("aggregations", {}).get("api", {}).get("buckets", [])
    )
    if not buckets:
        return []
    baseline_query = agg_body(
        ctx.subject.in_baseline(ctx.window, dataset(CLOUDTRAIL), names),
        {"action": {"terms": {"field": F.EVENT_ACTION, "size": 200}}},
    )
    base_resp = await ctx.repo.search(baseline_query)
    baseline = {
        b["key"]: int(b["doc_count"])
        for b in base_resp.get("aggregations", {}).get("action", {}).get("buckets", [])
    }
    out = []
    for b in buckets:
        provider, api = b["key"]["provider"], b["key"]["action"]
        row = attack.lookup(provider, api)
        if row is None:
            continue
        total, failed = int(b["doc_count"]), int(b["failed"]["doc_count"])
        ips = b["ip"]["buckets"]
        ip = str(ips[0]["key"]) if ips else None
        before = baseline.get(api, 0)
        risk = row.risk * (ROUTINE_DISCOUNT if before else 1.0)
        out.append(
            Indicator(
                type=IndicatorType.TTP_OBSERVED,
                entity=ctx.subject.entity,
                detail=TtpObserved(
                    tactic=row.tactic,
                    technique=row.label,
                    procedure=f"{provider}:{attack.base_api_name(api)}",
                    ip_address=ip,
                    api_name=api,
                    api_success_count=total - failed,
                    api_failure_count=failed,
                ),
                risk=round(risk, 2),
                summary=f"{row.tactic}: {api} ({row.technique_id}), {total} call(s)",
                evidence=ctx.evidence(
                    measure=f"calls of {provider}:{api}",
                    scope_count=total,
                    baseline_count=before,
                    query=query,
                    document_ids=hit_ids(b["ids"]),
                    extra={"baseline_query_calls": float(before)},
                ),
            )
        )
    return out
