"""The investigation walkthrough end to end over HTTP, on a simulated ec2-compromise.

simulate (small, 3 days) -> the real indexers -> the real test node -> /graphql
with an API key: search the instance, read its neighborhood (C2 IP with port
and bytes, the instance-profile session with its S3 calls and the
AuthorizeSecurityGroupIngress attempt, the GuardDuty findings), expand the
session (buckets), the outbound timeline (starts at the scenario start) and
the new-behavior panel (new API calls, new remote IPs).  Expected values come
from the simulator's ground truth.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from indexers.pipeline import ingest_paths
from tests.integration.asgi import app_client
from trailhound import apikeys
from trailhound.config import Settings
from trailhound.simulator import SimulationConfig, SimulationResult, simulate

pytestmark = pytest.mark.es


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    return simulate(
        SimulationConfig(
            out=tmp_path_factory.mktemp("walk"),
            days=3,
            scale="small",
            seed=5,
            scenarios=("ec2-compromise",),
        )
    )


@pytest.fixture(scope="module")
def walk_settings(sim: SimulationResult, settings: Settings, namespace: str) -> Settings:
    analytics = dataclasses.replace(
        settings.analytics, geoip_city_db=sim.geoip_city, geoip_asn_db=sim.geoip_asn
    )
    ingest = dataclasses.replace(settings.ingest, namespace=namespace)
    s = dataclasses.replace(settings, analytics=analytics, ingest=ingest)
    report = ingest_paths([str(sim.logs_root)], s, namespace=namespace)
    assert report.total().failed == 0
    return s


@pytest.fixture(scope="module")
def token(es: Elasticsearch, namespace: str) -> str:
    return apikeys.create_key(
        es, "reader", "walkthrough", index=f"trailhound-apikeys-{namespace}"
    ).token


@pytest.fixture
async def ask(walk_settings: Settings, namespace: str, token: str) -> AsyncIterator[Any]:
    async with app_client(walk_settings, api_keys_index=f"trailhound-apikeys-{namespace}") as http:

        async def call(query: str, **variables: Any) -> dict[str, Any]:
            resp = await http.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"ApiKey {token}"},
            )
            assert resp.status_code == 200, resp.text
            body: dict[str, Any] = resp.json()
            assert "errors" not in body, body["errors"]
            return body["data"]

        yield call


def _truth(sim: SimulationResult) -> dict[str, Any]:
    return sim.scenario("ec2-compromise")


def _attack_day(sim: SimulationResult) -> dict[str, str]:
    day = sim.ground_truth["attack_day"]
    return {"start": day["start"], "end": day["end"]}


def _groups(nb: dict[str, Any], type_: str, center: str, direction: str) -> dict[str, Any]:
    (g,) = [
        g
        for g in nb["groups"]
        if g["type"] == type_ and g["centerKey"] == center and g["direction"] == direction
    ]
    return g


NEIGHBORHOOD = """
query Walk($entity: EntityInput!, $scope: ScopeInput, $hops: Int!) {
  neighborhood(entity: $entity, scope: $scope, hops: $hops, limitPerEdgeType: 25) {
    groups {
      type centerKey direction totalCount moreCount
      edges {
        sourceKey targetKey count
        target { key ... on ApiOperation { service name } }
        network { bytesIn bytesOut ports { direction remotePort protocol count } }
        calls { success failure actions }
      }
    }
  }
}
"""


async def test_walkthrough(sim: SimulationResult, ask: Any) -> None:
    truth = _truth(sim)
    facts = truth["facts"]
    instance_key = f"ec2_instance:{facts['instance_id']}"
    session_key = f"aws_role_session:{facts['role_session_id']}"
    scope = _attack_day(sim)

    # 1. Search the compromised instance.
    found = await ask(
        "query($t: String!) { search(type: EC2_INSTANCE, text: $t) { totalCount "
        "edges { node { key ... on Ec2Instance { instanceId } } } } }",
        t=facts["instance_id"],
    )
    assert found["search"]["totalCount"] == 1
    assert found["search"]["edges"][0]["node"]["key"] == instance_key

    # 2. Its neighborhood (two hops: the session's calls come with it).
    nb = (
        await ask(
            NEIGHBORHOOD,
            entity={"type": "EC2_INSTANCE", "id": facts["instance_id"]},
            scope=scope,
            hops=2,
        )
    )["neighborhood"]
    net = _groups(nb, "NETWORK", instance_key, "OUTGOING")
    c2 = next(e for e in net["edges"] if e["targetKey"] == f"ip_address:{facts['c2_ip']}")
    tuples = [t for t in truth["flow_tuples"] if facts["c2_ip"] in (t["srcaddr"], t["dstaddr"])]
    assert c2["count"] == len(tuples)
    assert c2["network"]["bytesIn"] == sum(
        t["bytes"] for t in tuples if t["srcaddr"] == facts["c2_ip"]
    )
    assert c2["network"]["bytesOut"] == sum(
        t["bytes"] for t in tuples if t["dstaddr"] == facts["c2_ip"]
    )
    out443 = [p for p in c2["network"]["ports"] if p["direction"] == "OUTBOUND"]
    assert [(p["remotePort"], p["protocol"]) for p in out443] == [(443, "tcp")]

    (profile,) = _groups(nb, "INSTANCE_PROFILE", instance_key, "OUTGOING")["edges"]
    assert profile["targetKey"] == session_key
    calls = {
        e["target"]["name"]: e for e in _groups(nb, "API_CALL", session_key, "OUTGOING")["edges"]
    }
    counts = truth["event_counts"]
    assert calls["GetObject"]["target"]["service"] == "s3.amazonaws.com"
    assert calls["GetObject"]["count"] >= counts["GetObject"]
    asgi = calls["AuthorizeSecurityGroupIngress"]
    assert (asgi["count"], asgi["calls"]["failure"]) == (
        counts["AuthorizeSecurityGroupIngress"],
    ) * 2
    assert asgi["target"]["service"] == "ec2.amazonaws.com"

    findings = _groups(nb, "FINDING", instance_key, "INCOMING")
    found_ids = {e["sourceKey"].removeprefix("finding:") for e in findings["edges"]}
    assert set(truth["finding_ids"]) <= found_ids
    assert findings["moreCount"] == 0

    # 3. Expanding the role session shows the buckets.
    expanded = (
        await ask(
            NEIGHBORHOOD,
            entity={"type": "AWS_ROLE_SESSION", "id": facts["role_session_id"]},
            scope=scope,
            hops=1,
        )
    )["neighborhood"]
    buckets = _groups(expanded, "S3_ACCESS", session_key, "OUTGOING")["edges"]
    assert f"s3_bucket:{facts['bucket']}" in [b["targetKey"] for b in buckets]
    attack_bucket = next(b for b in buckets if b["targetKey"] == f"s3_bucket:{facts['bucket']}")
    assert "GetObject" in attack_bucket["calls"]["actions"]

    # 4. The outbound timeline to the C2 starts at the scenario start.
    start = datetime.fromisoformat(truth["start"].replace("Z", "+00:00"))
    tl = (
        await ask(
            "query($ip: String!, $scope: ScopeInput) { timeline("
            "entity: {type: IP_ADDRESS, id: $ip}, scope: $scope, kinds: [NETWORK_OUTBOUND], "
            "first: 5) { totalCount "
            "edges { node { timestamp remoteIp remotePort } } } }",
            ip=facts["c2_ip"],
            scope=scope,
        )
    )["timeline"]
    egress = [t for t in tuples if t["dstaddr"] == facts["c2_ip"]]
    first = datetime.fromisoformat(tl["edges"][0]["node"]["timestamp"])
    assert first == datetime.fromtimestamp(min(t["end"] for t in egress), tz=UTC)
    assert start <= first
    assert (first - start).total_seconds() < 3600
    assert tl["totalCount"] == len(egress)
    assert tl["edges"][0]["node"]["remotePort"] == 443

    # 5. The panels show the new API calls and the new remote IPs.
    panel = (
        await ask(
            "query($id: String!, $scope: ScopeInput) { profile("
            "entity: {type: EC2_INSTANCE, id: $id}, scope: $scope) { "
            "newBehavior { apiCalls { value } remoteIps { value } "
            "userAgents { value } } } }",
            id=facts["instance_id"],
            scope=scope,
        )
    )["profile"]["newBehavior"]
    new_calls = {v["value"] for v in panel["apiCalls"]}
    assert {"AuthorizeSecurityGroupIngress", "GetBucketAcl", "ListBuckets"} <= new_calls
    assert set(truth["attacker_ips"]) <= {v["value"] for v in panel["remoteIps"]}
    assert facts["attack_user_agent"] in {v["value"] for v in panel["userAgents"]}
