"""Score one entity: resolve its subject, run every indicator, combine.

Indicators run concurrently for one entity but never more than
``MAX_PARALLEL_QUERIES`` at a time, so one score cannot flood the search pool
(the OpenSearch lesson, peers.md §5).  Finding groups, when given, add
RELATED_FINDING_GROUP.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field

from resolvers.scope import TimeWindow
from resolvers.scoring.combine import METHOD, combine
from resolvers.scoring.context import IndicatorContext, Searcher, WindowedSearcher
from resolvers.scoring.indicators import REGISTRY, Compute
from resolvers.scoring.model import (
    AnomalyScore,
    Indicator,
    IndicatorType,
    RelatedFindingGroup,
    Severity,
    Window,
)
from resolvers.scoring.subject import build_subject_query, parse_subject
from resolvers.scoring.threat_intel import ThreatIntel
from trailhound.config import AnalyticsSettings
from trailhound.ecs.entities import EntityRef

MAX_PARALLEL_QUERIES = 4
# Half a group's severity: its findings already count as RELATED_FINDING.
GROUP_RISK_FACTOR = 0.5


@dataclass(frozen=True, slots=True)
class GroupRef:
    """What the engine needs to know of a finding group the entity belongs to."""

    id: str
    title: str
    severity: Severity
    risk: float
    member_count: int


GroupLookup = Callable[[EntityRef, Window], Awaitable[Sequence[GroupRef]]]


@dataclass(slots=True)
class ScoringEngine:
    """Computes :class:`AnomalyScore` values over one repository."""

    repo: Searcher
    analytics: AnalyticsSettings
    intel: ThreatIntel = field(default_factory=ThreatIntel)
    groups: GroupLookup | None = None
    registry: dict[IndicatorType, Compute] = field(default_factory=lambda: dict(REGISTRY))
    _gate: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(MAX_PARALLEL_QUERIES)
    )

    async def context(self, entity: EntityRef, window: Window) -> IndicatorContext:
        """The indicator context of one entity (one request resolves its subject)."""
        days = WindowedSearcher(self.repo, TimeWindow(window.baseline_start, window.scope_end))
        resp = await days.search(build_subject_query(entity, window))
        subject = parse_subject(entity, dict(resp))
        return IndicatorContext(
            repo=days,
            window=window,
            subject=subject,
            analytics=self.analytics,
            intel=self.intel,
        )

    async def indicators(
        self,
        entity: EntityRef,
        window: Window,
        types: Collection[IndicatorType] | None = None,
    ) -> list[Indicator]:
        """Every indicator (or those of ``types``) of one entity, in registry order."""
        ctx = await self.context(entity, window)
        chosen = [t for t in self.registry if types is None or t in types]

        async def run(kind: IndicatorType) -> list[Indicator]:
            async with self._gate:
                return await self.registry[kind](ctx)

        results = await asyncio.gather(*(run(t) for t in chosen))
        found = [ind for group in results for ind in group]
        if self.groups is not None and (
            types is None or IndicatorType.RELATED_FINDING_GROUP in types
        ):
            found += await self._group_indicators(ctx)
        return found

    async def score(
        self,
        entity: EntityRef,
        window: Window,
        types: Collection[IndicatorType] | None = None,
    ) -> AnomalyScore:
        """The combined score of one entity."""
        found = await self.indicators(entity, window, types)
        value, severity, contributions = combine(found)
        return AnomalyScore(
            entity=entity,
            window=window,
            score=value,
            severity=severity,
            indicators=tuple(c.indicator for c in contributions),
            contributions=contributions,
            method=METHOD,
        )

    async def _group_indicators(self, ctx: IndicatorContext) -> list[Indicator]:
        assert self.groups is not None
        out = []
        for g in await self.groups(ctx.subject.entity, ctx.window):
            out.append(
                Indicator(
                    type=IndicatorType.RELATED_FINDING_GROUP,
                    entity=ctx.subject.entity,
                    detail=RelatedFindingGroup(id=g.id, title=g.title, severity=g.severity),
                    risk=round(g.risk * GROUP_RISK_FACTOR, 2),
                    summary=f"member of finding group {g.title}",
                    evidence=ctx.evidence(
                        measure="findings in the group",
                        scope_count=g.member_count,
                        baseline_count=0,
                        query={"finding_group": g.id},
                    ),
                )
            )
        return out
