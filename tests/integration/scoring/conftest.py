from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from elasticsearch import AsyncElasticsearch, Elasticsearch

from resolvers.repository import EventRepository
from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.threat_intel import ThreatIntel, parse_plain
from tests.integration.scoring import corpus
from trailhound.config import AnalyticsSettings, Settings


@pytest.fixture(scope="module")
def loaded(es: Elasticsearch, namespace: str) -> str:
    assert corpus.load(es, namespace) == 482
    return namespace


@pytest_asyncio.fixture(scope="module")
async def repo(settings: Settings, loaded: str) -> AsyncIterator[EventRepository]:
    assert settings.elasticsearch.url is not None
    client = AsyncElasticsearch(settings.elasticsearch.url, request_timeout=30)
    yield EventRepository(client, loaded)
    await client.close()


@pytest.fixture(scope="module")
def intel() -> ThreatIntel:
    return ThreatIntel((parse_plain("example-abuse", "203.0.113.0/24\n185.220.101.7\n"),))


@pytest.fixture(scope="module")
def engine(repo: EventRepository, intel: ThreatIntel) -> ScoringEngine:
    return ScoringEngine(repo=repo, analytics=AnalyticsSettings(), intel=intel)


@pytest.fixture(scope="module")
def feed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feeds")
