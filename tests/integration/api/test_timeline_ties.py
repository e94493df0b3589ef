"""Timeline pages split inside runs of equal timestamps: nothing repeated, nothing lost.

The first page is a plain search (no point in time) and its cursor carries the
time and rank of its last event; the next page opens a point in time and skips
what the first page already showed.  Equal timestamps are common (a flow log
aggregation window gives many records one end time), so the split must hold
there.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from elasticsearch import Elasticsearch, helpers

from tests.integration.api import corpus as c
from tests.integration.asgi import app_client
from trailhound.config import Settings
from trailhound.ecs.indices import event_index, event_template

pytestmark = pytest.mark.es

SCOPE = {"start": "2026-03-10T00:00:00Z", "end": "2026-03-11T00:00:00Z"}
TIMELINE = """
query T($e: EntityInput!, $s: ScopeInput, $first: Int!, $after: String) {
  timeline(entity: $e, scope: $s, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { timestamp remoteIp } }
  }
}
"""
TIE = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _docs() -> list[dict[str, Any]]:
    """Nine flows ending at one instant between two earlier and two later ones."""
    when = [TIE - timedelta(minutes=2), TIE - timedelta(minutes=1)]
    when += [TIE] * 9 + [TIE + timedelta(minutes=1), TIE + timedelta(minutes=2)]
    return [
        c.flow(
            t,
            f"198.51.100.{i + 1}",
            local_port=40000 + i,
            remote_port=443,
            direction="outbound",
            bytes_in=10,
            bytes_out=20,
            packets_in=1,
            packets_out=1,
        )
        for i, t in enumerate(when)
    ]


@pytest.fixture(scope="module")
def tie_settings(es: Elasticsearch, namespace: str, settings: Settings) -> Settings:
    es.indices.put_index_template(name=f"logs-aws-{namespace}", body=event_template(namespace))
    actions = [
        {
            "_op_type": "create",
            "_index": event_index(d["event"]["dataset"], namespace, TIE),
            "_id": hashlib.sha1(repr(sorted(d.items())).encode()).hexdigest(),
            "_source": d,
        }
        for d in _docs()
    ]
    helpers.bulk(es, actions, refresh="wait_for", raise_on_error=True)
    return dataclasses.replace(
        settings, ingest=dataclasses.replace(settings.ingest, namespace=namespace)
    )


@pytest.fixture
async def http(tie_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(tie_settings) as h:
        yield h


async def _page(http: httpx.AsyncClient, first: int, after: str | None) -> dict[str, Any]:
    variables = {
        "e": {"type": "EC2_INSTANCE", "id": c.INSTANCE},
        "s": SCOPE,
        "first": first,
        "after": after,
    }
    resp = await http.post("/graphql", json={"query": TIMELINE, "variables": variables})
    body: dict[str, Any] = resp.json()
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["timeline"]
    return page


@pytest.mark.parametrize("first", [1, 2, 3, 4, 8])
async def test_pages_split_inside_equal_timestamps(http: httpx.AsyncClient, first: int) -> None:
    whole = await _page(http, 50, None)
    everything = [(e["node"]["timestamp"], e["node"]["remoteIp"]) for e in whole["edges"]]
    assert len(everything) == 13
    assert [t for t, _ in everything].count("2026-03-10T12:00:00+00:00") == 9
    paged: list[tuple[str, str]] = []
    after = None
    while True:
        page = await _page(http, first, after)
        assert page["totalCount"] == 13
        paged += [(e["node"]["timestamp"], e["node"]["remoteIp"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert paged == everything
    assert len(set(paged)) == 13
