"""Neighborhoods: typed edge groups around an entity, one or two hops out."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from resolvers.domain import EdgeGroup, EdgeType, Neighborhood, NodeRef
from resolvers.edges import specs_for
from resolvers.graph.subgraph import assemble, expansion_frontier
from resolvers.limits import Limits, check_limit
from resolvers.repository import EventRepository
from resolvers.scope import Scope
from trailhound.ecs.entities import EntityRef
from trailhound.errors import InvalidArgumentError

__all__ = ["NeighborhoodService"]


def _fold_aliases(
    groups: Sequence[EdgeGroup], center: EntityRef, aliases: Sequence[str]
) -> list[EdgeGroup]:
    """Hop-2 edges that reach the center under another of its keys (a user's short
    ARN on a GuardDuty finding) end at the center, not at a second node for it."""
    if not aliases:
        return list(groups)
    same = set(aliases)

    def fold(node: NodeRef) -> NodeRef:
        return center if isinstance(node, EntityRef) and node.key in same else node

    return [
        dataclasses.replace(
            g,
            edges=tuple(
                dataclasses.replace(e, source=fold(e.source), target=fold(e.target))
                for e in g.edges
            ),
        )
        for g in groups
    ]


class NeighborhoodService:
    """Builds :class:`Neighborhood` values from one msearch per hop."""

    def __init__(self, repo: EventRepository, limits: Limits) -> None:
        self._repo = repo
        self._limits = limits

    async def neighborhood(
        self,
        center: EntityRef,
        scope: Scope,
        *,
        hops: int = 1,
        edge_types: frozenset[EdgeType] | None = None,
        limit_per_edge_type: int = 10,
    ) -> Neighborhood:
        """Top ``limit_per_edge_type`` edges per type around ``center`` (and its peers at hop 2).

        Every group reports its total, so the caller always knows how many
        edges of a type were left out.
        """
        if hops not in (1, 2):
            raise InvalidArgumentError(f"hops={hops}: only 1 or 2 are supported")
        limit = check_limit("limitPerEdgeType", limit_per_edge_type, self._limits.max_per_edge_type)
        window = scope.window
        specs = specs_for(center.kind, edge_types)
        aliases = await self._repo.aliases(center)
        (first,) = await self._repo.edge_groups([center], window, [specs], limit, [aliases])
        groups: list[EdgeGroup] = list(first)
        unexpanded = 0
        if hops == 2:
            frontier, unexpanded = expansion_frontier(center, first, self._limits.max_expand)
            per = [specs_for(n.kind, edge_types) for n in frontier]
            answers = await self._repo.edge_groups(frontier, window, per, limit)
            for found in answers:
                groups.extend(_fold_aliases(found, center, aliases))
        merged = assemble(center, groups)
        return Neighborhood(
            center=center,
            nodes=merged.nodes,
            edges=merged.edges,
            groups=tuple(groups),
            hops=hops,
            distances=merged.distances,
            unexpanded=unexpanded,
        )
