"""A GuardDuty finding on an IAM user with a path reaches that user's graph.

GuardDuty names the user only by ``userName``, so the finding carries the short
ARN; CloudTrail writes the full one with the path.  The real GuardDuty example
(testuser, AIDACKCEVSQ6C2EXAMPLE, 2020-05-26) is ingested next to one CloudTrail
call of the same user, written here with a path as IAM's documentation shows them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from elasticsearch import Elasticsearch

from indexers.pipeline import ingest_paths
from tests.integration.asgi import app_client
from trailhound.config import Settings

pytestmark = pytest.mark.es

DATA = Path(__file__).resolve().parents[2] / "data"
ARN = "arn:aws:iam::111122223333:user/division_abc/subdivision_xyz/testuser"
FINDING = "finding:1ab92989eaf0e742df4a014d5example"
SCOPE = {"start": "2020-05-26T00:00:00Z", "end": "2020-05-27T00:00:00Z"}


def _cloudtrail_call(path: Path) -> Path:
    record = {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDACKCEVSQ6C2EXAMPLE",
            "arn": ARN,
            "accountId": "111122223333",
            # Another of the user's keys than the finding's: only the ARN links them.
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "userName": "testuser",
        },
        "eventTime": "2020-05-26T22:20:00Z",
        "eventSource": "iam.amazonaws.com",
        "eventName": "ListUsers",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.23",
        "userAgent": "aws-cli/2.0.10 Python/3.7.3",
        "requestParameters": None,
        "responseElements": None,
        "requestID": "6f4cc8a0-9c5b-4f8e-9a43-2a8d1e7f0a11",
        "eventID": "2a9cf3b4-1e37-4d3e-8d0e-5d7d3c1b9f20",
        "readOnly": True,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "111122223333",
    }
    target = path / "path-user-call.json"
    target.write_text(json.dumps({"Records": [record]}))
    return target


@pytest.fixture
async def http(
    es: Elasticsearch, settings: Settings, fresh_namespace: str, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    report = ingest_paths(
        [str(_cloudtrail_call(tmp_path)), str(DATA / "guardduty/aws_guardduty_example.json")],
        settings,
        namespace=fresh_namespace,
        client=es,
    )
    assert report.total().indexed == 2, report.as_dict()
    ns_settings = dataclasses.replace(
        settings, ingest=dataclasses.replace(settings.ingest, namespace=fresh_namespace)
    )
    async with app_client(ns_settings) as c:
        yield c


async def _gql(http: httpx.AsyncClient, query: str) -> dict[str, Any]:
    resp = await http.post(
        "/graphql",
        json={"query": query, "variables": {"e": {"type": "AWS_USER", "id": ARN}, "s": SCOPE}},
    )
    body: dict[str, Any] = resp.json()
    assert "errors" not in body, body
    return body["data"]


async def test_the_finding_is_an_edge_of_the_user_with_a_path(http: httpx.AsyncClient) -> None:
    data = await _gql(
        http,
        "query($e: EntityInput!, $s: ScopeInput) { neighborhood(entity: $e, scope: $s)"
        " { groups { type edges { sourceKey targetKey } } } }",
    )
    findings = [g for g in data["neighborhood"]["groups"] if g["type"] == "FINDING"]
    assert [(e["sourceKey"], e["targetKey"]) for g in findings for e in g["edges"]] == [
        (FINDING, f"aws_user:{ARN}")
    ]


async def test_panel_and_timeline_show_the_finding(http: httpx.AsyncClient) -> None:
    data = await _gql(
        http,
        "query($e: EntityInput!, $s: ScopeInput) {"
        " profile(entity: $e, scope: $s) { associatedFindings { totalCount edges { sourceKey } } }"
        " timeline(entity: $e, scope: $s, kinds: [FINDING]) { totalCount } }",
    )
    panel = data["profile"]["associatedFindings"]
    assert panel["totalCount"] == 1
    assert [e["sourceKey"] for e in panel["edges"]] == [FINDING]
    assert data["timeline"]["totalCount"] == 1


async def test_two_hops_keep_one_node_for_the_user(http: httpx.AsyncClient) -> None:
    # Expanding the finding at hop 2 meets the short ARN it carries: that is the
    # center again, not a second user node.
    data = await _gql(
        http,
        "query($e: EntityInput!, $s: ScopeInput) { neighborhood(entity: $e, scope: $s, hops: 2)"
        " { nodes { entity { key } } edges { sourceKey targetKey } } }",
    )
    keys = [n["entity"]["key"] for n in data["neighborhood"]["nodes"]]
    users = [k for k in keys if k.startswith("aws_user:")]
    assert users == [f"aws_user:{ARN}"]
    assert (FINDING, f"aws_user:{ARN}") in {
        (e["sourceKey"], e["targetKey"]) for e in data["neighborhood"]["edges"]
    }


async def test_the_anomaly_score_counts_the_finding(http: httpx.AsyncClient) -> None:
    data = await _gql(
        http,
        "query($e: EntityInput!, $s: ScopeInput) { neighborhood(entity: $e, scope: $s)"
        " { center { ... on AwsUser { anomaly(scope: $s) { indicators { type } } } } } }",
    )
    indicators = data["neighborhood"]["center"]["anomaly"]["indicators"]
    types = [i["type"] for i in indicators]
    assert "RELATED_FINDING" in types
