"""entity() and search() over HTTP: every entity type on the fixture corpus, exact values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from elasticsearch import AsyncElasticsearch

from resolvers.entities import search_patterns, search_prefix
from resolvers.repository import EventRepository
from resolvers.scope import TimeWindow
from tests.integration.api import corpus as c
from tests.integration.api.conftest import GraphQLCall
from trailhound.config import Settings
from trailhound.ecs.entities import EntityKind

pytestmark = pytest.mark.es

ENTITY = """
query E($type: EntityType!, $id: String!) {
  entity(type: $type, id: $id) {
    __typename id key type displayName firstSeen lastSeen accountId eventCount
    ... on AwsRoleSession { sessionName rolePrincipalId }
    ... on AwsRole { roleName }
    ... on AwsUser { userName }
    ... on IpAddress { address country city asNumber asOrganization }
    ... on Finding { findingType title severity description }
    ... on Ec2Instance { instanceId }
    ... on S3Bucket { bucketName }
    ... on AccessKey { accessKeyId }
    ... on UserAgent { userAgent }
  }
}
"""

CASES = [
    # (type, id as typed, typename, key id, displayName, first, last, events)
    (
        "EC2_INSTANCE",
        c.INSTANCE,
        "Ec2Instance",
        c.INSTANCE,
        c.INSTANCE,
        "2026-02-20T08:00:00+00:00",
        "2026-03-10T12:00:00+00:00",
        13,
    ),
    (
        "EC2_INSTANCE",
        f"arn:aws:ec2:us-east-1:{c.ACCOUNT}:instance/{c.INSTANCE}",
        "Ec2Instance",
        c.INSTANCE,
        c.INSTANCE,
        "2026-02-20T08:00:00+00:00",
        "2026-03-10T12:00:00+00:00",
        13,
    ),
    (
        "AWS_ROLE_SESSION",
        c.SESSION,
        "AwsRoleSession",
        c.SESSION,
        c.INSTANCE,
        "2026-02-20T08:00:00+00:00",
        "2026-03-10T10:20:00+00:00",
        6,
    ),
    (
        "AWS_ROLE",
        "web-app",
        "AwsRole",
        c.ROLE_ARN,
        "web-app",
        "2026-02-20T08:00:00+00:00",
        "2026-03-10T10:20:00+00:00",
        6,
    ),
    (
        "AWS_USER",
        c.ALICE_ARN,
        "AwsUser",
        c.ALICE_ARN,
        "alice",
        "2026-02-20T09:00:00+00:00",
        "2026-03-10T09:30:00+00:00",
        3,
    ),
    (
        "AWS_ACCOUNT",
        c.ACCOUNT,
        "AwsAccount",
        c.ACCOUNT,
        c.ACCOUNT,
        "2026-02-20T08:00:00+00:00",
        "2026-03-10T10:20:00+00:00",
        9,
    ),
    (
        "IP_ADDRESS",
        c.C2_IP,
        "IpAddress",
        c.C2_IP,
        c.C2_IP,
        "2026-03-10T10:00:00+00:00",
        "2026-03-10T10:30:00+00:00",
        3,
    ),
    (
        "S3_BUCKET",
        "arn:aws:s3:::bucket-a",
        "S3Bucket",
        "bucket-a",
        "bucket-a",
        "2026-03-10T10:11:00+00:00",
        "2026-03-10T10:12:00+00:00",
        2,
    ),
    (
        "ACCESS_KEY",
        c.ALICE_KEY,
        "AccessKey",
        c.ALICE_KEY,
        c.ALICE_KEY,
        "2026-02-20T09:00:00+00:00",
        "2026-03-10T09:30:00+00:00",
        3,
    ),
    (
        "USER_AGENT",
        c.UA_CLI,
        "UserAgent",
        c.UA_CLI,
        c.UA_CLI,
        "2026-02-20T09:00:00+00:00",
        "2026-03-10T09:30:00+00:00",
        3,
    ),
    (
        "FEDERATED_USER",
        c.FEDERATED,
        "FederatedUser",
        c.FEDERATED,
        c.FEDERATED,
        "2026-03-12T07:00:00+00:00",
        "2026-03-12T07:00:00+00:00",
        1,
    ),
    (
        "NETWORK_INTERFACE",
        c.ENI,
        "NetworkInterface",
        c.ENI,
        c.ENI,
        "2026-02-20T08:30:00+00:00",
        "2026-03-12T06:00:00+00:00",
        6,
    ),
    (
        "FINDING",
        c.FINDING_C2,
        "Finding",
        c.FINDING_C2,
        c.FINDING_C2,
        "2026-03-10T10:30:00+00:00",
        "2026-03-10T10:30:00+00:00",
        1,
    ),
]


@pytest.mark.parametrize(
    ("type_", "ident", "typename", "key_id", "display", "first", "last", "events"), CASES
)
async def test_entity_details(
    gql: GraphQLCall,
    type_: str,
    ident: str,
    typename: str,
    key_id: str,
    display: str,
    first: str,
    last: str,
    events: int,
) -> None:
    data = await gql(ENTITY, type=type_, id=ident)
    assert "errors" not in data, data
    e = data["data"]["entity"]
    assert e["__typename"] == typename
    assert (e["id"], e["key"]) == (key_id, f"{type_.lower()}:{key_id}")
    assert e["displayName"] == display
    assert (e["firstSeen"], e["lastSeen"], e["eventCount"]) == (first, last, events)
    assert e["accountId"] == c.ACCOUNT


async def test_kind_specific_fields(gql: GraphQLCall) -> None:
    session = (await gql(ENTITY, type="AWS_ROLE_SESSION", id=c.SESSION))["data"]["entity"]
    assert (session["sessionName"], session["rolePrincipalId"]) == (c.INSTANCE, c.ROLE_PRINCIPAL_ID)
    ip = (await gql(ENTITY, type="IP_ADDRESS", id=c.ALICE_IP))["data"]["entity"]
    assert (ip["country"], ip["city"], ip["asNumber"], ip["asOrganization"]) == (
        "US",
        "Ashburn",
        64500,
        "Example ISP",
    )
    c2 = (await gql(ENTITY, type="IP_ADDRESS", id=c.C2_IP))["data"]["entity"]
    assert (c2["country"], c2["asOrganization"]) == (None, None)  # no geolocated event
    f = (await gql(ENTITY, type="FINDING", id=c.FINDING_C2))["data"]["entity"]
    assert f["findingType"] == "Backdoor:EC2/C&CActivity.B"
    assert f["title"] == "Title of Backdoor:EC2/C&CActivity.B"
    assert f["severity"] == 73
    assert f["description"] == f"Backdoor:EC2/C&CActivity.B on {c.INSTANCE}"


async def test_roles_and_users_resolve_by_principal_id(gql: GraphQLCall) -> None:
    role = await gql(ENTITY, type="AWS_ROLE", id="AROAUNKNOWN12345")
    assert role["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    data = await gql(ENTITY, type="AWS_ROLE", id=c.ROLE_PRINCIPAL_ID)
    assert data["data"]["entity"]["key"] == f"aws_role:{c.ROLE_ARN}"


async def test_unknown_entity_is_not_found(gql: GraphQLCall) -> None:
    data = await gql(ENTITY, type="EC2_INSTANCE", id="i-0000000000")
    assert data["data"] is None
    (err,) = data["errors"]
    assert err["extensions"]["code"] == "NOT_FOUND"
    assert "i-0000000000" in err["message"]
    data = await gql(ENTITY, type="AWS_ROLE", id="no-such-role")
    assert data["errors"][0]["extensions"]["code"] == "NOT_FOUND"


SEARCH = """
query S($type: EntityType!, $text: String!, $first: Int!, $after: String) {
  search(type: $type, text: $text, first: $first, after: $after) {
    totalCount totalIsLowerBound
    pageInfo { hasNextPage endCursor }
    edges { cursor node { key displayName } }
    examples { key }
  }
}
"""


async def test_search_prefix_and_pages(gql: GraphQLCall) -> None:
    data = await gql(SEARCH, type="IP_ADDRESS", text="203.0.113.", first=1)
    s = data["data"]["search"]
    assert [e["node"]["key"] for e in s["edges"]] == [f"ip_address:{c.ALICE_IP}"]
    assert s["pageInfo"]["hasNextPage"] is True
    data = await gql(
        SEARCH, type="IP_ADDRESS", text="203.0.113.", first=5, after=s["pageInfo"]["endCursor"]
    )
    s2 = data["data"]["search"]
    assert [e["node"]["key"] for e in s2["edges"]] == [f"ip_address:{c.POOL_IP}"]
    assert (s2["pageInfo"]["hasNextPage"], s2["totalCount"]) == (False, 2)


async def test_search_role_by_name_and_session_by_name(gql: GraphQLCall) -> None:
    data = await gql(SEARCH, type="AWS_ROLE", text="web", first=10)
    assert [e["node"]["key"] for e in data["data"]["search"]["edges"]] == [f"aws_role:{c.ROLE_ARN}"]
    data = await gql(SEARCH, type="AWS_ROLE_SESSION", text="i-0abc", first=10)
    assert [e["node"]["displayName"] for e in data["data"]["search"]["edges"]] == [c.INSTANCE]


async def test_empty_search_offers_examples(gql: GraphQLCall) -> None:
    data = await gql(SEARCH, type="S3_BUCKET", text="nope", first=10)
    s = data["data"]["search"]
    assert (s["edges"], s["totalCount"]) == ([], 0)
    assert [e["key"] for e in s["examples"]] == ["s3_bucket:bucket-a", "s3_bucket:bucket-b"]


async def test_search_first_above_cap_is_limit_exceeded(gql: GraphQLCall) -> None:
    data = await gql(SEARCH, type="S3_BUCKET", text="", first=100_000)
    assert data["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_bad_cursor_is_invalid_argument(gql: GraphQLCall) -> None:
    data = await gql(SEARCH, type="S3_BUCKET", text="", first=1, after="garbage!!")
    assert data["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (EntityKind.EC2_INSTANCE, ""),
        (EntityKind.EC2_INSTANCE, c.INSTANCE[:5]),
        (EntityKind.IP_ADDRESS, "203.0.113."),
        (EntityKind.S3_BUCKET, "bucket"),
        (EntityKind.FINDING, ""),
        (EntityKind.AWS_ROLE, ""),
    ],
)
@pytest.mark.parametrize("size", [1, 50])
async def test_prefix_listing_equals_the_regexp_search(
    api_settings: Settings, kind: EntityKind, text: str, size: int
) -> None:
    """The terms-enum listing a plain prefix search uses gives the aggregation's answer."""
    assert api_settings.elasticsearch.url is not None
    client = AsyncElasticsearch(api_settings.elasticsearch.url, request_timeout=30)
    repo = EventRepository(client, api_settings.ingest.namespace)
    try:
        prefix = search_prefix(kind, text)
        assert prefix is not None
        listed = await repo.prefix_keys(prefix, size)
        aggregated = await repo.search_keys(search_patterns(kind, text), size)
    finally:
        await client.close()
    assert listed[0]
    assert listed == aggregated


async def test_existence_is_checked_near_the_scope_and_remembered_when_found(
    api_settings: Settings,
) -> None:
    assert api_settings.elasticsearch.url is not None
    client = AsyncElasticsearch(api_settings.elasticsearch.url, request_timeout=30)
    repo = EventRepository(client, api_settings.ingest.namespace)
    key = f"ec2_instance:{c.INSTANCE}"
    quiet = TimeWindow(datetime(2026, 2, 25, tzinfo=UTC), datetime(2026, 2, 26, tzinfo=UTC))
    try:
        # Not in the quiet day's (missing) indices, found in the rest of the namespace.
        assert await repo.exists(key, near=quiet)
        assert repo.wall_ms > 0
        repo.wall_ms = 0.0
        assert await repo.exists(key, near=quiet)
        assert repo.wall_ms == 0.0  # remembered: no request at all
        repo.requests = 0
        assert not await repo.exists("ec2_instance:i-nothere", near=quiet)
        assert repo.requests == 2  # the quiet day (no index: not widened), then everything
        repo.requests = 0
        assert not await repo.exists("ec2_instance:i-nothere", near=quiet)
        assert repo.requests == 2  # a miss is asked again
    finally:
        await client.close()
