"""The core root ``Query``: each resolver converts input, calls one service, converts output."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import strawberry

from resolvers.limits import check_limit
from resolvers.scope import Scope
from schema.context import Info
from schema.described import described
from schema.entity import Entity, entity_from_ref
from schema.enums import EdgeType, EntityType, TimelineKind, to_edge_types, to_kind
from schema.graph import Neighborhood
from schema.inputs import EntityInput, ScopeInput, to_scope
from schema.profile import PANEL_FIELDS, Profile
from schema.search import EntityConnection
from schema.timeline import TimelineConnection
from trailhound.ecs.entities import EntityRef
from trailhound.errors import NotFoundError

__all__ = ["CoreQuery"]

T = TypeVar("T")


def _scope_of(info: Info, scope: ScopeInput | None) -> Scope:
    ctx = info.context
    return to_scope(
        scope, now=ctx.now, default_baseline_days=ctx.services.settings.analytics.baseline_days
    )


async def _must_exist(info: Info, ref: EntityRef, scope: Scope) -> None:
    # Not the details DataLoader: aggregating all of an entity's events for its
    # details costs ~80 ms uncached at 1M events, an existence check 1-8 ms.
    if not await info.context.services.entities.exists(ref, near=scope.window):
        raise NotFoundError(f"{ref.kind.value} {ref.id!r} does not occur in the indexed data")


async def _with_existence_check(info: Info, ref: EntityRef, scope: Scope, work: Awaitable[T]) -> T:
    """Run ``work`` while checking that ``ref`` exists: one round-trip of latency, not two."""
    _, result = await asyncio.gather(_must_exist(info, ref, scope), work)
    return result


def _asks_panels(info: Info) -> bool:
    """Whether the selection names a panel, each of which awaits the existence check
    next to its own request (one round-trip of latency instead of two)."""
    return any(
        getattr(sub, "name", None) in PANEL_FIELDS
        for field in info.selected_fields
        for sub in getattr(field, "selections", [])
    )


@strawberry.type
class CoreQuery:
    @described("Exact and prefix match on identifiers of one entity type.")
    async def search(
        self,
        info: Info,
        type: EntityType,
        text: str = "",
        first: int = 20,
        after: str | None = None,
    ) -> EntityConnection:
        page = await info.context.services.entities.search(to_kind(type), text, first, after)
        return EntityConnection.from_domain(page)

    @described("One entity by type and identifier (ARN, name or id).")
    async def entity(self, info: Info, type: EntityType, id: str) -> Entity:
        details = await info.context.services.entities.get(to_kind(type), id)
        info.context.entity_details.prime(details.ref, details)
        return entity_from_ref(details.ref)

    @described("Typed edges around an entity over the scope; hops 1 or 2.")
    async def neighborhood(
        self,
        info: Info,
        entity: EntityInput,
        scope: ScopeInput | None = None,
        hops: int = 1,
        edge_types: list[EdgeType] | None = None,
        limit_per_edge_type: int = 10,
    ) -> Neighborhood:
        window = _scope_of(info, scope)
        services = info.context.services
        ref = await services.entities.resolve(entity.kind(), entity.id)
        result = await _with_existence_check(
            info,
            ref,
            window,
            services.neighborhoods.neighborhood(
                ref,
                window,
                hops=hops,
                edge_types=to_edge_types(edge_types),
                limit_per_edge_type=limit_per_edge_type,
            ),
        )
        return Neighborhood.from_domain(result, window.window.start, window.window.end)

    @described("Time-ordered events of an entity with a histogram.")
    async def timeline(
        self,
        info: Info,
        entity: EntityInput,
        scope: ScopeInput | None = None,
        kinds: list[TimelineKind] | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> TimelineConnection:
        window = _scope_of(info, scope)
        services = info.context.services
        check_limit("first", first, services.limits.max_page)
        ref = await services.entities.resolve(entity.kind(), entity.id)
        page = await _with_existence_check(
            info,
            ref,
            window,
            services.timelines.timeline(ref, window, [k.value for k in kinds or []], first, after),
        )
        return TimelineConnection.from_domain(page)

    @described("Detective's profile panels for an entity over the scope vs its baseline.")
    async def profile(
        self, info: Info, entity: EntityInput, scope: ScopeInput | None = None
    ) -> Profile:
        window = _scope_of(info, scope)
        ref = await info.context.services.entities.resolve(entity.kind(), entity.id)
        check = asyncio.ensure_future(_must_exist(info, ref, window))
        if not _asks_panels(info):
            await check  # nothing to overlap with: fail (or pass) right here
        return Profile(
            ref=ref,
            existence=check,
            scope=window,
            scope_start=window.window.start,
            scope_end=window.window.end,
            baseline_start=window.baseline.start,
            baseline_end=window.baseline.end,
        )
