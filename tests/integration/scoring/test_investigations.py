"""Investigations stored in Elasticsearch, run by a bounded pool; finding groups over the corpus."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection
from datetime import timedelta

import pytest
import pytest_asyncio
from elasticsearch import AsyncElasticsearch, Elasticsearch, helpers

from resolvers.repository import EventRepository
from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.finding_group_service import FindingGroupService, GroupFilter
from resolvers.scoring.investigations import (
    InvestigationFilter,
    InvestigationService,
    SortField,
    State,
    Status,
)
from resolvers.scoring.model import (
    AnomalyScore,
    IndicatorType,
    RelatedFindingGroup,
    Severity,
    Window,
)
from tests.integration.scoring import corpus
from tests.integration.scoring.corpus import ALICE, ALICE_KEY, INSTANCE, SESSION, WINDOW
from trailhound.config import Settings
from trailhound.ecs.entities import EntityRef
from trailhound.ecs.indices import event_index
from trailhound.errors import InvalidEntityError, LimitExceededError, NotFoundError

pytestmark = pytest.mark.es


@pytest.fixture(scope="module")
def with_group(es: Elasticsearch, loaded: str) -> str:
    """A second finding on alice's key one hour after the first: one group of two."""
    second = corpus.finding("f2", corpus.SCOPE_START + timedelta(hours=11, minutes=40))
    src = second["_source"]
    src["trailhound"]["finding"] = "finding:gd-2"
    src["related"]["entity"] = ["finding:gd-2", ALICE_KEY]
    src["event"]["severity"], src["event"]["risk_score"] = 99, 95.0
    src["rule"]["name"] = "Impact:IAMUser/AnomalousBehavior"
    src["threat"] = {"tactic": {"name": "Impact"}}
    other = corpus.finding("f3", corpus.SCOPE_START + timedelta(hours=2))
    other["_source"]["trailhound"]["finding"] = "finding:gd-3"
    other["_source"]["related"]["entity"] = ["finding:gd-3", INSTANCE]
    other["_source"]["event"]["severity"] = 47
    docs = []
    for d in (second, other):
        d.pop("_dataset")
        docs.append({**d, "_index": event_index("aws.guardduty", loaded, corpus.SCOPE_START)})
    helpers.bulk(es, docs, refresh="wait_for")
    return loaded


@pytest_asyncio.fixture(scope="module")
async def client(settings: Settings) -> AsyncIterator[AsyncElasticsearch]:
    assert settings.elasticsearch.url is not None
    c = AsyncElasticsearch(settings.elasticsearch.url, request_timeout=30)
    yield c
    await c.close()


@pytest.fixture(scope="module")
def groups(repo: EventRepository, with_group: str) -> FindingGroupService:
    return FindingGroupService(repo)


async def test_finding_groups_over_the_corpus(groups: FindingGroupService) -> None:
    found = await groups.groups((WINDOW.scope_start, WINDOW.scope_end))
    assert [(len(g.findings), g.severity) for g in found] == [
        (2, Severity.CRITICAL),
        (1, Severity.MEDIUM),
    ]
    g = found[0]
    assert [f.key for f in g.findings] == ["finding:gd-1", "finding:gd-2"]
    assert g.shared == (ALICE_KEY,)
    assert g.title == "Group with: TTP (1), Effect (1)"
    assert g.tactics == ("Impact",)
    assert ALICE in g.entities
    assert (await groups.group(g.id)).findings == g.findings
    assert [
        x.id for x in await groups.groups(flt=GroupFilter(severities=frozenset({Severity.MEDIUM})))
    ] == [found[1].id]
    assert [x.id for x in await groups.groups(flt=GroupFilter(entity=INSTANCE))] == [found[1].id]
    assert await groups.groups((WINDOW.baseline_start, WINDOW.scope_start)) == []
    with pytest.raises(NotFoundError):
        await groups.group("fg-0000000000000000")


async def test_engine_adds_related_finding_group(
    engine: ScoringEngine, groups: FindingGroupService
) -> None:
    eng = ScoringEngine(
        repo=engine.repo, analytics=engine.analytics, intel=engine.intel, groups=groups.for_entity
    )
    found = await eng.indicators(
        EntityRef.parse(ALICE), WINDOW, {IndicatorType.RELATED_FINDING_GROUP}
    )
    assert len(found) == 1
    d = found[0].detail
    assert isinstance(d, RelatedFindingGroup)
    assert (d.severity, d.title, found[0].risk, found[0].evidence.scope_count) == (
        Severity.CRITICAL,
        "Group with: TTP (1), Effect (1)",
        47.5,
        2,
    )


class _Counting(ScoringEngine):
    active = 0
    peak = 0

    async def score(
        self, entity: EntityRef, window: Window, types: Collection[IndicatorType] | None = None
    ) -> AnomalyScore:
        type(self).active += 1
        type(self).peak = max(type(self).peak, type(self).active)
        try:
            await asyncio.sleep(0.05)
            return await ScoringEngine.score(self, entity, window, types)
        finally:
            type(self).active -= 1


async def test_investigation_lifecycle(
    client: AsyncElasticsearch, engine: ScoringEngine, loaded: str
) -> None:
    service = InvestigationService(client, loaded, engine, workers=2)
    try:
        inv_id = await service.start(EntityRef.parse(ALICE), WINDOW)
        assert len(inv_id) == 21
        assert inv_id.isdigit()
        await service.drain()
        inv = await service.get(inv_id)
        assert (inv.status, inv.state, inv.severity) == (
            Status.SUCCESSFUL,
            State.ACTIVE,
            Severity.CRITICAL,
        )
        assert inv.window == WINDOW
        assert inv.score is not None
        assert inv.score >= 55
        types = {i.type for i in inv.indicators}
        assert {
            IndicatorType.IMPOSSIBLE_TRAVEL,
            IndicatorType.TTP_OBSERVED,
            IndicatorType.RELATED_FINDING,
        } <= types
        travel = inv.indicators_of([IndicatorType.IMPOSSIBLE_TRAVEL])
        assert [i.detail.ending_location for i in travel] == ["New York, US"]  # type: ignore[union-attr]
        assert travel[0].evidence.query["size"] == 0  # the stored evidence still reproduces

        session_id = await service.start(EntityRef.parse(SESSION), WINDOW)
        instance_id = await service.start(EntityRef.parse(INSTANCE), WINDOW)
        await service.drain()

        archived = await service.update_state(session_id, State.ARCHIVED)
        assert archived.state is State.ARCHIVED
        page = await service.list(
            InvestigationFilter(states=frozenset({State.ACTIVE})), SortField.SEVERITY
        )
        assert [i.id for i in page.items] == [inv_id, instance_id]
        assert page.next_cursor is None
        first = await service.list(sort=SortField.CREATED_TIME, descending=False, first=1)
        assert [i.id for i in first.items] == [inv_id]
        assert first.next_cursor is not None
        second = await service.list(
            sort=SortField.CREATED_TIME, descending=False, first=1, after=first.next_cursor
        )
        assert [i.id for i in second.items] == [session_id]
        by_entity = await service.list(InvestigationFilter(entity=INSTANCE))
        assert [i.id for i in by_entity.items] == [instance_id]
        high = await service.list(InvestigationFilter(severities=frozenset({Severity.HIGH})))
        assert [i.id for i in high.items] == [instance_id]
        # the session inherits the medium finding on its instance (gd-3): MEDIUM
        medium = await service.list(InvestigationFilter(severities=frozenset({Severity.MEDIUM})))
        assert [i.id for i in medium.items] == [session_id]
        session = await service.get(session_id)
        assert IndicatorType.RELATED_FINDING in {i.type for i in session.indicators}

        with pytest.raises(InvalidEntityError):
            await service.start(EntityRef.parse("s3_bucket:data"), WINDOW)
        with pytest.raises(NotFoundError):
            await service.get("0" * 21)
        with pytest.raises(LimitExceededError):
            await service.list(first=101)
    finally:
        await service.close()


async def test_pool_bounds_concurrency(
    client: AsyncElasticsearch, engine: ScoringEngine, loaded: str
) -> None:
    counting = _Counting(repo=engine.repo, analytics=engine.analytics, intel=engine.intel)
    service = InvestigationService(client, loaded, counting, workers=2)
    try:
        ids = await asyncio.gather(
            *(service.start(EntityRef.parse(SESSION), WINDOW) for _ in range(6))
        )
        await service.drain()
        assert _Counting.peak == 2
        statuses = {(await service.get(i)).status for i in ids}
        assert statuses == {Status.SUCCESSFUL}
    finally:
        await service.close()


async def test_full_queue_refuses(
    client: AsyncElasticsearch, engine: ScoringEngine, loaded: str
) -> None:
    gate = asyncio.Event()

    class Blocked(ScoringEngine):
        async def score(
            self, entity: EntityRef, window: Window, types: Collection[IndicatorType] | None = None
        ) -> AnomalyScore:
            await gate.wait()
            return await ScoringEngine.score(self, entity, window, types)

    blocked = Blocked(repo=engine.repo, analytics=engine.analytics, intel=engine.intel)
    service = InvestigationService(client, loaded, blocked, workers=1, queue_limit=2)
    accepted, refused = 0, 0
    try:
        for _ in range(5):
            try:
                await service.start(EntityRef.parse(SESSION), WINDOW)
                accepted += 1
            except LimitExceededError:
                refused += 1
        assert accepted <= 3
        assert refused >= 2
        gate.set()
        await service.drain()
    finally:
        await service.close()


async def test_failed_investigation_is_recorded(
    client: AsyncElasticsearch, engine: ScoringEngine, loaded: str
) -> None:
    class Broken(ScoringEngine):
        async def score(
            self, entity: EntityRef, window: Window, types: Collection[IndicatorType] | None = None
        ) -> AnomalyScore:
            raise RuntimeError("boom")

    service = InvestigationService(
        client, loaded, Broken(repo=engine.repo, analytics=engine.analytics)
    )
    try:
        inv_id = await service.start(EntityRef.parse(ALICE), WINDOW)
        await service.drain()
        inv = await service.get(inv_id)
        assert (inv.status, inv.error, inv.severity) == (Status.FAILED, "boom", None)
    finally:
        await service.close()
