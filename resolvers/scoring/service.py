"""The scoring services one server uses, built once per :class:`resolvers.services.Services`.

The investigation worker pool must outlive a request, so the bundle is cached
per ``Services`` object (one per server or test app) by :func:`scoring_for`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch

from resolvers.domain import Neighborhood
from resolvers.repository import EventRepository
from resolvers.scope import Scope
from resolvers.scoring.engine import ScoringEngine
from resolvers.scoring.finding_group_service import FindingGroupService
from resolvers.scoring.investigations import InvestigationService
from resolvers.scoring.model import AnomalyScore, Window
from resolvers.scoring.propagation import Propagated, propagate
from resolvers.scoring.threat_intel import load_feeds
from resolvers.services import Services
from trailhound.config import AnalyticsSettings
from trailhound.ecs.entities import EntityRef

MAX_RANKED_NODES = 25

_CACHE: dict[int, tuple[Services, ScoringServices]] = {}


def window_of(scope: Scope) -> Window:
    """The scoring window of a validated API scope."""
    return Window(
        scope_start=scope.window.start,
        scope_end=scope.window.end,
        baseline_start=scope.baseline.start,
        baseline_end=scope.baseline.end,
    )


@dataclass(frozen=True, slots=True)
class RankedNode:
    """A neighborhood node's own score, its propagated score and who raised it."""

    ref: EntityRef
    score: AnomalyScore
    propagated: Propagated[EntityRef]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoringServices:
    """Engine, finding groups and investigations over one namespace."""

    engine: ScoringEngine
    groups: FindingGroupService
    investigations: InvestigationService

    async def rank_neighborhood(
        self, hood: Neighborhood, window: Window, limit: int = MAX_RANKED_NODES
    ) -> list[RankedNode]:
        """Score the nearest ``limit`` entity nodes and propagate over the hood's edges."""
        refs = [n for n in hood.nodes if isinstance(n, EntityRef)]
        refs.sort(key=lambda r: (hood.distances.get(r.key, 9), r.key))
        chosen = refs[:limit]
        scores = await asyncio.gather(*(self.engine.score(r, window) for r in chosen))
        base = {r: s.score for r, s in zip(chosen, scores, strict=True)}
        edges = [
            (e.source, e.target, 1.0)
            for e in hood.edges
            if isinstance(e.source, EntityRef)
            and isinstance(e.target, EntityRef)
            and e.source in base
            and e.target in base
        ]
        spread = propagate(base, edges, hops=min(max(hood.hops, 1), 2))
        ranked = [RankedNode(r, s, spread[r]) for r, s in zip(chosen, scores, strict=True)]
        return sorted(ranked, key=lambda n: (-n.propagated.score, n.ref.key))


def scoring_engine(
    repo: EventRepository, analytics: AnalyticsSettings
) -> tuple[ScoringEngine, FindingGroupService]:
    """The engine over ``repo`` with the configured threat intel and finding groups
    (also what the detection-quality benchmark scores with)."""
    groups = FindingGroupService(repo)
    engine = ScoringEngine(
        repo=repo,
        analytics=analytics,
        intel=load_feeds(list(analytics.threat_intel_feeds)),
        groups=groups.for_entity,
    )
    return engine, groups


def build_scoring(
    services: Services, client: AsyncElasticsearch, repo: EventRepository
) -> ScoringServices:
    """Wire the scoring services over the API's repository and client."""
    analytics = services.settings.analytics
    engine, groups = scoring_engine(repo, analytics)
    investigations = InvestigationService(
        client, repo.namespace, engine, workers=analytics.investigation_workers
    )
    return ScoringServices(engine=engine, groups=groups, investigations=investigations)


def scoring_for(services: Services) -> ScoringServices:
    """The cached scoring bundle of one ``Services`` object."""
    cached = _CACHE.get(id(services))
    if cached is not None and cached[0] is services:
        return cached[1]
    repo = services.repository
    bundle = build_scoring(services, repo.client, repo)
    _CACHE[id(services)] = (services, bundle)
    return bundle


async def close_scoring(services: Services) -> None:
    """Stop the investigation workers of ``services``' bundle, if one was ever built."""
    cached = _CACHE.pop(id(services), None)
    if cached is not None and cached[0] is services:
        await cached[1].investigations.close()
