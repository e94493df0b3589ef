"""The anomaly, investigation and finding-group fields end to end over HTTP (demo mode)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from tests.integration.asgi import app_client
from tests.integration.scoring.corpus import ALICE
from trailhound.config import Settings

pytestmark = pytest.mark.es

Call = Callable[..., Coroutine[Any, Any, dict[str, Any]]]
SCOPE = {
    "start": "2024-05-10T00:00:00Z",
    "end": "2024-05-11T00:00:00Z",
    "baselineStart": "2024-05-01T00:00:00Z",
    "baselineEnd": "2024-05-10T00:00:00Z",
}
ALICE_ARN = ALICE.removeprefix("aws_user:")


@pytest.fixture(scope="module")
def api_settings(
    settings: Settings, loaded: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    feed: Path = tmp_path_factory.mktemp("ti") / "example-abuse.txt"
    feed.write_text("203.0.113.0/24\n185.220.101.7\n")
    return dataclasses.replace(
        settings,
        ingest=dataclasses.replace(settings.ingest, namespace=loaded),
        analytics=dataclasses.replace(settings.analytics, threat_intel_feeds=(feed,)),
    )


@pytest.fixture
async def gql(api_settings: Settings) -> AsyncIterator[Call]:
    async with app_client(api_settings) as http:

        async def call(query: str, **variables: Any) -> dict[str, Any]:
            resp = await http.post("/graphql", json={"query": query, "variables": variables})
            assert resp.status_code == 200, resp.text
            body: dict[str, Any] = resp.json()
            return body

        yield call


ANOMALY = """
query($id: String!, $scope: ScopeInput) {
  entity(type: AWS_USER, id: $id) {
    anomaly(scope: $scope) {
      score severity method
      travel: indicators(types: [IMPOSSIBLE_TRAVEL]) {
        type risk
        detail { ... on ImpossibleTravelDetail { startingLocation endingLocation speedKmh } }
        evidence { scopeCount baselineCount index documentIds query }
      }
      ttp: indicators(types: [TTP_OBSERVED]) {
        detail { ... on TtpObservedDetail { tactic apiName apiSuccessCount apiFailureCount } }
      }
      topFactors(first: 3) { rank points indicator { type summary } }
    }
    findingGroups(scope: $scope) { id }
  }
}
"""


async def test_entity_anomaly_with_evidence(gql: Call) -> None:
    body = await gql(ANOMALY, id=ALICE_ARN, scope=SCOPE)
    assert "errors" not in body, body
    a = body["data"]["entity"]["anomaly"]
    assert a["severity"] == "CRITICAL"
    assert a["method"].startswith("zeta-sum")
    (travel,) = a["travel"]
    assert travel["detail"] == {
        "startingLocation": "Berlin, DE",
        "endingLocation": "New York, US",
        "speedKmh": pytest.approx(7662.0, abs=0.1),
    }
    assert travel["evidence"]["baselineCount"] == 900.0
    assert travel["evidence"]["query"]["aggs"]["ip"]["terms"]["field"] == "source.ip"
    assert {
        "tactic": "Privilege Escalation",
        "apiName": "AttachUserPolicy",
        "apiSuccessCount": 0,
        "apiFailureCount": 1,
    } in [t["detail"] for t in a["ttp"]]
    assert [f["indicator"]["type"] for f in a["topFactors"]] == [
        "FLAGGED_IP_ADDRESS",
        "RELATED_FINDING",
        "IMPOSSIBLE_TRAVEL",
    ]
    assert body["data"]["entity"]["findingGroups"] != []


async def test_investigation_round_trip(gql: Call) -> None:
    started = await gql(
        "mutation($e: EntityInput!, $s: ScopeInput) { startInvestigation(entity: $e, scope: $s) }",
        e={"type": "AWS_USER", "id": ALICE_ARN},
        s=SCOPE,
    )
    assert "errors" not in started, started
    inv_id = started["data"]["startInvestigation"]
    query = """query($id: String!) { investigation(id: $id) {
        id status state severity entityKey
        indicators(types: [NEW_GEOLOCATION]) {
          detail { ... on NewGeolocationDetail { location isNewForEntireAccount } }
        }
    } }"""
    for _ in range(100):
        got = await gql(query, id=inv_id)
        if got["data"]["investigation"]["status"] != "RUNNING":
            break
        await asyncio.sleep(0.1)
    inv = got["data"]["investigation"]
    assert (inv["status"], inv["state"], inv["severity"], inv["entityKey"]) == (
        "SUCCESSFUL",
        "ACTIVE",
        "CRITICAL",
        ALICE,
    )
    assert inv["indicators"] == [
        {"detail": {"location": "New York, US", "isNewForEntireAccount": True}}
    ]
    listed = await gql(
        """query($id: String!) {
          investigations(
            filter: {severities: [CRITICAL], entity: {type: AWS_USER, id: $id}}
            sortField: CREATED_TIME, sortOrder: DESC, first: 5
          ) { nodes { id } pageInfo { hasNextPage } }
        }""",
        id=ALICE_ARN,
    )
    sev = await gql("query { investigations(filter: {severities: [CRITICAL]}) { nodes { id } } }")
    assert inv_id in [n["id"] for n in sev["data"]["investigations"]["nodes"]], sev
    assert inv_id in [n["id"] for n in listed["data"]["investigations"]["nodes"]], listed
    archived = await gql(
        "mutation($id: String!) { updateInvestigationState(id: $id, state: ARCHIVED) { state } }",
        id=inv_id,
    )
    assert archived["data"]["updateInvestigationState"]["state"] == "ARCHIVED"


async def test_errors_have_codes(gql: Call) -> None:
    bad = await gql(
        'mutation { startInvestigation(entity: {type: IP_ADDRESS, id: "203.0.113.50"}) }'
    )
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_ENTITY"
    missing = await gql('query { investigation(id: "000000000000000000000") { id } }')
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    nogroup = await gql('query { findingGroup(id: "fg-nope") { id } }')
    assert nogroup["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_finding_groups_and_ranking(gql: Call) -> None:
    body = await gql(
        """query($s: ScopeInput) {
          findingGroups(scope: $s, filter: {severities: [HIGH]}) {
            totalCount edges { node { id title severity tactics entities { key } } }
          }
          anomalyRanking(entity: {type: ACCESS_KEY, id: "AKIAALICE"}, scope: $s) {
            entityKey baseScore inherited score raisedBy { entityKey points }
          }
        }""",
        s=SCOPE,
    )
    assert "errors" not in body, body
    groups = body["data"]["findingGroups"]
    assert groups["totalCount"] == 1
    node = groups["edges"][0]["node"]
    assert (node["title"], node["severity"]) == ("Group with: TTP (1)", "HIGH")
    one = await gql("query($id: String!) { findingGroup(id: $id) { id } }", id=node["id"])
    assert one["data"]["findingGroup"]["id"] == node["id"]
    ranking = body["data"]["anomalyRanking"]
    keys = [r["entityKey"] for r in ranking]
    assert "access_key:AKIAALICE" in keys
    top = ranking[0]
    assert top["score"] == pytest.approx(min(100.0, top["baseScore"] + top["inherited"]), abs=0.01)
    raised = [r for r in ranking if r["raisedBy"]]
    assert raised, ranking
