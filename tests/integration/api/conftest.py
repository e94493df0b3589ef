"""Fixtures: the corpus loaded into a module namespace and an in-process HTTP client."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import httpx
import pytest
from elasticsearch import Elasticsearch

from tests.integration.api import corpus
from tests.integration.asgi import app_client
from trailhound.config import Settings

GraphQLCall = Callable[..., Coroutine[Any, Any, dict[str, Any]]]


@pytest.fixture(scope="module")
def corpus_namespace(es: Elasticsearch, namespace: str) -> str:
    """The module's namespace with the fixture corpus indexed."""
    corpus.load(es, namespace)
    return namespace


@pytest.fixture(scope="module")
def api_settings(settings: Settings, corpus_namespace: str) -> Settings:
    """Settings whose ingest namespace is the corpus namespace."""
    return dataclasses.replace(
        settings, ingest=dataclasses.replace(settings.ingest, namespace=corpus_namespace)
    )


@pytest.fixture
async def http(api_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the corpus namespace's app."""
    async with app_client(api_settings) as c:
        yield c


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLCall:
    """POST a GraphQL document; returns the decoded JSON body."""

    async def call(query: str, **variables: Any) -> dict[str, Any]:
        resp = await http.post("/graphql", json={"query": query, "variables": variables})
        assert resp.status_code == 200, resp.text
        body: dict[str, Any] = resp.json()
        return body

    return call


SCOPE = {"start": "2026-03-10T00:00:00Z", "end": "2026-03-11T00:00:00Z"}
