"""timeline(): time order, kinds filter, PIT + search_after pages, histogram."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from resolvers.cursor import decode_cursor
from tests.integration.api import corpus as c
from tests.integration.api.conftest import SCOPE, GraphQLCall

pytestmark = pytest.mark.es

TIMELINE = """
query T($entity: EntityInput!, $scope: ScopeInput, $kinds: [TimelineKind!], $first: Int!,
        $after: String) {
  timeline(entity: $entity, scope: $scope, kinds: $kinds, first: $first, after: $after) {
    totalCount intervalSeconds
    pageInfo { hasNextPage endCursor }
    edges { cursor node { timestamp kinds action outcome remoteIp remotePort localPort
                          bytesOut ruleName severity } }
    histogram { start count byKind { kind count } }
  }
}
"""
INSTANCE = {"type": "EC2_INSTANCE", "id": c.INSTANCE}


async def test_outbound_timeline_is_time_ordered_with_histogram(gql: GraphQLCall) -> None:
    data = await gql(TIMELINE, entity=INSTANCE, scope=SCOPE, kinds=["NETWORK_OUTBOUND"], first=10)
    assert "errors" not in data, data
    t = data["data"]["timeline"]
    rows = [
        (
            e["node"]["timestamp"],
            e["node"]["remoteIp"],
            e["node"]["remotePort"],
            e["node"]["bytesOut"],
        )
        for e in t["edges"]
    ]
    assert rows == [
        ("2026-03-10T10:00:00+00:00", c.C2_IP, 443, 1000.0),
        ("2026-03-10T10:05:00+00:00", c.C2_IP, 443, 3000.0),
        ("2026-03-10T11:00:00+00:00", c.POOL_IP, 3333, 500.0),
    ]
    assert (t["totalCount"], t["pageInfo"]["hasNextPage"], t["intervalSeconds"]) == (3, False, 900)
    hist = t["histogram"]
    assert len(hist) == 96
    assert hist[0]["start"] == "2026-03-10T00:00:00+00:00"
    busy = {b["start"]: b["count"] for b in hist if b["count"]}
    assert busy == {"2026-03-10T10:00:00+00:00": 2, "2026-03-10T11:00:00+00:00": 1}
    assert sum(b["count"] for b in hist) == 3


async def test_pages_follow_search_after_without_overlap(gql: GraphQLCall) -> None:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = await gql(TIMELINE, entity=INSTANCE, scope=SCOPE, first=4, after=after)
        assert "errors" not in data, data
        t = data["data"]["timeline"]
        pages += 1
        seen += [e["node"]["timestamp"] for e in t["edges"]]
        if pages > 1:
            assert t["histogram"] is None
        if not t["pageInfo"]["hasNextPage"]:
            break
        after = t["pageInfo"]["endCursor"]
    # 4 flows + 5 session calls + 2 findings on the scope day.
    assert len(seen) == 11
    assert pages == 3
    assert seen == sorted(seen)
    assert seen[0] == "2026-03-10T10:00:00+00:00"


async def test_failed_calls_and_findings_kinds(gql: GraphQLCall) -> None:
    session = {"type": "AWS_ROLE_SESSION", "id": c.SESSION}
    data = await gql(TIMELINE, entity=session, scope=SCOPE, kinds=["FAILED_API_CALL"], first=5)
    (row,) = data["data"]["timeline"]["edges"]
    assert (row["node"]["action"], row["node"]["outcome"]) == (
        "AuthorizeSecurityGroupIngress",
        "failure",
    )
    data = await gql(TIMELINE, entity=INSTANCE, scope=SCOPE, kinds=["FINDING"], first=5)
    assert [
        (e["node"]["ruleName"], e["node"]["severity"]) for e in data["data"]["timeline"]["edges"]
    ] == [("Backdoor:EC2/C&CActivity.B", 73), ("CryptoCurrency:EC2/BitcoinTool.B!DNS", 73)]


async def test_an_expired_point_in_time_continues(gql: GraphQLCall, es: Elasticsearch) -> None:
    data = await gql(TIMELINE, entity=INSTANCE, scope=SCOPE, first=2)
    cursor = data["data"]["timeline"]["pageInfo"]["endCursor"]
    # The first page runs without a point in time; the second opens one.
    assert "p" not in decode_cursor("timeline", cursor)
    data = await gql(TIMELINE, entity=INSTANCE, scope=SCOPE, first=2, after=cursor)
    cursor = data["data"]["timeline"]["pageInfo"]["endCursor"]
    # Closing the point in time behind the cursor is what expiry looks like to ES.
    assert es.close_point_in_time(id=decode_cursor("timeline", cursor)["p"])["succeeded"]
    data = await gql(TIMELINE, entity=INSTANCE, scope=SCOPE, first=20, after=cursor)
    assert "errors" not in data, data
    assert len(data["data"]["timeline"]["edges"]) == 7


async def test_instance_timeline_includes_its_interface_only_flows(gql: GraphQLCall) -> None:
    day = {"start": "2026-03-12T00:00:00Z", "end": "2026-03-13T00:00:00Z"}
    data = await gql(TIMELINE, entity=INSTANCE, scope=day, kinds=["NETWORK_OUTBOUND"], first=5)
    rows = [
        (e["node"]["remoteIp"], e["node"]["remotePort"]) for e in data["data"]["timeline"]["edges"]
    ]
    assert rows == [(c.ENI_ONLY_IP, 8443)]
