"""API keys: stored hashed, shown once; /graphql needs a valid key; roles; revocation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import strawberry
from elasticsearch import AsyncElasticsearch, Elasticsearch

from resolvers.services import build_services
from schema.context import new_context
from schema.errors import ErrorCodes, mask_errors
from schema.permissions import IsAdmin
from tests.integration.asgi import app_client
from trailhound import apikeys
from trailhound.config import Settings
from trailhound.errors import InvalidArgumentError, NotFoundError

pytestmark = pytest.mark.es

QUERY = {"query": "{ search(type: S3_BUCKET) { totalCount } }"}


@pytest.fixture
def keys_index(corpus_namespace: str) -> str:
    """A key store private to this module (dropped with the namespace)."""
    return f"trailhound-apikeys-{corpus_namespace}"


@pytest.fixture
async def secured(api_settings: Settings, keys_index: str) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(api_settings, api_keys_index=keys_index) as http:
        yield http


def test_keys_are_stored_hashed_and_listed_without_secrets(
    es: Elasticsearch, keys_index: str
) -> None:
    created = apikeys.create_key(es, "reader", "ci", index=keys_index)
    secret = created.token.split("_", 2)[2]
    stored = es.get(index=keys_index, id=created.key.key_id)["_source"]
    assert secret not in str(stored)
    assert stored["hash"] != secret
    assert len(stored["hash"]) == 64
    listed = {k.key_id: k for k in apikeys.list_keys(es, index=keys_index)}
    assert listed[created.key.key_id].role == "reader"
    assert listed[created.key.key_id].name == "ci"
    with pytest.raises(InvalidArgumentError):
        apikeys.create_key(es, "root", index=keys_index)


async def test_requests_need_a_valid_key(
    secured: httpx.AsyncClient, es: Elasticsearch, keys_index: str
) -> None:
    created = apikeys.create_key(es, "reader", index=keys_index)
    ok = await secured.post(
        "/graphql", json=QUERY, headers={"Authorization": f"ApiKey {created.token}"}
    )
    assert ok.status_code == 200
    assert ok.json()["data"]["search"]["totalCount"] == 2
    forged = created.token[:-4] + "AAAA"
    for headers in (
        {},
        {"Authorization": "ApiKey nonsense"},
        {"Authorization": f"ApiKey {forged}"},
        {"Authorization": f"Bearer {created.token}"},
    ):
        resp = await secured.post("/graphql", json=QUERY, headers=headers)
        assert resp.status_code == 401
        assert resp.json() == {
            "errors": [{"message": "Unauthorized", "extensions": {"code": "UNAUTHENTICATED"}}]
        }
    assert (await secured.get("/healthz")).status_code == 200


async def test_revoked_keys_are_refused(
    secured: httpx.AsyncClient, es: Elasticsearch, keys_index: str
) -> None:
    created = apikeys.create_key(es, "admin", index=keys_index)
    apikeys.revoke_key(es, created.key.key_id, index=keys_index)
    resp = await secured.post(
        "/graphql", json=QUERY, headers={"Authorization": f"ApiKey {created.token}"}
    )
    assert resp.status_code == 401
    with pytest.raises(NotFoundError):
        apikeys.revoke_key(es, "0" * 16, index=keys_index)


@strawberry.type
class _Q:
    @strawberry.field
    def ping(self) -> int:
        return 1


@strawberry.type
class _M:
    @strawberry.mutation(permission_classes=[IsAdmin])
    def reset(self) -> int:
        return 1


async def test_mutations_need_the_admin_role(api_settings: Settings) -> None:
    assert api_settings.elasticsearch.url is not None
    client = AsyncElasticsearch(api_settings.elasticsearch.url)
    services = build_services(client, api_settings)
    schema = strawberry.Schema(_Q, mutation=_M, extensions=[ErrorCodes, mask_errors])
    reader = await schema.execute(
        "mutation { reset }", context_value=new_context(services, "reader")
    )
    assert reader.errors is not None
    assert reader.errors[0].extensions == {"code": "FORBIDDEN"}
    admin = await schema.execute("mutation { reset }", context_value=new_context(services, "admin"))
    assert admin.errors is None
    assert admin.data == {"reset": 1}
    await client.close()
