"""TTP_OBSERVED for instance-profile credentials used outside AWS (T1552.005).

An instance-profile role session is named by its instance id
(``<AROA...>:i-0abc...``); its calls come from the instance's private IP, a
NAT gateway or a VPC endpoint.  The same credentials calling from a public IP
that belongs to no cloud provider were taken off the instance (Netflix's
credential-compromise detection, peers.md §9; GuardDuty's
InstanceCredentialExfiltration.OutsideAWS).  One indicator per (session, IP),
with the session's calls from that IP; risk 70.
"""

from __future__ import annotations

import ipaddress

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, TtpObserved
from resolvers.scoring.queries import CLOUDTRAIL, agg_body, dataset, hit_ids, top_ids
from resolvers.scoring.travel import is_cloud
from trailhound.ecs import fields as F

RISK = 70.0
TACTIC = "Credential Access"
TECHNIQUE = "T1552.005 Unsecured Credentials: Cloud Instance Metadata API"
INSTANCE_SESSION = "aws_role_session:.+:i-[0-9a-fA-F]+"  # Lucene regexp, whole key


def _outside(ip: str, asn: int | None, aso: str | None) -> bool:
    try:
        public = ipaddress.ip_address(ip).is_global
    except ValueError:
        return False
    return public and not is_cloud(asn, aso)


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """Instance-profile sessions of the entity calling from outside any cloud."""
    query = agg_body(
        ctx.subject.in_scope(ctx.window, dataset(CLOUDTRAIL), {"exists": {"field": F.SOURCE_IP}}),
        {
            "session": {
                "terms": {"field": F.ACTOR, "include": INSTANCE_SESSION, "size": 20},
                "aggs": {
                    "ip": {
                        "terms": {"field": F.SOURCE_IP, "size": 20},
                        "aggs": {
                            "as": {"top_hits": {"size": 1, "_source": ["source.as"]}},
                            "api": {"terms": {"field": F.EVENT_ACTION, "size": 1}},
                            "failed": {"filter": {"term": {F.EVENT_OUTCOME: "failure"}}},
                            "ids": top_ids(3),
                        },
                    }
                },
            }
        },
    )
    resp = await ctx.repo.search(query)
    out = []
    for s in resp.get("aggregations", {}).get("session", {}).get("buckets", []):
        for b in s["ip"]["buckets"]:
            hits = b["as"]["hits"]["hits"]
            asys = hits[0]["_source"].get("source", {}).get("as", {}) if hits else {}
            ip = str(b["key"])
            if not _outside(ip, asys.get("number"), asys.get("organization", {}).get("name")):
                continue
            total, failed = int(b["doc_count"]), int(b["failed"]["doc_count"])
            apis = b["api"]["buckets"]
            api = str(apis[0]["key"]) if apis else "unknown"
            out.append(
                Indicator(
                    type=IndicatorType.TTP_OBSERVED,
                    entity=ctx.subject.entity,
                    detail=TtpObserved(
                        tactic=TACTIC,
                        technique=TECHNIQUE,
                        procedure=f"instance credentials of {s['key']} used from {ip} outside AWS",
                        ip_address=ip,
                        api_name=api,
                        api_success_count=total - failed,
                        api_failure_count=failed,
                    ),
                    risk=RISK,
                    summary=f"instance credentials used outside AWS from {ip} ({total} calls)",
                    evidence=ctx.evidence(
                        measure=f"calls of {s['key']} from {ip}",
                        scope_count=total,
                        baseline_count=0,
                        query=query,
                        document_ids=hit_ids(b["ids"]),
                    ),
                )
            )
    return out
