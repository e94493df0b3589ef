"""What every indicator function receives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from resolvers.scope import TimeWindow
from resolvers.scoring.model import Evidence, Window
from resolvers.scoring.subject import Subject
from resolvers.scoring.threat_intel import ThreatIntel
from trailhound.config import AnalyticsSettings


class Searcher(Protocol):
    """The one read call indicators need (``resolvers.repository.EventRepository``)."""

    @property
    def index(self) -> str:
        """The namespace's index pattern (recorded in evidence)."""
        ...

    async def search(
        self, body: Mapping[str, Any], *, window: TimeWindow | None = None
    ) -> Mapping[str, Any]:
        """Run one search over the namespace's event indices (``window``: only its days')."""
        ...


@dataclass(frozen=True, slots=True)
class WindowedSearcher:
    """A :class:`Searcher` that reads only the daily indices of baseline + scope.

    Every indicator query is bounded by the baseline start and the scope end,
    so other days' shards can only say "nothing here": with a year of
    retention that is ~300 shards per query that need not be asked.
    """

    repo: Searcher
    window: TimeWindow

    @property
    def index(self) -> str:
        return self.repo.index

    async def search(
        self, body: Mapping[str, Any], *, window: TimeWindow | None = None
    ) -> Mapping[str, Any]:
        return await self.repo.search(body, window=window or self.window)


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorContext:
    """The repository, the windows, the subject, settings and threat intel."""

    repo: Searcher
    window: Window
    subject: Subject
    analytics: AnalyticsSettings
    intel: ThreatIntel = field(default_factory=ThreatIntel)

    def evidence(
        self,
        *,
        measure: str,
        scope_count: float,
        baseline_count: float,
        query: Mapping[str, Any],
        document_ids: tuple[str, ...] = (),
        extra: Mapping[str, float] | None = None,
    ) -> Evidence:
        """Evidence over this context's window; the baseline rate is per hour."""
        hours = self.window.baseline_hours or 1.0
        return Evidence(
            measure=measure,
            scope_count=scope_count,
            baseline_count=baseline_count,
            baseline_rate=round(baseline_count / hours, 6),
            window=self.window,
            index=self.repo.index,
            query=query,
            document_ids=document_ids,
            extra=dict(extra or {}),
        )
