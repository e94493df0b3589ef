"""NEW_REMOTE_ENDPOINT: an instance's outbound flow to an IP:port it never used in the baseline.

Outbound accepted flows (``trailhound.kind: NETWORK_OUTBOUND``) grouped by
(remote IP, remote port) in scope, at most 500 pairs, remote ports below 32768
(egress to an ephemeral port is a public server answering its clients); the baseline request
asks only about those remote IPs.  Private (RFC 1918) peers are ignored: east-
west traffic inside the VPC changes with every deployment.  Risk 20 per pair
when no instance of the account used the pair in the baseline, else 5 (a new
instance of a fleet talks to the fleet's usual services); the zeta sum keeps
many of them from adding up to HIGH alone.
"""

from __future__ import annotations

import ipaddress

from resolvers.scoring.context import IndicatorContext
from resolvers.scoring.model import Indicator, IndicatorType, NewRemoteEndpoint
from resolvers.scoring.queries import VPCFLOW, agg_body, dataset, hit_ids, top_ids
from trailhound.ecs import fields as F
from trailhound.ecs.fields import TimelineKind

RISK, RISK_KNOWN_TO_ACCOUNT = 20.0, 5.0
# Egress to a client's ephemeral port is the reply of a server, not a new peer.
EPHEMERAL = 32768
MAX_PAIRS = 500


def _pairs(field_size: int) -> dict[str, object]:
    return {
        "composite": {
            "size": field_size,
            "sources": [
                {"ip": {"terms": {"field": F.FLOW_REMOTE_IP}}},
                {"port": {"terms": {"field": F.FLOW_REMOTE_PORT}}},
            ],
        },
    }


def _public(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_global
    except ValueError:
        return False


async def compute(ctx: IndicatorContext) -> list[Indicator]:
    """The NEW_REMOTE_ENDPOINT indicators of the context's entity."""
    outbound = {"term": {F.KIND: TimelineKind.NETWORK_OUTBOUND.value}}
    service_port = {"range": {F.FLOW_REMOTE_PORT: {"lt": EPHEMERAL}}}
    scope_agg = _pairs(MAX_PAIRS) | {
        "aggs": {"bytes": {"sum": {"field": F.FLOW_BYTES_OUT}}, "ids": top_ids(3)}
    }
    query = agg_body(
        ctx.subject.in_scope(ctx.window, dataset(VPCFLOW), outbound, service_port), {"p": scope_agg}
    )
    buckets = (await ctx.repo.search(query)).get("aggregations", {}).get("p", {}).get("buckets", [])
    scope = {
        (str(b["key"]["ip"]), int(b["key"]["port"])): b
        for b in buckets
        if _public(str(b["key"]["ip"]))
    }
    if not scope:
        return []
    ips = sorted({ip for ip, _ in scope})
    baseline_query = agg_body(
        ctx.subject.in_baseline(
            ctx.window, dataset(VPCFLOW), outbound, {"terms": {F.FLOW_REMOTE_IP: ips}}
        ),
        {"p": _pairs(len(scope))},
    )
    base = (await ctx.repo.search(baseline_query)).get("aggregations", {}).get("p", {})
    seen = {(str(b["key"]["ip"]), int(b["key"]["port"])) for b in base.get("buckets", [])}
    known: set[tuple[str, int]] = set()
    account_filter = ctx.subject.in_account_baseline(
        ctx.window, dataset(VPCFLOW), outbound, {"terms": {F.FLOW_REMOTE_IP: ips}}
    )
    if account_filter is not None:
        account_query = agg_body(account_filter, {"p": _pairs(len(scope))})
        acct = (await ctx.repo.search(account_query)).get("aggregations", {}).get("p", {})
        known = {(str(b["key"]["ip"]), int(b["key"]["port"])) for b in acct.get("buckets", [])}
    out = []
    for (ip, port), b in sorted(scope.items()):
        if (ip, port) in seen:
            continue
        sent = int(b["bytes"]["value"])
        out.append(
            Indicator(
                type=IndicatorType.NEW_REMOTE_ENDPOINT,
                entity=ctx.subject.entity,
                detail=NewRemoteEndpoint(
                    ip_address=ip,
                    port=port,
                    connection_count=int(b["doc_count"]),
                    bytes_out=sent,
                    is_new_for_entire_account=(ip, port) not in known,
                ),
                risk=RISK_KNOWN_TO_ACCOUNT if (ip, port) in known else RISK,
                summary=f"new outbound endpoint {ip}:{port} ({b['doc_count']} flows, {sent} B out)",
                evidence=ctx.evidence(
                    measure=f"outbound flows to {ip}:{port}",
                    scope_count=int(b["doc_count"]),
                    baseline_count=0,
                    query=query,
                    document_ids=hit_ids(b["ids"]),
                    extra={"bytes_out": float(sent)},
                ),
            )
        )
    return out
