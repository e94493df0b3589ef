"""RELATED_FINDING: GuardDuty / Security Hub findings that involve the entity.

A finding involves the entity when its key, or an access key or instance its
scope activity went through (``Subject.linked``), is in the finding's
``related.entity`` (resources, access keys, instances, remote IPs) in scope.
The risk is the finding's own ``event.risk_score`` (GuardDuty severity x 10,
ASFF normalized severity), falling back to ``event.severity``.
"""

from __future__ import annotations

from datetime import datetime

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, RelatedFinding
from resolvers.scoring.queries import (
    FINDING_DATASETS,
    Body,
    agg_body,
    between,
    dataset,
    filtered,
)
from trailhound.ecs import fields as F

MAX_FINDINGS = 100


def build_query(entity_keys: list[str], start: datetime, end: datetime) -> Body:
    """Findings involving any of the entity keys in a window, one bucket per finding."""
    return agg_body(
        filtered(
            {"terms": {F.RELATED_ENTITY: entity_keys}},
            dataset(list(FINDING_DATASETS)),
            between(start, end),
        ),
        {
            "finding": {
                "terms": {"field": F.FINDING, "size": MAX_FINDINGS},
                "aggs": {
                    "latest": {
                        "top_hits": {
                            "size": 1,
                            "sort": [{F.TIMESTAMP: "desc"}],
                            "_source": [
                                "event.risk_score",
                                "event.severity",
                                "rule.name",
                                "aws.guardduty.arn",
                                "aws.securityhub_findings.id",
                                "trailhound.remote_ip",
                            ],
                        }
                    }
                },
            }
        },
    )


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The RELATED_FINDING indicators of the context's entity."""
    w = ctx.window
    keys = [ctx.subject.entity.key, *ctx.subject.linked]
    query = build_query(keys, w.scope_start, w.scope_end)
    resp = await ctx.repo.search(query)
    out = []
    for b in resp.get("aggregations", {}).get("finding", {}).get("buckets", []):
        hit = b["latest"]["hits"]["hits"][0]
        src = hit["_source"]
        event = src.get("event", {})
        risk = float(event.get("risk_score") or event.get("severity") or 0)
        aws = src.get("aws", {})
        arn = aws.get("guardduty", {}).get("arn") or aws.get("securityhub_findings", {}).get("id")
        remote = src.get("trailhound", {}).get("remote_ip")
        ip = remote[0] if isinstance(remote, list) and remote else remote
        ftype = src.get("rule", {}).get("name", "unknown")
        out.append(
            Indicator(
                type=IndicatorType.RELATED_FINDING,
                entity=ctx.subject.entity,
                detail=RelatedFinding(
                    arn=str(arn or b["key"]),
                    type=str(ftype),
                    ip_address=str(ip) if ip else None,
                    severity=round(risk / 10, 1),
                ),
                risk=risk,
                summary=f"finding {ftype} (severity {risk / 10:.1f})",
                evidence=ctx.evidence(
                    measure="finding documents",
                    scope_count=int(b["doc_count"]),
                    baseline_count=0,
                    query=query,
                    document_ids=(str(hit["_id"]),),
                ),
            )
        )
    return out
