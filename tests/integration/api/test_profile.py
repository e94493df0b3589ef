"""Profile panels over HTTP on the fixture corpus, with exact expected values."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.api import corpus as c
from tests.integration.api.conftest import SCOPE, GraphQLCall

pytestmark = pytest.mark.es

INSTANCE = {"type": "EC2_INSTANCE", "id": c.INSTANCE}
SKEY = f"aws_role_session:{c.SESSION}"

API_VOLUME = """
query P($entity: EntityInput!, $scope: ScopeInput, $cidr: String, $api: String) {
  profile(entity: $entity, scope: $scope) {
    scopeStart scopeEnd baselineStart baselineEnd
    apiCallVolume(cidr: $cidr, apiSubstring: $api) {
      success failure intervalSeconds
      series { start count failed }
      services { value success failure }
      byIp { value success failure children { value service success failure
             children { value success failure } } }
      byApi { value service success failure children { value children { value } } }
      byCaller { value success failure children { value children { value success failure } } }
    }
  }
}
"""


def _rows(drills: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return [(d["value"], d["success"], d["failure"]) for d in drills]


async def test_api_call_volume_with_both_drill_downs(gql: GraphQLCall) -> None:
    data = await gql(API_VOLUME, entity=INSTANCE, scope=SCOPE)
    assert "errors" not in data, data
    p = data["data"]["profile"]
    assert (p["baselineStart"], p["baselineEnd"]) == (
        "2026-01-24T00:00:00+00:00",
        "2026-03-10T00:00:00+00:00",
    )
    v = p["apiCallVolume"]
    assert (v["success"], v["failure"], v["intervalSeconds"]) == (4, 1, 900)
    busy = [(s["start"], s["count"], s["failed"]) for s in v["series"] if s["count"]]
    assert busy == [("2026-03-10T10:00:00+00:00", 4, 0), ("2026-03-10T10:15:00+00:00", 1, 1)]
    assert [(s["value"], s["success"], s["failure"]) for s in v["services"]] == [
        ("s3.amazonaws.com", 4, 0),
        ("ec2.amazonaws.com", 0, 1),
    ]
    (ip,) = v["byIp"]
    assert (ip["value"], ip["success"], ip["failure"]) == (c.INSTANCE_PUBLIC_IP, 4, 1)
    assert _rows(ip["children"]) == [
        ("GetObject", 2, 0),
        ("AuthorizeSecurityGroupIngress", 0, 1),
        ("GetBucketAcl", 1, 0),
        ("ListBuckets", 1, 0),
    ]
    assert _rows(ip["children"][1]["children"]) == [(SKEY, 0, 1)]
    api = v["byApi"][0]
    assert (api["value"], api["service"]) == ("GetObject", "s3.amazonaws.com")
    assert api["children"] == [{"value": c.INSTANCE_PUBLIC_IP, "children": [{"value": SKEY}]}]
    (caller,) = v["byCaller"]
    assert (caller["value"], caller["success"], caller["failure"]) == (SKEY, 4, 1)
    (via,) = caller["children"]
    assert via["value"] == c.INSTANCE_PUBLIC_IP
    assert _rows(via["children"])[0] == ("GetObject", 2, 0)


async def test_a_session_s_callers_are_its_access_keys(gql: GraphQLCall) -> None:
    session = {"type": "AWS_ROLE_SESSION", "id": c.SESSION}
    v = (await gql(API_VOLUME, entity=session, scope=SCOPE))["data"]["profile"]["apiCallVolume"]
    assert _rows(v["byCaller"]) == [(f"access_key:{c.SESSION_KEY}", 4, 1)]


async def test_api_volume_filters_substring_and_cidr(gql: GraphQLCall) -> None:
    data = await gql(API_VOLUME, entity=INSTANCE, scope=SCOPE, api="bucket")
    v = data["data"]["profile"]["apiCallVolume"]
    assert _rows(v["byApi"]) == [("GetBucketAcl", 1, 0), ("ListBuckets", 1, 0)]
    data = await gql(API_VOLUME, entity=INSTANCE, scope=SCOPE, cidr="10.0.0.0/8")
    assert data["data"]["profile"]["apiCallVolume"]["success"] == 0
    data = await gql(API_VOLUME, entity=INSTANCE, scope=SCOPE, cidr="54.0.0.0/16")
    assert data["data"]["profile"]["apiCallVolume"]["success"] == 4
    data = await gql(API_VOLUME, entity=INSTANCE, scope=SCOPE, cidr="not-a-cidr")
    assert data["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"


NEW = """
query P($entity: EntityInput!, $scope: ScopeInput) {
  profile(entity: $entity, scope: $scope) {
    newBehavior {
      apiCalls { value count firstSeen service }
      remoteIps { value count firstSeen }
      userAgents { value }
      countries { value }
      asOrganizations { value }
      increasedApiCalls { action service scopeCount baselineCount ratio }
      approximate baselineEmpty
    }
  }
}
"""


async def test_new_api_calls_and_remote_ips_against_the_baseline(gql: GraphQLCall) -> None:
    data = await gql(NEW, entity=INSTANCE, scope=SCOPE)
    assert "errors" not in data, data
    b = data["data"]["profile"]["newBehavior"]
    assert b["apiCalls"] == [
        {
            "value": "GetBucketAcl",
            "count": 1,
            "firstSeen": "2026-03-10T10:11:00+00:00",
            "service": "s3.amazonaws.com",
        },
        {
            "value": "GetObject",
            "count": 2,
            "firstSeen": "2026-03-10T10:12:00+00:00",
            "service": "s3.amazonaws.com",
        },
        {
            "value": "AuthorizeSecurityGroupIngress",
            "count": 1,
            "firstSeen": "2026-03-10T10:20:00+00:00",
            "service": "ec2.amazonaws.com",
        },
    ]
    assert b["remoteIps"] == [
        {"value": c.C2_IP, "count": 3, "firstSeen": "2026-03-10T10:00:00+00:00"},
        {"value": c.SCANNER_IP, "count": 1, "firstSeen": "2026-03-10T12:00:00+00:00"},
    ]
    assert (b["userAgents"], b["countries"], b["asOrganizations"]) == ([], [], [])
    (inc,) = b["increasedApiCalls"]
    assert (inc["action"], inc["scopeCount"], inc["baselineCount"]) == ("ListBuckets", 1, 1)
    assert inc["ratio"] == pytest.approx(45.0)
    assert (b["approximate"], b["baselineEmpty"]) == (False, False)


async def test_a_scope_without_baseline_data_says_so(gql: GraphQLCall) -> None:
    scope = {**SCOPE, "baselineDays": 1}
    b = (await gql(NEW, entity=INSTANCE, scope=scope))["data"]["profile"]["newBehavior"]
    assert b["baselineEmpty"] is True
    assert [v["value"] for v in b["apiCalls"]] == [
        "ListBuckets",
        "GetBucketAcl",
        "GetObject",
        "AuthorizeSecurityGroupIngress",
    ]


FLOWS = """
query P($entity: EntityInput!, $scope: ScopeInput, $first: Int!, $after: String,
        $cidr: String) {
  profile(entity: $entity, scope: $scope) {
    vpcFlowVolume(first: $first, after: $after, remoteCidr: $cidr) {
      endCursor peerCount flowCount bytesIn bytesOut rejected findingIps intervalSeconds
      series { start bytesIn bytesOut count }
      rows { peer { key } localPort remotePort protocol direction count bytesIn bytesOut
             accepted rejected annotated firstSeen series { count } }
    }
  }
}
"""


def _flow_rows(v: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r["peer"]["key"],
            r["localPort"],
            r["remotePort"],
            r["direction"],
            r["bytesIn"],
            r["bytesOut"],
            r["accepted"],
            r["rejected"],
            r["annotated"],
        )
        for r in v["rows"]
    ]


async def test_vpc_flow_volume_rows_totals_and_annotations(gql: GraphQLCall) -> None:
    data = await gql(FLOWS, entity=INSTANCE, scope=SCOPE, first=10)
    assert "errors" not in data, data
    v = data["data"]["profile"]["vpcFlowVolume"]
    assert _flow_rows(v) == [
        (f"ip_address:{c.SCANNER_IP}", 22, 40000, "INBOUND", 60.0, 0.0, 0, 1, False),
        (f"ip_address:{c.C2_IP}", 50000, 443, "OUTBOUND", 200.0, 1000.0, 1, 0, True),
        (f"ip_address:{c.C2_IP}", 50001, 443, "OUTBOUND", 400.0, 3000.0, 1, 0, True),
        (f"ip_address:{c.POOL_IP}", 50002, 3333, "OUTBOUND", 100.0, 500.0, 1, 0, False),
    ]
    assert (v["peerCount"], v["flowCount"], v["bytesIn"], v["bytesOut"], v["rejected"]) == (
        3,
        4,
        760.0,
        4500.0,
        1,
    )
    assert v["findingIps"] == [c.C2_IP]
    assert v["endCursor"] is None
    busy = [(s["start"], s["bytesOut"]) for s in v["series"] if s["count"]]
    assert busy == [
        ("2026-03-10T10:00:00+00:00", 4000.0),
        ("2026-03-10T11:00:00+00:00", 500.0),
        ("2026-03-10T12:00:00+00:00", 0.0),
    ]
    assert [p["count"] for p in v["rows"][1]["series"]] == [1]  # sparse: busy intervals only


async def test_vpc_flow_volume_pages_and_filters(gql: GraphQLCall) -> None:
    first = (await gql(FLOWS, entity=INSTANCE, scope=SCOPE, first=3))["data"]["profile"]
    page1 = first["vpcFlowVolume"]
    assert len(page1["rows"]) == 3
    after = page1["endCursor"]
    assert after is not None
    page2 = (await gql(FLOWS, entity=INSTANCE, scope=SCOPE, first=3, after=after))["data"]
    rows2 = page2["profile"]["vpcFlowVolume"]["rows"]
    assert [r["peer"]["key"] for r in rows2] == [f"ip_address:{c.POOL_IP}"]
    only_c2 = await gql(FLOWS, entity=INSTANCE, scope=SCOPE, first=10, cidr=f"{c.C2_IP}/32")
    rows = only_c2["data"]["profile"]["vpcFlowVolume"]["rows"]
    assert {r["peer"]["key"] for r in rows} == {f"ip_address:{c.C2_IP}"}


async def test_vpc_flow_volume_of_an_ip_lists_instances(gql: GraphQLCall) -> None:
    ip = {"type": "IP_ADDRESS", "id": c.C2_IP}
    v = (await gql(FLOWS, entity=ip, scope=SCOPE, first=10))["data"]["profile"]["vpcFlowVolume"]
    assert [(r["peer"]["key"], r["count"], r["annotated"]) for r in v["rows"]] == [
        (f"ec2_instance:{c.INSTANCE}", 1, True),
        (f"ec2_instance:{c.INSTANCE}", 1, True),
    ]


async def test_vpc_flow_volume_of_a_bucket_is_an_argument_error(gql: GraphQLCall) -> None:
    bucket = {"type": "S3_BUCKET", "id": "bucket-a"}
    data = await gql(FLOWS, entity=bucket, scope=SCOPE, first=10)
    assert data["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"


INTERACTION = """
query P($entity: EntityInput!, $scope: ScopeInput) {
  profile(entity: $entity, scope: $scope) {
    resourceInteraction { type direction totalCount edges { sourceKey targetKey count } }
    associatedFindings { totalCount edges { source { key ... on Finding { findingType } } } }
  }
}
"""


async def test_resource_interaction_and_findings(gql: GraphQLCall) -> None:
    role = {"type": "AWS_ROLE", "id": c.ADMIN_ROLE_ARN}
    p = (await gql(INTERACTION, entity=role, scope=SCOPE))["data"]["profile"]
    groups = {(g["type"], g["direction"]): g for g in p["resourceInteraction"]}
    assert groups[("ASSUMED_ROLE", "INCOMING")]["edges"] == [
        {
            "sourceKey": f"aws_user:{c.ALICE_ARN}",
            "targetKey": f"aws_role:{c.ADMIN_ROLE_ARN}",
            "count": 1,
        }
    ]
    assert groups[("ASSUMED_ROLE", "OUTGOING")]["totalCount"] == 0
    assert p["associatedFindings"]["totalCount"] == 0
    p = (await gql(INTERACTION, entity=INSTANCE, scope=SCOPE))["data"]["profile"]
    found = p["associatedFindings"]
    assert found["totalCount"] == 2
    assert sorted(e["source"]["findingType"] for e in found["edges"]) == [
        "Backdoor:EC2/C&CActivity.B",
        "CryptoCurrency:EC2/BitcoinTool.B!DNS",
    ]
    (prof,) = p["resourceInteraction"]
    assert prof["type"] == "INSTANCE_PROFILE"
    assert prof["edges"] == [
        {"sourceKey": f"ec2_instance:{c.INSTANCE}", "targetKey": SKEY, "count": 5}
    ]


async def test_row_series_are_only_built_when_asked(gql: GraphQLCall) -> None:
    q = """query P($entity: EntityInput!, $scope: ScopeInput) { profile(entity: $entity,
      scope: $scope) { vpcFlowVolume(first: 10) { rows { count } flowCount } } }"""
    v = (await gql(q, entity=INSTANCE, scope=SCOPE))["data"]["profile"]["vpcFlowVolume"]
    assert ([r["count"] for r in v["rows"]], v["flowCount"]) == ([1, 1, 1, 1], 4)
