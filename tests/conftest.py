"""Session fixtures: the real local Elasticsearch node every storage test uses.

The ``test`` instance of the project's own local node is started (or reused)
once per session.  pytest-elasticsearch's ``elasticsearch_noproc`` fixture
points at it; its process factory would run ES as the current user, which
fails as root, and its client factory wipes every index after each test,
which would also wipe concurrently running suites and module-scoped corpora.
So each test module gets its own ECS *namespace* and only that namespace's
indices are deleted.  If the node cannot start the run fails: nothing skips.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch
from pytest_elasticsearch import factories

from trailhound.config import Settings
from trailhound.es import node

TEST_PORT = int(os.environ.get("TRAILHOUND_TEST_ES_PORT", "9201"))
EXTERNAL_URL = os.environ.get("TRAILHOUND_TEST_ELASTICSEARCH_URL")

elasticsearch_noproc = factories.elasticsearch_noproc(host="127.0.0.1", port=TEST_PORT)


def _test_settings() -> Settings:
    base = Settings.load(
        env={k: v for k, v in os.environ.items() if not k.startswith("ELASTICSEARCH_")}
    )
    es = dataclasses.replace(
        base.elasticsearch, url=EXTERNAL_URL or f"http://127.0.0.1:{TEST_PORT}"
    )
    local = dataclasses.replace(base.local_node, instance="test", port=TEST_PORT)
    return dataclasses.replace(base, elasticsearch=es, local_node=local)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings pointing at the test node."""
    return _test_settings()


@pytest.fixture(scope="session")
def es_node(settings: Settings, elasticsearch_noproc: object) -> node.NodeStatus | None:
    """Start or reuse the test instance; raising here fails every storage test."""
    if EXTERNAL_URL:
        return None
    return node.start(settings.local_node)


@pytest.fixture(scope="session")
def es(es_node: node.NodeStatus | None, settings: Settings) -> Iterator[Elasticsearch]:
    """A blocking client on the test node."""
    assert settings.elasticsearch.url is not None
    client = Elasticsearch(settings.elasticsearch.url, request_timeout=60)
    assert client.cluster.health(wait_for_status="yellow", timeout="30s")["status"] in (
        "green",
        "yellow",
    )
    yield client
    client.close()


def _drop_namespace(client: Elasticsearch, namespace: str) -> None:
    client.options(ignore_status=404).indices.delete(
        index=f"*-{namespace}-*,*-{namespace}", expand_wildcards="all"
    )
    client.options(ignore_status=404).indices.delete_index_template(name=f"*-{namespace}")


@pytest.fixture(scope="module")
def namespace(es: Elasticsearch) -> Iterator[str]:
    """A fresh ECS namespace for one test module, dropped afterwards."""
    ns = f"t{uuid.uuid4().hex[:10]}"
    yield ns
    _drop_namespace(es, ns)


@pytest.fixture
def fresh_namespace(es: Elasticsearch) -> Iterator[str]:
    """A fresh ECS namespace for one test, dropped afterwards."""
    ns = f"t{uuid.uuid4().hex[:10]}"
    yield ns
    _drop_namespace(es, ns)
