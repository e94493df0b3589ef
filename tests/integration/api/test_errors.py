"""Error codes over HTTP: INVALID_SCOPE, LIMIT_EXCEEDED, BACKEND_UNAVAILABLE, masking."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from elasticsearch import AsyncElasticsearch

from tests.integration.api import corpus as c
from tests.integration.api.conftest import SCOPE, GraphQLCall
from trailhound.app import create_app
from trailhound.config import Settings

pytestmark = pytest.mark.es

NB = """
query N($scope: ScopeInput, $limit: Int! = 10, $hops: Int! = 1) {
  neighborhood(entity: {type: EC2_INSTANCE, id: "@ID@"}, scope: $scope,
               limitPerEdgeType: $limit, hops: $hops) { hops }
}
""".replace("@ID@", c.INSTANCE)


def _code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


@pytest.mark.parametrize(
    ("scope", "needle"),
    [
        ({"start": "2026-03-10T00:30:00Z", "end": "2026-03-11T00:00:00Z"}, "aligned"),
        ({"start": "2026-03-11T00:00:00Z", "end": "2026-03-10T00:00:00Z"}, "not after"),
        ({"start": "2024-01-01T00:00:00Z", "end": "2026-03-10T00:00:00Z"}, "outside"),
        ({"start": "2026-03-10T00:00:00Z"}, "both"),
        ({**SCOPE, "baselineDays": 0}, "baselineDays"),
        (
            {
                **SCOPE,
                "baselineStart": "2026-03-09T00:00:00Z",
                "baselineEnd": "2026-03-10T01:00:00Z",
            },
            "before the scope",
        ),
    ],
)
async def test_invalid_scopes_are_errors_not_clamps(
    gql: GraphQLCall, scope: dict[str, Any], needle: str
) -> None:
    body = await gql(NB, scope=scope)
    assert body["data"] is None
    assert _code(body) == "INVALID_SCOPE"
    assert needle in body["errors"][0]["message"]


async def test_caps_are_limit_exceeded(gql: GraphQLCall) -> None:
    assert _code(await gql(NB, scope=SCOPE, limit=101)) == "LIMIT_EXCEEDED"
    assert _code(await gql(NB, scope=SCOPE, limit=0)) == "LIMIT_EXCEEDED"
    timeline = """{ timeline(entity: {type: EC2_INSTANCE, id: "%s"}, first: 501) { totalCount } }"""
    assert _code(await gql(timeline % c.INSTANCE)) == "LIMIT_EXCEEDED"


async def test_hops_other_than_one_or_two_are_rejected(gql: GraphQLCall) -> None:
    assert _code(await gql(NB, scope=SCOPE, hops=3)) == "INVALID_ARGUMENT"


async def test_tokens_and_aliases_are_limited(gql: GraphQLCall) -> None:
    one = "a0: search(type: S3_BUCKET) { edges { node { key } } }"
    assert "errors" not in await gql("{ " + one + " }")
    many = "{ " + " ".join(one.replace("a0:", f"a{i}:") for i in range(20)) + " }"
    body = await gql(many)
    assert _code(body) == "LIMIT_EXCEEDED"
    assert "aliases" in body["errors"][0]["message"]
    huge = "{ " + " ".join("__typename" for _ in range(2100)) + " }"
    assert _code(await gql(huge)) == "LIMIT_EXCEEDED"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_elasticsearch_down_is_backend_unavailable(settings: Settings) -> None:
    client = AsyncElasticsearch(
        f"http://127.0.0.1:{_free_port()}", request_timeout=2, max_retries=0
    )
    app = create_app(settings, demo_no_auth=True, client=client)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            resp = await http.post("/graphql", json={"query": NB, "variables": {"scope": SCOPE}})
            body = resp.json()
            assert _code(body) == "BACKEND_UNAVAILABLE"
            assert body["errors"][0]["message"] == "Elasticsearch cannot be reached"
            assert "Traceback" not in resp.text
            health = await http.get("/healthz")
            assert health.status_code == 503
            assert health.json()["elasticsearch"] == "down"
    await client.close()


async def test_healthz_up(http: httpx.AsyncClient) -> None:
    resp = await http.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["status"] == "ok"


@pytest.mark.parametrize(
    "query",
    [
        '{ neighborhood(entity: {type: EC2_INSTANCE, id: "i-nothere"}) { hops } }',
        '{ timeline(entity: {type: EC2_INSTANCE, id: "i-nothere"}) { totalCount } }',
        '{ profile(entity: {type: EC2_INSTANCE, id: "i-nothere"}) { scopeStart } }',
    ],
)
async def test_analytics_of_an_unknown_entity_are_not_found(gql: GraphQLCall, query: str) -> None:
    body = await gql(query)
    assert _code(body) == "NOT_FOUND"
    assert "i-nothere" in body["errors"][0]["message"]


_QUIET = {"start": "2026-02-25T00:00:00Z", "end": "2026-02-26T00:00:00Z"}
_IN = '(entity: {type: EC2_INSTANCE, id: "@ID@"}, scope: $s)'.replace("@ID@", c.INSTANCE)


def _profile(panel: str, selection: str) -> str:
    return "query($s: ScopeInput) { profile@IN@ { %s %s } }".replace("@IN@", _IN) % (
        panel,
        selection,
    )


@pytest.mark.parametrize(
    ("query", "counts"),
    [
        (
            "query($s: ScopeInput) { neighborhood@IN@ { groups { totalCount } } }".replace(
                "@IN@", _IN
            ),
            lambda d: [g["totalCount"] for g in d["neighborhood"]["groups"]],
        ),
        (
            "query($s: ScopeInput) { timeline@IN@ { totalCount } }".replace("@IN@", _IN),
            lambda d: [d["timeline"]["totalCount"]],
        ),
        (
            _profile("vpcFlowVolume", "{ rows { bytesIn } }"),
            lambda d: [len(d["profile"]["vpcFlowVolume"]["rows"])],
        ),
        (
            _profile("apiCallVolume", "{ success failure }"),
            lambda d: list(d["profile"]["apiCallVolume"].values()),
        ),
        (
            _profile("newBehavior", "{ apiCalls { value } remoteIps { value } }"),
            lambda d: [len(v) for v in d["profile"]["newBehavior"].values()],
        ),
        (
            _profile("resourceInteraction", "{ totalCount }"),
            lambda d: [g["totalCount"] for g in d["profile"]["resourceInteraction"]],
        ),
        (
            _profile("associatedFindings", "{ totalCount }"),
            lambda d: [(d["profile"]["associatedFindings"] or {"totalCount": 0})["totalCount"]],
        ),
    ],
)
async def test_a_known_entity_idle_in_the_scope_is_empty_not_missing(
    gql: GraphQLCall, query: str, counts: Any
) -> None:
    # The existence check looks in the scope's own daily indices first; an
    # entity quiet there (no index exists for that day at all) is still found
    # in the rest of the namespace, and every answer is empty, not an error.
    body = await gql(query, s=_QUIET)
    assert "errors" not in body, body
    assert body["data"] is not None
    values = counts(body["data"])
    assert values  # every answer has its shape: groups, counts, an empty row list
    assert values == [0] * len(values)
