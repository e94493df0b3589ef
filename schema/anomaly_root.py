"""Root fields of anomaly scoring, investigations and finding groups; entity field resolvers.

Registered through ``schema.extension_points`` (this module is one of its
``PLUGIN_MODULES``); ``EntityExtension`` calls :func:`entity_anomaly` and
:func:`entity_finding_groups` for the per-entity fields.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

import strawberry

from resolvers.limits import check_limit
from resolvers.scoring import investigations as inv
from resolvers.scoring.finding_group_service import GroupFilter
from resolvers.scoring.service import ScoringServices, scoring_for, window_of
from schema import extension_points
from schema.anomaly import AnomalyScore, IndicatorType, Severity
from schema.anomaly_objects import (
    FindingGroup,
    FindingGroupConnection,
    FindingGroupEdge,
    Investigation,
    InvestigationConnection,
    InvestigationSortField,
    InvestigationState,
    InvestigationStatus,
    NeighborRank,
    SortOrder,
)
from schema.context import Info
from schema.described import described
from schema.inputs import EntityInput, ScopeInput, to_scope
from schema.permissions import IsAdmin
from schema.timeline import PageInfo
from trailhound.errors import InvalidScopeError

__all__ = ["entity_anomaly", "entity_finding_groups"]

MAX_GROUPS_PAGE = 100
_F = TypeVar("_F", bound=Callable[..., Any])


def _scoring(info: Info) -> ScoringServices:
    return scoring_for(info.context.services)


def _scope(info: Info, scope: ScopeInput | None):  # type: ignore[no-untyped-def]
    ctx = info.context
    return to_scope(
        scope, now=ctx.now, default_baseline_days=ctx.services.settings.analytics.baseline_days
    )


async def entity_anomaly(
    entity: object,
    info: Info,
    scope: ScopeInput | None,
    types: list[IndicatorType] | None,
) -> AnomalyScore | None:
    """``Entity.anomaly``: the entity's score over the scope."""
    ref = getattr(entity, "ref", None)
    if ref is None:
        return None
    window = window_of(_scope(info, scope))
    score = await _scoring(info).engine.score(ref, window, set(types) if types else None)
    return AnomalyScore.from_domain(score)


async def entity_finding_groups(
    entity: object, info: Info, scope: ScopeInput | None
) -> list[FindingGroup]:
    """``Entity.findingGroups``: groups involving the entity that are active in the scope."""
    ref = getattr(entity, "ref", None)
    if ref is None:
        return []
    s = _scope(info, scope)
    groups = await _scoring(info).groups.groups(
        (s.window.start, s.window.end), GroupFilter(entity=ref.key)
    )
    return [FindingGroup.from_domain(g) for g in groups]


@strawberry.input(description="ListInvestigations filter criteria (all optional, ANDed).")
class InvestigationFilterInput:
    severities: list[Severity] | None = None
    statuses: list[InvestigationStatus] | None = None
    states: list[InvestigationState] | None = None
    entity: EntityInput | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


@strawberry.input
class FindingGroupFilterInput:
    severities: list[Severity] | None = None
    entity: EntityInput | None = None


def _offset(after: str | None) -> int:
    if after is None:
        return 0
    try:
        return int(base64.urlsafe_b64decode(after.encode()).decode().removeprefix("fg:"))
    except ValueError as exc:
        raise InvalidScopeError(f"invalid cursor {after!r}") from exc


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"fg:{offset}".encode()).decode()


@strawberry.type
class AnomalyQuery:
    @described("A stored investigation by id.")
    async def investigation(self, info: Info, id: str) -> Investigation:
        return Investigation.from_domain(await _scoring(info).investigations.get(id))

    @described("Investigations, filtered and sorted (Detective ListInvestigations).")
    async def investigations(
        self,
        info: Info,
        filter: InvestigationFilterInput | None = None,
        sort_field: InvestigationSortField = inv.SortField.CREATED_TIME,
        sort_order: SortOrder = SortOrder.DESC,
        first: int = 20,
        after: str | None = None,
    ) -> InvestigationConnection:
        check_limit("first", first, inv.MAX_PAGE)
        f = filter or InvestigationFilterInput()
        entity_key = None
        if f.entity is not None:
            ref = await info.context.services.entities.resolve(f.entity.kind(), f.entity.id)
            entity_key = ref.key
        flt = inv.InvestigationFilter(
            severities=frozenset(f.severities or ()),
            statuses=frozenset(f.statuses or ()),
            states=frozenset(f.states or ()),
            entity=entity_key,
            created_from=f.created_from,
            created_to=f.created_to,
        )
        page = await _scoring(info).investigations.list(
            flt, sort_field, sort_order is SortOrder.DESC, first, after
        )
        return InvestigationConnection(
            nodes=[Investigation.from_domain(i) for i in page.items],
            page_info=PageInfo(
                has_next_page=page.next_cursor is not None, end_cursor=page.next_cursor
            ),
        )

    @described("Finding groups active in the scope (severity first).")
    async def finding_groups(
        self,
        info: Info,
        scope: ScopeInput | None = None,
        filter: FindingGroupFilterInput | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> FindingGroupConnection:
        check_limit("first", first, MAX_GROUPS_PAGE)
        s = _scope(info, scope)
        f = filter or FindingGroupFilterInput()
        entity_key = None
        if f.entity is not None:
            ref = await info.context.services.entities.resolve(f.entity.kind(), f.entity.id)
            entity_key = ref.key
        groups = await _scoring(info).groups.groups(
            (s.window.start, s.window.end),
            GroupFilter(severities=frozenset(f.severities or ()), entity=entity_key),
        )
        start = _offset(after)
        chunk = groups[start : start + first]
        edges = [
            FindingGroupEdge(cursor=_cursor(start + i + 1), node=FindingGroup.from_domain(g))
            for i, g in enumerate(chunk)
        ]
        return FindingGroupConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=start + first < len(groups),
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=len(groups),
        )

    @described("One finding group by id.")
    async def finding_group(self, info: Info, id: str) -> FindingGroup:
        return FindingGroup.from_domain(await _scoring(info).groups.group(id))

    @described(
        "Neighborhood nodes ranked by anomaly score propagated over the edges "
        "(NoDoze-style: each node inherits 0.3^hops of its neighbors' scores; at most 25 nodes)."
    )
    async def anomaly_ranking(
        self,
        info: Info,
        entity: EntityInput,
        scope: ScopeInput | None = None,
        hops: int = 1,
        limit: int = 25,
    ) -> list[NeighborRank]:
        check_limit("limit", limit, 25)
        s = _scope(info, scope)
        services = info.context.services
        ref = await services.entities.resolve(entity.kind(), entity.id)
        hood = await services.neighborhoods.neighborhood(ref, s, hops=hops)
        ranked = await _scoring(info).rank_neighborhood(hood, window_of(s), limit)
        return [NeighborRank.from_domain(n) for n in ranked]


def _admin_field(description: str) -> Callable[[_F], _F]:
    return cast(
        "Callable[[_F], _F]",
        strawberry.field(description=description, permission_classes=[IsAdmin]),
    )


@strawberry.type
class AnomalyMutation:
    @described("Start an investigation of a principal or EC2 instance; returns its id.")
    async def start_investigation(
        self, info: Info, entity: EntityInput, scope: ScopeInput | None = None
    ) -> str:
        s = _scope(info, scope)
        ref = await info.context.services.entities.resolve(entity.kind(), entity.id)
        return await _scoring(info).investigations.start(ref, window_of(s))

    @_admin_field("Archive (or re-activate) an investigation (admin keys only).")
    async def update_investigation_state(
        self,
        info: Info,
        id: str,
        state: InvestigationState,
    ) -> Investigation:
        return Investigation.from_domain(
            await _scoring(info).investigations.update_state(id, state)
        )


extension_points.QUERY_TYPES.append(AnomalyQuery)
extension_points.MUTATION_TYPES.append(AnomalyMutation)
