"""Neighborhood over HTTP on the fixture corpus: exact edges, measures and truncation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.api import corpus as c
from tests.integration.api.conftest import SCOPE, GraphQLCall

pytestmark = pytest.mark.es

NEIGHBORHOOD = """
query N($entity: EntityInput!, $scope: ScopeInput, $hops: Int!, $limit: Int!,
        $types: [EdgeType!]) {
  neighborhood(entity: $entity, scope: $scope, hops: $hops, limitPerEdgeType: $limit,
               edgeTypes: $types) {
    center { key displayName }
    hops unexpandedCount
    nodes { distance entity { key type } }
    groups {
      type centerKey direction totalCount moreCount totalIsLowerBound
      edges {
        type sourceKey targetKey count firstSeen lastSeen
        network { bytesIn bytesOut packetsIn packetsOut accepted rejected otherPortFlows
                  ports { direction localPort remotePort protocol count otherPortCount
                          bytesIn bytesOut
                          rejected } }
        calls { success failure actions countries asOrganizations }
        finding { maxSeverity findingTypes }
      }
    }
  }
}
"""


def _group(
    data: dict[str, Any], type_: str, center: str, direction: str | None = None
) -> dict[str, Any]:
    (g,) = [
        g
        for g in data["data"]["neighborhood"]["groups"]
        if g["type"] == type_
        and g["centerKey"] == center
        and (direction is None or g["direction"] == direction)
    ]
    return g


INSTANCE = {"type": "EC2_INSTANCE", "id": c.INSTANCE}
IKEY = f"ec2_instance:{c.INSTANCE}"
SKEY = f"aws_role_session:{c.SESSION}"


async def test_instance_network_edges_have_ports_bytes_and_rejections(gql: GraphQLCall) -> None:
    data = await gql(NEIGHBORHOOD, entity=INSTANCE, scope=SCOPE, hops=1, limit=10)
    assert "errors" not in data, data
    g = _group(data, "NETWORK", IKEY)
    assert (g["totalCount"], g["moreCount"], g["totalIsLowerBound"]) == (3, 0, False)
    by_ip = {e["targetKey"]: e for e in g["edges"]}
    assert [e["targetKey"] for e in g["edges"]] == [
        f"ip_address:{c.C2_IP}",
        f"ip_address:{c.SCANNER_IP}",
        f"ip_address:{c.POOL_IP}",
    ]
    c2 = by_ip[f"ip_address:{c.C2_IP}"]
    assert c2["sourceKey"] == IKEY
    assert c2["count"] == 2
    assert (c2["firstSeen"], c2["lastSeen"]) == (
        "2026-03-10T10:00:00+00:00",
        "2026-03-10T10:05:00+00:00",
    )
    net = c2["network"]
    assert (net["bytesIn"], net["bytesOut"], net["packetsIn"], net["packetsOut"]) == (
        600.0,
        4000.0,
        10.0,
        30.0,
    )
    assert (net["accepted"], net["rejected"], net["otherPortFlows"]) == (2, 0, 0)
    assert net["ports"] == [
        {
            "direction": "OUTBOUND",
            "localPort": None,
            "remotePort": 443,
            "protocol": "tcp",
            "count": 2,
            "otherPortCount": 2,
            "bytesIn": 600.0,
            "bytesOut": 4000.0,
            "rejected": 0,
        }
    ]
    scan = by_ip[f"ip_address:{c.SCANNER_IP}"]["network"]
    assert (scan["accepted"], scan["rejected"]) == (0, 1)
    assert scan["ports"][0]["direction"] == "INBOUND"
    assert scan["ports"][0]["localPort"] == 22
    assert scan["ports"][0]["remotePort"] is None
    assert (scan["ports"][0]["rejected"], scan["otherPortFlows"]) == (1, 0)


async def test_limit_per_edge_type_reports_how_many_more(gql: GraphQLCall) -> None:
    data = await gql(NEIGHBORHOOD, entity=INSTANCE, scope=SCOPE, hops=1, limit=1)
    g = _group(data, "NETWORK", IKEY)
    assert len(g["edges"]) == 1
    assert (g["totalCount"], g["moreCount"]) == (3, 2)
    assert g["edges"][0]["targetKey"] == f"ip_address:{c.C2_IP}"


async def test_instance_profile_session_and_findings(gql: GraphQLCall) -> None:
    data = await gql(NEIGHBORHOOD, entity=INSTANCE, scope=SCOPE, hops=1, limit=10)
    prof = _group(data, "INSTANCE_PROFILE", IKEY)
    (edge,) = prof["edges"]
    assert (edge["sourceKey"], edge["targetKey"], edge["count"]) == (IKEY, SKEY, 5)
    assert edge["calls"]["success"] == 4
    assert edge["calls"]["failure"] == 1
    assert edge["calls"]["actions"] == [
        "GetObject",
        "AuthorizeSecurityGroupIngress",
        "GetBucketAcl",
        "ListBuckets",
    ]
    findings = _group(data, "FINDING", IKEY)
    assert findings["totalCount"] == 2
    assert sorted((e["sourceKey"], e["targetKey"]) for e in findings["edges"]) == [
        (f"finding:{c.FINDING_BTC}", IKEY),
        (f"finding:{c.FINDING_C2}", IKEY),
    ]
    assert {e["finding"]["maxSeverity"] for e in findings["edges"]} == {73}
    assert sorted(t for e in findings["edges"] for t in e["finding"]["findingTypes"]) == [
        "Backdoor:EC2/C&CActivity.B",
        "CryptoCurrency:EC2/BitcoinTool.B!DNS",
    ]


async def test_two_hops_reach_the_session_api_calls_and_buckets(gql: GraphQLCall) -> None:
    data = await gql(NEIGHBORHOOD, entity=INSTANCE, scope=SCOPE, hops=2, limit=10)
    assert "errors" not in data, data
    calls = _group(data, "API_CALL", SKEY)
    got = {
        e["targetKey"]: (e["count"], e["calls"]["success"], e["calls"]["failure"])
        for e in calls["edges"]
    }
    assert got == {
        "api_operation:s3.amazonaws.com:GetObject": (2, 2, 0),
        "api_operation:s3.amazonaws.com:GetBucketAcl": (1, 1, 0),
        "api_operation:s3.amazonaws.com:ListBuckets": (1, 1, 0),
        "api_operation:ec2.amazonaws.com:AuthorizeSecurityGroupIngress": (1, 0, 1),
    }
    buckets = _group(data, "S3_ACCESS", SKEY)
    assert [(e["targetKey"], e["count"]) for e in buckets["edges"]] == [
        ("s3_bucket:bucket-a", 2),
        ("s3_bucket:bucket-b", 1),
    ]
    dist = {n["entity"]["key"]: n["distance"] for n in data["data"]["neighborhood"]["nodes"]}
    assert dist[IKEY] == 0
    assert dist[SKEY] == 1
    assert dist["s3_bucket:bucket-a"] == 2
    # The instance -> session edge is found from both ends but listed once.
    edges = [g for g in data["data"]["neighborhood"]["groups"] if g["type"] == "INSTANCE_PROFILE"]
    assert len(edges) == 2


async def test_expanding_the_session_shows_buckets_role_and_key(gql: GraphQLCall) -> None:
    session = {"type": "AWS_ROLE_SESSION", "id": c.SESSION}
    data = await gql(NEIGHBORHOOD, entity=session, scope=SCOPE, hops=1, limit=10)
    assert [(e["targetKey"], e["count"]) for e in _group(data, "S3_ACCESS", SKEY)["edges"]] == [
        ("s3_bucket:bucket-a", 2),
        ("s3_bucket:bucket-b", 1),
    ]
    (role,) = _group(data, "ROLE_SESSION", SKEY)["edges"]
    assert (role["sourceKey"], role["targetKey"], role["count"]) == (
        f"aws_role:{c.ROLE_ARN}",
        SKEY,
        5,
    )
    (key,) = _group(data, "ACCESS_KEY", SKEY)["edges"]
    assert (key["sourceKey"], key["count"]) == (f"access_key:{c.SESSION_KEY}", 5)
    (ua,) = _group(data, "USER_AGENT", SKEY)["edges"]
    assert ua["targetKey"] == f"user_agent:{c.UA_SDK}"
    (ip,) = _group(data, "SOURCE_IP", SKEY)["edges"]
    assert (ip["targetKey"], ip["calls"]["failure"]) == (f"ip_address:{c.INSTANCE_PUBLIC_IP}", 1)


async def test_user_assumed_role_and_source_ip_geo(gql: GraphQLCall) -> None:
    alice = {"type": "AWS_USER", "id": "alice"}
    data = await gql(NEIGHBORHOOD, entity=alice, scope=SCOPE, hops=1, limit=10)
    akey = f"aws_user:{c.ALICE_ARN}"
    (assumed,) = _group(data, "ASSUMED_ROLE", akey)["edges"]
    assert (assumed["targetKey"], assumed["count"]) == (f"aws_role:{c.ADMIN_ROLE_ARN}", 1)
    (ip,) = _group(data, "SOURCE_IP", akey)["edges"]
    assert ip["calls"]["countries"] == ["US"]
    assert ip["calls"]["asOrganizations"] == ["Example ISP"]
    assert ip["count"] == 2
    role = {"type": "AWS_ROLE", "id": c.ADMIN_ROLE_ARN}
    data = await gql(NEIGHBORHOOD, entity=role, scope=SCOPE, hops=1, limit=10)
    (by,) = _group(data, "ASSUMED_ROLE", f"aws_role:{c.ADMIN_ROLE_ARN}", "INCOMING")["edges"]
    out = _group(data, "ASSUMED_ROLE", f"aws_role:{c.ADMIN_ROLE_ARN}", "OUTGOING")
    assert (out["totalCount"], out["edges"]) == (0, [])
    assert (by["sourceKey"], by["targetKey"]) == (akey, f"aws_role:{c.ADMIN_ROLE_ARN}")


async def test_ip_neighborhood_and_edge_type_filter(gql: GraphQLCall) -> None:
    ip = {"type": "IP_ADDRESS", "id": c.C2_IP}
    data = await gql(NEIGHBORHOOD, entity=ip, scope=SCOPE, hops=1, limit=10, types=["NETWORK"])
    groups = data["data"]["neighborhood"]["groups"]
    assert [g["type"] for g in groups] == ["NETWORK", "NETWORK"]  # instances, then interfaces
    assert groups[1]["totalCount"] == 0
    (edge,) = groups[0]["edges"]
    assert (edge["sourceKey"], edge["targetKey"], edge["count"]) == (
        IKEY,
        f"ip_address:{c.C2_IP}",
        2,
    )


async def test_baseline_day_is_outside_the_scope(gql: GraphQLCall) -> None:
    scope = {"start": "2026-02-20T00:00:00Z", "end": "2026-02-21T00:00:00Z"}
    data = await gql(NEIGHBORHOOD, entity=INSTANCE, scope=scope, hops=1, limit=10)
    g = _group(data, "NETWORK", IKEY)
    assert [(e["targetKey"], e["count"]) for e in g["edges"]] == [(f"ip_address:{c.POOL_IP}", 1)]


DAY12 = {"start": "2026-03-12T00:00:00Z", "end": "2026-03-13T00:00:00Z"}


async def test_interface_only_flows_fold_into_the_instance(gql: GraphQLCall) -> None:
    data = await gql(NEIGHBORHOOD, entity=INSTANCE, scope=DAY12, hops=1, limit=10)
    (edge,) = _group(data, "NETWORK", IKEY)["edges"]
    assert (edge["sourceKey"], edge["targetKey"], edge["count"]) == (
        IKEY,
        f"ip_address:{c.ENI_ONLY_IP}",
        1,
    )
    assert edge["network"]["ports"][0]["remotePort"] == 8443
    eni = {"type": "NETWORK_INTERFACE", "id": c.ENI}
    data = await gql(NEIGHBORHOOD, entity=eni, scope=DAY12, hops=1, limit=10)
    (own,) = _group(data, "NETWORK", f"network_interface:{c.ENI}")["edges"]
    assert (own["targetKey"], own["network"]["bytesOut"]) == (f"ip_address:{c.ENI_ONLY_IP}", 900.0)


async def test_an_ip_sees_interface_only_peers_in_their_own_group(gql: GraphQLCall) -> None:
    ip = {"type": "IP_ADDRESS", "id": c.ENI_ONLY_IP}
    data = await gql(NEIGHBORHOOD, entity=ip, scope=DAY12, hops=1, limit=10, types=["NETWORK"])
    instances, interfaces = data["data"]["neighborhood"]["groups"]
    assert (instances["totalCount"], interfaces["totalCount"]) == (0, 1)
    assert interfaces["edges"][0]["sourceKey"] == f"network_interface:{c.ENI}"
    assert interfaces["direction"] == "INCOMING"
